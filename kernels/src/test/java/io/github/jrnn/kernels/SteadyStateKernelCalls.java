package io.github.jrnn.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Kernel calls as a recurrent network's training step and inference make them, each on its own data, at a
 * realistic hidden size (so that C2 compiles the loop bodies of real use, with their profile) and with products at
 * the smallest size of each path. Once C2 has compiled the vector kernels, none of these calls may allocate:
 * {@link KernelAllocationWorkload} measures them.
 *
 * <p>The hidden size decides the profile: a multiple of the lane count never runs the masked last vector of a row
 * (C2 then leaves that branch out), any other size runs it every row, and that branch's code can be what pushes a
 * loop past C2's inlining budget (the shared-helper form of {@code VectorMath.tanh} boxed in lstmCell,
 * lstmCellBackward and the LSTM recurrence at hidden 250, not at 256). Element-wise and row-wise sizes follow it.
 *
 * <p>A call may overwrite its inputs (a forward cell without a workspace consumes ig, a backward replaces dc, an
 * optimizer step moves its parameters): every value stays bounded, which is all that repeated calls need.
 */
final class SteadyStateKernelCalls {

    /** One named call of a kernel on fixed arguments. */
    record KernelCall(String name, Runnable call) {
    }

    /** Rows of the cell kernels' gate matrices in the batched cases. */
    private static final int BATCH = 4;
    /** Time steps of a recurrentSequence call: its first step reads h0, the second the first step's h. */
    private static final int STEPS = 2;

    private final int hidden;
    private final SplittableRandom random = new SplittableRandom(11);
    private final List<KernelCall> calls = new ArrayList<>();

    private SteadyStateKernelCalls(int hidden) {
        this.hidden = hidden;
    }

    /**
     * Every call at hidden size {@code hidden}, on {@code k} (an unchecked instance, as the modules call kernels
     * inside their time loops).
     */
    static List<KernelCall> on(Kernels k, int hidden) {
        SteadyStateKernelCalls all = new SteadyStateKernelCalls(hidden);
        all.elementWise(k);
        all.cells(k);
        all.backwardCells(k);
        all.sequences(k);
        all.products(k);
        all.rowsAndOptimizers(k);
        return List.copyOf(all.calls);
    }

    /**
     * {@code size} (a multiple of the lane count when hidden is), plus 2 when hidden is not a multiple of 4: a
     * length whose last vector is a part vector at every vector width exactly when the hidden size's is.
     */
    private int withHiddenTail(int size) {
        return size + hidden % 4;
    }

    private void add(String name, Runnable call) {
        calls.add(new KernelCall(name, call));
    }

    /** {@code size} floats uniform in [-scale, scale). */
    private float[] data(int size, float scale) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    /** {@code size} floats uniform in (0, 1): activated gates, whose backward formulas assume that range. */
    private float[] gates(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (0.05 + 0.9 * random.nextDouble());
        }
        return v;
    }

    private void elementWise(Kernels k) {
        int n = withHiddenTail(4 * hidden * BATCH); // the four gates of a batch
        float[] x = data(n, 4f);
        float[] y = new float[n];
        float[] dy = data(n, 1f);
        float[] dx = new float[n];
        float[] activated = gates(n);
        add("tanh", () -> k.tanh(n, x, 0, y, 0));
        add("sigmoid", () -> k.sigmoid(n, x, 0, y, 0));
        add("exp", () -> k.exp(n, x, 0, y, 0));
        add("tanhBackward", () -> k.tanhBackward(n, dy, 0, activated, 0, dx, 0));
        add("sigmoidBackward", () -> k.sigmoidBackward(n, dy, 0, activated, 0, dx, 0));
    }

    private void cells(Kernels k) {
        int h = hidden;
        float[] rnnIg = data(BATCH * h, 2f);
        float[] rnnHg = data(BATCH * h, 2f);
        float[] gruIg = data(BATCH * 3 * h, 2f);
        float[] gruHg = data(BATCH * 3 * h, 2f);
        float[] lstmIg = data(BATCH * 4 * h, 2f);
        float[] lstmHg = data(BATCH * 4 * h, 2f);
        float[] hPrev = data(BATCH * h, 1f);
        float[] hOut = new float[BATCH * h];
        float[] cPrev = data(BATCH * h, 1f);
        float[] cOut = new float[BATCH * h];
        float[] workspace = new float[BATCH * 4 * h];
        add("rnnTanhCell", () -> k.rnnTanhCell(BATCH, h, rnnIg, 0, rnnHg, 0, hOut, 0, h));
        add("gruCell with a workspace", () -> k.gruCell(BATCH, h, gruIg, 0, gruHg, 0, hPrev, 0, h, hOut, 0, h,
                workspace, 0));
        add("gruCell without a workspace", () -> k.gruCell(BATCH, h, gruIg, 0, gruHg, 0, hPrev, 0, h, hOut, 0, h,
                null, 0));
        add("lstmCell with a workspace", () -> k.lstmCell(BATCH, h, lstmIg, 0, lstmHg, 0, cPrev, 0, cOut, 0, hOut,
                0, h, workspace, 0));
        add("lstmCell without a workspace", () -> k.lstmCell(BATCH, h, lstmIg, 0, lstmHg, 0, cPrev, 0, cOut, 0, hOut,
                0, h, null, 0));
    }

    private void backwardCells(Kernels k) {
        int h = hidden;
        MatrixSlice dh = new MatrixSlice(data(BATCH * h, 1f), 0, h);
        MatrixSlice hOut = new MatrixSlice(data(BATCH * h, 0.9f), 0, h);
        MatrixSlice hPrev = new MatrixSlice(data(BATCH * h, 0.9f), 0, h);
        MatrixSlice dc = new MatrixSlice(data(BATCH * h, 1f), 0, h);
        MatrixSlice cPrev = new MatrixSlice(data(BATCH * h, 1f), 0, h);
        MatrixSlice c = new MatrixSlice(data(BATCH * h, 1f), 0, h);
        MatrixSlice workspace = new MatrixSlice(gates(BATCH * 4 * h), 0, 4 * h);
        MatrixSlice dIg = new MatrixSlice(new float[BATCH * 4 * h], 0, 3 * h);
        MatrixSlice dHg = new MatrixSlice(new float[BATCH * 4 * h], 0, 3 * h);
        MatrixSlice dGates = new MatrixSlice(new float[BATCH * 4 * h], 0, 4 * h);
        MatrixSlice dhPrev = new MatrixSlice(new float[BATCH * h], 0, h);
        add("rnnTanhCellBackward", () -> k.rnnTanhCellBackward(BATCH, h, dh, hOut, dhPrev));
        add("gruCellBackward", () -> k.gruCellBackward(BATCH, h, dh, hPrev, workspace, dIg, dHg, dhPrev));
        add("lstmCellBackward", () -> k.lstmCellBackward(BATCH, h, dh, dc, cPrev, c, workspace, dGates));
    }

    private void sequences(Kernels k) {
        for (CellKind cell : List.of(CellKind.GRU, CellKind.LSTM, CellKind.RNN_TANH)) {
            // a whole layer over one group of NR sequences: gate-major (GateMajorLayer), in runs of one step
            int batch = GemmMicroKernel.NR;
            int gh = cell.gates() * hidden;
            PackedMatrix wih = k.packB(true, hidden, gh, data(gh * hidden, 0.06f), 0, hidden);
            PackedMatrix whh = k.packB(true, hidden, gh, data(gh * hidden, 0.06f), 0, hidden);
            float[] bias = data(gh, 0.1f);
            float[] x = data(STEPS * batch * hidden, 1f);
            float[] h0 = data(batch * hidden, 0.5f);
            float[] c = data(batch * hidden, 0.5f);
            float[] h = new float[STEPS * batch * hidden];
            float[] work = new float[Kernels.recurrentLayerWorkFloats(cell, STEPS, batch, hidden, hidden, 1)];
            add("recurrentLayer " + cell + " gate-major batch " + batch, () -> k.recurrentLayer(cell, false, STEPS,
                    batch, hidden, hidden, x, 0, wih, bias, 0, whh, bias, 0, h0, 0, c, 0, h, 0, hidden, null, 0, null,
                    0, 1, work, 0));
        }
        for (CellKind cell : List.of(CellKind.GRU, CellKind.LSTM, CellKind.RNN_TANH)) {
            for (int batch : cell == CellKind.RNN_TANH ? new int[] {1} : new int[] {1, 2}) {
                int gh = cell.gates() * hidden;
                PackedMatrix whh = k.packB(true, hidden, gh, data(gh * hidden, 0.06f), 0, hidden);
                float[] ig = data(STEPS * batch * gh, 1f);
                float[] bhh = data(gh, 0.1f);
                float[] h0 = data(batch * hidden, 0.5f);
                float[] c = data(batch * hidden, 0.5f);
                float[] h = new float[STEPS * batch * hidden];
                float[] hg = new float[batch * gh];
                add("recurrentSequence " + cell + " batch " + batch, () -> k.recurrentSequence(cell, false, STEPS,
                        batch, hidden, ig, 0, whh, bhh, 0, h0, 0, c, 0, h, 0, hidden, hg, 0));
                // a whole layer in runs of one step, so that the second run starts from the state the first left
                PackedMatrix wih = k.packB(true, hidden, gh, data(gh * hidden, 0.06f), 0, hidden);
                float[] x = data(STEPS * batch * hidden, 1f);
                float[] work = new float[Kernels.recurrentLayerWorkFloats(cell, STEPS, batch, hidden, hidden, 1)];
                add("recurrentLayer " + cell + " batch " + batch, () -> k.recurrentLayer(cell, false, STEPS, batch,
                        hidden, hidden, x, 0, wih, bhh, 0, whh, bhh, 0, h0, 0, c, 0, h, 0, hidden, null, 0, null, 0, 1,
                        work, 0));
                // the backward over what that recording saved, as a training step does
                PackedMatrix whhPlain = k.packB(false, gh, hidden, data(gh * hidden, 0.06f), 0, hidden);
                float[] dh = data(STEPS * batch * hidden, 0.1f);
                float[] dc = data(batch * hidden, 0.1f);
                float[] dIg = new float[STEPS * batch * gh];
                float[] dHg = new float[STEPS * batch * gh];
                float[] dh0 = new float[batch * hidden];
                float[] scratch = new float[batch * hidden];
                float[] savedGates = gates(STEPS * batch * 4 * hidden);
                float[] savedCells = data(STEPS * batch * hidden, 1f);
                add("recurrentLayerBackward " + cell + " batch " + batch, () -> k.recurrentLayerBackward(cell, false,
                        STEPS, batch, hidden, dh, 0, h, 0, hidden, h0, 0, savedGates, 0, savedCells, 0, c, 0, dc, 0,
                        whhPlain, dIg, 0, dHg, 0, dh0, 0, scratch, 0));
                // and recording for a backward, as a training forward does
                float[] gates = new float[STEPS * batch * 4 * hidden];
                float[] cells = new float[STEPS * batch * hidden];
                add("recurrentLayer recording " + cell + " batch " + batch, () -> k.recurrentLayer(cell, false, STEPS,
                        batch, hidden, hidden, x, 0, wih, bhh, 0, whh, bhh, 0, h0, 0, c, 0, h, 0, hidden, gates, 0,
                        cells, 0, 1, work, 0));
            }
        }
    }

    private void products(Kernels k) {
        int h = hidden;
        int gh = 4 * h;
        float[] w = data(gh * h, 0.06f);       // an LSTM weight (4 hidden, hidden)
        float[] x = data(16 * h, 1f);          // up to 16 rows of hidden inputs
        float[] dGates = data(16 * gh, 0.1f);  // their gates' gradient, (16, 4 hidden)
        float[] out = new float[16 * gh];
        float[] dw = new float[gh * h];
        float[] bias = data(gh, 0.1f);
        PackedMatrix packed = k.packB(true, h, gh, w, 0, h);
        PackedMatrix[] repacked = {k.packB(true, h, h, w, 0, h)};
        // each path of sgemm at its smallest sizes (the loops are the same at any size): x W^T with m = 1 (a gemv),
        // few rows (dot form), more rows (blocked); a small product (broadcast form); the backward's dx = dG W and
        // dW = dG^T x (both blocked, the latter packing a transposed A)
        add("sgemm m=1", () -> k.sgemm(false, true, 1, gh, h, 1f, x, 0, h, w, 0, h, 0f, out, 0, gh));
        add("sgemm transB m=4", () -> k.sgemm(false, true, 4, h, h, 1f, x, 0, h, w, 0, h, 0f, out, 0, h));
        add("sgemm transB m=12", () -> k.sgemm(false, true, 12, h, h, 1f, x, 0, h, w, 0, h, 0f, out, 0, h));
        add("sgemm m=8", () -> k.sgemm(false, false, 8, h, h, 1f, x, 0, h, w, 0, h, 0f, out, 0, h));
        add("sgemm m=4 (dx = dG W)", () -> k.sgemm(false, false, 4, h, gh, 1f, dGates, 0, gh, w, 0, h, 0f, out, 0,
                h));
        add("sgemm transA (dW = dG^T x)", () -> k.sgemm(true, false, h, h, 16, 1f, dGates, 0, gh, x, 0, h, 1f,
                dw, 0, h));
        add("sgemv", () -> k.sgemv(false, gh, h, 1f, w, 0, h, x, 0, 0f, out, 0));
        add("sgemv transA", () -> k.sgemv(true, gh, h, 1f, w, 0, h, dGates, 0, 0f, out, 0));
        // an A larger than L2 takes the row sweeps
        int sweptRows = (int) (GemmBlocking.TRANSPOSED_GEMV_BY_ROWS_MIN_FLOATS / h + 1);
        float[] large = data(sweptRows * h, 0.01f);
        float[] g = data(sweptRows, 1f);
        add("sgemv transA, rows swept", () -> k.sgemv(true, sweptRows, h, 1f, large, 0, h, g, 0, 0f, out, 0));
        add("sgemmPacked m=1", () -> k.sgemmPacked(false, 1, 1f, x, 0, h, packed, 1f, out, 0, gh));
        add("sgemmPacked m=4", () -> k.sgemmPacked(false, 4, 1f, x, 0, h, packed, 1f, out, 0, gh));
        add("sgemmPackedBias m=1", () -> k.sgemmPackedBias(false, 1, 1f, x, 0, h, packed, bias, 0, out, 0, gh));
        add("sgemmPackedBias m=4", () -> k.sgemmPackedBias(false, 4, 1f, x, 0, h, packed, bias, 0, out, 0, gh));
        add("repackB", () -> repacked[0] = k.repackB(repacked[0], true, h, h, w, 0, h));
        add("sumRows", () -> k.sumRows(16, gh, dGates, 0, gh, out, 0));
        add("broadcastRows", () -> k.broadcastRows(16, gh, bias, 0, out, 0, gh));
    }

    private void rowsAndOptimizers(Kernels k) {
        int rows = 8;
        int vocabulary = withHiddenTail(4 * hidden); // a loss's classes
        float[] logits = data(rows * vocabulary, 5f);
        float[] y = new float[rows * vocabulary];
        float[] dy = data(rows * vocabulary, 1f);
        float[] dx = new float[rows * vocabulary];
        float[] perRow = new float[rows];
        add("logSumExp", () -> k.logSumExp(rows, vocabulary, logits, 0, vocabulary, perRow, 0));
        add("softmax", () -> k.softmax(rows, vocabulary, logits, 0, vocabulary, y, 0, vocabulary));
        add("logSoftmax", () -> k.logSoftmax(rows, vocabulary, logits, 0, vocabulary, y, 0, vocabulary));
        add("logSoftmaxBackward", () -> k.logSoftmaxBackward(rows, vocabulary, dy, 0, vocabulary, y, 0, vocabulary,
                dx, 0, vocabulary));

        int h = hidden;
        float[] x = data(rows * h, 2f);
        float[] gamma = data(h, 1f);
        float[] beta = data(h, 0.5f);
        float[] normed = new float[rows * h];
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        float[] dNormed = data(rows * h, 1f);
        float[] dGamma = new float[h];
        float[] dBeta = new float[h];
        add("layerNorm", () -> k.layerNorm(rows, h, 1e-5f, x, 0, gamma, 0, beta, 0, normed, 0, mean, 0, rstd, 0));
        add("layerNormBackward", () -> k.layerNormBackward(rows, h, dNormed, 0, x, 0, mean, 0, rstd, 0, gamma, 0,
                dx, 0, dGamma, 0, dBeta, 0));

        int n = 4 * hidden * hidden / 16;
        float[] param = data(n, 0.1f);
        float[] grad = data(n, 0.01f);
        float[] expAvg = new float[n];
        float[] expAvgSq = new float[n];
        float[] maxExpAvgSq = new float[n];
        add("adamStep", () -> k.adamStep(n, param, 0, grad, 0, expAvg, 0, expAvgSq, 0, null, 0, 0.9f, 0.999f, 1e-8f,
                1f, 0f, 1e-3f, 0.03f));
        add("adamStep amsgrad, AdamW", () -> k.adamStep(n, param, 0, grad, 0, expAvg, 0, expAvgSq, 0, maxExpAvgSq, 0,
                0.9f, 0.999f, 1e-8f, 1f - 1e-5f, 0f, 1e-3f, 0.03f));
    }
}
