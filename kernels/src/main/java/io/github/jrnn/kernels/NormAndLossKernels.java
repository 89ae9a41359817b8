package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.*; // the check* methods of the front door

import java.util.function.Function;

/**
 * The normalising and loss kernels of {@link Kernels}: the row-wise softmax family ({@code logSumExp},
 * {@code softmax}, {@code logSoftmax} and its backward), layer normalisation and its backward, and the
 * element-wise losses (binary cross-entropy with logits, smooth L1) with their backward forms. One family of the
 * chain that {@link KernelBase} describes; what every kernel promises is in {@link Kernels}' class comment.
 *
 * <p>Public with package-private constructors, for the reasons in {@link KernelBase}: only {@link Kernels}
 * extends it, and {@code Kernels} is the type to hold an instance by.
 */
public abstract class NormAndLossKernels extends CellKernels {

    /** See {@link Kernels#Kernels(Function)}. */
    NormAndLossKernels(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    NormAndLossKernels(Kernels checkedTwin) {
        super(checkedTwin);
    }

    // ---------------------------------------------------------------- row-wise softmax family (for losses)

    /**
     * {@code out[i] = log sum_j exp(x[i][j])} for a rows x cols matrix (ldx >= cols), computed as
     * {@code max_i + log sum_j exp(x[i][j] - max_i)}; like {@code torch.logsumexp}, a row of all -Inf gives -Inf, a
     * row with +Inf gives +Inf, a row with NaN gives NaN, and cols = 0 gives -Inf.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols columns of the matrices, >= 0
     * @param x the input matrix
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param ldx leading dimension of x: distance between the starts of two rows, >= cols
     * @param out the output: rows elements, one per row of x
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void logSumExp(int rows, int cols, float[] x, int xOffset, int ldx, float[] out, int outOffset) {
        if (checked) checkLogSumExp(rows, cols, x, xOffset, ldx, out, outOffset);
        logSumExpImpl(rows, cols, x, xOffset, ldx, out, outOffset);
    }

    /** {@link #logSumExp} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void logSumExpImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] out,
            int outOffset);

    /**
     * {@code y[i][j] = exp(x[i][j] - max_i) / S_i} with {@code S_i = sum_j exp(x[i][j] - max_i)}, PyTorch's order;
     * a row containing +Inf or NaN, or of all -Inf, becomes all NaN as in PyTorch. x and y may be the same slice
     * with the same ld.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols columns of the matrices, >= 0
     * @param x the input matrix
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param ldx leading dimension of x: distance between the starts of two rows, >= cols
     * @param y the output matrix; may be x's slice with the same ld
     * @param yOffset index in {@code y} of its element (0, 0)
     * @param ldy leading dimension of y: distance between the starts of two rows, >= cols
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void softmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        if (checked) checkRowwise("softmax", rows, cols, x, xOffset, ldx, y, yOffset, ldy);
        softmaxImpl(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }

    /** {@link #softmax} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void softmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset,
            int ldy);

    /**
     * {@code y[i][j] = (x[i][j] - max_i) - log S_i} (S_i as in {@link #softmax}), PyTorch's order; special rows as
     * in {@link #softmax}. x and y may be the same slice with the same ld.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols columns of the matrices, >= 0
     * @param x the input matrix
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param ldx leading dimension of x: distance between the starts of two rows, >= cols
     * @param y the output matrix; may be x's slice with the same ld
     * @param yOffset index in {@code y} of its element (0, 0)
     * @param ldy leading dimension of y: distance between the starts of two rows, >= cols
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void logSoftmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        if (checked) checkRowwise("logSoftmax", rows, cols, x, xOffset, ldx, y, yOffset, ldy);
        logSoftmaxImpl(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }

    /** {@link #logSoftmax} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void logSoftmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y,
            int yOffset, int ldy);

    /**
     * Backward of {@link #logSoftmax} given its output y:
     * {@code dx[i][j] = dy[i][j] - exp(y[i][j]) * sum_k dy[i][k]}. dx may be dy's slice with the same ld.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols columns of the matrices, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of its element (0, 0)
     * @param lddy leading dimension of dy: distance between the starts of two rows, >= cols
     * @param y the output of {@link #logSoftmax}
     * @param yOffset index in {@code y} of its element (0, 0)
     * @param ldy leading dimension of y: distance between the starts of two rows, >= cols
     * @param dx the gradient of the input, the output; may be dy's slice with the same ld
     * @param dxOffset index in {@code dx} of its element (0, 0)
     * @param lddx leading dimension of dx: distance between the starts of two rows, >= cols
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void logSoftmaxBackward(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y,
                                         int yOffset, int ldy, float[] dx, int dxOffset, int lddx) {
        if (checked) checkLogSoftmaxBackward(rows, cols, dy, dyOffset, lddy, y, yOffset, ldy, dx, dxOffset, lddx);
        logSoftmaxBackwardImpl(rows, cols, dy, dyOffset, lddy, y, yOffset, ldy, dx, dxOffset, lddx);
    }

    /** {@link #logSoftmaxBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void logSoftmaxBackwardImpl(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y,
            int yOffset, int ldy, float[] dx, int dxOffset, int lddx);

    // ---------------------------------------------------------------- layer normalisation and element-wise losses
    // Contiguous operands: a rows x cols matrix has row stride cols; per-row statistics are rows-element vectors.

    /**
     * Layer normalisation of each row of a contiguous rows x cols matrix ({@code torch.nn.functional.layer_norm}
     * over the trailing cols elements), in this order:
     * <pre>
     * mean_i  = (sum_j x[i][j]) / cols
     * var_i   = (sum_j (x[i][j] - mean_i)^2) / cols          (biased, as PyTorch)
     * rstd_i  = 1 / sqrt(var_i + eps)
     * y[i][j] = ((x[i][j] - mean_i) * rstd_i) * gamma[j] + beta[j]
     * </pre>
     * A null {@code gamma} stands for ones and a null {@code beta} for zeros (no elementwise affine). mean and rstd
     * receive mean_i and rstd_i, the inputs of {@link #layerNormBackward}. NaN propagates through its row; cols = 0
     * gives mean and rstd NaN for every row (0 / 0) and writes no y.
     *
     * @param rows rows of x and y, >= 0
     * @param cols the normalised width, >= 0
     * @param eps added to the variance, >= 0 and finite
     * @param x the input, rows x cols contiguous
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param gamma the scale, cols elements, or null for ones
     * @param gammaOffset index in {@code gamma} of gamma[0]
     * @param beta the shift, cols elements, or null for zeros
     * @param betaOffset index in {@code beta} of beta[0]
     * @param y the output, rows x cols contiguous; may be x's slice
     * @param yOffset index in {@code y} of its element (0, 0)
     * @param mean the row means, rows elements, overwritten
     * @param meanOffset index in {@code mean} of mean[0]
     * @param rstd the rows' reciprocal standard deviations, rows elements, overwritten
     * @param rstdOffset index in {@code rstd} of rstd[0]
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, eps is negative or not
     *         finite, a required array is null or too short for its slice
     */
    public final void layerNorm(int rows, int cols, float eps, float[] x, int xOffset, float[] gamma, int gammaOffset,
                                float[] beta, int betaOffset, float[] y, int yOffset, float[] mean, int meanOffset,
                                float[] rstd, int rstdOffset) {
        if (checked) {
            NormAndLossChecks.checkLayerNorm(rows, cols, eps, x, xOffset, gamma, gammaOffset, beta, betaOffset, y,
                    yOffset, mean, meanOffset, rstd, rstdOffset);
        }
        layerNormImpl(rows, cols, eps, x, xOffset, gamma, gammaOffset, beta, betaOffset, y, yOffset, mean, meanOffset,
                rstd, rstdOffset);
    }

    /** {@link #layerNorm} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void layerNormImpl(int rows, int cols, float eps, float[] x, int xOffset, float[] gamma,
            int gammaOffset, float[] beta, int betaOffset, float[] y, int yOffset, float[] mean, int meanOffset,
            float[] rstd, int rstdOffset);

    /**
     * Backward of {@link #layerNorm} given its saved mean and rstd, in this order (n = cols):
     * <pre>
     * xhat[i][j] = (x[i][j] - mean_i) * rstd_i
     * g[i][j]    = dy[i][j] * gamma[j]                       (dy[i][j] when gamma is null)
     * a_i        = (sum_j g[i][j]) / n
     * b_i        = (sum_j g[i][j] * xhat[i][j]) / n
     * dx[i][j]   = ((g[i][j] - a_i) - xhat[i][j] * b_i) * rstd_i
     * dgamma[j]  = sum_i dy[i][j] * xhat[i][j]               (overwritten; 0 when rows = 0)
     * dbeta[j]   = sum_i dy[i][j]                            (overwritten; 0 when rows = 0)
     * </pre>
     * Each of dx, dgamma and dbeta may be null, and is then not computed.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols the normalised width, >= 0
     * @param dy the gradient of y, rows x cols contiguous
     * @param dyOffset index in {@code dy} of its element (0, 0)
     * @param x the forward input, rows x cols contiguous
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param mean the forward's row means, rows elements
     * @param meanOffset index in {@code mean} of mean[0]
     * @param rstd the forward's reciprocal standard deviations, rows elements
     * @param rstdOffset index in {@code rstd} of rstd[0]
     * @param gamma the forward's scale, cols elements, or null for ones
     * @param gammaOffset index in {@code gamma} of gamma[0]
     * @param dx the gradient of x, rows x cols contiguous, or null; may be dy's slice
     * @param dxOffset index in {@code dx} of its element (0, 0)
     * @param dgamma the gradient of gamma, cols elements, or null
     * @param dgammaOffset index in {@code dgamma} of dgamma[0]
     * @param dbeta the gradient of beta, cols elements, or null
     * @param dbetaOffset index in {@code dbeta} of dbeta[0]
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a required array is
     *         null or an array too short for its slice
     */
    public final void layerNormBackward(int rows, int cols, float[] dy, int dyOffset, float[] x, int xOffset,
                                        float[] mean, int meanOffset, float[] rstd, int rstdOffset, float[] gamma,
                                        int gammaOffset, float[] dx, int dxOffset, float[] dgamma, int dgammaOffset,
                                        float[] dbeta, int dbetaOffset) {
        if (checked) {
            NormAndLossChecks.checkLayerNormBackward(rows, cols, dy, dyOffset, x, xOffset, mean, meanOffset, rstd,
                    rstdOffset, gamma, gammaOffset, dx, dxOffset, dgamma, dgammaOffset, dbeta, dbetaOffset);
        }
        layerNormBackwardImpl(rows, cols, dy, dyOffset, x, xOffset, mean, meanOffset, rstd, rstdOffset, gamma,
                gammaOffset, dx, dxOffset, dgamma, dgammaOffset, dbeta, dbetaOffset);
    }

    /** {@link #layerNormBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void layerNormBackwardImpl(int rows, int cols, float[] dy, int dyOffset, float[] x,
            int xOffset, float[] mean, int meanOffset, float[] rstd, int rstdOffset, float[] gamma, int gammaOffset,
            float[] dx, int dxOffset, float[] dgamma, int dgammaOffset, float[] dbeta, int dbetaOffset);

    /**
     * Per-element {@code torch.nn.BCEWithLogitsLoss} (reduction 'none') in PyTorch's overflow-free form, in this
     * order (softplus(-x) = log(1 + e^-x) without overflow):
     * <pre>
     * m      = max(-x, 0)
     * s      = log(exp(-m) + exp(-x - m)) + m
     * out    = ((1 - t) * x + lw * s) * w,    lw = (pw - 1) * t + 1
     * </pre>
     * A null {@code weight} stands for w = 1 and a null {@code posWeight} for pw = 1 (then {@code lw * s} is
     * {@code s}: no multiplication). Logits of any size stay finite: x = +-100 gives 100 or about 0, never Inf.
     *
     * @param n number of elements, >= 0
     * @param x the logits
     * @param xOffset index in {@code x} of x[0]
     * @param t the targets (probabilities, usually 0 or 1)
     * @param tOffset index in {@code t} of t[0]
     * @param weight the per-element weights, or null
     * @param weightOffset index in {@code weight} of its first element
     * @param posWeight the per-element weights of the positive term, or null
     * @param posWeightOffset index in {@code posWeight} of its first element
     * @param out the losses; may be x's or t's slice
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, a required array is null
     *         or an array too short for its slice
     */
    public final void bceWithLogits(int n, float[] x, int xOffset, float[] t, int tOffset, float[] weight,
                                    int weightOffset, float[] posWeight, int posWeightOffset, float[] out,
                                    int outOffset) {
        if (checked) {
            NormAndLossChecks.checkBceWithLogits(n, x, xOffset, t, tOffset, weight, weightOffset, posWeight,
                    posWeightOffset, out, outOffset);
        }
        bceWithLogitsImpl(n, x, xOffset, t, tOffset, weight, weightOffset, posWeight, posWeightOffset, out,
                outOffset);
    }

    /** {@link #bceWithLogits} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void bceWithLogitsImpl(int n, float[] x, int xOffset, float[] t, int tOffset, float[] weight,
            int weightOffset, float[] posWeight, int posWeightOffset, float[] out, int outOffset);

    /**
     * Backward of {@link #bceWithLogits} with respect to the logits, PyTorch's formula, in this order:
     * <pre>
     * without pw:  dx = ((sigmoid(x) - t) * dy) * w
     * with pw:     dx = (((pt + 1 - t) * sigmoid(x) - pt) * dy) * w,    pt = pw * t,  (pt + 1) - t left to right
     * </pre>
     * A null {@code weight} stands for w = 1 (no multiplication).
     *
     * @param n number of elements, >= 0
     * @param dy the gradient of each loss element (for 'mean' the upstream gradient divided by the count)
     * @param dyOffset index in {@code dy} of dy[0]
     * @param x the logits
     * @param xOffset index in {@code x} of x[0]
     * @param t the targets
     * @param tOffset index in {@code t} of t[0]
     * @param weight the per-element weights, or null
     * @param weightOffset index in {@code weight} of its first element
     * @param posWeight the per-element weights of the positive term, or null
     * @param posWeightOffset index in {@code posWeight} of its first element
     * @param dx the gradient of the logits; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, a required array is null
     *         or an array too short for its slice
     */
    public final void bceWithLogitsBackward(int n, float[] dy, int dyOffset, float[] x, int xOffset, float[] t,
                                            int tOffset, float[] weight, int weightOffset, float[] posWeight,
                                            int posWeightOffset, float[] dx, int dxOffset) {
        if (checked) {
            NormAndLossChecks.checkBceWithLogitsBackward(n, dy, dyOffset, x, xOffset, t, tOffset, weight,
                    weightOffset, posWeight, posWeightOffset, dx, dxOffset);
        }
        bceWithLogitsBackwardImpl(n, dy, dyOffset, x, xOffset, t, tOffset, weight, weightOffset, posWeight,
                posWeightOffset, dx, dxOffset);
    }

    /** {@link #bceWithLogitsBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void bceWithLogitsBackwardImpl(int n, float[] dy, int dyOffset, float[] x, int xOffset,
            float[] t, int tOffset, float[] weight, int weightOffset, float[] posWeight, int posWeightOffset,
            float[] dx, int dxOffset);

    /**
     * Per-element {@code torch.nn.SmoothL1Loss(beta)} (reduction 'none'), PyTorch's CPU order:
     * {@code z = |x - t|}, {@code out = z < beta ? ((0.5 * z) * z) / beta : z - 0.5 * beta}. beta = 0 is
     * {@code torch.nn.L1Loss}: {@code out = |x - t|} exactly.
     *
     * @param n number of elements, >= 0
     * @param beta the threshold between the quadratic and the linear part, >= 0 and finite
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param t the target
     * @param tOffset index in {@code t} of t[0]
     * @param out the losses; may be x's or t's slice
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, beta is negative or not
     *         finite, an array is null or too short for its slice
     */
    public final void smoothL1(int n, float beta, float[] x, int xOffset, float[] t, int tOffset, float[] out,
                               int outOffset) {
        if (checked) NormAndLossChecks.checkSmoothL1(n, beta, x, xOffset, t, tOffset, out, outOffset);
        smoothL1Impl(n, beta, x, xOffset, t, tOffset, out, outOffset);
    }

    /** {@link #smoothL1} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void smoothL1Impl(int n, float beta, float[] x, int xOffset, float[] t, int tOffset,
            float[] out, int outOffset);

    /**
     * Backward of {@link #smoothL1} with respect to x, PyTorch's CPU formula: with {@code d = x - t},
     * {@code dx = d <= -beta ? -dy : d >= beta ? dy : (d * dy) / beta}, tested in that order, so at beta = 0 a tie
     * d = 0 gives -dy (as {@code SmoothL1Loss(beta=0)}'s gradient in PyTorch, unlike L1Loss's 0). NaN propagates.
     * PyTorch's gradient with respect to t is this kernel with x and t swapped.
     *
     * @param n number of elements, >= 0
     * @param beta the forward's threshold, >= 0 and finite
     * @param dy the gradient of each loss element
     * @param dyOffset index in {@code dy} of dy[0]
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param t the target
     * @param tOffset index in {@code t} of t[0]
     * @param dx the gradient of x; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance, as {@link #smoothL1}
     */
    public final void smoothL1Backward(int n, float beta, float[] dy, int dyOffset, float[] x, int xOffset, float[] t,
                                       int tOffset, float[] dx, int dxOffset) {
        if (checked) {
            NormAndLossChecks.checkSmoothL1Backward(n, beta, dy, dyOffset, x, xOffset, t, tOffset, dx, dxOffset);
        }
        smoothL1BackwardImpl(n, beta, dy, dyOffset, x, xOffset, t, tOffset, dx, dxOffset);
    }

    /** {@link #smoothL1Backward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void smoothL1BackwardImpl(int n, float beta, float[] dy, int dyOffset, float[] x, int xOffset,
            float[] t, int tOffset, float[] dx, int dxOffset);
}
