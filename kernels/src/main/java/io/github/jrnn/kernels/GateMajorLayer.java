package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link Kernels#recurrentLayer} without recording over a batch of whole groups of NR sequences, computed
 * gate-major: every product is the transposed one, {@code ig^T = W_ih x^T + b_ih} and
 * {@code hg^T = W_hh h^T + b_hh}, with the weights as the A operand (their gate-row panels,
 * {@link VectorPackedMatrix#gateRowPanels}) and each group's NR sequences as one B panel. The cell updates are the
 * same lane-wise operations over a layout with the NR sequences of a unit side by side ({@link VectorCells#cellUnits}
 * over gate blocks of {@code hidden * NR} floats).
 *
 * <h2>Why</h2>
 * In the row-major step product {@code hg = h W_hh^T} (m = batch rows) W_hh^T is the B operand: each of its
 * NR-column panels comes from L3 (or L2) for the first MR-row tile and is read again for every further tile, and 32
 * rows are 12 + 12 + 8, ending in an edge tile. Gate-major, W_hh streams through once per step as A panels, one
 * broadcast per element, while the group's h^T (hidden x NR floats) stays in cache, and every tile is whole apart
 * from the last panel of each gate. Same bits: every element of C is still {@code fma(a, b, acc)} over p in order
 * from 0 (the multiplication commutes exactly), its bias added when written, the k-blocks as in
 * {@link BlockedGemm}. The step product alone, one thread, Xeon (family 6 model 167, AVX-512): 1.07x at hidden 128,
 * 1.01x at 256, 1.14x / 1.19x at 512 / 1024 (batch 32), 1.12x / 1.16x at 512 / 1024 (batch 64).
 *
 * <h2>Layout</h2>
 * Work ({@link Kernels#recurrentLayerWorkFloats}): the run's input gates as blocks of {@code G * hidden x NR} floats,
 * block {@code local step * groups + group}, row {@code g * hidden + u} holding that gate row of the group's NR
 * sequences. Own buffers (grown, reused call after call): hg^T (a block per group), h^T and c^T
 * ({@code hidden x NR} per group) and h^T again in native memory, twice, as the B panel of the next product (a
 * panel of NR columns is stored row after row, so its k-blocks are its consecutive KC-row slices, where
 * {@link GemmPacking#packB} would put them): step s reads copy {@code s % 2} and writes the other, so that under a
 * split by units one thread's new h never overwrites rows the other still multiplies with.
 *
 * <h2>Threads</h2>
 * One object per thread ({@link GemmScratch#gateMajorLayer}), its arguments set per call and cleared after it.
 * Groups are independent for the whole layer: several threads take shares of them ({@link #runGroups}). A single
 * group splits by hidden units ({@link SplitRecurrence}), the two threads meeting after every step; the split point
 * is where a gate's MR-row panels end or where a smaller micro-kernel takes their last rows ({@link #splitUnit}),
 * so that no tile holds both threads' units.
 */
final class GateMajorLayer implements SplitRecurrence {

    private static final int MR = GemmMicroKernel.MR;
    private static final int NR = GemmMicroKernel.NR;
    private static final int KC = GemmBlocking.KC;
    /** A panels per A block of the input projection: MC rows. */
    private static final int MC_PANELS = Math.max(1, GemmBlocking.MC / MR);
    /** B panels per packed block of the input projection: NC columns. */
    private static final int NC_PANELS = Math.max(1, GemmBlocking.NC / NR);

    private CellKind cell;
    private boolean reverse;
    private int steps;
    private int batch;
    private int hidden;
    private int inputSize;
    private float[] x;
    private int xOffset;
    private float[] wih;        // gate-row panels of W_ih
    private float[] bih;
    private int bihOffset;
    private float[] whh;        // gate-row panels of W_hh
    private float[] bhh;
    private int bhhOffset;
    private float[] h0;
    private int h0Offset;
    private float[] c;
    private int cOffset;
    private float[] h;
    private int hOffset;
    private int ldh;
    private int chunkSteps;
    private float[] work;
    private int workOffset;
    private int groups;         // batch / NR
    private int gates;          // G
    private int gh;             // G * hidden, the gate rows
    private int hp;             // panels per gate: ceil(hidden / MR)
    private int g0;             // this object's groups [g0, g1)
    private int g1;

    private float[] hgT = new float[0];
    private float[] hT = new float[0];
    private float[] cT = new float[0];
    private MemorySegment hPanels = MemorySegment.NULL;

    /**
     * Whether a layer of this shape runs gate-major: batch a positive multiple of NR and inputs to project (the
     * caller has ruled out recording already).
     */
    static boolean fits(int batch, int inputSize) {
        return batch >= NR && batch % NR == 0 && inputSize > 0;
    }

    /** Sequences per group: the panel width NR. */
    static int groupSize() {
        return NR;
    }

    /**
     * Sets the call's arguments (as {@link Kernels#recurrentLayer}'s, with W_ih and W_hh as their
     * {@link VectorPackedMatrix#gateRowPanels} for the cell's gates) and its share of groups {@code [g0, g1)}.
     */
    GateMajorLayer set(CellKind cell, boolean reverse, int steps, int batch, int hidden, int inputSize, float[] x,
                       int xOffset, float[] wih, float[] bih, int bihOffset, float[] whh,
                       float[] bhh, int bhhOffset, float[] h0, int h0Offset, float[] c, int cOffset, float[] h,
                       int hOffset, int ldh, int chunkSteps, float[] work, int workOffset, int g0, int g1) {
        this.cell = cell;
        this.reverse = reverse;
        this.steps = steps;
        this.batch = batch;
        this.hidden = hidden;
        this.inputSize = inputSize;
        this.x = x;
        this.xOffset = xOffset;
        this.wih = wih;
        this.bih = bih;
        this.bihOffset = bihOffset;
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
        this.chunkSteps = chunkSteps;
        this.work = work;
        this.workOffset = workOffset;
        this.groups = batch / NR;
        this.gates = cell.gates();
        this.gh = gates * hidden;
        this.hp = GemmPacking.ceilDiv(hidden, MR);
        this.g0 = g0;
        this.g1 = g1;
        int state = (g1 - g0) * hidden * NR;
        if (hT.length < state) {
            hT = new float[state];
            cT = new float[state];
            hPanels = VectorLanes.alignedFloats(2L * state);
        }
        if (hgT.length < (g1 - g0) * gh * NR) {
            hgT = new float[(g1 - g0) * gh * NR];
        }
        return this;
    }

    /** Drops the references to the call's arrays (the object outlives the call in its thread's scratch). */
    void clear() {
        x = null;
        wih = null;
        bih = null;
        whh = null;
        bhh = null;
        h0 = null;
        c = null;
        h = null;
        work = null;
    }

    @Override
    public int hidden() {
        return hidden;
    }

    @Override
    public int steps() {
        return steps;
    }

    /** The rows into a panel at which {@link #splitUnit} may cut it: none, or all but a smaller kernel's rows. */
    private static final int[] CUT_SKIPS = MR > 8 ? new int[] {0, MR - 8, MR - 4} : new int[] {0, MR - 4};

    /**
     * Where the halves meet: of the units at which a gate's MR-row panels can be cut, the one that leaves the two
     * threads the most even work per gate ({@link #tileCost}), the lower of two equal. A cut is a panel boundary,
     * or one that leaves the helper exactly the last 4 (or, where MR = 12, 8) rows of a panel, the rows one smaller
     * micro-kernel computes: that tile starts {@code skip} rows into the panel (each panel row p holds MR floats, so
     * the kernel reads rows skip to MR - 1, none of the next p's), and no tile holds both threads' units. At LSTM
     * hidden 128 (MR = 12, 10 panels of 12 rows and one of 8 per gate) whole panels split the units 60 + 68, the
     * helper's share costing 69.6 rows of the 12-row kernel against the caller's 60; the cut at 64 gives 66.4 +
     * 67.2. At hidden 256 the whole panels' 132 + 124 remain the most even (132 + 126.4 against 129.6 + 132.8 at
     * 128).
     */
    @Override
    public int splitUnit() {
        int best = 0;
        int bestCost = Integer.MAX_VALUE;
        for (int panel = 0; panel * MR < hidden; panel++) {
            for (int skip : CUT_SKIPS) { // in increasing order, so a tie keeps the lower
                int unit = panel * MR + skip;
                if (unit > 0 && unit < hidden) {
                    int cost = Math.max(tileCost(0, unit), tileCost(unit, hidden));
                    if (cost < bestCost) {
                        best = unit;
                        bestCost = cost;
                    }
                }
            }
        }
        return best;
    }

    /**
     * The time of one gate's tiles over the units {@code [u0, u1)}, in fifths of a 12-row kernel's time per row:
     * each tile costs what its kernel costs, whatever rows it keeps. Measured per row against the 12-row kernel
     * (async-profiler, LSTM hidden 256, batch 32, Xeon family 6 model 167): the 8-row kernel 1.2x, the 4-row
     * kernel 1.6x; the 6-row kernel of MR = 6 taken as the 12-row one.
     */
    private static int tileCost(int u0, int u1) {
        int cost = 0;
        for (int up = u0 / MR; up * MR < u1; up++) {
            int rows = Math.min(MR, u1 - up * MR) - Math.max(0, u0 - up * MR);
            cost += rows <= 4 ? 32 : MR == 6 ? 30 : rows <= 8 ? 48 : 60;
        }
        return cost;
    }

    /** The whole layer for this object's groups on the calling thread. */
    void runGroups() {
        loadState();
        int runs = runs();
        for (int i = 0; i < runs; i++) {
            int run = reverse ? runs - 1 - i : i;
            int t0 = LayerLoops.runStart(run, runs, steps);
            int n = LayerLoops.runStart(run + 1, runs, steps) - t0;
            project(t0, n, 0, hidden);
            for (int s = 0; s < n; s++) {
                int t = t0 + (reverse ? n - 1 - s : s);
                step(reverse ? steps - 1 - t : t, t, t0, 0, hidden);
            }
        }
        storeState();
    }

    /**
     * Half of step s of a split by units (one group): on the first step of a run, the run's input projection onto
     * the half's gate rows (whichever thread claims that half projects them; a later step of the run reads only
     * rows complete before it began), then the step's product, cells and output for the units {@code [u0, u1)}.
     */
    @Override
    public void computeHalf(int s, int u0, int u1) {
        int t = reverse ? steps - 1 - s : s;
        int runs = runs();
        int run = LayerLoops.runOf(t, runs, steps);
        int t0 = LayerLoops.runStart(run, runs, steps);
        int n = LayerLoops.runStart(run + 1, runs, steps) - t0;
        if (t == (reverse ? t0 + n - 1 : t0)) {
            project(t0, n, u0, u1);
        }
        step(s, t, t0, u0, u1);
    }

    /**
     * The whole layer of this object's one group split by hidden units between the calling thread and the
     * recurrence helper ({@link RecurrenceHelper#tryRunSplit}); false, computing nothing, when the helper is busy
     * with another caller's split.
     */
    boolean runSplitByUnits() {
        loadState();
        if (!RecurrenceHelper.tryRunSplit(this)) {
            return false;
        }
        storeState();
        return true;
    }

    /** h^T and c^T of this object's groups from h0 and c (LSTM), and h^T's first B panel copy. */
    private void loadState() {
        for (int j = 0; j < g1 - g0; j++) {
            int first = (g0 + j) * NR; // the group's first sequence
            int block = j * hidden * NR;
            for (int q = 0; q < NR; q++) {
                for (int u = 0; u < hidden; u++) {
                    hT[block + u * NR + q] = h0[h0Offset + (first + q) * hidden + u];
                    if (cell == CellKind.LSTM) {
                        cT[block + u * NR + q] = c[cOffset + (first + q) * hidden + u];
                    }
                }
            }
        }
        MemorySegment.copy(hT, 0, hPanels, ValueLayout.JAVA_FLOAT, 0, (g1 - g0) * hidden * NR);
    }

    /** c (LSTM, updated in place) from c^T once the last step is done. */
    private void storeState() {
        if (cell != CellKind.LSTM) {
            return;
        }
        for (int j = 0; j < g1 - g0; j++) {
            int first = (g0 + j) * NR;
            int block = j * hidden * NR;
            for (int q = 0; q < NR; q++) {
                for (int u = 0; u < hidden; u++) {
                    c[cOffset + (first + q) * hidden + u] = cT[block + u * NR + q];
                }
            }
        }
    }

    private int runs() {
        return (steps + chunkSteps - 1) / chunkSteps;
    }

    /**
     * The run's input gates {@code ig^T = W_ih x^T + b_ih} for steps {@code [t0, t0 + n)}, the gate rows of the
     * units {@code [u0, u1)} (u0 a multiple of MR) of this object's groups: blocked as {@link BlockedGemm} blocks a
     * product, its B operand the run's x rows of those groups, packed transposed NR rows (one group of one step) per
     * panel, at most NC columns at a time; A blocks of MC rows of gate panels.
     */
    private void project(int t0, int n, int u0, int u1) {
        int up0 = u0 / MR;
        int up1 = GemmPacking.ceilDiv(u1, MR);
        int perGate = up1 - up0;
        int mine = g1 - g0;
        int panels = n * mine;
        GemmScratch scratch = GemmScratch.current();
        float[] tile = scratch.tile();
        for (int pc = 0; pc < inputSize; pc += KC) {
            int kc = Math.min(KC, inputSize - pc);
            MemorySegment bPanels = scratch.bPanels(Math.min(panels, NC_PANELS) * kc * NR);
            float blockBeta = pc == 0 ? 0f : 1f;
            float[] blockBias = pc == 0 ? bih : null;
            for (int q0 = 0; q0 < panels; q0 += NC_PANELS) {
                int q1 = Math.min(panels, q0 + NC_PANELS);
                for (int q = q0; q < q1; q++) {
                    int row = (t0 + q / mine) * batch + (g0 + q % mine) * NR; // the panel's first x row
                    GemmPacking.packB(true, x, xOffset + row * inputSize + pc, inputSize, kc, NR, bPanels,
                            (long) (q - q0) * kc * NR);
                }
                for (int a0 = 0; a0 < gates * perGate; a0 += MC_PANELS) {
                    int a1 = Math.min(gates * perGate, a0 + MC_PANELS);
                    for (int q = q0; q < q1; q++) {
                        int block = workOffset + ((q / mine) * groups + g0 + q % mine) * gh * NR;
                        long bOffset = (long) (q - q0) * kc * NR;
                        for (int a = a0; a < a1; a++) {
                            int g = a / perGate;
                            int up = up0 + a % perGate;
                            int skip = Math.max(0, u0 - up * MR); // rows of a cut panel before u0
                            int unit = up * MR + skip;
                            int gateRow = g * hidden + unit;
                            GemmMicroKernel.tileRowBias(Math.min(MR - skip, u1 - unit), NR, kc, wih,
                                    pc * gates * hp * MR + (g * hp + up) * kc * MR + skip, bPanels, bOffset, tile,
                                    blockBeta, blockBias, bihOffset + gateRow, work, block + gateRow * NR, NR);
                        }
                    }
                }
            }
        }
    }

    /**
     * Step t (the s-th to run; t0 its run's first step) for the units {@code [u0, u1)} of this object's groups:
     * {@code hg^T = W_hh h^T + b_hh} on their gate rows, from h^T's copy {@code s % 2}; the cell updates; h^T's
     * new rows into copy {@code (s + 1) % 2} and, transposed, into h's rows of step t.
     */
    private void step(int s, int t, int t0, int u0, int u1) {
        int up0 = u0 / MR;
        int up1 = GemmPacking.ceilDiv(u1, MR);
        int mine = g1 - g0;
        int state = mine * hidden * NR;
        long readCopy = (long) (s % 2) * state;
        long writeCopy = (long) ((s + 1) % 2) * state;
        float[] tile = GemmScratch.current().tile();
        for (int pc = 0; pc < hidden; pc += KC) {
            int kc = Math.min(KC, hidden - pc);
            float blockBeta = pc == 0 ? 0f : 1f;
            float[] blockBias = pc == 0 ? bhh : null;
            for (int g = 0; g < gates; g++) {
                for (int up = up0; up < up1; up++) {
                    int skip = Math.max(0, u0 - up * MR); // rows of a cut panel before u0
                    int unit = up * MR + skip;
                    int gateRow = g * hidden + unit;
                    int aOffset = pc * gates * hp * MR + (g * hp + up) * kc * MR + skip;
                    int rows = Math.min(MR - skip, u1 - unit);
                    for (int j = 0; j < mine; j++) {
                        GemmMicroKernel.tileRowBias(rows, NR, kc, whh, aOffset, hPanels,
                                readCopy + (long) j * hidden * NR + (long) pc * NR, tile, blockBeta, blockBias,
                                bhhOffset + gateRow, hgT, (j * gh + gateRow) * NR, NR);
                    }
                }
            }
        }
        int local = t - t0;
        for (int j = 0; j < mine; j++) {
            int block = j * hidden * NR;
            int igBlock = workOffset + (local * groups + g0 + j) * gh * NR;
            VectorCells.cellUnits(cell, hidden * NR, u0 * NR, u1 * NR, work, igBlock, hgT, j * gh * NR, hT, block,
                    cT, block, hT, block);
            MemorySegment.copy(hT, block + u0 * NR, hPanels, ValueLayout.JAVA_FLOAT,
                    (writeCopy + block + (long) u0 * NR) * Float.BYTES, (u1 - u0) * NR);
            writeOutput(t, g0 + j, block, u0, u1);
        }
    }

    /**
     * h's rows of step t for the group's sequences, units {@code [u0, u1)}: h^T's L x L blocks transposed in
     * registers ({@link LaneTranspose}, whole vectors, so only blocks of L units inside the range), the last
     * units one by one.
     */
    private void writeOutput(int t, int group, int block, int u0, int u1) {
        int firstRow = hOffset + (t * batch + group * NR) * ldh;
        int u = u0;
        for (; u + L <= u1; u += L) {
            for (int q0 = 0; q0 < NR; q0 += L) {
                LaneTranspose.transpose(hT, block + u * NR + q0, NR, L, h, firstRow + q0 * ldh + u, ldh);
            }
        }
        for (; u < u1; u++) {
            for (int q = 0; q < NR; q++) {
                h[firstRow + q * ldh + u] = hT[block + u * NR + q];
            }
        }
    }
}
