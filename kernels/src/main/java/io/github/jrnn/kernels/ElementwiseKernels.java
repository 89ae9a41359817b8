package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.*; // the check* methods of the front door

import java.util.function.Function;

/**
 * The element-wise kernels of {@link Kernels}: BLAS level 1 ({@code dot}, {@code axpy}, {@code scale}), fill,
 * add, multiply, clamp and the largest magnitude of vectors, a row broadcast into a matrix and a matrix's column
 * sums, and the activations (tanh, sigmoid, relu, exp) with their backward forms. The first family of the chain
 * that {@link KernelBase} describes; what every kernel promises (memory layout, checked twins, thread safety,
 * accuracy) is in {@link Kernels}' class comment.
 *
 * <p>Public with package-private constructors, for the reasons in {@link KernelBase}: only {@link Kernels}
 * extends it, and {@code Kernels} is the type to hold an instance by.
 */
public abstract class ElementwiseKernels extends KernelBase {

    /** See {@link Kernels#Kernels(Function)}. */
    ElementwiseKernels(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    ElementwiseKernels(Kernels checkedTwin) {
        super(checkedTwin);
    }

    // ---------------------------------------------------------------- BLAS level 1 and element-wise

    /**
     * Dot product {@code sum_i x[i] * y[i]} over n elements. Returns 0 for n = 0.
     *
     * @param n number of elements, >= 0
     * @param x the first vector
     * @param xOffset index in {@code x} of x[0]
     * @param y the second vector
     * @param yOffset index in {@code y} of y[0]
     * @return the dot product
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final float dot(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("dot", n, x, xOffset, y, yOffset);
        return dotImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #dot} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract float dotImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] += alpha * x[i]} for n elements.
     *
     * @param n number of elements, >= 0
     * @param alpha scale of x
     * @param x the vector added
     * @param xOffset index in {@code x} of x[0]
     * @param y the vector added to, in place
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void axpy(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("axpy", n, x, xOffset, y, yOffset);
        axpyImpl(n, alpha, x, xOffset, y, yOffset);
    }

    /** {@link #axpy} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void axpyImpl(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code x[i] *= alpha} for n elements (in place; alpha = 0 turns NaN into NaN, like a multiply).
     *
     * @param n number of elements, >= 0
     * @param alpha the factor
     * @param x the vector scaled in place
     * @param xOffset index in {@code x} of x[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void scale(int n, float alpha, float[] x, int xOffset) {
        if (checked) checkVector("scale", n, x, xOffset);
        scaleImpl(n, alpha, x, xOffset);
    }

    /** {@link #scale} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void scaleImpl(int n, float alpha, float[] x, int xOffset);

    /**
     * {@code x[i] = value} for n elements.
     *
     * @param n number of elements, >= 0
     * @param value the value every element receives
     * @param x the vector filled
     * @param xOffset index in {@code x} of x[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void fill(int n, float value, float[] x, int xOffset) {
        if (checked) checkVector("fill", n, x, xOffset);
        fillImpl(n, value, x, xOffset);
    }

    /** {@link #fill} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void fillImpl(int n, float value, float[] x, int xOffset);

    /**
     * {@code out[i] = a[i] + b[i]} for n elements.
     *
     * @param n number of elements, >= 0
     * @param a the first summand
     * @param aOffset index in {@code a} of a[0]
     * @param b the second summand
     * @param bOffset index in {@code b} of b[0]
     * @param out the output; may be a's or b's slice
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void add(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        if (checked) checkBinary("add", n, a, aOffset, b, bOffset, out, outOffset);
        addImpl(n, a, aOffset, b, bOffset, out, outOffset);
    }

    /** {@link #add} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void addImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset);

    /**
     * {@code x[i] = min(max(x[i], lo), hi)} in place for n elements (as {@code torch.clamp_}); NaN stays NaN.
     * Requires {@code lo <= hi}.
     *
     * @param n number of elements, >= 0
     * @param lo the lower bound
     * @param hi the upper bound, >= lo
     * @param x the vector clamped in place
     * @param xOffset index in {@code x} of x[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n, or lo > hi or either is NaN
     */
    public final void clamp(int n, float lo, float hi, float[] x, int xOffset) {
        if (checked) checkClamp(n, lo, hi, x, xOffset);
        clampImpl(n, lo, hi, x, xOffset);
    }

    /** {@link #clamp} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void clampImpl(int n, float lo, float hi, float[] x, int xOffset);

    /**
     * {@code max_i |x[i]|} over n elements: 0 for n = 0, NaN if any element is NaN.
     *
     * @param n number of elements, >= 0
     * @param x the vector
     * @param xOffset index in {@code x} of x[0]
     * @return the largest magnitude, 0 for n = 0, NaN if any element is NaN
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final float maxAbs(int n, float[] x, int xOffset) {
        if (checked) checkVector("maxAbs", n, x, xOffset);
        return maxAbsImpl(n, x, xOffset);
    }

    /** {@link #maxAbs} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract float maxAbsImpl(int n, float[] x, int xOffset);

    /**
     * {@code out[i] = a[i] * b[i]} for n elements (Hadamard product, e.g. a dropout mask).
     *
     * @param n number of elements, >= 0
     * @param a the first factor
     * @param aOffset index in {@code a} of a[0]
     * @param b the second factor
     * @param bOffset index in {@code b} of b[0]
     * @param out the output; may be a's or b's slice
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void mul(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        if (checked) checkBinary("mul", n, a, aOffset, b, bOffset, out, outOffset);
        mulImpl(n, a, aOffset, b, bOffset, out, outOffset);
    }

    /** {@link #mul} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void mulImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset);

    /**
     * Copies one row vector into every row of a matrix: {@code C[i][j] = row[j]} for a rows x cols matrix C with
     * leading dimension {@code ldc >= cols}. Used to start a product from its bias ({@code sgemm} with beta = 1).
     *
     * @param rows rows of C, >= 0
     * @param cols columns of C and elements of the row, >= 0
     * @param row the row vector (cols elements)
     * @param rowOffset index in {@code row} of row[0]
     * @param c the array holding C, the output
     * @param cOffset index in {@code c} of C's element (0, 0)
     * @param ldc leading dimension of C: distance between the starts of two rows, >= cols
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void broadcastRows(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset, int ldc) {
        if (checked) checkBroadcastRows(rows, cols, row, rowOffset, c, cOffset, ldc);
        broadcastRowsImpl(rows, cols, row, rowOffset, c, cOffset, ldc);
    }

    /** {@link #broadcastRows} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void broadcastRowsImpl(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset,
            int ldc);

    /**
     * Accumulates column sums: {@code out[j] += sum_i A[i][j]} for a rows x cols matrix A ({@code lda >= cols}).
     * Used for bias gradients summed over batch and time.
     *
     * @param rows rows of A, >= 0
     * @param cols columns of A and elements of out, >= 0
     * @param a the array holding A
     * @param aOffset index in {@code a} of A's element (0, 0)
     * @param lda leading dimension of A: distance between the starts of two rows, >= cols
     * @param out the column sums are added to its cols elements
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void sumRows(int rows, int cols, float[] a, int aOffset, int lda, float[] out, int outOffset) {
        if (checked) checkSumRows(rows, cols, a, aOffset, lda, out, outOffset);
        sumRowsImpl(rows, cols, a, aOffset, lda, out, outOffset);
    }

    /** {@link #sumRows} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sumRowsImpl(int rows, int cols, float[] a, int aOffset, int lda, float[] out,
            int outOffset);

    // ---------------------------------------------------------------- activations (x and y may be the same slice)

    /**
     * {@code y[i] = tanh(x[i])}; tanh(+-Inf) = +-1, tanh(-0) = -0, NaN stays NaN.
     *
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void tanh(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("tanh", n, x, xOffset, y, yOffset);
        tanhImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #tanh} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void tanhImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] = 1 / (1 + exp(-x[i]))}; sigmoid(-Inf) = 0, sigmoid(+Inf) = 1, NaN stays NaN.
     *
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void sigmoid(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("sigmoid", n, x, xOffset, y, yOffset);
        sigmoidImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #sigmoid} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sigmoidImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] = max(x[i], 0)} with NaN propagating (as {@code torch.relu}); relu(-0) may be +-0.
     *
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void relu(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("relu", n, x, xOffset, y, yOffset);
        reluImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #relu} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void reluImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] = exp(x[i])}; overflows to +Inf, underflows through subnormals to 0.
     *
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void exp(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("exp", n, x, xOffset, y, yOffset);
        expImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #exp} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void expImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * Backward of tanh given its output y: {@code dx[i] = dy[i] * (1 - y[i]^2)}. dx may be dy's slice.
     *
     * @param n number of elements, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of dy[0]
     * @param y the output of tanh
     * @param yOffset index in {@code y} of y[0]
     * @param dx the gradient of the input, the output; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void tanhBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        if (checked) checkActivationBackward("tanhBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        tanhBackwardImpl(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    /** {@link #tanhBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void tanhBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
            int dxOffset);

    /**
     * Backward of sigmoid given its output y: {@code dx[i] = dy[i] * y[i] * (1 - y[i])}. dx may be dy's slice.
     *
     * @param n number of elements, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of dy[0]
     * @param y the output of sigmoid
     * @param yOffset index in {@code y} of y[0]
     * @param dx the gradient of the input, the output; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void sigmoidBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
                                      int dxOffset) {
        if (checked) checkActivationBackward("sigmoidBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        sigmoidBackwardImpl(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    /** {@link #sigmoidBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sigmoidBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
            int dxOffset);

    /**
     * Backward of relu given its output y: {@code dx[i] = y[i] <= 0 ? 0 : dy[i]} (torch's {@code threshold_backward}:
     * a NaN output passes its gradient). dx may be dy's slice.
     *
     * @param n number of elements, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of dy[0]
     * @param y the output of relu
     * @param yOffset index in {@code y} of y[0]
     * @param dx the gradient of the input, the output; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void reluBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        if (checked) checkActivationBackward("reluBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        reluBackwardImpl(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    /** {@link #reluBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void reluBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
            int dxOffset);
}
