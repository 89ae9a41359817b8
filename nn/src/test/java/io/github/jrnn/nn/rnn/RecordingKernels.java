package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.BinaryOp;
import io.github.jrnn.kernels.CellKind;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.MatrixSlice;
import io.github.jrnn.kernels.PackedMatrix;
import io.github.jrnn.kernels.UnaryOp;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kernels that count the kernel calls made through either twin (checked or unchecked) and compute them with the
 * unchecked scalar reference, for tests that look at what a module calls: "checks first" tests (no kernel ran
 * before an argument was rejected) and "inference saves nothing" tests (no gate kernel got a workspace).
 */
final class RecordingKernels extends Kernels {

    /** Shared by the twins. */
    private record Counts(AtomicInteger calls, AtomicInteger gateCallsWithWorkspace) {
    }

    private final Counts counts;
    private final Kernels target = KernelProvider.checkedScalar().unchecked();

    /** The checked instance; its {@link #unchecked()} twin records into the same counts. */
    RecordingKernels() {
        Counts shared = new Counts(new AtomicInteger(), new AtomicInteger());
        this.counts = shared;
        super(checked -> new RecordingKernels(checked, shared));
    }

    private RecordingKernels(Kernels checkedTwin, Counts shared) {
        this.counts = shared;
        super(checkedTwin);
    }

    /** Kernel calls so far, through either twin. */
    int calls() {
        return counts.calls().get();
    }

    /** gruCell / lstmCell calls so far that were given a workspace (what only a recorded pass needs). */
    int gateCallsWithWorkspace() {
        return counts.gateCallsWithWorkspace().get();
    }

    private void record(String kernel, boolean withWorkspace) {
        counts.calls().incrementAndGet();
        if (withWorkspace && (kernel.equals("gruCell") || kernel.equals("lstmCell"))) {
            counts.gateCallsWithWorkspace().incrementAndGet();
        }
    }

    @Override
    public String name() {
        return "recording scalar";
    }

    @Override
    protected void sgemmImpl(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                             int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        record("sgemm", false);
        target.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    protected void sgemvImpl(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                             int xOffset, float beta, float[] y, int yOffset) {
        record("sgemv", false);
        target.sgemv(transA, m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
    }

    @Override
    protected PackedMatrix packBImpl(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        record("packB", false);
        return target.packB(transB, k, n, b, bOffset, ldb);
    }

    @Override
    protected PackedMatrix repackBImpl(PackedMatrix reuse, boolean transB, int k, int n, float[] b, int bOffset,
                                       int ldb) {
        record("repackB", false);
        return target.repackB(reuse, transB, k, n, b, bOffset, ldb);
    }

    @Override
    protected void sgemmPackedImpl(boolean transA, int m, float alpha, float[] a, int aOffset, int lda, PackedMatrix b,
                                   float beta, float[] c, int cOffset, int ldc) {
        record("sgemmPacked", false);
        target.sgemmPacked(transA, m, alpha, a, aOffset, lda, b, beta, c, cOffset, ldc);
    }

    @Override
    protected float dotImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        record("dot", false);
        return target.dot(n, x, xOffset, y, yOffset);
    }

    @Override
    protected void axpyImpl(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        record("axpy", false);
        target.axpy(n, alpha, x, xOffset, y, yOffset);
    }

    @Override
    protected void scaleImpl(int n, float alpha, float[] x, int xOffset) {
        record("scale", false);
        target.scale(n, alpha, x, xOffset);
    }

    @Override
    protected void fillImpl(int n, float value, float[] x, int xOffset) {
        record("fill", false);
        target.fill(n, value, x, xOffset);
    }

    @Override
    protected void addImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        record("add", false);
        target.add(n, a, aOffset, b, bOffset, out, outOffset);
    }

    @Override
    protected void clampImpl(int n, float lo, float hi, float[] x, int xOffset) {
        record("clamp", false);
        target.clamp(n, lo, hi, x, xOffset);
    }

    @Override
    protected float maxAbsImpl(int n, float[] x, int xOffset) {
        record("maxAbs", false);
        return target.maxAbs(n, x, xOffset);
    }

    @Override
    protected void mulImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        record("mul", false);
        target.mul(n, a, aOffset, b, bOffset, out, outOffset);
    }

    @Override
    protected void broadcastRowsImpl(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset, int ldc) {
        record("broadcastRows", false);
        target.broadcastRows(rows, cols, row, rowOffset, c, cOffset, ldc);
    }

    @Override
    protected void sumRowsImpl(int rows, int cols, float[] a, int aOffset, int lda, float[] out, int outOffset) {
        record("sumRows", false);
        target.sumRows(rows, cols, a, aOffset, lda, out, outOffset);
    }

    @Override
    protected void tanhImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        record("tanh", false);
        target.tanh(n, x, xOffset, y, yOffset);
    }

    @Override
    protected void sigmoidImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        record("sigmoid", false);
        target.sigmoid(n, x, xOffset, y, yOffset);
    }

    @Override
    protected void reluImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        record("relu", false);
        target.relu(n, x, xOffset, y, yOffset);
    }

    @Override
    protected void expImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        record("exp", false);
        target.exp(n, x, xOffset, y, yOffset);
    }

    @Override
    protected void tanhBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        record("tanhBackward", false);
        target.tanhBackward(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    @Override
    protected void sigmoidBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
                                       int dxOffset) {
        record("sigmoidBackward", false);
        target.sigmoidBackward(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    @Override
    protected void reluBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        record("reluBackward", false);
        target.reluBackward(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    @Override
    protected void rnnTanhCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] h,
                                   int hOffset, int ldh) {
        record("rnnTanhCell", false);
        target.rnnTanhCell(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    @Override
    protected void rnnReluCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] h,
                                   int hOffset, int ldh) {
        record("rnnReluCell", false);
        target.rnnReluCell(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    @Override
    protected void rnnTanhCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h, MatrixSlice dGates) {
        record("rnnTanhCellBackward", false);
        target.rnnTanhCellBackward(batch, hidden, dh, h, dGates);
    }

    @Override
    protected void rnnReluCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h, MatrixSlice dGates) {
        record("rnnReluCellBackward", false);
        target.rnnReluCellBackward(batch, hidden, dh, h, dGates);
    }

    @Override
    protected void gruCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] hPrev,
                               int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh, float[] workspace,
                               int workspaceOffset) {
        record("gruCell", workspace != null);
        target.gruCell(batch, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hOffset, ldh,
                workspace, workspaceOffset);
    }

    @Override
    protected void gruCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice hPrev, MatrixSlice workspace,
                                       MatrixSlice dIg, MatrixSlice dHg, MatrixSlice dhPrev) {
        record("gruCellBackward", true);
        target.gruCellBackward(batch, hidden, dh, hPrev, workspace, dIg, dHg, dhPrev);
    }

    @Override
    protected void lstmCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                                float[] workspace, int workspaceOffset) {
        record("lstmCell", workspace != null);
        target.lstmCell(batch, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset, h, hOffset, ldh,
                workspace, workspaceOffset);
    }

    @Override
    protected void recurrentSequenceImpl(CellKind cell, boolean reverse, int steps, int hidden, float[] ig,
                                         int igOffset, PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0,
                                         int h0Offset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                                         float[] hg, int hgOffset) {
        record("recurrentSequence", false); // an inference kernel: it has no workspace to pass
        target.recurrentSequence(cell, reverse, steps, hidden, ig, igOffset, whh, bhh, bhhOffset, h0, h0Offset, c,
                cOffset, h, hOffset, ldh, hg, hgOffset);
    }

    @Override
    protected void lstmCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice dc, MatrixSlice cPrev,
                                        MatrixSlice c, MatrixSlice workspace, MatrixSlice dGates) {
        record("lstmCellBackward", true);
        target.lstmCellBackward(batch, hidden, dh, dc, cPrev, c, workspace, dGates);
    }

    @Override
    protected void logSumExpImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] out, int outOffset) {
        record("logSumExp", false);
        target.logSumExp(rows, cols, x, xOffset, ldx, out, outOffset);
    }

    @Override
    protected void softmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        record("softmax", false);
        target.softmax(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }

    @Override
    protected void logSoftmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset,
                                  int ldy) {
        record("logSoftmax", false);
        target.logSoftmax(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }

    @Override
    protected void logSoftmaxBackwardImpl(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y,
                                          int yOffset, int ldy, float[] dx, int dxOffset, int lddx) {
        record("logSoftmaxBackward", false);
        target.logSoftmaxBackward(rows, cols, dy, dyOffset, lddy, y, yOffset, ldy, dx, dxOffset, lddx);
    }

    @Override
    protected void sgdStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
                               float[] momentumBuffer, int momentumOffset, float lr, float momentum, float dampening,
                               float weightDecay, boolean nesterov, boolean firstStep) {
        record("sgdStep", false);
        target.sgdStep(n, param, paramOffset, grad, gradOffset, momentumBuffer, momentumOffset, lr, momentum, dampening,
                weightDecay, nesterov, firstStep);
    }

    @Override
    protected void adamStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] expAvg,
                                int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
                                int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale,
                                float gradDecay, float stepSize, float biasCorrection2Sqrt) {
        record("adamStep", false);
        target.adamStep(n, param, paramOffset, grad, gradOffset, expAvg, expAvgOffset, expAvgSq, expAvgSqOffset,
                maxExpAvgSq, maxExpAvgSqOffset, beta1, beta2, eps, paramScale, gradDecay, stepSize,
                biasCorrection2Sqrt);
    }

    @Override
    protected void copyStridedImpl(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                   int dstOffset, int[] dstStrides) {
        record("copyStrided", false);
        target.copyStrided(sizes, src, srcOffset, srcStrides, dst, dstOffset, dstStrides);
    }

    @Override
    protected void addStridedImpl(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                  int dstOffset, int[] dstStrides) {
        record("addStrided", false);
        target.addStrided(sizes, src, srcOffset, srcStrides, dst, dstOffset, dstStrides);
    }

    @Override
    protected void gatherImpl(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
                              int srcDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                              int dstOffset, int[] dstStrides) {
        record("gather", false);
        target.gather(sizes, dim, index, indexOffset, indexStrides, srcDimSize, src, srcOffset, srcStrides, dst,
                dstOffset, dstStrides);
    }

    @Override
    protected void scatterAddImpl(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
                                  int dstDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                  int dstOffset, int[] dstStrides) {
        record("scatterAdd", false);
        target.scatterAdd(sizes, dim, index, indexOffset, indexStrides, dstDimSize, src, srcOffset, srcStrides, dst,
                dstOffset, dstStrides);
    }

    @Override
    protected boolean allCloseImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float rtol, float atol) {
        record("allClose", false);
        return target.allClose(n, a, aOffset, b, bOffset, rtol, atol);
    }

    @Override
    protected void arangeImpl(int n, double start, double step, float[] x, int xOffset) {
        record("arange", false);
        target.arange(n, start, step, x, xOffset);
    }

    @Override
    protected void broadcastBinaryImpl(BinaryOp op, int rows, int cols, float[] a, int[] aRows, int aStride,
            float[] b, int[] bRows, int bStride, float[] out, int outOffset) {
        record("broadcastBinary", false);
        target.broadcastBinary(op, rows, cols, a, aRows, aStride, b, bRows, bStride, out, outOffset);
    }

    @Override
    protected void broadcastWhereImpl(int rows, int cols, float[] cond, int[] cRows, int cStride, float[] a,
            int[] aRows, int aStride, float[] b, int[] bRows, int bStride, float[] out, int outOffset) {
        record("broadcastWhere", false);
        target.broadcastWhere(rows, cols, cond, cRows, cStride, a, aRows, aStride, b, bRows, bStride, out, outOffset);
    }

    @Override
    protected void unaryImpl(UnaryOp op, int n, float[] x, int xOffset, float[] y, int yOffset) {
        record("unary", false);
        target.unary(op, n, x, xOffset, y, yOffset);
    }

    @Override
    protected void powScalarImpl(int n, float p, float[] x, int xOffset, float[] y, int yOffset) {
        record("powScalar", false);
        target.powScalar(n, p, x, xOffset, y, yOffset);
    }

    @Override
    protected void sumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out, int outOffset) {
        record("sumAlong", false);
        target.sumAlong(outer, size, inner, x, xOffset, out, outOffset);
    }

    @Override
    protected void maxAlongImpl(boolean largest, int outer, int size, int inner, float[] x, int xOffset,
            float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        record("maxAlong", false);
        target.maxAlong(largest, outer, size, inner, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    @Override
    protected void topkAlongImpl(boolean largest, int outer, int size, int inner, int k, float[] x, int xOffset,
            float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        record("topkAlong", false);
        target.topkAlong(largest, outer, size, inner, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    @Override
    protected void scatterAddAlongImpl(int outer, int k, int size, int inner, float[] src, int srcOffset, int[] index,
            int indexOffset, float[] out, int outOffset) {
        record("scatterAddAlong", false);
        target.scatterAddAlong(outer, k, size, inner, src, srcOffset, index, indexOffset, out, outOffset);
    }

    @Override
    protected void logSumExpAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out,
            int outOffset) {
        record("logSumExpAlong", false);
        target.logSumExpAlong(outer, size, inner, x, xOffset, out, outOffset);
    }

    @Override
    protected void softmaxAlongImpl(boolean log, int outer, int size, int inner, float[] x, int xOffset, float[] y,
            int yOffset) {
        record("softmaxAlong", false);
        target.softmaxAlong(log, outer, size, inner, x, xOffset, y, yOffset);
    }

    @Override
    protected void softmaxBackwardAlongImpl(boolean log, int outer, int size, int inner, float[] dy, int dyOffset,
            float[] y, int yOffset, float[] dx, int dxOffset) {
        record("softmaxBackwardAlong", false);
        target.softmaxBackwardAlong(log, outer, size, inner, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    @Override
    protected void layerNormImpl(int rows, int cols, float eps, float[] x, int xOffset, float[] gamma,
            int gammaOffset, float[] beta, int betaOffset, float[] y, int yOffset, float[] mean, int meanOffset,
            float[] rstd, int rstdOffset) {
        record("layerNorm", false);
        target.layerNorm(rows, cols, eps, x, xOffset, gamma, gammaOffset, beta, betaOffset, y, yOffset, mean,
                meanOffset, rstd, rstdOffset);
    }

    @Override
    protected void layerNormBackwardImpl(int rows, int cols, float[] dy, int dyOffset, float[] x, int xOffset,
            float[] mean, int meanOffset, float[] rstd, int rstdOffset, float[] gamma, int gammaOffset, float[] dx,
            int dxOffset, float[] dgamma, int dgammaOffset, float[] dbeta, int dbetaOffset) {
        record("layerNormBackward", false);
        target.layerNormBackward(rows, cols, dy, dyOffset, x, xOffset, mean, meanOffset, rstd, rstdOffset, gamma,
                gammaOffset, dx, dxOffset, dgamma, dgammaOffset, dbeta, dbetaOffset);
    }

    @Override
    protected void bceWithLogitsImpl(int n, float[] x, int xOffset, float[] t, int tOffset, float[] weight,
            int weightOffset, float[] posWeight, int posWeightOffset, float[] out, int outOffset) {
        record("bceWithLogits", false);
        target.bceWithLogits(n, x, xOffset, t, tOffset, weight, weightOffset, posWeight, posWeightOffset, out,
                outOffset);
    }

    @Override
    protected void bceWithLogitsBackwardImpl(int n, float[] dy, int dyOffset, float[] x, int xOffset, float[] t,
            int tOffset, float[] weight, int weightOffset, float[] posWeight, int posWeightOffset, float[] dx,
            int dxOffset) {
        record("bceWithLogitsBackward", false);
        target.bceWithLogitsBackward(n, dy, dyOffset, x, xOffset, t, tOffset, weight, weightOffset, posWeight,
                posWeightOffset, dx, dxOffset);
    }

    @Override
    protected void smoothL1Impl(int n, float beta, float[] x, int xOffset, float[] t, int tOffset, float[] out,
            int outOffset) {
        record("smoothL1", false);
        target.smoothL1(n, beta, x, xOffset, t, tOffset, out, outOffset);
    }

    @Override
    protected void smoothL1BackwardImpl(int n, float beta, float[] dy, int dyOffset, float[] x, int xOffset,
            float[] t, int tOffset, float[] dx, int dxOffset) {
        record("smoothL1Backward", false);
        target.smoothL1Backward(n, beta, dy, dyOffset, x, xOffset, t, tOffset, dx, dxOffset);
    }

    @Override
    protected void cumsumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] y, int yOffset) {
        record("cumsumAlong", false);
        target.cumsumAlong(outer, size, inner, x, xOffset, y, yOffset);
    }
}
