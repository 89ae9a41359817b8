package io.github.jrnn.nn.tensor;

import java.util.Arrays;

/**
 * Checks and arithmetic on shapes and element indices, with jrnn's messages: a shape checked against the data it
 * describes ({@link Tensor#of}), the element count of a shape ({@link Tensor#checkedNumel}), the row-major position
 * {@code ((i0 * s1 + i1) * s2 + ...) + ik} of an index ({@link Tensor#get}, {@link Tensor#set}) and a shape written
 * as a Python tuple ({@link Tensor#shapeTuple}).
 */
final class Shapes {

    private Shapes() {
    }

    /** A copy of {@code shape}, checked to hold exactly the elements of {@code data} ({@link Tensor#of}). */
    static int[] shapeOf(float[] data, int[] shape) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        int[] s = shape.clone();
        int numel = checkedNumel(s);
        if (numel != data.length) {
            throw new IllegalArgumentException("shape " + Tensor.shapeString(s) + " holds " + numel
                    + " elements, but data has " + data.length);
        }
        return s;
    }

    /** The product of the dimensions, refused when one is negative or it exceeds {@link Tensor#MAX_ELEMENTS}. */
    static int checkedNumel(int[] shape) {
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + Tensor.shapeString(shape)
                        + " is negative");
            }
            empty |= shape[i] == 0;
        }
        if (empty) {
            return 0; // a zero dimension empties the tensor whatever the others are, as in PyTorch
        }
        long n = 1;
        for (int d : shape) {
            n *= d; // cannot overflow: n <= MAX_ELEMENTS < 2^31 before, d < 2^31
            if (n > Tensor.MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + Tensor.shapeString(shape) + " has more than "
                        + Tensor.MAX_ELEMENTS + " elements, which a Java array cannot hold");
            }
        }
        return (int) n;
    }

    /** The row-major position of {@code index} in a contiguous array of this shape, each position checked. */
    static int flatIndex(int[] shape, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " positions, but the tensor has " + shape.length + " dimensions " + Tensor.shapeString(shape));
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + index[d] + " is out of bounds for dimension " + d
                        + " with size " + shape[d]);
            }
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    /** {@code (1, 2, 4)}: the shape as PyTorch's expected-size messages print it. */
    static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }
}
