package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.matrix;
import static io.github.jrnn.kernels.ArgumentChecks.optionalMatrix;
import static io.github.jrnn.kernels.ArgumentChecks.size;
import static io.github.jrnn.kernels.ArgumentChecks.vector;

/**
 * The front door of the kernels: checks every argument of every call once (sizes non-negative, arrays present
 * and long enough for their shape, offset and leading dimension) and then delegates to the unchecked
 * implementation. Failures are {@link IllegalArgumentException}s naming the kernel and the argument.
 */
final class CheckedKernels implements Kernels {

    private final Kernels delegate;

    CheckedKernels(Kernels delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                      int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        size("sgemm", "m", m);
        size("sgemm", "n", n);
        size("sgemm", "k", k);
        if (alpha != 0f) {
            matrix("sgemm", transA ? "a (stored k x m, transA)" : "a (m x k)", a, aOffset,
                    transA ? k : m, transA ? m : k, lda);
            matrix("sgemm", transB ? "b (stored n x k, transB)" : "b (k x n)", b, bOffset,
                    transB ? n : k, transB ? k : n, ldb);
        }
        matrix("sgemm", "c (m x n)", c, cOffset, m, n, ldc);
        delegate.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                      int xOffset, float beta, float[] y, int yOffset) {
        size("sgemv", "m", m);
        size("sgemv", "n", n);
        if (alpha != 0f) {
            matrix("sgemv", "a (m x n)", a, aOffset, m, n, lda);
            vector("sgemv", "x", x, xOffset, transA ? m : n);
        }
        vector("sgemv", "y", y, yOffset, transA ? n : m);
        delegate.sgemv(transA, m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
    }

    @Override
    public PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        size("packB", "k", k);
        size("packB", "n", n);
        matrix("packB", transB ? "b (stored n x k, transB)" : "b (k x n)", b, bOffset, transB ? n : k,
                transB ? k : n, ldb);
        return delegate.packB(transB, k, n, b, bOffset, ldb);
    }

    @Override
    public PackedMatrix repackB(PackedMatrix reuse, boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        size("repackB", "k", k);
        size("repackB", "n", n);
        matrix("repackB", transB ? "b (stored n x k, transB)" : "b (k x n)", b, bOffset, transB ? n : k,
                transB ? k : n, ldb);
        return delegate.repackB(reuse, transB, k, n, b, bOffset, ldb);
    }

    @Override
    public void sgemmPacked(boolean transA, int m, float alpha, float[] a, int aOffset, int lda, PackedMatrix b,
                            float beta, float[] c, int cOffset, int ldc) {
        size("sgemmPacked", "m", m);
        if (b == null) {
            throw new IllegalArgumentException("sgemmPacked: b must not be null (make it with packB)");
        }
        int k = b.rows();
        int n = b.cols();
        if (alpha != 0f) {
            // constant names: the checks run on every call and must not build strings
            matrix("sgemmPacked", transA ? "a (stored k x m, transA, k = b.rows())" : "a (m x k, k = b.rows())", a,
                    aOffset, transA ? k : m, transA ? m : k, lda);
        }
        matrix("sgemmPacked", "c (m x n, n = b.cols())", c, cOffset, m, n, ldc);
        delegate.sgemmPacked(transA, m, alpha, a, aOffset, lda, b, beta, c, cOffset, ldc);
    }

    @Override
    public float dot(int n, float[] x, int xOffset, float[] y, int yOffset) {
        size("dot", "n", n);
        vector("dot", "x", x, xOffset, n);
        vector("dot", "y", y, yOffset, n);
        return delegate.dot(n, x, xOffset, y, yOffset);
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        size("axpy", "n", n);
        vector("axpy", "x", x, xOffset, n);
        vector("axpy", "y", y, yOffset, n);
        delegate.axpy(n, alpha, x, xOffset, y, yOffset);
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOffset) {
        size("scale", "n", n);
        vector("scale", "x", x, xOffset, n);
        delegate.scale(n, alpha, x, xOffset);
    }

    @Override
    public void fill(int n, float value, float[] x, int xOffset) {
        size("fill", "n", n);
        vector("fill", "x", x, xOffset, n);
        delegate.fill(n, value, x, xOffset);
    }

    @Override
    public void add(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        binary("add", n, a, aOffset, b, bOffset, out, outOffset);
        delegate.add(n, a, aOffset, b, bOffset, out, outOffset);
    }

    @Override
    public void clamp(int n, float lo, float hi, float[] x, int xOffset) {
        size("clamp", "n", n);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: lo must be <= hi, got lo = " + lo + ", hi = " + hi);
        }
        vector("clamp", "x", x, xOffset, n);
        delegate.clamp(n, lo, hi, x, xOffset);
    }

    @Override
    public float maxAbs(int n, float[] x, int xOffset) {
        size("maxAbs", "n", n);
        vector("maxAbs", "x", x, xOffset, n);
        return delegate.maxAbs(n, x, xOffset);
    }

    @Override
    public void mul(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        binary("mul", n, a, aOffset, b, bOffset, out, outOffset);
        delegate.mul(n, a, aOffset, b, bOffset, out, outOffset);
    }

    private static void binary(String kernel, int n, float[] a, int aOffset, float[] b, int bOffset, float[] out,
                               int outOffset) {
        size(kernel, "n", n);
        vector(kernel, "a", a, aOffset, n);
        vector(kernel, "b", b, bOffset, n);
        vector(kernel, "out", out, outOffset, n);
    }

    @Override
    public void broadcastRows(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset, int ldc) {
        size("broadcastRows", "rows", rows);
        size("broadcastRows", "cols", cols);
        vector("broadcastRows", "row", row, rowOffset, cols);
        matrix("broadcastRows", "c", c, cOffset, rows, cols, ldc);
        delegate.broadcastRows(rows, cols, row, rowOffset, c, cOffset, ldc);
    }

    @Override
    public void sumRows(int rows, int cols, float[] a, int aOffset, int lda, float[] out, int outOffset) {
        size("sumRows", "rows", rows);
        size("sumRows", "cols", cols);
        matrix("sumRows", "a", a, aOffset, rows, cols, lda);
        vector("sumRows", "out", out, outOffset, cols);
        delegate.sumRows(rows, cols, a, aOffset, lda, out, outOffset);
    }

    private static void unary(String kernel, int n, float[] x, int xOffset, float[] y, int yOffset) {
        size(kernel, "n", n);
        vector(kernel, "x", x, xOffset, n);
        vector(kernel, "y", y, yOffset, n);
    }

    @Override
    public void tanh(int n, float[] x, int xOffset, float[] y, int yOffset) {
        unary("tanh", n, x, xOffset, y, yOffset);
        delegate.tanh(n, x, xOffset, y, yOffset);
    }

    @Override
    public void sigmoid(int n, float[] x, int xOffset, float[] y, int yOffset) {
        unary("sigmoid", n, x, xOffset, y, yOffset);
        delegate.sigmoid(n, x, xOffset, y, yOffset);
    }

    @Override
    public void relu(int n, float[] x, int xOffset, float[] y, int yOffset) {
        unary("relu", n, x, xOffset, y, yOffset);
        delegate.relu(n, x, xOffset, y, yOffset);
    }

    @Override
    public void exp(int n, float[] x, int xOffset, float[] y, int yOffset) {
        unary("exp", n, x, xOffset, y, yOffset);
        delegate.exp(n, x, xOffset, y, yOffset);
    }

    private static void activationBackward(String kernel, int n, float[] dy, int dyOffset, float[] y, int yOffset,
                                           float[] dx, int dxOffset) {
        size(kernel, "n", n);
        vector(kernel, "dy", dy, dyOffset, n);
        vector(kernel, "y", y, yOffset, n);
        vector(kernel, "dx", dx, dxOffset, n);
    }

    @Override
    public void tanhBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        activationBackward("tanhBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        delegate.tanhBackward(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    @Override
    public void sigmoidBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        activationBackward("sigmoidBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        delegate.sigmoidBackward(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    @Override
    public void reluBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        activationBackward("reluBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        delegate.reluBackward(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    private static void cellSizes(String kernel, int batch, int hidden) {
        size(kernel, "batch", batch);
        size(kernel, "hidden", hidden);
    }

    private static void rnnCell(String kernel, int batch, int hidden, float[] ig, int igOffset, float[] hg,
                                int hgOffset, float[] h, int hOffset, int ldh) {
        cellSizes(kernel, batch, hidden);
        matrix(kernel, "ig (batch x hidden)", ig, igOffset, batch, hidden, hidden);
        matrix(kernel, "hg (batch x hidden)", hg, hgOffset, batch, hidden, hidden);
        matrix(kernel, "h (batch x hidden)", h, hOffset, batch, hidden, ldh);
    }

    @Override
    public void rnnTanhCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] h,
                            int hOffset, int ldh) {
        rnnCell("rnnTanhCell", batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
        delegate.rnnTanhCell(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    @Override
    public void rnnReluCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] h,
                            int hOffset, int ldh) {
        rnnCell("rnnReluCell", batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
        delegate.rnnReluCell(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    private static void rnnCellBackward(String kernel, int batch, int hidden, float[] dh, int dhOffset, int lddh,
                                        float[] h, int hOffset, int ldh, float[] dGates, int dGatesOffset) {
        cellSizes(kernel, batch, hidden);
        matrix(kernel, "dh (batch x hidden)", dh, dhOffset, batch, hidden, lddh);
        matrix(kernel, "h (batch x hidden)", h, hOffset, batch, hidden, ldh);
        matrix(kernel, "dGates (batch x hidden)", dGates, dGatesOffset, batch, hidden, hidden);
    }

    @Override
    public void rnnTanhCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] h,
                                    int hOffset, int ldh, float[] dGates, int dGatesOffset) {
        rnnCellBackward("rnnTanhCellBackward", batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh, dGates,
                dGatesOffset);
        delegate.rnnTanhCellBackward(batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh, dGates, dGatesOffset);
    }

    @Override
    public void rnnReluCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] h,
                                    int hOffset, int ldh, float[] dGates, int dGatesOffset) {
        rnnCellBackward("rnnReluCellBackward", batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh, dGates,
                dGatesOffset);
        delegate.rnnReluCellBackward(batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh, dGates, dGatesOffset);
    }

    @Override
    public void gruCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] hPrev,
                        int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh, float[] workspace,
                        int workspaceOffset) {
        String k = "gruCell";
        cellSizes(k, batch, hidden);
        int g3 = ArgumentChecks.gateWidth(k, hidden, 3);
        int g4 = ArgumentChecks.gateWidth(k, hidden, 4);
        matrix(k, "ig (batch x 3*hidden)", ig, igOffset, batch, g3, g3);
        matrix(k, "hg (batch x 3*hidden)", hg, hgOffset, batch, g3, g3);
        matrix(k, "hPrev (batch x hidden)", hPrev, hPrevOffset, batch, hidden, ldhPrev);
        matrix(k, "h (batch x hidden)", h, hOffset, batch, hidden, ldh);
        optionalMatrix(k, "workspace (batch x 4*hidden)", workspace, workspaceOffset, batch, g4, g4);
        delegate.gruCell(batch, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hOffset, ldh,
                workspace, workspaceOffset);
    }

    @Override
    public void gruCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] hPrev,
                                int hPrevOffset, int ldhPrev, float[] workspace, int workspaceOffset, float[] dIg,
                                int dIgOffset, float[] dHg, int dHgOffset, float[] dhPrev, int dhPrevOffset,
                                int lddhPrev) {
        String k = "gruCellBackward";
        cellSizes(k, batch, hidden);
        int g3 = ArgumentChecks.gateWidth(k, hidden, 3);
        int g4 = ArgumentChecks.gateWidth(k, hidden, 4);
        matrix(k, "dh (batch x hidden)", dh, dhOffset, batch, hidden, lddh);
        matrix(k, "hPrev (batch x hidden)", hPrev, hPrevOffset, batch, hidden, ldhPrev);
        matrix(k, "workspace (batch x 4*hidden)", workspace, workspaceOffset, batch, g4, g4);
        matrix(k, "dIg (batch x 3*hidden)", dIg, dIgOffset, batch, g3, g3);
        matrix(k, "dHg (batch x 3*hidden)", dHg, dHgOffset, batch, g3, g3);
        matrix(k, "dhPrev (batch x hidden)", dhPrev, dhPrevOffset, batch, hidden, lddhPrev);
        delegate.gruCellBackward(batch, hidden, dh, dhOffset, lddh, hPrev, hPrevOffset, ldhPrev, workspace,
                workspaceOffset, dIg, dIgOffset, dHg, dHgOffset, dhPrev, dhPrevOffset, lddhPrev);
    }

    @Override
    public void lstmCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] cPrev,
                         int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] workspace,
                         int workspaceOffset) {
        String k = "lstmCell";
        cellSizes(k, batch, hidden);
        int g4 = ArgumentChecks.gateWidth(k, hidden, 4);
        matrix(k, "ig (batch x 4*hidden)", ig, igOffset, batch, g4, g4);
        matrix(k, "hg (batch x 4*hidden)", hg, hgOffset, batch, g4, g4);
        matrix(k, "cPrev (batch x hidden)", cPrev, cPrevOffset, batch, hidden, hidden);
        matrix(k, "c (batch x hidden)", c, cOffset, batch, hidden, hidden);
        matrix(k, "h (batch x hidden)", h, hOffset, batch, hidden, ldh);
        optionalMatrix(k, "workspace (batch x 4*hidden)", workspace, workspaceOffset, batch, g4, g4);
        delegate.lstmCell(batch, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset, h, hOffset, ldh,
                workspace, workspaceOffset);
    }

    @Override
    public void lstmCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] dc, int dcOffset,
                                 float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] workspace,
                                 int workspaceOffset, float[] dGates, int dGatesOffset) {
        String k = "lstmCellBackward";
        cellSizes(k, batch, hidden);
        int g4 = ArgumentChecks.gateWidth(k, hidden, 4);
        matrix(k, "dh (batch x hidden)", dh, dhOffset, batch, hidden, lddh);
        matrix(k, "dc (batch x hidden)", dc, dcOffset, batch, hidden, hidden);
        matrix(k, "cPrev (batch x hidden)", cPrev, cPrevOffset, batch, hidden, hidden);
        matrix(k, "c (batch x hidden)", c, cOffset, batch, hidden, hidden);
        matrix(k, "workspace (batch x 4*hidden)", workspace, workspaceOffset, batch, g4, g4);
        matrix(k, "dGates (batch x 4*hidden)", dGates, dGatesOffset, batch, g4, g4);
        delegate.lstmCellBackward(batch, hidden, dh, dhOffset, lddh, dc, dcOffset, cPrev, cPrevOffset, c, cOffset,
                workspace, workspaceOffset, dGates, dGatesOffset);
    }

    @Override
    public void logSumExp(int rows, int cols, float[] x, int xOffset, int ldx, float[] out, int outOffset) {
        size("logSumExp", "rows", rows);
        size("logSumExp", "cols", cols);
        matrix("logSumExp", "x", x, xOffset, rows, cols, ldx);
        vector("logSumExp", "out", out, outOffset, rows);
        delegate.logSumExp(rows, cols, x, xOffset, ldx, out, outOffset);
    }

    private static void rowwise(String kernel, int rows, int cols, float[] x, int xOffset, int ldx, float[] y,
                                int yOffset, int ldy) {
        size(kernel, "rows", rows);
        size(kernel, "cols", cols);
        matrix(kernel, "x", x, xOffset, rows, cols, ldx);
        matrix(kernel, "y", y, yOffset, rows, cols, ldy);
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        rowwise("softmax", rows, cols, x, xOffset, ldx, y, yOffset, ldy);
        delegate.softmax(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }

    @Override
    public void logSoftmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        rowwise("logSoftmax", rows, cols, x, xOffset, ldx, y, yOffset, ldy);
        delegate.logSoftmax(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }

    @Override
    public void logSoftmaxBackward(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y, int yOffset,
                                   int ldy, float[] dx, int dxOffset, int lddx) {
        String k = "logSoftmaxBackward";
        size(k, "rows", rows);
        size(k, "cols", cols);
        matrix(k, "dy", dy, dyOffset, rows, cols, lddy);
        matrix(k, "y", y, yOffset, rows, cols, ldy);
        matrix(k, "dx", dx, dxOffset, rows, cols, lddx);
        delegate.logSoftmaxBackward(rows, cols, dy, dyOffset, lddy, y, yOffset, ldy, dx, dxOffset, lddx);
    }

    @Override
    public void sgdStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] momentumBuffer,
                        int momentumOffset, float lr, float momentum, float dampening, float weightDecay,
                        boolean nesterov, boolean firstStep) {
        String k = "sgdStep";
        size(k, "n", n);
        vector(k, "param", param, paramOffset, n);
        vector(k, "grad", grad, gradOffset, n);
        if (momentum != 0f) {
            vector(k, "momentumBuffer (needed when momentum != 0)", momentumBuffer, momentumOffset, n);
        }
        delegate.sgdStep(n, param, paramOffset, grad, gradOffset, momentumBuffer, momentumOffset, lr, momentum,
                dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void adamStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] expAvg,
                         int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
                         int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale,
                         float gradDecay, float stepSize, float biasCorrection2Sqrt) {
        String k = "adamStep";
        size(k, "n", n);
        vector(k, "param", param, paramOffset, n);
        vector(k, "grad", grad, gradOffset, n);
        vector(k, "expAvg", expAvg, expAvgOffset, n);
        vector(k, "expAvgSq", expAvgSq, expAvgSqOffset, n);
        if (maxExpAvgSq != null) {
            vector(k, "maxExpAvgSq", maxExpAvgSq, maxExpAvgSqOffset, n);
        }
        delegate.adamStep(n, param, paramOffset, grad, gradOffset, expAvg, expAvgOffset, expAvgSq, expAvgSqOffset,
                maxExpAvgSq, maxExpAvgSqOffset, beta1, beta2, eps, paramScale, gradDecay, stepSize,
                biasCorrection2Sqrt);
    }
}
