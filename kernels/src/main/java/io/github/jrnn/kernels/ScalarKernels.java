package io.github.jrnn.kernels;

/**
 * The reference implementation of {@link Kernels}: plain loops in the order of each formula, float arithmetic
 * rounded at every step, activations computed with {@link Math} in double and rounded once. The property tests
 * trust this class, so it stays deliberately boring: no blocking, no unrolling, no approximations.
 *
 * <p>Stateless and therefore safe to share between threads.
 */
public final class ScalarKernels extends ScalarNormAndLossOps {

    /** The checked scalar kernels; {@link #unchecked()} is their twin without argument checks. */
    public ScalarKernels() {
        super(ScalarKernels::new);
    }

    private ScalarKernels(Kernels checkedTwin) {
        super(checkedTwin);
    }

    @Override
    public String name() {
        return "scalar";
    }

    // ---------------------------------------------------------------- BLAS

    @Override
    protected void sgemmImpl(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                             int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOffset + i * ldc + j;
                float sum = 0f;
                if (alpha != 0f) {
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                        float bpj = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                        sum += aip * bpj;
                    }
                }
                c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
            }
        }
    }

    @Override
    protected void sgemvImpl(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                             int xOffset, float beta, float[] y, int yOffset) {
        int outLength = transA ? n : m;
        int innerLength = transA ? m : n;
        for (int i = 0; i < outLength; i++) {
            float sum = 0f;
            if (alpha != 0f) {
                for (int j = 0; j < innerLength; j++) {
                    float aij = transA ? a[aOffset + j * lda + i] : a[aOffset + i * lda + j];
                    sum += aij * x[xOffset + j];
                }
            }
            int yi = yOffset + i;
            y[yi] = beta == 0f ? alpha * sum : alpha * sum + beta * y[yi];
        }
    }

    @Override
    protected PackedMatrix packBImpl(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        return new ScalarPackedMatrix(transB, k, n, b, bOffset, ldb);
    }

    @Override
    protected PackedMatrix repackBImpl(PackedMatrix reuse, boolean transB, int k, int n, float[] b, int bOffset,
                                       int ldb) {
        return reuse == null ? packBImpl(transB, k, n, b, bOffset, ldb)
                : ScalarPackedMatrix.of(reuse, "repackB", "reuse").refill(transB, k, n, b, bOffset, ldb);
    }

    @Override
    protected void sgemmPackedImpl(boolean transA, int m, float alpha, float[] a, int aOffset, int lda, PackedMatrix b,
                                   float beta, float[] c, int cOffset, int ldc) {
        ScalarPackedMatrix packed = ScalarPackedMatrix.of(b, "sgemmPacked", "b");
        sgemmImpl(transA, false, m, packed.cols(), packed.rows(), alpha, a, aOffset, lda, packed.data(), 0,
                packed.cols(), beta, c, cOffset, ldc);
    }

    @Override
    protected void sgemmPackedBiasImpl(boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
                                       PackedMatrix b, float[] bias, int biasOffset, float[] c, int cOffset,
                                       int ldc) {
        ScalarPackedMatrix packed = ScalarPackedMatrix.of(b, "sgemmPackedBias", "b"); // refused before C is written
        broadcastRowsImpl(m, packed.cols(), bias, biasOffset, c, cOffset, ldc);
        sgemmPackedImpl(transA, m, alpha, a, aOffset, lda, packed, 1f, c, cOffset, ldc);
    }

    // ---------------------------------------------------------------- level 1

    @Override
    protected float dotImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += x[xOffset + i] * y[yOffset + i];
        }
        return sum;
    }

    @Override
    protected void axpyImpl(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] += alpha * x[xOffset + i];
        }
    }

    @Override
    protected void scaleImpl(int n, float alpha, float[] x, int xOffset) {
        for (int i = 0; i < n; i++) {
            x[xOffset + i] *= alpha;
        }
    }

    @Override
    protected void fillImpl(int n, float value, float[] x, int xOffset) {
        for (int i = 0; i < n; i++) {
            x[xOffset + i] = value;
        }
    }

    @Override
    protected void addImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = a[aOffset + i] + b[bOffset + i];
        }
    }

    @Override
    protected void clampImpl(int n, float lo, float hi, float[] x, int xOffset) {
        for (int i = 0; i < n; i++) {
            x[xOffset + i] = Math.min(Math.max(x[xOffset + i], lo), hi);
        }
    }

    @Override
    protected float maxAbsImpl(int n, float[] x, int xOffset) {
        float max = 0f;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(x[xOffset + i]));
        }
        return max;
    }

    @Override
    protected void mulImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = a[aOffset + i] * b[bOffset + i];
        }
    }

    @Override
    protected void broadcastRowsImpl(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset, int ldc) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[cOffset + i * ldc + j] = row[rowOffset + j];
            }
        }
    }

    @Override
    protected void sumRowsImpl(int rows, int cols, float[] a, int aOffset, int lda, float[] out, int outOffset) {
        for (int j = 0; j < cols; j++) {
            float sum = 0f;
            for (int i = 0; i < rows; i++) {
                sum += a[aOffset + i * lda + j];
            }
            out[outOffset + j] += sum;
        }
    }

    // ---------------------------------------------------------------- activations

    static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    static float relu(float x) {
        // x > 0 keeps NaN out of the comparison's false branch: NaN > 0 is false, so test NaN explicitly.
        return x > 0f || Float.isNaN(x) ? x : 0f;
    }

    @Override
    protected void tanhImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] = tanh(x[xOffset + i]);
        }
    }

    @Override
    protected void sigmoidImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] = sigmoid(x[xOffset + i]);
        }
    }

    @Override
    protected void reluImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] = relu(x[xOffset + i]);
        }
    }

    @Override
    protected void expImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] = (float) Math.exp(x[xOffset + i]);
        }
    }

    @Override
    protected void tanhBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        for (int i = 0; i < n; i++) {
            float yi = y[yOffset + i];
            dx[dxOffset + i] = dy[dyOffset + i] * (1f - yi * yi);
        }
    }

    @Override
    protected void sigmoidBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
                                       int dxOffset) {
        for (int i = 0; i < n; i++) {
            float yi = y[yOffset + i];
            dx[dxOffset + i] = dy[dyOffset + i] * yi * (1f - yi);
        }
    }

    @Override
    protected void reluBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        for (int i = 0; i < n; i++) {
            dx[dxOffset + i] = y[yOffset + i] <= 0f ? 0f : dy[dyOffset + i]; // NaN passes, as in torch
        }
    }

    // ---------------------------------------------------------------- recurrent cells

    @Override
    protected void rnnTanhCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] h,
                                   int hOffset, int ldh) {
        for (int bi = 0; bi < batch; bi++) {
            for (int j = 0; j < hidden; j++) {
                int g = bi * hidden + j;
                h[hOffset + bi * ldh + j] = tanh(ig[igOffset + g] + hg[hgOffset + g]);
            }
        }
    }

    @Override
    protected void rnnReluCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] h,
                                   int hOffset, int ldh) {
        for (int bi = 0; bi < batch; bi++) {
            for (int j = 0; j < hidden; j++) {
                int g = bi * hidden + j;
                h[hOffset + bi * ldh + j] = relu(ig[igOffset + g] + hg[hgOffset + g]);
            }
        }
    }

    @Override
    protected void rnnTanhCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h, MatrixSlice dGates) {
        for (int bi = 0; bi < batch; bi++) {
            for (int j = 0; j < hidden; j++) {
                float hj = at(h, bi, j);
                dGates.array()[index(dGates, bi, j)] = at(dh, bi, j) * (1f - hj * hj);
            }
        }
    }

    @Override
    protected void rnnReluCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h, MatrixSlice dGates) {
        for (int bi = 0; bi < batch; bi++) {
            for (int j = 0; j < hidden; j++) {
                dGates.array()[index(dGates, bi, j)] = at(h, bi, j) > 0f ? at(dh, bi, j) : 0f;
            }
        }
    }

    /** The index of element (i, j) of a slice in its array. */
    private static int index(MatrixSlice s, int i, int j) {
        return s.offset() + i * s.ld() + j;
    }

    /** Element (i, j) of a slice. */
    private static float at(MatrixSlice s, int i, int j) {
        return s.array()[index(s, i, j)];
    }

    @Override
    protected void gruCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] hPrev,
                               int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh, float[] workspace,
                               int workspaceOffset) {
        int gates = 3 * hidden;
        for (int bi = 0; bi < batch; bi++) {
            int row = bi * gates;
            for (int j = 0; j < hidden; j++) {
                float r = sigmoid(ig[igOffset + row + j] + hg[hgOffset + row + j]);
                float z = sigmoid(ig[igOffset + row + hidden + j] + hg[hgOffset + row + hidden + j]);
                float hgN = hg[hgOffset + row + 2 * hidden + j];
                float nGate = tanh(ig[igOffset + row + 2 * hidden + j] + r * hgN);
                float hp = hPrev[hPrevOffset + bi * ldhPrev + j];
                h[hOffset + bi * ldh + j] = (hp - nGate) * z + nGate;
                if (workspace != null) {
                    int ws = workspaceOffset + bi * 4 * hidden + j;
                    workspace[ws] = r;
                    workspace[ws + hidden] = z;
                    workspace[ws + 2 * hidden] = nGate;
                    workspace[ws + 3 * hidden] = hgN;
                } else {
                    // Documented contract: without a workspace, ig's r | z columns receive the activated gates.
                    ig[igOffset + row + j] = r;
                    ig[igOffset + row + hidden + j] = z;
                }
            }
        }
    }

    @Override
    protected void gruCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice hPrev, MatrixSlice workspace,
                                       MatrixSlice dIg, MatrixSlice dHg, MatrixSlice dhPrev) {
        for (int bi = 0; bi < batch; bi++) {
            for (int j = 0; j < hidden; j++) {
                float r = at(workspace, bi, j);
                float z = at(workspace, bi, hidden + j);
                float nGate = at(workspace, bi, 2 * hidden + j);
                float hgN = at(workspace, bi, 3 * hidden + j);
                float g = at(dh, bi, j);
                float hp = at(hPrev, bi, j);

                float dnPre = g * (1f - z) * (1f - nGate * nGate);
                float drPre = dnPre * hgN * r * (1f - r);
                float dzPre = g * (hp - nGate) * z * (1f - z);

                dIg.array()[index(dIg, bi, j)] = drPre;
                dIg.array()[index(dIg, bi, hidden + j)] = dzPre;
                dIg.array()[index(dIg, bi, 2 * hidden + j)] = dnPre;
                dHg.array()[index(dHg, bi, j)] = drPre;
                dHg.array()[index(dHg, bi, hidden + j)] = dzPre;
                dHg.array()[index(dHg, bi, 2 * hidden + j)] = dnPre * r;
                dhPrev.array()[index(dhPrev, bi, j)] = g * z;
            }
        }
    }

    @Override
    protected void lstmCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                                float[] workspace, int workspaceOffset) {
        int gates = 4 * hidden;
        for (int bi = 0; bi < batch; bi++) {
            int row = bi * gates;
            for (int j = 0; j < hidden; j++) {
                float i = sigmoid(ig[igOffset + row + j] + hg[hgOffset + row + j]);
                float f = sigmoid(ig[igOffset + row + hidden + j] + hg[hgOffset + row + hidden + j]);
                float g = tanh(ig[igOffset + row + 2 * hidden + j] + hg[hgOffset + row + 2 * hidden + j]);
                float o = sigmoid(ig[igOffset + row + 3 * hidden + j] + hg[hgOffset + row + 3 * hidden + j]);
                float cNew = f * cPrev[cPrevOffset + bi * hidden + j] + i * g;
                c[cOffset + bi * hidden + j] = cNew;
                h[hOffset + bi * ldh + j] = o * tanh(cNew);
                float[] dst = workspace != null ? workspace : ig; // without a workspace ig is consumed
                int at = (workspace != null ? workspaceOffset : igOffset) + row + j;
                dst[at] = i;
                dst[at + hidden] = f;
                dst[at + 2 * hidden] = g;
                dst[at + 3 * hidden] = o;
            }
        }
    }

    @Override
    protected void lstmCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice dc, MatrixSlice cPrev,
                                        MatrixSlice c, MatrixSlice workspace, MatrixSlice dGates) {
        for (int bi = 0; bi < batch; bi++) {
            for (int j = 0; j < hidden; j++) {
                float i = at(workspace, bi, j);
                float f = at(workspace, bi, hidden + j);
                float g = at(workspace, bi, 2 * hidden + j);
                float o = at(workspace, bi, 3 * hidden + j);
                float t = tanh(at(c, bi, j));
                float gradH = at(dh, bi, j);
                float gradC = at(dc, bi, j) + gradH * o * (1f - t * t);

                dGates.array()[index(dGates, bi, j)] = gradC * g * i * (1f - i);
                dGates.array()[index(dGates, bi, hidden + j)] = gradC * at(cPrev, bi, j) * f * (1f - f);
                dGates.array()[index(dGates, bi, 2 * hidden + j)] = gradC * i * (1f - g * g);
                dGates.array()[index(dGates, bi, 3 * hidden + j)] = gradH * t * o * (1f - o);
                dc.array()[index(dc, bi, j)] = gradC * f;
            }
        }
    }

    @Override
    protected void recurrentSequenceImpl(CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                         float[] ig, int igOffset, PackedMatrix whh, float[] bhh, int bhhOffset,
                                         float[] h0, int h0Offset, float[] c, int cOffset, float[] h, int hOffset,
                                         int ldh, float[] hg, int hgOffset) {
        ScalarPackedMatrix.of(whh, "recurrentSequence", "whh"); // refused before anything is written
        int gh = cell.gates() * hidden;
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            float[] hPrev = s == 0 ? h0 : h;
            int hPrevOffset = s == 0 ? h0Offset : hOffset + (reverse ? t + 1 : t - 1) * batch * ldh;
            int ldhPrev = s == 0 ? hidden : ldh;
            int igRow = igOffset + t * batch * gh;
            int hRow = hOffset + t * batch * ldh;
            float beta = 0f;
            if (bhh != null) {
                broadcastRowsImpl(batch, gh, bhh, bhhOffset, hg, hgOffset, gh);
                beta = 1f;
            }
            sgemmPackedImpl(false, batch, 1f, hPrev, hPrevOffset, ldhPrev, whh, beta, hg, hgOffset, gh);
            switch (cell) {
                case RNN_TANH -> rnnTanhCellImpl(batch, hidden, ig, igRow, hg, hgOffset, h, hRow, ldh);
                case RNN_RELU -> rnnReluCellImpl(batch, hidden, ig, igRow, hg, hgOffset, h, hRow, ldh);
                case GRU -> gruCellImpl(batch, hidden, ig, igRow, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hRow,
                        ldh, null, 0);
                case LSTM -> lstmCellImpl(batch, hidden, ig, igRow, hg, hgOffset, c, cOffset, c, cOffset, h, hRow,
                        ldh, null, 0);
            }
        }
    }

    @Override
    protected void recurrentLayerImpl(CellKind cell, boolean reverse, int steps, int batch, int hidden, int inputSize,
                                      float[] x, int xOffset, PackedMatrix wih, float[] bih, int bihOffset,
                                      PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset,
                                      float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] workspace,
                                      int workspaceOffset, float[] cells, int cellsOffset, int chunkSteps, float[] work,
                                      int workOffset) {
        ScalarPackedMatrix.of(wih, "recurrentLayer", "wih"); // refused before anything is written
        ScalarPackedMatrix.of(whh, "recurrentLayer", "whh");
        LayerLoops.runByRun(this, cell, reverse, steps, batch, hidden, inputSize, x, xOffset, wih, bih, bihOffset, whh,
                bhh, bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh, workspace, workspaceOffset, cells,
                cellsOffset, chunkSteps, work, workOffset);
    }

    @Override
    protected void recurrentLayerBackwardImpl(CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                              float[] dh, int dhOffset, float[] h, int hOffset, int ldh, float[] h0,
                                              int h0Offset, float[] workspace, int workspaceOffset, float[] cells,
                                              int cellsOffset, float[] c0, int c0Offset, float[] dc, int dcOffset,
                                              PackedMatrix whh, float[] dIg, int dIgOffset, float[] dHg,
                                              int dHgOffset, float[] dh0, int dh0Offset, float[] scratch,
                                              int scratchOffset) {
        ScalarPackedMatrix.of(whh, "recurrentLayerBackward", "whh"); // refused before anything is written
        LayerLoops.backwardRows(this, false, cell, reverse, steps, batch, hidden, 0, batch, dh, dhOffset, h, hOffset,
                ldh, h0, h0Offset, workspace, workspaceOffset, cells, cellsOffset, c0, c0Offset, dc, dcOffset, whh, dIg,
                dIgOffset, dHg, dHgOffset, dh0, dh0Offset, scratch, scratchOffset);
    }

    // ---------------------------------------------------------------- softmax family

    private static float rowMax(int cols, float[] x, int rowStart) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[rowStart + j]);
        }
        return max;
    }

    /** sum_j exp(x_j - max), in double. */
    private static double rowShiftedExpSum(int cols, float[] x, int rowStart, float max) {
        double sum = 0.0;
        for (int j = 0; j < cols; j++) {
            sum += Math.exp((double) x[rowStart + j] - max);
        }
        return sum;
    }

    @Override
    protected void logSumExpImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] out, int outOffset) {
        for (int i = 0; i < rows; i++) {
            int start = xOffset + i * ldx;
            float max = rowMax(cols, x, start);
            // All -Inf (or empty), any +Inf, or NaN: the result is the maximum itself, as torch.logsumexp.
            boolean special = Float.isInfinite(max) || Float.isNaN(max);
            out[outOffset + i] = special ? max : (float) (max + Math.log(rowShiftedExpSum(cols, x, start, max)));
        }
    }

    @Override
    protected void softmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        for (int i = 0; i < rows; i++) {
            int start = xOffset + i * ldx;
            float max = rowMax(cols, x, start);
            double sum = rowShiftedExpSum(cols, x, start, max);
            for (int j = 0; j < cols; j++) {
                y[yOffset + i * ldy + j] = (float) (Math.exp((double) x[start + j] - max) / sum);
            }
        }
    }

    @Override
    protected void logSoftmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset,
                                  int ldy) {
        for (int i = 0; i < rows; i++) {
            int start = xOffset + i * ldx;
            float max = rowMax(cols, x, start);
            double logSum = Math.log(rowShiftedExpSum(cols, x, start, max));
            for (int j = 0; j < cols; j++) {
                y[yOffset + i * ldy + j] = (float) (((double) x[start + j] - max) - logSum);
            }
        }
    }

    @Override
    protected void logSoftmaxBackwardImpl(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y,
                                          int yOffset, int ldy, float[] dx, int dxOffset, int lddx) {
        for (int i = 0; i < rows; i++) {
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += dy[dyOffset + i * lddy + j];
            }
            for (int j = 0; j < cols; j++) {
                float softmax = (float) Math.exp(y[yOffset + i * ldy + j]);
                dx[dxOffset + i * lddx + j] = dy[dyOffset + i * lddy + j] - softmax * sum;
            }
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    protected void sgdStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
                               float[] momentumBuffer, int momentumOffset, float lr, float momentum, float dampening,
                               float weightDecay, boolean nesterov, boolean firstStep) {
        for (int i = 0; i < n; i++) {
            float p = param[paramOffset + i];
            float d = grad[gradOffset + i];
            if (weightDecay != 0f) {
                d = d + weightDecay * p;
            }
            if (momentum != 0f) {
                int b = momentumOffset + i;
                float buf = firstStep ? d : momentum * momentumBuffer[b] + (1f - dampening) * d;
                momentumBuffer[b] = buf;
                d = nesterov ? d + momentum * buf : buf;
            }
            param[paramOffset + i] = p - lr * d;
        }
    }

    @Override
    protected void adamStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] expAvg,
                                int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
                                int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale,
                                float gradDecay, float stepSize, float biasCorrection2Sqrt) {
        for (int i = 0; i < n; i++) {
            float p = paramScale * param[paramOffset + i];
            float g = grad[gradOffset + i] + gradDecay * p;
            float m = beta1 * expAvg[expAvgOffset + i] + (1f - beta1) * g;
            float v = beta2 * expAvgSq[expAvgSqOffset + i] + (1f - beta2) * g * g;
            expAvg[expAvgOffset + i] = m;
            expAvgSq[expAvgSqOffset + i] = v;
            if (maxExpAvgSq != null) {
                v = Math.max(maxExpAvgSq[maxExpAvgSqOffset + i], v);
                maxExpAvgSq[maxExpAvgSqOffset + i] = v;
            }
            float denom = (float) Math.sqrt(v) / biasCorrection2Sqrt + eps;
            param[paramOffset + i] = p - stepSize * m / denom;
        }
    }
}
