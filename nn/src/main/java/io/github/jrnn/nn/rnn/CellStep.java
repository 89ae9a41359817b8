package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.CellKind;
import io.github.jrnn.kernels.Kernels;

/**
 * The arithmetic of a recurrent step for one set of weights, shared by the sequence modules, the streams and the
 * cells; every operation is a kernel call. Matrices are row-major with the leading dimensions given; G = gates,
 * H = hidden_size, H_out = proj_size or H, GH = G * H.
 *
 * <p>An instance fixes what stays the same over a pass: the kernels, the mode, the sizes and the weights. It is
 * made once per (layer, direction) and forward call, per stream layer, or per cell step; where each step reads
 * and writes comes in a reused {@link Operands}, so the time loop allocates nothing. Every product multiplies by
 * the module's packed weights ({@link PackedWeights}), looked up at each call so that a long-lived stream follows
 * the parameters' changes.
 *
 * <p>The kernels run unchecked ({@link Kernels#unchecked()}): the modules validate every shape once per call
 * ({@link RecurrentChecks}, the cells' and the stream's own checks) and every slice of a step is derived from
 * those shapes, so the kernels' front-door checks would only repeat the same checks on every step.
 */
final class CellStep {

    private final Kernels k;
    private final RecurrentMode mode;
    private final int hidden;
    private final int gh;
    private final DirectionWeights w;
    private final PackedWeights packed;

    /**
     * The step of {@code mode} over the weights of {@code packed}, computing with the unchecked twin of
     * {@code kernels}.
     */
    CellStep(Kernels kernels, RecurrentMode mode, int hidden, PackedWeights packed) {
        this.k = kernels.unchecked();
        this.mode = mode;
        this.hidden = hidden;
        this.gh = mode.gates() * hidden;
        this.w = packed.weights();
        this.packed = packed;
    }

    /**
     * Where one step reads and writes. One instance serves every step of a pass: set what changes before each
     * {@link #step}; the setters return this instance so a step's operands read as one statement. Used by one
     * thread at a time.
     */
    static final class Operands {
        float[] ig;          // (rows, GH) input gates, contiguous; consumed by the GRU/LSTM kernels without workspace
        int igOffset;
        float[] hg;          // (rows, GH) scratch for the hidden gates, contiguous
        int hgOffset;
        float[] hPrev;       // (rows, H_out) previous h, leading dimension ldhPrev
        int hPrevOffset;
        int ldhPrev;
        float[] cPrev;       // LSTM: (rows, H) previous c, contiguous
        int cPrevOffset;
        float[] c;           // LSTM: (rows, H) new c, contiguous; may be cPrev's slice (in-place update)
        int cOffset;
        float[] hCell;       // LSTM with projection: (rows, H) o * tanh(c') before W_hr, contiguous; else unused
        int hCellOffset;
        float[] h;           // (rows, H_out) new h, leading dimension ldh; may not overlap hPrev
        int hOffset;
        int ldh;
        float[] workspace;   // GRU/LSTM: (rows, 4H) gate activations for the backward, or null to keep none
        int workspaceOffset;

        /** The input gates {@code ig = x W_ih^T + b_ih} of the step's rows and the scratch for their hidden gates. */
        Operands gates(float[] ig, int igOffset, float[] hg, int hgOffset) {
            this.ig = ig;
            this.igOffset = igOffset;
            this.hg = hg;
            this.hgOffset = hgOffset;
            return this;
        }

        /** The hidden state the step starts from. */
        Operands previous(float[] hPrev, int hPrevOffset, int ldhPrev) {
            this.hPrev = hPrev;
            this.hPrevOffset = hPrevOffset;
            this.ldhPrev = ldhPrev;
            return this;
        }

        /** LSTM: the cell state read and the one written (the same slice for an in-place update). */
        Operands cells(float[] cPrev, int cPrevOffset, float[] c, int cOffset) {
            this.cPrev = cPrev;
            this.cPrevOffset = cPrevOffset;
            this.c = c;
            this.cOffset = cOffset;
            return this;
        }

        /** LSTM with proj_size: where the unprojected {@code o * tanh(c')} goes before {@code h' = hCell W_hr^T}. */
        Operands projection(float[] hCell, int hCellOffset) {
            this.hCell = hCell;
            this.hCellOffset = hCellOffset;
            return this;
        }

        /** Where h' goes. */
        Operands next(float[] h, int hOffset, int ldh) {
            this.h = h;
            this.hOffset = hOffset;
            this.ldh = ldh;
            return this;
        }

        /** Where the GRU/LSTM gate activations go for the backward (null: keep none; ignored by the RNN modes). */
        Operands saveTo(float[] workspace, int workspaceOffset) {
            this.workspace = workspace;
            this.workspaceOffset = workspaceOffset;
            return this;
        }
    }

    /**
     * {@code ig = x W_ih^T + b_ih} for all rows at once: x is rows x in (leading dimension in), ig rows x GH
     * (contiguous). One packed product that adds the bias as it writes ({@link Kernels#sgemmPackedBias}), as
     * PyTorch projects a whole sequence.
     */
    void inputGates(int rows, int in, float[] x, int xOffset, float[] ig, int igOffset) {
        if (w.biasIh() != null) {
            k.sgemmPackedBias(false, rows, 1f, x, xOffset, in, packed.current().ih(), w.biasIh().data(), 0, ig,
                    igOffset, gh);
        } else {
            k.sgemmPacked(false, rows, 1f, x, xOffset, in, packed.current().ih(), 0f, ig, igOffset, gh);
        }
    }

    /**
     * A whole layer and direction of {@code batch} sequences of equal length, without a projection:
     * run by run of at most {@code chunkSteps} steps, the run's {@link #inputGates} and then its steps as
     * {@link #step} computes them with all rows and no workspace, as one kernel call
     * ({@link Kernels#recurrentLayer}, which may use several threads). x: (steps * batch, in) contiguous; h0:
     * (batch, H); c: LSTM's (batch, H) state, c_0 in and the last step's c out (unused otherwise); h: (steps * batch,
     * H) with leading dimension ldh, row {@code t * batch + b} receiving sequence b's h_t; work: at least
     * {@link Kernels#recurrentLayerWorkFloats} floats. {@code reverse} runs from the last step down. To record for
     * the backward, gates (steps * batch, 4H) receives the GRU/LSTM workspaces and cells (steps * batch, H) every
     * LSTM c_t, c then holding c_0 unchanged; both null for inference.
     */
    void layer(boolean reverse, int steps, int batch, int in, float[] x, int xOffset, float[] h0, int h0Offset,
               float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] gates, float[] cells, int chunkSteps,
               float[] work) {
        PackedWeights.Snapshot p = packed.current();
        float[] bih = w.biasIh() != null ? w.biasIh().data() : null;
        float[] bhh = w.biasHh() != null ? w.biasHh().data() : null;
        k.recurrentLayer(cellKind(mode), reverse, steps, batch, hidden, in, x, xOffset, p.ih(), bih, 0, p.hh(), bhh, 0,
                h0, h0Offset, c, cOffset, h, hOffset, ldh, gates, 0, cells, 0, chunkSteps, work, 0);
    }

    /** The kernels' cell kind of {@code mode}. */
    static CellKind cellKind(RecurrentMode mode) {
        return switch (mode) {
            case RNN_TANH -> CellKind.RNN_TANH;
            case RNN_RELU -> CellKind.RNN_RELU;
            case GRU -> CellKind.GRU;
            case LSTM -> CellKind.LSTM;
        };
    }

    /**
     * One step for {@code rows} batch rows: {@code hg = hPrev W_hh^T + b_hh}, then the mode's fused gate kernel
     * writing h' (and for LSTM c'); with a projection the cell's {@code o * tanh(c')} goes to {@code hCell} and
     * {@code h' = hCell W_hr^T}.
     */
    void step(int rows, Operands o) {
        hiddenGates(rows, o);
        update(rows, o);
    }

    /** The first half of {@link #step}: {@code hg = hPrev W_hh^T + b_hh}. */
    void hiddenGates(int rows, Operands o) {
        PackedWeights.Snapshot p = packed.current();
        if (w.biasHh() != null) {
            k.sgemmPackedBias(false, rows, 1f, o.hPrev, o.hPrevOffset, o.ldhPrev, p.hh(), w.biasHh().data(), 0, o.hg,
                    o.hgOffset, gh);
        } else {
            k.sgemmPacked(false, rows, 1f, o.hPrev, o.hPrevOffset, o.ldhPrev, p.hh(), 0f, o.hg, o.hgOffset, gh);
        }
    }

    /** The second half of {@link #step}: the gate kernel (and the projection) from ig and hg. */
    void update(int rows, Operands o) {
        PackedWeights.Snapshot p = packed.current();
        switch (mode) {
            case RNN_TANH -> k.rnnTanhCell(rows, hidden, o.ig, o.igOffset, o.hg, o.hgOffset, o.h, o.hOffset, o.ldh);
            case RNN_RELU -> k.rnnReluCell(rows, hidden, o.ig, o.igOffset, o.hg, o.hgOffset, o.h, o.hOffset, o.ldh);
            case GRU -> k.gruCell(rows, hidden, o.ig, o.igOffset, o.hg, o.hgOffset, o.hPrev, o.hPrevOffset, o.ldhPrev,
                    o.h, o.hOffset, o.ldh, o.workspace, o.workspaceOffset);
            case LSTM -> {
                if (w.weightHr() == null) {
                    k.lstmCell(rows, hidden, o.ig, o.igOffset, o.hg, o.hgOffset, o.cPrev, o.cPrevOffset, o.c,
                            o.cOffset, o.h, o.hOffset, o.ldh, o.workspace, o.workspaceOffset);
                } else {
                    k.lstmCell(rows, hidden, o.ig, o.igOffset, o.hg, o.hgOffset, o.cPrev, o.cPrevOffset, o.c,
                            o.cOffset, o.hCell, o.hCellOffset, hidden, o.workspace, o.workspaceOffset);
                    k.sgemmPacked(false, rows, 1f, o.hCell, o.hCellOffset, hidden, p.hr(), 0f, o.h, o.hOffset,
                            o.ldh);
                }
            }
        }
    }
}
