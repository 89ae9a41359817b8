package io.github.jrnn.properties.kernels;

import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * A random n-dimensional strided view for the data-movement properties: an array, an offset and one stride per
 * dimension, laid out in one of the ways the tensor operations produce (see {@link Kind}), with a random offset and
 * padding after the view's last element so that writes outside it can be seen.
 */
final class StridedView {

    /** How the view's strides are made. */
    enum Kind {
        /** Row-major over the view's own shape. */
        CONTIGUOUS,
        /** Row-major over a shape whose dimensions are 1 to 3 times larger (slicing with a step, a narrow). */
        STEPPED,
        /** Row-major over a permutation of the dimensions (a permute or transpose). */
        PERMUTED,
        /** Contiguous with some strides set to 0 (an expansion; as a destination of addStrided, a sum). */
        BROADCAST
    }

    final float[] data;
    final int offset;
    final int[] strides;

    private StridedView(float[] data, int offset, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.strides = strides;
    }

    /** A view of {@code shape} laid out as {@code kind}, its array filled from {@code values}. */
    static StridedView random(int[] shape, Kind kind, Random random, DoubleSupplier values) {
        int rank = shape.length;
        int[] strides = new int[rank];
        int[] order = new int[rank]; // dimensions from innermost to outermost
        for (int d = 0; d < rank; d++) {
            order[d] = rank - 1 - d;
        }
        if (kind == Kind.PERMUTED) {
            for (int d = rank - 1; d > 0; d--) {
                int j = random.nextInt(d + 1);
                int t = order[d];
                order[d] = order[j];
                order[j] = t;
            }
        }
        int stride = 1;
        for (int d : order) {
            strides[d] = stride;
            int extent = kind == Kind.STEPPED ? shape[d] * (1 + random.nextInt(3)) : shape[d];
            stride *= Math.max(1, extent);
        }
        if (kind == Kind.BROADCAST) {
            for (int d = 0; d < rank; d++) {
                if (random.nextBoolean()) {
                    strides[d] = 0;
                }
            }
        }
        int offset = random.nextInt(4);
        float[] data = new float[offset + extent(shape, strides) + random.nextInt(4)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) values.getAsDouble();
        }
        return new StridedView(data, offset, strides);
    }

    /** Elements from the first to one past the last element of a view (0 when empty). */
    static int extent(int[] shape, int[] strides) {
        int last = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return 0;
            }
            last += (shape[d] - 1) * strides[d];
        }
        return last + 1;
    }

    /** Where element {@code index} of the view lies in {@link #data}. */
    int at(int[] index) {
        int at = offset;
        for (int d = 0; d < index.length; d++) {
            at += index[d] * strides[d];
        }
        return at;
    }

    /** A copy with its own array (a fresh run for each implementation). */
    StridedView copy() {
        return new StridedView(data.clone(), offset, strides);
    }

    /**
     * Moves {@code index} to the next index of {@code shape} in row-major order.
     *
     * @return false after the last index (and for an empty shape)
     */
    static boolean next(int[] index, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return true;
            }
            index[d] = 0;
        }
        return false;
    }

    /** True when some dimension of the shape is 0. */
    static boolean empty(int[] shape) {
        for (int s : shape) {
            if (s == 0) {
                return true;
            }
        }
        return false;
    }
}
