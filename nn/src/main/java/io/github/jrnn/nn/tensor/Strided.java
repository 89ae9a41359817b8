package io.github.jrnn.nn.tensor;

import io.github.jrnn.kernels.KernelProvider;
import java.util.Arrays;

/**
 * Shapes, strides and dimension checks shared by the shape operations, and their calls of the strided kernels
 * ({@code copyStrided}, {@code addStrided}). A jrnn tensor is always contiguous; an operation describes its input
 * (or output) as a strided view of that array and lets one kernel call move the elements.
 */
final class Strided {

    private Strided() {
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    static int[] contiguous(int[] shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= Math.max(1, shape[d]);
        }
        return strides;
    }

    /**
     * PyTorch's {@code maybe_wrap_dim}: {@code d} in {@code [-rank, rank - 1]} (a 0-dim tensor takes -1 and 0), a
     * negative d counting from the end.
     */
    static int wrapDim(int d, int rank) {
        int r = Math.max(rank, 1);
        if (d < -r || d >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-r) + ", "
                    + (r - 1) + "], but got " + d + "); hint: a tensor with " + rank + " dimensions takes dims 0 to "
                    + (r - 1) + ", or -1 for the last");
        }
        return d < 0 ? d + r : d;
    }

    /** A new contiguous array of the view {@code (sizes, src, offset, strides)}; rank 0 is one element. */
    static float[] copy(int[] sizes, float[] src, int offset, int[] strides) {
        float[] out = new float[Tensor.checkedNumel(sizes)];
        if (sizes.length == 0) {
            out[0] = src[offset];
            return out;
        }
        KernelProvider.kernels().copyStrided(sizes, src, offset, strides, out, 0, contiguous(sizes));
        return out;
    }

    /** Adds the contiguous {@code src} of shape {@code sizes} into the view {@code (dst, offset, strides)}. */
    static void addInto(int[] sizes, float[] src, float[] dst, int offset, int[] strides) {
        if (sizes.length == 0) {
            KernelProvider.kernels().add(1, dst, offset, src, 0, dst, offset);
            return;
        }
        KernelProvider.kernels().addStrided(sizes, src, 0, contiguous(sizes), dst, offset, strides);
    }

    /** Copies the contiguous {@code src} of shape {@code sizes} into the view {@code (dst, offset, strides)}. */
    static void copyInto(int[] sizes, float[] src, float[] dst, int offset, int[] strides) {
        if (sizes.length == 0) {
            dst[offset] = src[0];
            return;
        }
        KernelProvider.kernels().copyStrided(sizes, src, 0, contiguous(sizes), dst, offset, strides);
    }

    static String shape(int[] shape) {
        return Arrays.toString(shape);
    }
}
