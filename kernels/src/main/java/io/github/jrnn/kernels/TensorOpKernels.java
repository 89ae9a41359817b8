package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.*; // the check* methods of the front door

import java.util.function.Function;

/**
 * The tensor operations of {@link Kernels}: broadcast binary operations and {@code where}, the unary functions
 * and {@code pow}, and the reductions and normalisations along one dimension of an (outer, size, inner) view
 * (sum, max / min, top-k, scatter-add, log-sum-exp, softmax and its backward, cumulative sum). The last family of
 * the chain that {@link KernelBase} describes; what every kernel promises is in {@link Kernels}' class comment.
 *
 * <p>Public with package-private constructors, for the reasons in {@link KernelBase}: only {@link Kernels}
 * extends it, and {@code Kernels} is the type to hold an instance by.
 */
public abstract class TensorOpKernels extends MovementKernels {

    /** See {@link Kernels#Kernels(Function)}. */
    TensorOpKernels(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    TensorOpKernels(Kernels checkedTwin) {
        super(checkedTwin);
    }

    // ---------------------------------------------------------------- tensor operations: broadcasting, along a dim
    //
    // Broadcast operands are rows x cols blocks: row r of operand x starts at xRows[r] and its cols elements are
    // either a contiguous run (stride 1) or one value repeated (stride 0, a broadcast dimension). The output is
    // contiguous. Reductions along a dimension see a contiguous tensor as (outer, size, inner): element (o, k, i)
    // at offset + (o * size + k) * inner + i, reduced over k into an (outer, inner) result.

    /**
     * {@code out[r * cols + j] = op(a[aRows[r] + j * aStride], b[bRows[r] + j * bStride])} for {@code r < rows},
     * {@code j < cols}: a broadcast element-wise operation ({@link BinaryOp}, exact IEEE float arithmetic or a 0/1
     * comparison). The output may be an operand's exact slice only when that operand is contiguous.
     *
     * @param op the operation
     * @param rows number of rows, >= 0
     * @param cols elements per row, >= 0
     * @param a the first operand's array
     * @param aRows start of each of a's rows in {@code a} (rows entries)
     * @param aStride 1 when a's rows are contiguous runs, 0 when each row is one value repeated
     * @param b the second operand's array
     * @param bRows start of each of b's rows in {@code b} (rows entries)
     * @param bStride 1 or 0, as aStride
     * @param out the output, rows x cols contiguous
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for a row, a row-start array has fewer than rows entries, or a stride is not 0 or 1
     */
    public final void broadcastBinary(BinaryOp op, int rows, int cols, float[] a, int[] aRows, int aStride, float[] b,
                                      int[] bRows, int bStride, float[] out, int outOffset) {
        if (checked) checkBroadcastBinary(op, rows, cols, a, aRows, aStride, b, bRows, bStride, out, outOffset);
        broadcastBinaryImpl(op, rows, cols, a, aRows, aStride, b, bRows, bStride, out, outOffset);
    }

    /** {@link #broadcastBinary} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void broadcastBinaryImpl(BinaryOp op, int rows, int cols, float[] a, int[] aRows, int aStride,
            float[] b, int[] bRows, int bStride, float[] out, int outOffset);

    /**
     * {@code out[r * cols + j] = cond[cRows[r] + j * cStride] != 0 ? a[...] : b[...]} (operands laid out as in
     * {@link #broadcastBinary}): PyTorch's {@code torch.where(cond, a, b)}; the branch not taken is never read into
     * the result, so a NaN there does not propagate.
     *
     * @param rows number of rows, >= 0
     * @param cols elements per row, >= 0
     * @param cond the condition's array (0 is false, anything else true)
     * @param cRows start of each of the condition's rows
     * @param cStride 1 or 0, as in {@link #broadcastBinary}
     * @param a the values taken where the condition holds
     * @param aRows start of each of a's rows
     * @param aStride 1 or 0
     * @param b the values taken elsewhere
     * @param bRows start of each of b's rows
     * @param bStride 1 or 0
     * @param out the output, rows x cols contiguous
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance, as {@link #broadcastBinary}
     */
    public final void broadcastWhere(int rows, int cols, float[] cond, int[] cRows, int cStride, float[] a,
                                     int[] aRows, int aStride, float[] b, int[] bRows, int bStride, float[] out,
                                     int outOffset) {
        if (checked) {
            checkBroadcastWhere(rows, cols, cond, cRows, cStride, a, aRows, aStride, b, bRows, bStride, out,
                    outOffset);
        }
        broadcastWhereImpl(rows, cols, cond, cRows, cStride, a, aRows, aStride, b, bRows, bStride, out, outOffset);
    }

    /** {@link #broadcastWhere} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void broadcastWhereImpl(int rows, int cols, float[] cond, int[] cRows, int cStride, float[] a,
            int[] aRows, int aStride, float[] b, int[] bRows, int bStride, float[] out, int outOffset);

    /**
     * {@code y[i] = f(x[i])} for the function {@code op} ({@link UnaryOp}: log, sqrt, rsqrt, abs, neg, sign).
     *
     * @param op the function
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void unary(UnaryOp op, int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkUnary(op, n, x, xOffset, y, yOffset);
        unaryImpl(op, n, x, xOffset, y, yOffset);
    }

    /** {@link #unary} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void unaryImpl(UnaryOp op, int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] = x[i]^p} as {@code torch.pow(x, p)} computes it on the CPU: {@code x*x} for p = 2,
     * {@code x*x*x} for 3, {@code sqrt(x)} for 0.5, {@code 1/sqrt(x)} for -0.5, {@code 1/x} for -1,
     * {@code 1/(x*x)} for -2 (float operations in that order), otherwise {@code pow(x, p)} correctly rounded from
     * double.
     *
     * @param n number of elements, >= 0
     * @param p the exponent
     * @param x the base
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void powScalar(int n, float p, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("powScalar", n, x, xOffset, y, yOffset);
        powScalarImpl(n, p, x, xOffset, y, yOffset);
    }

    /** {@link #powScalar} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void powScalarImpl(int n, float p, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code out[o * inner + i] = sum_k x[(o * size + k) * inner + i]} (0 for size = 0): the sum along the middle
     * dimension of a contiguous (outer, size, inner) view, accumulated in float (order unspecified).
     *
     * @param outer product of the dimensions before the reduced one, >= 0
     * @param size the reduced dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param out the (outer, inner) result, overwritten
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short, or the element count overflows int
     */
    public final void sumAlong(int outer, int size, int inner, float[] x, int xOffset, float[] out, int outOffset) {
        if (checked) checkAlong("sumAlong", outer, size, inner, x, xOffset, out, outOffset);
        sumAlongImpl(outer, size, inner, x, xOffset, out, outOffset);
    }

    /** {@link #sumAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out,
            int outOffset);

    /**
     * The largest (or, with {@code largest = false}, smallest) element along the middle dimension of an
     * (outer, size, inner) view and its position k, as {@code torch.max(x, dim)} / {@code torch.min(x, dim)}: the
     * first position among equal extremes, and the first NaN when there is one (NaN is the result).
     *
     * @param largest true for the maximum, false for the minimum
     * @param outer product of the dimensions before the reduced one, >= 0
     * @param size the reduced dimension, >= 1 unless outer or inner is 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param values the (outer, inner) extremes, overwritten
     * @param valuesOffset index in {@code values} of its first element
     * @param indices the (outer, inner) positions k, overwritten
     * @param indicesOffset index in {@code indices} of its first element
     * @throws IllegalArgumentException on a checked instance: as {@link #sumAlong}, or size is 0 for a non-empty
     *         result
     */
    public final void maxAlong(boolean largest, int outer, int size, int inner, float[] x, int xOffset,
                               float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        if (checked) checkMaxAlong(outer, size, inner, x, xOffset, values, valuesOffset, indices, indicesOffset);
        maxAlongImpl(largest, outer, size, inner, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    /** {@link #maxAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void maxAlongImpl(boolean largest, int outer, int size, int inner, float[] x, int xOffset,
            float[] values, int valuesOffset, int[] indices, int indicesOffset);

    /**
     * The k largest (or smallest) elements along the middle dimension of an (outer, size, inner) view, sorted, with
     * their positions, as {@code torch.topk(x, k, dim, largest, sorted=True)}: NaN counts as larger than every
     * number; equal values come in the order torch 1.13's CPU topk leaves them (its libstdc++ selection and sort,
     * not position order; {@code TopK} repeats their steps). Output element (o, j, i) is at
     * {@code (o * k + j) * inner + i}.
     *
     * @param largest true for the largest elements in decreasing order, false for the smallest in increasing order
     * @param outer product of the dimensions before the dimension, >= 0
     * @param size the dimension, >= k
     * @param inner product of the dimensions after it, >= 0
     * @param k how many to keep, 0 to size
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param values the (outer, k, inner) values, overwritten
     * @param valuesOffset index in {@code values} of its first element
     * @param indices the (outer, k, inner) positions, overwritten
     * @param indicesOffset index in {@code indices} of its first element
     * @throws IllegalArgumentException on a checked instance: as {@link #sumAlong}, or k is outside [0, size]
     */
    public final void topkAlong(boolean largest, int outer, int size, int inner, int k, float[] x, int xOffset,
                                float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        if (checked) checkTopkAlong(outer, size, inner, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
        topkAlongImpl(largest, outer, size, inner, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    /** {@link #topkAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void topkAlongImpl(boolean largest, int outer, int size, int inner, int k, float[] x,
            int xOffset, float[] values, int valuesOffset, int[] indices, int indicesOffset);

    /**
     * Adds each element of an (outer, k, inner) source into an (outer, size, inner) output at the position its index
     * names: {@code out[(o * size + index[e]) * inner + i] += src[e]} with {@code e = (o * k + j) * inner + i}, like
     * {@code out.scatter_add_(dim, index, src)}; repeated indices add up (in increasing j).
     *
     * @param outer product of the dimensions before the dimension, >= 0
     * @param k the source's extent along the dimension, >= 0
     * @param size the output's extent along it, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param src the values to add
     * @param srcOffset index in {@code src} of its first element
     * @param index the positions, each in [0, size), laid out like src
     * @param indexOffset index in {@code index} of its first element
     * @param out the output, added into
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance: as {@link #sumAlong}, or an index is outside [0, size)
     */
    public final void scatterAddAlong(int outer, int k, int size, int inner, float[] src, int srcOffset, int[] index,
                                      int indexOffset, float[] out, int outOffset) {
        if (checked) checkScatterAddAlong(outer, k, size, inner, src, srcOffset, index, indexOffset, out, outOffset);
        scatterAddAlongImpl(outer, k, size, inner, src, srcOffset, index, indexOffset, out, outOffset);
    }

    /** {@link #scatterAddAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void scatterAddAlongImpl(int outer, int k, int size, int inner, float[] src, int srcOffset,
            int[] index, int indexOffset, float[] out, int outOffset);

    /**
     * {@link #logSumExp} along the middle dimension of an (outer, size, inner) view:
     * {@code out[o * inner + i] = m + log sum_k exp(x[o, k, i] - m)} with m the largest of the k elements; special
     * values as {@link #logSumExp} (size = 0 gives -Inf).
     *
     * @param outer product of the dimensions before the reduced one, >= 0
     * @param size the reduced dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param out the (outer, inner) result, overwritten
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance, as {@link #sumAlong}
     */
    public final void logSumExpAlong(int outer, int size, int inner, float[] x, int xOffset, float[] out,
                                     int outOffset) {
        if (checked) checkAlong("logSumExpAlong", outer, size, inner, x, xOffset, out, outOffset);
        logSumExpAlongImpl(outer, size, inner, x, xOffset, out, outOffset);
    }

    /** {@link #logSumExpAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void logSumExpAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out,
            int outOffset);

    /**
     * {@link #softmax} (or, with {@code log}, {@link #logSoftmax}) along the middle dimension of an
     * (outer, size, inner) view, in PyTorch's order and with its special rows; y has x's layout and may be x's
     * slice.
     *
     * @param log false for softmax, true for log-softmax
     * @param outer product of the dimensions before the normalised one, >= 0
     * @param size the normalised dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param y the output
     * @param yOffset index in {@code y} of element (0, 0, 0)
     * @throws IllegalArgumentException on a checked instance, as {@link #sumAlong}
     */
    public final void softmaxAlong(boolean log, int outer, int size, int inner, float[] x, int xOffset, float[] y,
                                   int yOffset) {
        if (checked) checkSoftmaxAlong(outer, size, inner, x, xOffset, y, yOffset);
        softmaxAlongImpl(log, outer, size, inner, x, xOffset, y, yOffset);
    }

    /** {@link #softmaxAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void softmaxAlongImpl(boolean log, int outer, int size, int inner, float[] x, int xOffset,
            float[] y, int yOffset);

    /**
     * Backward of {@link #softmaxAlong} given its output y, summing over k along the middle dimension:
     * {@code dx = y * (dy - sum_k dy * y)} for softmax, {@code dx = dy - exp(y) * sum_k dy} for log-softmax. dx may
     * be dy's slice.
     *
     * @param log false for softmax, true for log-softmax
     * @param outer product of the dimensions before the normalised one, >= 0
     * @param size the normalised dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of element (0, 0, 0)
     * @param y the forward output
     * @param yOffset index in {@code y} of element (0, 0, 0)
     * @param dx the gradient of the input, the output
     * @param dxOffset index in {@code dx} of element (0, 0, 0)
     * @throws IllegalArgumentException on a checked instance, as {@link #sumAlong}
     */
    public final void softmaxBackwardAlong(boolean log, int outer, int size, int inner, float[] dy, int dyOffset,
                                           float[] y, int yOffset, float[] dx, int dxOffset) {
        if (checked) checkSoftmaxBackwardAlong(outer, size, inner, dy, dyOffset, y, yOffset, dx, dxOffset);
        softmaxBackwardAlongImpl(log, outer, size, inner, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    /** {@link #softmaxBackwardAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void softmaxBackwardAlongImpl(boolean log, int outer, int size, int inner, float[] dy,
            int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset);

    /**
     * Running sums along the middle dimension of a contiguous (outer, size, inner) view, accumulated in float in
     * increasing k: {@code y(o, k, i) = (((x(o, 0, i) + x(o, 1, i)) + ...) + x(o, k, i))}, each partial sum rounded
     * to float. This order is part of the result (the cumulative distribution of PyTorch's CPU
     * {@code torch.multinomial} with replacement is this sum); both implementations keep it, so they agree bit for
     * bit. y may be x's slice.
     *
     * @param outer product of the dimensions before the summed one, >= 0
     * @param size the summed dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param y the (outer, size, inner) running sums, overwritten
     * @param yOffset index in {@code y} of element (0, 0, 0)
     * @throws IllegalArgumentException on a checked instance, as {@link #sumAlong}
     */
    public final void cumsumAlong(int outer, int size, int inner, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkCumsumAlong(outer, size, inner, x, xOffset, y, yOffset);
        cumsumAlongImpl(outer, size, inner, x, xOffset, y, yOffset);
    }

    /** {@link #cumsumAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void cumsumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] y,
            int yOffset);
}
