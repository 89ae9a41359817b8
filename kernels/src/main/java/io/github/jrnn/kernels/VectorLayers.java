package io.github.jrnn.kernels;

import java.util.function.Function;

/**
 * The whole-layer kernels of the vector implementation ({@link Kernels#recurrentLayer},
 * {@link Kernels#recurrentLayerBackward}); one link of the chain that makes up {@link VectorKernels} (see
 * {@link VectorGemm}). On one thread, or at batch 1, they run {@link LayerLoops}' loops over the cell and product
 * kernels of {@link VectorCells} and {@link VectorGemm}; from batch 2 on with several threads each thread takes its
 * own sequences for the whole layer (its blocked products on its rows only, so the bits do not depend on the split),
 * except that a forward layer with a large W_hh over few sequences is split by hidden units ({@link VectorLayerSplit}).
 * A forward layer that does not record, over whole groups of NR sequences, runs gate-major instead
 * ({@link GateMajorLayer}), with the same bits.
 */
abstract class VectorLayers extends VectorCells {

    VectorLayers(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    VectorLayers(Kernels checkedTwin) {
        super(checkedTwin);
    }

    /** The gate-major layer's group: NR sequences ({@link GateMajorLayer}). */
    @Override
    public final int recurrentLayerGroup() {
        return GateMajorLayer.groupSize();
    }

    /**
     * Batch 1, or one thread: run by run as {@link Kernels#recurrentLayer} defines it ({@link LayerLoops#runByRun}; the
     * products and the batch-1 recurrence split themselves). From batch 2 on with several threads (the rule of
     * {@link VectorCells#recurrentSequenceImpl}) each thread takes an equal share of the sequences for the whole layer
     * ({@link #layerRows}): it also projects their input rows itself, run by run, so that a step's input gates are
     * in the cache of the core that reads them and the threads meet only at the end. Projecting each run over all
     * sequences on both threads (by columns) and then splitting the recurrence by sequences, as before December
     * 2026, read half of every run's gates from the other core and met twice per run: two independent half-batch
     * forwards ran 1.06-1.13x as fast as that (Xeon family 6 model 167, two cores, 100 steps: LSTM hidden 256 /
     * 512 batch 32 1.10x / 1.07x, GRU 512 batch 32 1.06x, LSTM 128 batch 64 1.13x). Every element is computed
     * with the same operations either way (a product's rows do not depend on which other rows it has), so the
     * bits are the same. A layer that does not record, with a large W_hh over at most
     * {@link KernelThreads#SPLIT_LAYER_MAX_BATCH} sequences ({@link RecurrenceHelper#splitsLayer}), is split by
     * hidden units instead when the recurrence helper is free ({@link VectorLayerSplit}): each core then reads half
     * of W_hh per step for all rows rather than all of it for half the rows.
     */
    @Override
    protected final void recurrentLayerImpl(CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                            int inputSize, float[] x, int xOffset, PackedMatrix wih, float[] bih,
                                            int bihOffset, PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0,
                                            int h0Offset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                                            float[] workspace, int workspaceOffset, float[] cells, int cellsOffset,
                                            int chunkSteps, float[] work, int workOffset) {
        VectorPackedMatrix packedWih = VectorPackedMatrix.of(wih, "recurrentLayer", "wih");
        VectorPackedMatrix packedWhh = VectorPackedMatrix.of(whh, "recurrentLayer", "whh");
        if (steps == 0 || batch == 0 || hidden == 0) {
            return;
        }
        long multiplyAdds = (long) steps * batch * cell.gates() * hidden * hidden;
        int threads = batch >= 2 && inputSize > 0 ? threadsFor(multiplyAdds) : 1;
        boolean records = LayerLoops.records(cell, workspace);
        if (!records && GateMajorLayer.fits(batch, inputSize)
                && gateMajor(threads, cell, reverse, steps, batch, hidden, inputSize, x, xOffset, packedWih, bih,
                        bihOffset, packedWhh, bhh, bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh, chunkSteps,
                        work, workOffset)) {
            return;
        }
        if (threads < 2) {
            LayerLoops.runByRun(this, cell, reverse, steps, batch, hidden, inputSize, x, xOffset, wih, bih, bihOffset,
                    whh, bhh, bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh, workspace, workspaceOffset, cells,
                    cellsOffset, chunkSteps, work, workOffset);
            return;
        }
        if (!records && RecurrenceHelper.splitsLayer(cell.gates(), hidden, batch, steps)
                && RecurrenceHelper.tryRunSplit(new VectorLayerSplit(cell, reverse, steps, batch, hidden, inputSize, x,
                        xOffset, packedWih, bih, bihOffset, packedWhh, bhh, bhhOffset, h0, h0Offset, c, cOffset, h,
                        hOffset, ldh, chunkSteps, work, workOffset))) {
            return;
        }
        int parts = Math.min(threads, batch);
        GemmThreads.run(parts, threads, part -> layerRows(cell, reverse, steps, batch, hidden, inputSize,
                (int) ((long) batch * part / parts), (int) ((long) batch * (part + 1) / parts), x, xOffset, packedWih,
                bih, bihOffset, packedWhh, bhh, bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh,
                records ? workspace : null, workspaceOffset, cells, cellsOffset,
                chunkSteps, work, workOffset));
    }

    /**
     * {@link #recurrentLayerImpl} gate-major ({@link GateMajorLayer}), or false, computing nothing, where the
     * row-major loops serve the call better: on one thread; on several, groups of NR sequences shared out evenly
     * between them for the whole layer (2 groups on 2 threads: 1.03-1.12x the row-major sequence split or unit
     * split, LSTM and GRU hidden 128-1024, batch 64, Xeon; one share per thread, as a split of unequal shares waits
     * for the larger one), or a single group split by hidden units when its W_hh is large enough
     * ({@link RecurrenceHelper#splitsGateMajor}) and the recurrence helper is free. A split by units of two or more
     * groups measured no faster than the groups' split (LSTM and GRU 1024 batch 64 1.01x, LSTM 512 0.94x).
     */
    private static boolean gateMajor(int threads, CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                     int inputSize, float[] x, int xOffset, VectorPackedMatrix wih, float[] bih,
                                     int bihOffset, VectorPackedMatrix whh, float[] bhh, int bhhOffset, float[] h0,
                                     int h0Offset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                                     int chunkSteps, float[] work, int workOffset) {
        int groups = batch / GateMajorLayer.groupSize();
        boolean byUnits = threads >= 2 && groups == 1;
        if (threads >= 2 && !byUnits && groups % threads != 0) {
            return false;
        }
        if (byUnits && !RecurrenceHelper.splitsGateMajor(cell.gates(), hidden, steps)) {
            return false;
        }
        // the weights' gate-major form, built here once rather than by each thread of a split on first use
        float[] wihRows = wih.gateRowPanels(cell.gates());
        float[] whhRows = whh.gateRowPanels(cell.gates());
        if (!byUnits && threads >= 2) {
            GemmThreads.run(threads, threads, part -> {
                GateMajorLayer share = GemmScratch.current().gateMajorLayer().set(cell, reverse, steps, batch, hidden,
                        inputSize, x, xOffset, wihRows, bih, bihOffset, whhRows, bhh, bhhOffset, h0, h0Offset, c,
                        cOffset, h, hOffset, ldh, chunkSteps, work, workOffset, groups * part / threads,
                        groups * (part + 1) / threads);
                try {
                    share.runGroups();
                } finally {
                    share.clear();
                }
            });
            return true;
        }
        GateMajorLayer layer = GemmScratch.current().gateMajorLayer().set(cell, reverse, steps, batch, hidden,
                inputSize, x, xOffset, wihRows, bih, bihOffset, whhRows, bhh, bhhOffset, h0, h0Offset, c, cOffset, h,
                hOffset, ldh, chunkSteps, work, workOffset, 0, groups);
        try {
            if (byUnits) {
                return layer.runSplitByUnits();
            }
            layer.runGroups();
            return true;
        } finally {
            layer.clear();
        }
    }

    /**
     * Batch 1, or one thread: {@link LayerLoops#backwardRows} over all rows (its products split themselves). From
     * batch 2 on with several threads (the rule of {@link VectorCells#recurrentSequenceImpl}) each thread takes an
     * equal share of the sequences for the whole pass, its cell kernels and products on its rows only, and the
     * threads meet only at the end, where a step-by-step pass met at every step's product (split by columns) and ran
     * the cell kernels on one thread. Bits as one thread: each share's products are the blocked product the whole
     * batch's is.
     */
    @Override
    protected final void recurrentLayerBackwardImpl(CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                                    float[] dh, int dhOffset, float[] h, int hOffset, int ldh,
                                                    float[] h0, int h0Offset, float[] workspace, int workspaceOffset,
                                                    float[] cells, int cellsOffset, float[] c0, int c0Offset,
                                                    float[] dc, int dcOffset, PackedMatrix whh, float[] dIg,
                                                    int dIgOffset, float[] dHg, int dHgOffset, float[] dh0,
                                                    int dh0Offset, float[] scratch, int scratchOffset) {
        VectorPackedMatrix.of(whh, "recurrentLayerBackward", "whh");
        if (steps == 0 || batch == 0 || hidden == 0) {
            return;
        }
        long multiplyAdds = (long) steps * batch * cell.gates() * hidden * hidden;
        int threads = batch >= 2 ? threadsFor(multiplyAdds) : 1;
        if (threads < 2) {
            LayerLoops.backwardRows(this, false, cell, reverse, steps, batch, hidden, 0, batch, dh, dhOffset, h,
                    hOffset, ldh, h0, h0Offset, workspace, workspaceOffset, cells, cellsOffset, c0, c0Offset, dc,
                    dcOffset, whh, dIg, dIgOffset, dHg, dHgOffset, dh0, dh0Offset, scratch, scratchOffset);
            return;
        }
        int parts = Math.min(threads, batch);
        GemmThreads.run(parts, threads, part -> LayerLoops.backwardRows(this, true, cell, reverse, steps, batch, hidden,
                (int) ((long) batch * part / parts), (int) ((long) batch * (part + 1) / parts), dh, dhOffset, h,
                hOffset, ldh, h0, h0Offset, workspace, workspaceOffset, cells, cellsOffset, c0, c0Offset, dc,
                dcOffset, whh, dIg, dIgOffset, dHg, dHgOffset, dh0, dh0Offset, scratch, scratchOffset));
    }

    /** This thread's blocked product, with beta = 1 (a one-row share too: the bits of the whole batch's product). */
    @Override
    final void productOnThisThread(int m, float[] a, int aOffset, int lda, PackedMatrix b, float[] c, int cOffset,
                                   int ldc) {
        VectorPackedMatrix packed = (VectorPackedMatrix) b;
        if (m > 0 && packed.cols() > 0 && packed.rows() > 0) {
            BlockedGemm.multiplyPacked(false, m, 0, packed.cols(), 1f, a, aOffset, lda, packed, 1f, null, 0, c,
                    cOffset, ldc);
        }
    }

    /**
     * The whole layer of {@link #recurrentLayerImpl} for the sequences {@code [r0, r1)} on the calling thread: run
     * by run, their input rows gathered (step-major, {@code s * rows + i}) into this share's slice of the work
     * scratch, one projection of them into this share's slice of the input gates, then the run's steps on those
     * rows, the first step of a run continuing from the rows of h the previous run wrote last. Slices: rows
     * {@code [C * r0, C * r1)} of the gates and of the gathered inputs, rows [r0, r1) of hg. {@code workspace} is null
     * unless the call records (then GRU's and LSTM's cells get their workspace rows, and LSTM's c_t go to cells).
     */
    private void layerRows(CellKind cell, boolean reverse, int steps, int batch, int hidden, int inputSize, int r0,
                           int r1, float[] x, int xOffset, VectorPackedMatrix wih, float[] bih, int bihOffset,
                           VectorPackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset, float[] c,
                           int cOffset, float[] h, int hOffset, int ldh, float[] workspace, int workspaceOffset,
                           float[] cells, int cellsOffset, int chunkSteps, float[] work, int workOffset) {
        int rows = r1 - r0;
        int gh = cell.gates() * hidden;
        int chunk = Math.min(steps, chunkSteps);
        int igShare = workOffset + chunk * r0 * gh;
        int xShare = workOffset + chunk * batch * gh + chunk * r0 * inputSize;
        int hgRows = workOffset + chunk * batch * (gh + inputSize) + r0 * gh;
        int cRows = cOffset + r0 * hidden;
        int runs = (steps + chunkSteps - 1) / chunkSteps;
        for (int i = 0; i < runs; i++) {
            int run = reverse ? runs - 1 - i : i;
            int t0 = LayerLoops.runStart(run, runs, steps);
            int n = LayerLoops.runStart(run + 1, runs, steps) - t0;
            for (int s = 0; s < n; s++) {
                System.arraycopy(x, xOffset + ((t0 + s) * batch + r0) * inputSize, work, xShare + s * rows * inputSize,
                        rows * inputSize);
            }
            // ig = x W_ih^T + b_ih, the bias added as the product is written (the bits of sgemmPackedBias)
            BlockedGemm.multiplyPacked(false, n * rows, 0, gh, 1f, work, xShare, inputSize, wih, 0f, bih, bihOffset,
                    work, igShare, gh);
            for (int s = 0; s < n; s++) {
                int local = reverse ? n - 1 - s : s;
                int t = t0 + local;
                boolean first = i == 0 && s == 0;
                float[] hPrev = first ? h0 : h;
                int hPrevRows = first ? h0Offset + r0 * hidden
                        : hOffset + ((reverse ? t + 1 : t - 1) * batch + r0) * ldh;
                int ldhPrev = first ? hidden : ldh;
                int igRows = igShare + local * rows * gh;
                int hRows = hOffset + (t * batch + r0) * ldh;
                BlockedGemm.multiplyPacked(false, rows, 0, gh, 1f, hPrev, hPrevRows, ldhPrev, whh, 0f, bhh, bhhOffset,
                        work, hgRows, gh);
                switch (cell) {
                    case RNN_TANH -> rnnTanhCellImpl(rows, hidden, work, igRows, work, hgRows, h, hRows, ldh);
                    case RNN_RELU -> rnnReluCellImpl(rows, hidden, work, igRows, work, hgRows, h, hRows, ldh);
                    case GRU -> gruCellImpl(rows, hidden, work, igRows, work, hgRows, hPrev, hPrevRows, ldhPrev, h,
                            hRows, ldh, workspace, workspaceOffset + (t * batch + r0) * 4 * hidden);
                    case LSTM -> {
                        if (workspace == null) {
                            lstmCellImpl(rows, hidden, work, igRows, work, hgRows, c, cRows, c, cRows, h, hRows, ldh,
                                    null, 0);
                        } else {
                            // recording: c_{t-1} from cells (c_0 from c), c_t into cells
                            float[] cPrev = first ? c : cells;
                            int cPrevRows = first ? cRows
                                    : cellsOffset + ((reverse ? t + 1 : t - 1) * batch + r0) * hidden;
                            lstmCellImpl(rows, hidden, work, igRows, work, hgRows, cPrev, cPrevRows, cells,
                                    cellsOffset + (t * batch + r0) * hidden, h, hRows, ldh, workspace,
                                    workspaceOffset + (t * batch + r0) * 4 * hidden);
                        }
                    }
                }
            }
        }
    }
}
