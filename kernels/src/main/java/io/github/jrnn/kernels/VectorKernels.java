package io.github.jrnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation of {@link Kernels}. Products live in {@link VectorGemm} (matrix-matrix, with
 * its blocked, direct and threaded paths) and {@link VectorGemv} (matrix-vector), the activation
 * approximations in {@link VectorMath}, the fused recurrent cells in {@link VectorCells}; the element-wise and
 * row-wise kernels are here.
 *
 * <p>All loops have one shape: full vectors while they fit, then one masked vector for the tail (masked loads read
 * inactive lanes as zero and masked stores leave them untouched), then any reduction. Only touch this class after
 * {@link KernelProvider} has checked that {@code jdk.incubator.vector} is readable.
 *
 * <p>Stateless and therefore safe to share between threads.
 */
final class VectorKernels implements Kernels, VectorWidth {

    /** The species every vector kernel computes with; a constant so the JIT can specialise and keep vectors in registers. */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> S = SPECIES;
    private static final int L = S.length();

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int vectorBitSize() {
        return S.vectorBitSize();
    }

    private static VectorMask<Float> maskFor(int i, int n) {
        return i + L <= n ? S.maskAll(true) : S.indexInRange(i, n);
    }

    // ---------------------------------------------------------------- BLAS

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                      int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        VectorGemm.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                      int xOffset, float beta, float[] y, int yOffset) {
        VectorGemv.sgemv(transA, m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
    }

    @Override
    public PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        return VectorGemm.packB(transB, k, n, b, bOffset, ldb);
    }

    @Override
    public PackedMatrix repackB(PackedMatrix reuse, boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        return reuse == null ? packB(transB, k, n, b, bOffset, ldb)
                : VectorPackedMatrix.of(reuse).refill(transB, k, n, b, bOffset, ldb);
    }

    @Override
    public void sgemmPacked(boolean transA, int m, float alpha, float[] a, int aOffset, int lda, PackedMatrix b,
                            float beta, float[] c, int cOffset, int ldc) {
        VectorGemm.sgemmPacked(transA, m, alpha, a, aOffset, lda, b, beta, c, cOffset, ldc);
    }

    @Override
    public float dot(int n, float[] x, int xOffset, float[] y, int yOffset) {
        return VectorGemv.dot(n, x, xOffset, y, yOffset);
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void axpy(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            FloatVector xv = FloatVector.fromArray(S, x, xOffset + i, mask);
            xv.fma(av, FloatVector.fromArray(S, y, yOffset + i, mask)).intoArray(y, yOffset + i, mask);
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            FloatVector.fromArray(S, x, xOffset + i, mask).mul(alpha).intoArray(x, xOffset + i, mask);
        }
    }

    @Override
    public void fill(int n, float value, float[] x, int xOffset) {
        FloatVector v = FloatVector.broadcast(S, value);
        for (int i = 0; i < n; i += L) {
            v.intoArray(x, xOffset + i, maskFor(i, n));
        }
    }

    @Override
    public void add(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            FloatVector.fromArray(S, a, aOffset + i, mask).add(FloatVector.fromArray(S, b, bOffset + i, mask))
                    .intoArray(out, outOffset + i, mask);
        }
    }

    @Override
    public void clamp(int n, float lo, float hi, float[] x, int xOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            FloatVector.fromArray(S, x, xOffset + i, mask).max(lo).min(hi).intoArray(x, xOffset + i, mask);
        }
    }

    @Override
    public float maxAbs(int n, float[] x, int xOffset) {
        // Masked-off lanes load as 0, which never exceeds an absolute value.
        FloatVector max = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            max = max.max(FloatVector.fromArray(S, x, xOffset + i, maskFor(i, n)).abs());
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    @Override
    public void mul(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            FloatVector.fromArray(S, a, aOffset + i, mask).mul(FloatVector.fromArray(S, b, bOffset + i, mask))
                    .intoArray(out, outOffset + i, mask);
        }
    }

    @Override
    public void broadcastRows(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset, int ldc) {
        // A row copy is what arraycopy is for: the JIT turns it into wide moves already.
        for (int i = 0; i < rows; i++) {
            System.arraycopy(row, rowOffset, c, cOffset + i * ldc, cols);
        }
    }

    @Override
    public void sumRows(int rows, int cols, float[] a, int aOffset, int lda, float[] out, int outOffset) {
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> mask = maskFor(j, cols);
            FloatVector sum = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                sum = sum.add(FloatVector.fromArray(S, a, aOffset + i * lda + j, mask));
            }
            sum.add(FloatVector.fromArray(S, out, outOffset + j, mask)).intoArray(out, outOffset + j, mask);
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void tanh(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            VectorMath.tanh(FloatVector.fromArray(S, x, xOffset + i, mask)).intoArray(y, yOffset + i, mask);
        }
    }

    @Override
    public void sigmoid(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            VectorMath.sigmoid(FloatVector.fromArray(S, x, xOffset + i, mask)).intoArray(y, yOffset + i, mask);
        }
    }

    @Override
    public void relu(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            // max follows Math.max: NaN stays NaN.
            FloatVector.fromArray(S, x, xOffset + i, mask).max(0f).intoArray(y, yOffset + i, mask);
        }
    }

    @Override
    public void exp(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            VectorMath.exp(FloatVector.fromArray(S, x, xOffset + i, mask)).intoArray(y, yOffset + i, mask);
        }
    }

    @Override
    public void tanhBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            FloatVector yv = FloatVector.fromArray(S, y, yOffset + i, mask);
            FloatVector.fromArray(S, dy, dyOffset + i, mask).mul(yv.mul(yv).neg().add(1f))
                    .intoArray(dx, dxOffset + i, mask);
        }
    }

    @Override
    public void sigmoidBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            FloatVector yv = FloatVector.fromArray(S, y, yOffset + i, mask);
            FloatVector.fromArray(S, dy, dyOffset + i, mask).mul(yv).mul(yv.neg().add(1f))
                    .intoArray(dx, dxOffset + i, mask);
        }
    }

    @Override
    public void reluBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = maskFor(i, n);
            VectorMask<Float> positive = FloatVector.fromArray(S, y, yOffset + i, mask).compare(VectorOperators.GT, 0f);
            FloatVector.zero(S).blend(FloatVector.fromArray(S, dy, dyOffset + i, mask), positive)
                    .intoArray(dx, dxOffset + i, mask);
        }
    }

    // ---------------------------------------------------------------- recurrent cells

    @Override
    public void rnnTanhCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] h,
                            int hOffset, int ldh) {
        VectorCells.rnnCell(false, batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    @Override
    public void rnnReluCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] h,
                            int hOffset, int ldh) {
        VectorCells.rnnCell(true, batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    @Override
    public void rnnTanhCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] h,
                                    int hOffset, int ldh, float[] dGates, int dGatesOffset) {
        VectorCells.rnnCellBackward(false, batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh, dGates, dGatesOffset);
    }

    @Override
    public void rnnReluCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] h,
                                    int hOffset, int ldh, float[] dGates, int dGatesOffset) {
        VectorCells.rnnCellBackward(true, batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh, dGates, dGatesOffset);
    }

    @Override
    public void gruCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] hPrev,
                        int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh, float[] workspace,
                        int workspaceOffset) {
        VectorCells.gruCell(batch, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hOffset, ldh,
                workspace, workspaceOffset);
    }

    @Override
    public void gruCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] hPrev,
                                int hPrevOffset, int ldhPrev, float[] workspace, int workspaceOffset, float[] dIg,
                                int dIgOffset, float[] dHg, int dHgOffset, float[] dhPrev, int dhPrevOffset,
                                int lddhPrev) {
        VectorCells.gruCellBackward(batch, hidden, dh, dhOffset, lddh, hPrev, hPrevOffset, ldhPrev, workspace,
                workspaceOffset, dIg, dIgOffset, dHg, dHgOffset, dhPrev, dhPrevOffset, lddhPrev);
    }

    @Override
    public void lstmCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] cPrev,
                         int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] workspace,
                         int workspaceOffset) {
        VectorCells.lstmCell(batch, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset, h, hOffset,
                ldh, workspace, workspaceOffset);
    }

    @Override
    public void lstmCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] dc, int dcOffset,
                                 float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] workspace,
                                 int workspaceOffset, float[] dGates, int dGatesOffset) {
        VectorCells.lstmCellBackward(batch, hidden, dh, dhOffset, lddh, dc, dcOffset, cPrev, cPrevOffset, c, cOffset,
                workspace, workspaceOffset, dGates, dGatesOffset);
    }

    // ---------------------------------------------------------------- softmax family

    /** The largest element of a row (NaN if any is NaN, -Inf for an empty row). */
    private static float rowMax(int cols, float[] x, int start) {
        FloatVector maxV = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> mask = maskFor(j, cols);
            // Inactive lanes must not win the max: fill them with -Inf instead of the masked load's zero.
            FloatVector v = FloatVector.fromArray(S, x, start + j, mask).blend(Float.NEGATIVE_INFINITY, mask.not());
            maxV = maxV.max(v);
        }
        return maxV.reduceLanes(VectorOperators.MAX);
    }

    /** sum_j exp(x_j - max), accumulated lane-wise in float and reduced in a fixed order. */
    private static float rowShiftedExpSum(int cols, float[] x, int start, float max) {
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> mask = maskFor(j, cols);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, start + j, mask).sub(max));
            sum = sum.add(e, mask);
        }
        return VectorReductions.sum(sum);
    }

    @Override
    public void logSumExp(int rows, int cols, float[] x, int xOffset, int ldx, float[] out, int outOffset) {
        for (int i = 0; i < rows; i++) {
            int start = xOffset + i * ldx;
            float max = rowMax(cols, x, start);
            // All -Inf (or empty), any +Inf, or NaN: the result is the maximum itself, as torch.logsumexp.
            boolean special = Float.isInfinite(max) || Float.isNaN(max);
            out[outOffset + i] = special ? max : max + (float) Math.log(rowShiftedExpSum(cols, x, start, max));
        }
    }

    /**
     * {@code exp(x - max) / S} with {@code S = sum exp(x - max)}, PyTorch's order: dividing by S instead of
     * subtracting a rounded log-sum-exp keeps large logits (|x| ~ 1e30) exact, and a row with +Inf becomes NaN
     * throughout, as in PyTorch.
     */
    @Override
    public void softmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        for (int i = 0; i < rows; i++) {
            int xs = xOffset + i * ldx;
            int ys = yOffset + i * ldy;
            float max = rowMax(cols, x, xs);
            float sum = rowShiftedExpSum(cols, x, xs, max);
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = maskFor(j, cols);
                VectorMath.exp(FloatVector.fromArray(S, x, xs + j, mask).sub(max)).div(sum)
                        .intoArray(y, ys + j, mask);
            }
        }
    }

    /** {@code (x - max) - log S}, PyTorch's order (see {@link #softmax}). */
    @Override
    public void logSoftmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        for (int i = 0; i < rows; i++) {
            int xs = xOffset + i * ldx;
            int ys = yOffset + i * ldy;
            float max = rowMax(cols, x, xs);
            float logSum = (float) Math.log(rowShiftedExpSum(cols, x, xs, max));
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = maskFor(j, cols);
                FloatVector.fromArray(S, x, xs + j, mask).sub(max).sub(logSum).intoArray(y, ys + j, mask);
            }
        }
    }

    @Override
    public void logSoftmaxBackward(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y, int yOffset,
                                   int ldy, float[] dx, int dxOffset, int lddx) {
        for (int i = 0; i < rows; i++) {
            int dys = dyOffset + i * lddy;
            int ys = yOffset + i * ldy;
            int dxs = dxOffset + i * lddx;
            FloatVector sumV = FloatVector.zero(S);
            for (int j = 0; j < cols; j += L) {
                sumV = sumV.add(FloatVector.fromArray(S, dy, dys + j, maskFor(j, cols)));
            }
            float sum = VectorReductions.sum(sumV);
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = maskFor(j, cols);
                FloatVector softmax = VectorMath.exp(FloatVector.fromArray(S, y, ys + j, mask));
                FloatVector.fromArray(S, dy, dys + j, mask).sub(softmax.mul(sum)).intoArray(dx, dxs + j, mask);
            }
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] momentumBuffer,
                        int momentumOffset, float lr, float momentum, float dampening, float weightDecay,
                        boolean nesterov, boolean firstStep) {
        VectorOptimizers.sgdStep(n, param, paramOffset, grad, gradOffset, momentumBuffer, momentumOffset, lr,
                momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void adamStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] expAvg,
                         int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
                         int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale,
                         float gradDecay, float stepSize, float biasCorrection2Sqrt) {
        VectorOptimizers.adamStep(n, param, paramOffset, grad, gradOffset, expAvg, expAvgOffset, expAvgSq,
                expAvgSqOffset, maxExpAvgSq, maxExpAvgSqOffset, beta1, beta2, eps, paramScale, gradDecay, stepSize,
                biasCorrection2Sqrt);
    }
}
