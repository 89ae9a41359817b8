package io.github.jrnn.kernels;

/**
 * One call of {@link Kernels#recurrentLayer} over a batch of sequences (batch >= 2, not recording) run by two
 * threads split by hidden units ({@link SplitRecurrence}, {@link RecurrenceHelper}): each thread computes its
 * units' columns of every gate, of the input projection as well as of the hidden product, and their cell updates,
 * for all sequences; the threads meet after every step.
 *
 * <p>Why not split by sequences, as smaller layers are ({@link VectorLayers}): with each thread on half the
 * sequences, each thread's per-step product has half the rows and still reads all of W_hh, from L3 once the
 * matrix outgrows L2 (LSTM hidden 512: 4 MB; 1024: 16 MB); split by units, each core reads only its half of W_hh
 * (and of W_ih) for all rows, half the traffic per multiply-add, and a half of 2 MB or less stays in a core's L2
 * from step to step. The price is a meeting per step (a fraction of a microsecond against hundreds of
 * microseconds of work per step at these sizes).
 *
 * <p>The input projection of a run of steps belongs to the half of the run's first step: whichever thread claims
 * that half projects the run's inputs onto the half's gate columns. A half of a later step of the run reads only
 * those columns, which were complete before the step began (each step starts after the one before has completed).
 *
 * <p>Bits: a column of a blocked product gets the same operations whichever range of columns and rows it is
 * computed in, and the cell updates are lane-wise ({@link VectorCells#cellUnits}), so a split gives the bits of
 * {@link LayerLoops#runByRun}, the definition. Work layout as there ({@link Kernels#recurrentLayerWorkFloats}): the
 * run's input gates (rows {@code local step * batch + b}), the regrouped-input area (unused here: the run's rows
 * of x are contiguous already), then hg. The components are {@link Kernels#recurrentLayer}'s arguments (x, W_ih^T,
 * W_hh^T packed; c updated in place for an LSTM); the threads write disjoint columns of the work's ig and hg.
 */
record VectorLayerSplit(CellKind cell, boolean reverse, int steps, int batch, int hidden, int inputSize,
                        float[] x, int xOffset, VectorPackedMatrix wih, float[] bih, int bihOffset,
                        VectorPackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset, float[] c,
                        int cOffset, float[] h, int hOffset, int ldh, int chunkSteps, float[] work, int workOffset)
        implements SplitRecurrence {

    /**
     * Half of step s: on the first step of a run, the run's input projection onto the gate columns of the units
     * {@code [u0, u1)}; then those columns of {@code hg = hPrev W_hh^T + b_hh} for all sequences, and the units'
     * cell updates.
     */
    @Override
    public void computeHalf(int s, int u0, int u1) {
        int gh = cell.gates() * hidden;
        int runs = (steps + chunkSteps - 1) / chunkSteps;
        int chunkRows = Math.min(steps, chunkSteps) * batch;
        int igOffset = workOffset;
        int hgOffset = workOffset + chunkRows * gh + chunkRows * inputSize;
        int t = reverse ? steps - 1 - s : s;
        int run = LayerLoops.runOf(t, runs, steps);
        int t0 = LayerLoops.runStart(run, runs, steps);
        int n = LayerLoops.runStart(run + 1, runs, steps) - t0;
        if (t == (reverse ? t0 + n - 1 : t0)) {
            // ig = x W_ih^T + b_ih for the run, the bias added as the product is written (sgemmPackedBias's bits)
            BlockedGemm.multiplyPackedRanges(false, n * batch, u0, u1, cell.gates(), hidden, 1f, x,
                    xOffset + t0 * batch * inputSize, inputSize, wih, 0f, bih, bihOffset, work, igOffset, gh);
        }
        boolean first = s == 0;
        float[] hPrev = first ? h0 : h;
        int hPrevRows = first ? h0Offset : hOffset + (reverse ? t + 1 : t - 1) * batch * ldh;
        int ldhPrev = first ? hidden : ldh;
        BlockedGemm.multiplyPackedRanges(false, batch, u0, u1, cell.gates(), hidden, 1f, hPrev, hPrevRows, ldhPrev,
                whh, 0f, bhh, bhhOffset, work, hgOffset, gh);
        int igRows = igOffset + (t - t0) * batch * gh;
        for (int b = 0; b < batch; b++) {
            VectorCells.cellUnits(cell, hidden, u0, u1, work, igRows + b * gh, work, hgOffset + b * gh, hPrev,
                    hPrevRows + b * ldhPrev, c, cOffset + b * hidden, h, hOffset + (t * batch + b) * ldh);
        }
    }
}
