package io.github.jrnn.kernels;

/**
 * The time loops of the whole-layer kernels ({@link Kernels#recurrentLayer}, {@link Kernels#recurrentLayerBackward}),
 * written once against the {@code Impl} methods of {@link CellKernels}, so that both implementations make exactly
 * the calls the kernels' Javadoc defines them as, and a thread that takes a share of the sequences runs the same loop
 * on its rows. Static helpers: the loops keep no state of their own.
 */
final class LayerLoops {

    private LayerLoops() {
    }

    /** First step of run {@code i} when {@code steps} are cut into {@code runs} near-equal runs. */
    static int runStart(int i, int runs, int steps) {
        return (int) ((long) i * steps / runs);
    }

    /**
     * The run of {@code runs} over {@code steps} steps that holds step t: the i with
     * {@code runStart(i) <= t < runStart(i + 1)}.
     */
    static int runOf(int t, int runs, int steps) {
        int run = (int) ((long) t * runs / steps);
        while (runStart(run + 1, runs, steps) <= t) {
            run++;
        }
        while (runStart(run, runs, steps) > t) {
            run--;
        }
        return run;
    }

    /**
     * The step loop of {@link CellKernels#recurrentLayerBackwardImpl} for the sequences {@code [r0, r1)}: their
     * rows of every operand (of the GRU scratch too), the cell backward kernels and, per step,
     * {@code dhPrev += dHg W_hh} through {@link CellKernels#productOnThisThread} when {@code alone} (a share of a
     * split pass), else {@link CellKernels#sgemmPackedImpl}.
     */
    static void backwardRows(CellKernels k, boolean alone, CellKind cell, boolean reverse, int steps, int batch,
            int hidden, int r0, int r1, float[] dh, int dhOffset, float[] h, int hOffset, int ldh, float[] h0,
            int h0Offset, float[] workspace, int workspaceOffset, float[] cells, int cellsOffset, float[] c0,
            int c0Offset, float[] dc, int dcOffset, PackedMatrix whh, float[] dIg, int dIgOffset, float[] dHg,
            int dHgOffset, float[] dh0, int dh0Offset, float[] scratch, int scratchOffset) {
        int n = r1 - r0;
        int gh = cell.gates() * hidden;
        int g4 = 4 * hidden;
        MatrixSlice[] slices = GemmScratch.current().backwardSlices(); // reused: the pass allocates nothing
        MatrixSlice dhRows = slices[0];
        MatrixSlice hRows = slices[1];
        MatrixSlice wsRows = slices[2];
        MatrixSlice cPrevRows = slices[3];
        MatrixSlice cRows = slices[4];
        MatrixSlice dcRows = slices[5];
        MatrixSlice dIgRows = slices[6];
        MatrixSlice dHgRows = slices[7];
        MatrixSlice directRows = slices[8];
        for (int s = steps - 1; s >= 0; s--) {
            int t = reverse ? steps - 1 - s : s;
            boolean first = s == 0; // the direction's first step: its previous state is h0 (and c0)
            int previous = reverse ? t + 1 : t - 1;
            int row = t * batch + r0;
            dhRows.set(dh, dhOffset + row * hidden, hidden);
            dIgRows.set(dIg, dIgOffset + row * gh, gh);
            float[] dhPrev = first ? dh0 : dh;
            int dhPrevRows = first ? dh0Offset + r0 * hidden : dhOffset + (previous * batch + r0) * hidden;
            float[] dG = dIg;
            int dGRows = dIgOffset + row * gh;
            switch (cell) {
                case RNN_TANH -> k.rnnTanhCellBackwardImpl(n, hidden, dhRows, hRows.set(h, hOffset + row * ldh, ldh),
                        dIgRows);
                case RNN_RELU -> k.rnnReluCellBackwardImpl(n, hidden, dhRows, hRows.set(h, hOffset + row * ldh, ldh),
                        dIgRows);
                case GRU -> {
                    hRows.set(first ? h0 : h, first ? h0Offset + r0 * hidden : hOffset + (previous * batch + r0) * ldh,
                            first ? hidden : ldh);
                    wsRows.set(workspace, workspaceOffset + row * g4, g4);
                    dHgRows.set(dHg, dHgOffset + row * gh, gh);
                    directRows.set(scratch, scratchOffset + r0 * hidden, hidden);
                    k.gruCellBackwardImpl(n, hidden, dhRows, hRows, wsRows, dIgRows, dHgRows, directRows);
                    k.addImpl(n * hidden, dhPrev, dhPrevRows, scratch, scratchOffset + r0 * hidden, dhPrev, dhPrevRows);
                    dG = dHg;
                    dGRows = dHgOffset + row * gh;
                }
                case LSTM -> {
                    cPrevRows.set(first ? c0 : cells,
                            first ? c0Offset + r0 * hidden : cellsOffset + (previous * batch + r0) * hidden, hidden);
                    k.lstmCellBackwardImpl(n, hidden, dhRows, dcRows.set(dc, dcOffset + r0 * hidden, hidden), cPrevRows,
                            cRows.set(cells, cellsOffset + row * hidden, hidden),
                            wsRows.set(workspace, workspaceOffset + row * g4, g4), dIgRows);
                }
            }
            // hg = hPrev W_hh^T + b_hh, so dhPrev += dHg W_hh
            if (alone) {
                k.productOnThisThread(n, dG, dGRows, gh, whh, dhPrev, dhPrevRows, hidden);
            } else {
                k.sgemmPackedImpl(false, n, 1f, dG, dGRows, gh, whh, 1f, dhPrev, dhPrevRows, hidden);
            }
        }
    }

    /** Whether a {@link Kernels#recurrentLayer} call records for a backward: GRU or LSTM with a workspace given. */
    static boolean records(CellKind cell, float[] workspace) {
        return workspace != null && (cell == CellKind.GRU || cell == CellKind.LSTM);
    }

    /**
     * {@link CellKernels#recurrentLayerImpl} as its definition reads, on the calling thread apart from what the
     * product and recurrence kernels split themselves: run by run, the projection of all rows, then the recurrence
     * from the state copied out of the previous run's last rows (recording: step by step, each cell kernel with its
     * workspace). Work layout: ig, then (from batch 2) the regrouped inputs, then hg, then the start state
     * ({@link Kernels#recurrentLayerWorkFloats}).
     */
    static void runByRun(CellKernels k, CellKind cell, boolean reverse, int steps, int batch, int hidden,
            int inputSize, float[] x, int xOffset, PackedMatrix wih, float[] bih, int bihOffset, PackedMatrix whh,
            float[] bhh, int bhhOffset, float[] h0, int h0Offset, float[] c, int cOffset, float[] h, int hOffset,
            int ldh, float[] workspace, int workspaceOffset, float[] cells, int cellsOffset, int chunkSteps,
            float[] work, int workOffset) {
        if (steps == 0 || batch == 0) {
            return;
        }
        int gh = cell.gates() * hidden;
        int chunkRows = Math.min(steps, chunkSteps) * batch;
        int hgOffset = workOffset + chunkRows * gh + (batch >= 2 ? chunkRows * inputSize : 0);
        int startOffset = hgOffset + batch * gh;
        int runs = (steps + chunkSteps - 1) / chunkSteps;
        for (int i = 0; i < runs; i++) {
            int run = reverse ? runs - 1 - i : i;
            int t0 = runStart(run, runs, steps);
            int n = runStart(run + 1, runs, steps) - t0;
            if (bih != null) {
                k.sgemmPackedBiasImpl(false, n * batch, 1f, x, xOffset + t0 * batch * inputSize, inputSize, wih, bih,
                        bihOffset, work, workOffset, gh);
            } else {
                k.sgemmPackedImpl(false, n * batch, 1f, x, xOffset + t0 * batch * inputSize, inputSize, wih, 0f, work,
                        workOffset, gh);
            }
            if (records(cell, workspace)) {
                recordedRun(k, cell, reverse, steps, batch, hidden, t0, n, i == 0, whh, bhh, bhhOffset, h0, h0Offset, c,
                        cOffset, h, hOffset, ldh, workspace, workspaceOffset, cells, cellsOffset, work, workOffset,
                        hgOffset);
                continue;
            }
            float[] start = h0;
            int startAt = h0Offset;
            if (i > 0) {
                int previous = reverse ? t0 + n : t0 - 1; // the step just run, next to this run
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(h, hOffset + (previous * batch + b) * ldh, work, startOffset + b * hidden,
                            hidden);
                }
                start = work;
                startAt = startOffset;
            }
            k.recurrentSequenceImpl(cell, reverse, n, batch, hidden, work, workOffset, whh, bhh, bhhOffset, start,
                    startAt, c, cOffset, h, hOffset + t0 * batch * ldh, ldh, work, hgOffset);
        }
    }

    /**
     * The steps of one run of a recording {@link #runByRun}, whose input gates are at {@code work[igOffset]} (rows
     * {@code s * batch + b} for the run's local step s): per step {@code hg = hPrev W_hh^T + b_hh}
     * ({@link Kernels#sgemmPackedBias}, or {@link Kernels#sgemmPacked} without b_hh) and the cell kernel with its
     * workspace rows; an LSTM reads c_{t-1} from cells (c_0 from c at the layer's first step) and writes c_t into
     * cells.
     */
    private static void recordedRun(CellKernels k, CellKind cell, boolean reverse, int steps, int batch, int hidden,
            int t0, int n, boolean firstRun, PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset,
            float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] workspace, int workspaceOffset,
            float[] cells, int cellsOffset, float[] work, int igOffset, int hgOffset) {
        int gh = cell.gates() * hidden;
        for (int s = 0; s < n; s++) {
            int local = reverse ? n - 1 - s : s;
            int t = t0 + local;
            boolean first = firstRun && s == 0;
            int previous = reverse ? t + 1 : t - 1;
            float[] hPrev = first ? h0 : h;
            int hPrevRows = first ? h0Offset : hOffset + previous * batch * ldh;
            int ldhPrev = first ? hidden : ldh;
            if (bhh != null) {
                k.sgemmPackedBiasImpl(false, batch, 1f, hPrev, hPrevRows, ldhPrev, whh, bhh, bhhOffset, work, hgOffset,
                        gh);
            } else {
                k.sgemmPackedImpl(false, batch, 1f, hPrev, hPrevRows, ldhPrev, whh, 0f, work, hgOffset, gh);
            }
            int igRows = igOffset + local * batch * gh;
            int wsRows = workspaceOffset + t * batch * 4 * hidden;
            if (cell == CellKind.GRU) {
                k.gruCellImpl(batch, hidden, work, igRows, work, hgOffset, hPrev, hPrevRows, ldhPrev, h,
                        hOffset + t * batch * ldh, ldh, workspace, wsRows);
            } else {
                float[] cPrev = first ? c : cells;
                int cPrevRows = first ? cOffset : cellsOffset + previous * batch * hidden;
                k.lstmCellImpl(batch, hidden, work, igRows, work, hgOffset, cPrev, cPrevRows, cells,
                        cellsOffset + t * batch * hidden, h, hOffset + t * batch * ldh, ldh, workspace, wsRows);
            }
        }
    }
}
