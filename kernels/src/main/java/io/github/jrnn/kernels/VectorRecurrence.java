package io.github.jrnn.kernels;

/**
 * One call of {@link Kernels#recurrentSequence} on the vector kernels: the arguments, and the time loop over all
 * hidden units on the calling thread ({@link #runAlone}) or as one of the two threads of a split
 * ({@link SplitRecurrence}, see {@link RecurrenceHelper}).
 *
 * <p>Each step's hidden product is the packed row product of {@code sgemmPacked} with m = 1
 * ({@link VectorGemv#packedRow}) over a range of columns; every column's sum is computed by the same operations in
 * the same order whichever range (and thread) it belongs to, and the gate updates are lane-wise
 * ({@link VectorCells#cellUnits}), so a split gives exactly the bits of one thread, which are those of
 * {@code broadcastRows}, {@code sgemmPacked} and the cell kernel called step by step.
 *
 * <p>An object only for a split: about 100 bytes per call, plus its {@link SplitSteps} and hand-off record (JMH
 * {@code -prof gc} measured about 200 bytes more per forward call of a one-layer GRU), read by both threads, which
 * write disjoint units. A recurrence on one thread runs the static {@link #runAlone} and allocates nothing (as a
 * method of the object it cost 88 bytes per call at 128 bits, where C2 left a step of the time loop a real call,
 * "already compiled into a big method", and the object escaped into it).
 */
final class VectorRecurrence implements SplitRecurrence {

    private final CellKind cell;
    private final boolean reverse;
    private final int steps;
    private final int hidden;
    private final int gh;                  // G * hidden, the gate columns
    private final float[] ig;              // (steps, G * hidden), consumed
    private final int igOffset;
    private final VectorPackedMatrix whh;  // W_hh^T, hidden x G * hidden
    private final float[] bhh;             // (G * hidden) or null
    private final int bhhOffset;
    private final float[] h0;              // (hidden)
    private final int h0Offset;
    private final float[] c;               // LSTM: (hidden), updated in place; else unused
    private final int cOffset;
    private final float[] h;               // (steps, hidden), leading dimension ldh
    private final int hOffset;
    private final int ldh;
    private final float[] hg;              // (G * hidden) scratch; a split's threads write disjoint columns
    private final int hgOffset;

    VectorRecurrence(CellKind cell, boolean reverse, int steps, int hidden, float[] ig, int igOffset,
                     VectorPackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset, float[] c,
                     int cOffset, float[] h, int hOffset, int ldh, float[] hg, int hgOffset) {
        this.cell = cell;
        this.reverse = reverse;
        this.steps = steps;
        this.hidden = hidden;
        this.gh = cell.gates() * hidden;
        this.ig = ig;
        this.igOffset = igOffset;
        this.whh = whh;
        this.bhh = bhh;
        this.bhhOffset = bhhOffset;
        this.h0 = h0;
        this.h0Offset = h0Offset;
        this.c = c;
        this.cOffset = cOffset;
        this.h = h;
        this.hOffset = hOffset;
        this.ldh = ldh;
        this.hg = hg;
        this.hgOffset = hgOffset;
    }

    @Override
    public int hidden() {
        return hidden;
    }

    @Override
    public int steps() {
        return steps;
    }

    /**
     * The whole recurrence of {@link Kernels#recurrentSequence} with batch 1 (arguments as there) on the calling
     * thread: per step one product over all gate columns (one pass over W_hh), then the gates. Fusing the gate
     * update into the product per block of units (each block's gates applied while hot) measured no faster (GRU
     * hidden 256, 30 steps, best of many: 264 us whole, 266 us in blocks of 128 units, 299 us in blocks of 64, whose
     * two-panel ranges miss the four-panel loop of the product), so the passes stay whole. Every other step passes
     * over W_hh backwards ({@link VectorGemv#packedRow} with descending): a W_hh larger than the cache, read in one
     * direction every step, missed on every line (the lines read last were the first evicted), while read back the
     * other way the part the last step left in cache comes first. One JVM alternating the builds (Xeon family 6 model
     * 167, L2 2 MB, 100 steps): one thread LSTM hidden 512 (W_hh 4 MB) 1.49x, GRU 512 1.70x, RNN 1024 1.50x, LSTM
     * 1024 1.09x; two threads LSTM 512 1.28x, GRU 1024 1.26x; LSTM 256 (1 MB, cached either way) 0.99x. Computes
     * what {@link #computeHalf} computes for each half of a split.
     */
    static void runAlone(CellKind cell, boolean reverse, int steps, int hidden, float[] ig, int igOffset,
                         VectorPackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset, float[] c,
                         int cOffset, float[] h, int hOffset, int ldh, float[] hg, int hgOffset) {
        int gh = cell.gates() * hidden;
        for (int s = 0; s < steps; s++) {
            int t = time(reverse, steps, s);
            float[] hPrev = s == 0 ? h0 : h;
            int hPrevOffset = hPrevOffset(reverse, steps, s, h0Offset, hOffset, ldh);
            // every other step passes over W_hh backwards: what the last pass left in cache is read first
            VectorGemv.packedRow(1f, hPrev, hPrevOffset, 1, whh, 0, gh, 0f, bhh, bhhOffset, hg, hgOffset,
                    s % 2 == 1);
            VectorCells.cellUnits(cell, hidden, 0, hidden, ig, igOffset + t * gh, hg, hgOffset, hPrev, hPrevOffset, c,
                    cOffset, h, hOffset + t * ldh);
        }
    }

    /**
     * Half of step s of a split run ({@link SplitRecurrence}): the columns of every gate for the units
     * {@code [u0, u1)} (u0 and u1 multiples of the panel width NR, so every range starts on a panel), then their
     * cell update.
     */
    @Override
    public void computeHalf(int s, int u0, int u1) {
        boolean descending = s % 2 == 1; // every other step backwards, see runAlone
        for (int i = 0; i < gh; i += hidden) {
            int g = descending ? gh - hidden - i : i;
            hiddenGates(s, g + u0, g + u1, descending);
        }
        gates(s, u0, u1);
    }

    /** {@code hg[j] = hPrev . W_hh^T[:, j] + b_hh[j]} for the columns {@code [col0, col1)} of step s. */
    private void hiddenGates(int s, int col0, int col1, boolean descending) {
        // the bias added as the sums are written: the bits of copying it into hg and accumulating with beta = 1
        VectorGemv.packedRow(1f, hPrev(s), hPrevOffset(s), 1, whh, col0, col1, 0f, bhh, bhhOffset, hg, hgOffset,
                descending);
    }

    /** The cell update of the units {@code [u0, u1)} of step s, writing its h row (and c). */
    private void gates(int s, int u0, int u1) {
        int t = time(s);
        VectorCells.cellUnits(cell, hidden, u0, u1, ig, igOffset + t * gh, hg, hgOffset, hPrev(s), hPrevOffset(s), c,
                cOffset, h, hOffset + t * ldh);
    }

    private int time(int s) {
        return time(reverse, steps, s);
    }

    private float[] hPrev(int s) {
        return s == 0 ? h0 : h;
    }

    private int hPrevOffset(int s) {
        return hPrevOffset(reverse, steps, s, h0Offset, hOffset, ldh);
    }

    /** The time step computed s-th: the reverse direction runs from the last step down. */
    private static int time(boolean reverse, int steps, int s) {
        return reverse ? steps - 1 - s : s;
    }

    /** Where the hidden state that step s reads starts: h0 for the first step, else the h row of the one before. */
    private static int hPrevOffset(boolean reverse, int steps, int s, int h0Offset, int hOffset, int ldh) {
        return s == 0 ? h0Offset : hOffset + time(reverse, steps, s - 1) * ldh;
    }
}
