package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.*; // the check* methods of the front door

import java.util.function.Function;

/**
 * The data movement kernels of {@link Kernels}, on strided n-dimensional views: copy, accumulate, gather and
 * scatter-add (what tensor shape operations reduce to), plus PyTorch's {@code allclose} and {@code arange}. One
 * family of the chain that {@link KernelBase} describes; what every kernel promises is in {@link Kernels}' class
 * comment.
 *
 * <p>Public with package-private constructors, for the reasons in {@link KernelBase}: only {@link Kernels}
 * extends it, and {@code Kernels} is the type to hold an instance by.
 */
public abstract class MovementKernels extends OptimizerKernels {

    /** See {@link Kernels#Kernels(Function)}. */
    MovementKernels(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    MovementKernels(Kernels checkedTwin) {
        super(checkedTwin);
    }

    // ---------------------------------------------------------------- strided data movement (tensor shape ops)
    //
    // An operand of these kernels is an n-dimensional strided view: an array, the offset of element (0, ..., 0) and
    // one non-negative stride per dimension, so element (i0, ..., ik) is x[offset + i0 * stride0 + ... + ik * strideK].
    // A stride of 0 repeats an element along its dimension (broadcasting). All operands share the index space
    // `sizes` (rank >= 1), walked in row-major order; the output must not overlap an input.

    /**
     * Strided copy {@code dst[i] = src[i]} for every index {@code i} of {@code sizes} (see the section comment
     * for strided views): slicing with steps, permutations, expansion (stride 0 in src), concatenation (a strided
     * region of dst) all reduce to it.
     *
     * @param sizes the index space, one size per dimension (rank >= 1), each >= 0
     * @param src the array holding the source view
     * @param srcOffset index in {@code src} of element (0, ..., 0)
     * @param srcStrides one stride per dimension, each >= 0
     * @param dst the array holding the destination view; must not overlap the source
     * @param dstOffset index in {@code dst} of element (0, ..., 0)
     * @param dstStrides one stride per dimension, each >= 0
     * @throws IllegalArgumentException on a checked instance: sizes is null or empty, a size, offset or stride is
     *         negative, a strides array has another length than sizes, or an array is null or too short for its view
     */
    public final void copyStrided(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                  int dstOffset, int[] dstStrides) {
        if (checked) {
            MovementChecks.checkStridedPair("copyStrided", sizes, src, srcOffset, srcStrides, dst, dstOffset,
                    dstStrides);
        }
        copyStridedImpl(sizes, src, srcOffset, srcStrides, dst, dstOffset, dstStrides);
    }

    /** {@link #copyStrided} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void copyStridedImpl(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
            int dstOffset, int[] dstStrides);

    /**
     * Strided accumulation {@code dst[i] += src[i]} for every index {@code i} of {@code sizes}, in row-major order
     * of {@code i}. A dst stride of 0 sums along that dimension (the backward of an expansion or a repeat), in that
     * fixed order in every implementation, so the results are bitwise the same.
     *
     * @param sizes the index space, one size per dimension (rank >= 1), each >= 0
     * @param src the array holding the source view
     * @param srcOffset index in {@code src} of element (0, ..., 0)
     * @param srcStrides one stride per dimension, each >= 0
     * @param dst the array holding the destination view, added into; must not overlap the source
     * @param dstOffset index in {@code dst} of element (0, ..., 0)
     * @param dstStrides one stride per dimension, each >= 0
     * @throws IllegalArgumentException on a checked instance: as {@link #copyStrided}
     */
    public final void addStrided(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                 int dstOffset, int[] dstStrides) {
        if (checked) {
            MovementChecks.checkStridedPair("addStrided", sizes, src, srcOffset, srcStrides, dst, dstOffset,
                    dstStrides);
        }
        addStridedImpl(sizes, src, srcOffset, srcStrides, dst, dstOffset, dstStrides);
    }

    /** {@link #addStrided} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void addStridedImpl(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
            int dstOffset, int[] dstStrides);

    /**
     * Gather along {@code dim} (PyTorch's {@code gather} and {@code index_select}):
     * {@code dst[i] = src[i with i[dim] replaced by index[i]]} for every index {@code i} of {@code sizes}.
     * {@code index_select} passes an index view with stride 0 in every dimension but {@code dim}.
     *
     * @param sizes the index space (the shape of the result), rank >= 1
     * @param dim the dimension the index values select along, {@code 0 <= dim < sizes.length}
     * @param index the array holding the index view, values in {@code [0, srcDimSize)}
     * @param indexOffset index in {@code index} of element (0, ..., 0)
     * @param indexStrides one stride per dimension, each >= 0
     * @param srcDimSize the size of src along {@code dim}
     * @param src the array holding the source view (its size along dim is srcDimSize, along the others sizes)
     * @param srcOffset index in {@code src} of element (0, ..., 0)
     * @param srcStrides one stride per dimension, each >= 0
     * @param dst the array holding the destination view; must not overlap the source
     * @param dstOffset index in {@code dst} of element (0, ..., 0)
     * @param dstStrides one stride per dimension, each >= 0
     * @throws IllegalArgumentException on a checked instance: as {@link #copyStrided}, or dim is out of range, or an
     *         index value is outside {@code [0, srcDimSize)}
     */
    public final void gather(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides, int srcDimSize,
                             float[] src, int srcOffset, int[] srcStrides, float[] dst, int dstOffset,
                             int[] dstStrides) {
        if (checked) {
            MovementChecks.checkIndexed("gather", sizes, dim, index, indexOffset, indexStrides, srcDimSize, src,
                    srcOffset, srcStrides, "src", dst, dstOffset, dstStrides, "dst");
        }
        gatherImpl(sizes, dim, index, indexOffset, indexStrides, srcDimSize, src, srcOffset, srcStrides, dst,
                dstOffset, dstStrides);
    }

    /** {@link #gather} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void gatherImpl(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
            int srcDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst, int dstOffset,
            int[] dstStrides);

    /**
     * Scatter-add along {@code dim}, the backward of {@link #gather}:
     * {@code dst[i with i[dim] replaced by index[i]] += src[i]} for every index {@code i} of {@code sizes}, in
     * row-major order of {@code i}, so duplicate index values accumulate in that fixed order in every
     * implementation (bitwise the same results).
     *
     * @param sizes the index space (the shape of src), rank >= 1
     * @param dim the dimension the index values address in dst, {@code 0 <= dim < sizes.length}
     * @param index the array holding the index view, values in {@code [0, dstDimSize)}
     * @param indexOffset index in {@code index} of element (0, ..., 0)
     * @param indexStrides one stride per dimension, each >= 0
     * @param dstDimSize the size of dst along {@code dim}
     * @param src the array holding the source view
     * @param srcOffset index in {@code src} of element (0, ..., 0)
     * @param srcStrides one stride per dimension, each >= 0
     * @param dst the array holding the destination view (its size along dim is dstDimSize), added into; must not
     *            overlap the source
     * @param dstOffset index in {@code dst} of element (0, ..., 0)
     * @param dstStrides one stride per dimension, each >= 0
     * @throws IllegalArgumentException on a checked instance: as {@link #gather}
     */
    public final void scatterAdd(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
                                 int dstDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                 int dstOffset, int[] dstStrides) {
        if (checked) {
            MovementChecks.checkIndexed("scatterAdd", sizes, dim, index, indexOffset, indexStrides, dstDimSize, dst,
                    dstOffset, dstStrides, "dst", src, srcOffset, srcStrides, "src");
        }
        scatterAddImpl(sizes, dim, index, indexOffset, indexStrides, dstDimSize, src, srcOffset, srcStrides, dst,
                dstOffset, dstStrides);
    }

    /** {@link #scatterAdd} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void scatterAddImpl(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
            int dstDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst, int dstOffset,
            int[] dstStrides);

    /**
     * PyTorch's {@code allclose} on float32 values: true when every element pair satisfies
     * {@code a[i] == b[i] || (|a[i] - b[i]| finite && |a[i] - b[i]| <= atol + |rtol * b[i]|)}, each operation
     * rounded to float as torch computes it on float32 tensors. NaN is close to nothing; equal infinities are
     * close; with {@code rtol = atol = 0} it is element-wise equality ({@code -0 == 0}).
     *
     * @param n the number of elements, >= 0
     * @param a the array holding a
     * @param aOffset index in {@code a} of a[0]
     * @param b the array holding b (the reference the relative tolerance scales with)
     * @param bOffset index in {@code b} of b[0]
     * @param rtol the relative tolerance
     * @param atol the absolute tolerance
     * @return whether all n pairs are close (true for n = 0)
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final boolean allClose(int n, float[] a, int aOffset, float[] b, int bOffset, float rtol, float atol) {
        if (checked) MovementChecks.checkAllClose(n, a, aOffset, b, bOffset);
        return allCloseImpl(n, a, aOffset, b, bOffset, rtol, atol);
    }

    /** {@link #allClose} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract boolean allCloseImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float rtol,
            float atol);

    /**
     * PyTorch 1.13's {@code torch.arange(start, end, step)} values in float32 on a CPU with 256-bit vectors, bit for
     * bit: with {@code v = 8} and {@code full = floor(n / 2v) * 2v}, element {@code i < full} of the block starting
     * at {@code k = v floor(i / v)} is {@code (float) ((double) (float) (start + step k) + step (i - k))}, and every
     * later element is {@code (float) (start + step i)}, all in double before the one rounding to float (torch's
     * vectorised fill of two vectors per step, then its scalar tail). Creation, not a hot loop: implementations may
     * share the one formula.
     *
     * @param n the number of values, >= 0
     * @param start the first value
     * @param step the distance between values
     * @param x the output array
     * @param xOffset index in {@code x} of the first value
     * @throws IllegalArgumentException on a checked instance: n or xOffset is negative, or x is null or shorter than
     *         xOffset + n
     */
    public final void arange(int n, double start, double step, float[] x, int xOffset) {
        if (checked) checkVector("arange", n, x, xOffset);
        arangeImpl(n, start, step, x, xOffset);
    }

    /** {@link #arange} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void arangeImpl(int n, double start, double step, float[] x, int xOffset);
}
