package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.MatrixSlice;
import io.github.jrnn.kernels.PackedMatrix;

/**
 * Backpropagation through time for one (layer, direction) of a recorded sequence forward: one fused pass over
 * the steps in the opposite order of the forward direction, then every weight gradient as one product over all
 * steps. Shapes as {@link RecurrentTape} (R rows, G gates, GH = G * H, H_out = proj_size or H).
 *
 * <h2>The time loop</h2>
 * {@code dH} (R, H_out) starts as this direction's column block of the layer's output gradient, plus the h_n
 * gradient at each sequence's final step. Processing a step makes its rows' {@code dH} complete (later steps have
 * already added their recurrent part), so per step, for the running rows:
 * <pre>
 * RNN   dG = dh * act'(h)                                   (rnnTanhCellBackward / rnnReluCellBackward)
 * GRU   dIg, dHg, dhPrev_direct = gruCellBackward(dh, hPrev, r|z|n|hg_n)
 * LSTM  dh~ = dh W_hr (proj_size) or dh;  dG, dc := lstmCellBackward(dh~, dc, cPrev, c_t, i|f|g|o)
 * dhPrev = dHg W_hh (+ dhPrev_direct for GRU)               added into dH of the previous step, or into dh_0
 * </pre>
 * where dIg = dHg = dG except for GRU (whose n gate sees {@code r * hg_n}). The LSTM cell gradient dc is carried
 * per batch row; it starts from the c_n gradient at each sequence's final step and leaves as dc_0. A dense batch
 * without a projection runs the whole loop as one {@link Kernels#recurrentLayerBackward} call.
 *
 * <h2>After the loop</h2>
 * With X the layer input (R, in) and Hprev (R, H_out) each row's previous hidden state (for a packed batch
 * assembled from the output rows and h_0 by row copies; a dense batch's products read them where they are):
 * <pre>
 * dW_ih = dIg^T X      dW_hh = dHg^T Hprev      db_ih = sum_rows dIg      db_hh = sum_rows dHg
 * dW_hr = dH^T (o * tanh(c))                    dX (+)= dIg W_ih   (the second direction adds to the first)
 * </pre>
 * One instance serves all (layer, direction) pairs of one backward call; its large buffers come from the module's
 * {@link BackwardScratch}.
 */
final class DirectionBackward {

    /** Gradient arrays of one direction's parameters (null where the parameter is absent or needs none). */
    record Grads(float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh, float[] weightHr) {
    }

    private final Kernels k;
    private final RecurrentOptions o;
    private final RecurrentTape tape;
    private final StepRows rows;
    private final RecurrentMode mode;
    private final int batch;
    private final int hidden;
    private final int hOut;
    private final int gh;
    private final int ldOut;
    private final float[] dH;        // (R, H_out): total gradient of every row's h (a reused buffer, may be longer)
    private final int dHLength;      // R * H_out
    private final float[] dIg;       // (R, GH): gradients of the input-gate pre-activations
    private final float[] dHg;       // (R, GH): of the hidden-gate pre-activations; dIg itself except for GRU
    private float[] hPrev;           // (R, H_out): every row's previous h, for dW_hh of a packed batch; made when
                                     // first needed (a dense batch reads the previous h where it is)
    private final float[] dhDirect;  // (N, H): GRU, the kernel's direct dh * z part of dhPrev
    private final float[] dhCell;    // (N, H): LSTM with proj_size, dh W_hr
    private final float[] dc;        // (N, H): LSTM, the running cell-state gradient
    // Where a step's cell backward reads and writes: one slice per operand, pointed at the step's rows before each
    // call, so the time loop allocates nothing.
    private final MatrixSlice dhAt = new MatrixSlice();        // dh (LSTM with proj_size: dh W_hr)
    private final MatrixSlice hAt = new MatrixSlice();         // RNN: the step's output h
    private final MatrixSlice hPrevAt = new MatrixSlice();     // GRU
    private final MatrixSlice cPrevAt = new MatrixSlice();     // LSTM
    private final MatrixSlice cAt = new MatrixSlice();         // LSTM: the step's c
    private final MatrixSlice savedAt = new MatrixSlice();     // GRU/LSTM: the step's workspace
    private final MatrixSlice dcAt = new MatrixSlice();        // LSTM: the running dc
    private final MatrixSlice dIgAt = new MatrixSlice();
    private final MatrixSlice dHgAt = new MatrixSlice();       // GRU
    private final MatrixSlice dhDirectAt = new MatrixSlice();  // GRU

    /**
     * @param scratch where the large working arrays come from (dH, dIg, GRU's dHg); this backward call's alone
     */
    DirectionBackward(Kernels kernels, RecurrentOptions options, RecurrentTape tape, BackwardScratch scratch) {
        this.k = kernels.unchecked(); // the forward checked every shape the backward reuses
        this.o = options;
        this.tape = tape;
        this.rows = tape.rows;
        this.mode = options.mode();
        this.batch = rows.batch();
        this.hidden = options.hiddenSize();
        this.hOut = options.hiddenOutSize();
        this.gh = mode.gates() * hidden;
        this.ldOut = options.numDirections() * hOut;
        int r = rows.totalRows();
        this.dHLength = Math.multiplyExact(r, hOut);
        this.dH = scratch.hiddenGradients(dHLength);
        this.dIg = scratch.inputGateGradients(Math.multiplyExact(r, gh));
        this.dHg = mode == RecurrentMode.GRU ? scratch.hiddenGateGradients(Math.multiplyExact(r, gh)) : dIg;
        this.dhDirect = mode == RecurrentMode.GRU ? new float[batch * hidden] : null;
        this.dhCell = options.projSize() > 0 ? new float[batch * hidden] : null;
        this.dc = mode == RecurrentMode.LSTM ? new float[batch * hidden] : null;
    }

    /**
     * Back-propagates one (layer, direction).
     *
     * @param dOut      (R, D * H_out) gradient of the layer's output (before dropout), or null for zeros
     * @param dhN       (D * L, N, H_out) gradient of h_n in the sorted order, or null for zeros
     * @param dcN       LSTM: (D * L, N, H) gradient of c_n in the sorted order, or null for zeros
     * @param dh0       (D * L, N, H_out) receives the gradient of h_0 (this state's block, added to)
     * @param dc0       LSTM: (D * L, N, H) receives the gradient of c_0 (this state's block, written)
     * @param dX        (R, in) receives the gradient of the layer input, or null when none is needed
     * @param addToDx   true to add to dX (the second direction), false to overwrite it
     * @param g         where the parameter gradients go (written, not accumulated)
     */
    void run(int layer, int dir, PackedWeights weights, float[] dOut, float[] dhN, float[] dcN, float[] dh0,
             float[] dc0, float[] dX, boolean addToDx, Grads g) {
        // W_hh (and W_hr) are the right operand of a product at every step: packed once per weight version (by the
        // module, into storage it keeps) instead of by every step's sgemm (a 1024 x 256 LSTM W_hh took 8% of a
        // batch-32 train step, repacked at each of 50 steps).
        DirectionWeights w = weights.weights();
        PackedMatrix hh = weights.hiddenForBackward();
        PackedMatrix hr = dhCell == null ? null : k.packB(false, hOut, hidden, w.weightHr().data(), 0, hidden);
        Pass p = new Pass(layer, dir, hh, hr);
        if (dOut == null) {
            k.fill(dHLength, 0f, dH, 0);
        } else {
            copyRows(rows.totalRows(), hOut, dOut, p.colOffset, ldOut, dH, 0, hOut);
        }
        if (dhN != null) {
            for (int t = 0; t < rows.steps(); t++) {
                int from = rows.finalRowsFrom(t, p.reverse);
                int at = (rows.rowStart(t) + from) * hOut;
                k.add((rows.running(t) - from) * hOut, dH, at, dhN, p.h0Offset + from * hOut, dH, at);
            }
        }
        if (dhCell == null && rows.totalRows() == (long) rows.steps() * batch) {
            p.wholeSequences(dcN, dh0, dc0);
        } else {
            for (int s = rows.steps() - 1; s >= 0; s--) {
                p.step(rows.stepAt(s, p.reverse), dcN, dh0, dc0);
            }
        }
        p.parameterGradients(g);
        if (dX != null) {
            int in = o.layerInputSize(layer);
            k.sgemm(false, false, rows.totalRows(), in, gh, 1f, dIg, 0, gh, w.weightIh().data(), 0, in,
                    addToDx ? 1f : 0f, dX, 0, in);
        }
    }

    /** One (layer, direction) being back-propagated: its packed weights and saved rows. */
    private final class Pass {
        final PackedMatrix hh;  // W_hh (GH x H_out), packed: dhPrev += dHg W_hh
        final PackedMatrix hr;  // W_hr (H_out x H), packed, or null without a projection: dhCell = dh W_hr
        final boolean reverse;
        final int layer;
        final int colOffset;    // the direction's column block in the layer output
        final int h0Offset;     // the state's block in h_0 / h_n
        final int cOffset;      // the state's block in c_0 / c_n
        final float[] out;      // (R, D * H_out) the layer output (h before dropout)
        final float[] gates;    // (R, 4H) GRU / LSTM workspaces, else null
        final float[] cells;    // (R, H) LSTM c_t, else null

        Pass(int layer, int dir, PackedMatrix hh, PackedMatrix hr) {
            int state = layer * o.numDirections() + dir;
            this.hh = hh;
            this.hr = hr;
            this.reverse = dir == 1;
            this.layer = layer;
            this.colOffset = dir * hOut;
            this.h0Offset = state * batch * hOut;
            this.cOffset = state * batch * hidden;
            this.out = tape.layerOutputs[layer];
            this.gates = tape.gates == null ? null : tape.gates[state];
            this.cells = tape.cells == null ? null : tape.cells[state];
        }

        /**
         * Every step of a dense batch (every sequence runs every step) without a projection, as one kernel call
         * ({@link Kernels#recurrentLayerBackward}: the calls {@link #step} makes, with the same bits, possibly split
         * over cores by sequences).
         */
        void wholeSequences(float[] dcN, float[] dh0, float[] dc0) {
            if (dc != null) {
                if (dcN == null) {
                    k.fill(batch * hidden, 0f, dc, 0);
                } else {
                    System.arraycopy(dcN, cOffset, dc, 0, batch * hidden);
                }
            }
            k.recurrentLayerBackward(CellStep.cellKind(mode), reverse, rows.steps(), batch, hidden, dH, 0, out,
                    colOffset, ldOut, tape.h0, h0Offset, gates, 0, cells, 0, tape.c0, cOffset, dc, 0, hh, dIg, 0, dHg,
                    0, dh0, h0Offset, dhDirect, 0);
            if (dc != null) {
                System.arraycopy(dc, 0, dc0, cOffset, batch * hidden);
            }
        }

        /** Step t: its rows' dH is complete; computes their gate gradients and passes dh (and dc) one step back. */
        void step(int t, float[] dcN, float[] dh0, float[] dc0) {
            int running = rows.running(t);
            int continuing = rows.continuing(t, reverse);
            int row0 = rows.rowStart(t);
            if (dc != null) {
                int from = rows.finalRowsFrom(t, reverse);
                if (dcN == null) {
                    k.fill((running - from) * hidden, 0f, dc, from * hidden);
                } else {
                    System.arraycopy(dcN, cOffset + from * hidden, dc, from * hidden, (running - from) * hidden);
                }
            }
            if (dhCell != null) {
                // h = hCell W_hr^T, so the cell sees dh W_hr
                k.sgemmPacked(false, running, 1f, dH, row0 * hOut, hOut, hr, 0f, dhCell, 0, hidden);
            }
            if (continuing > 0) {
                int prevRow = rows.rowStart(rows.previousStep(t, reverse));
                segment(t, 0, continuing, out, prevRow * ldOut + colOffset, ldOut, cells, prevRow * hidden,
                        dH, prevRow * hOut);
            }
            if (running > continuing) {
                segment(t, continuing, running, tape.h0, h0Offset + continuing * hOut, hOut,
                        tape.c0, cOffset + continuing * hidden, dh0, h0Offset + continuing * hOut);
                if (dc != null) {
                    System.arraycopy(dc, continuing * hidden, dc0, cOffset + continuing * hidden,
                            (running - continuing) * hidden);
                }
            }
        }

        /**
         * Rows [r0, r1) of step t, whose previous states are at {@code hPrevSrc} (leading dimension ldPrev) and
         * {@code cPrevSrc} (contiguous); their previous-h gradient is added at {@code dhPrev[dhPrevOffset]}
         * (contiguous rows of width H_out).
         */
        private void segment(int t, int r0, int r1, float[] hPrevSrc, int hPrevOffset, int ldPrev,
                             float[] cPrevSrc, int cPrevOffset, float[] dhPrev, int dhPrevOffset) {
            int n = r1 - r0;
            int row = rows.rowStart(t) + r0;
            MatrixSlice dIgRows = dIgAt.set(dIg, row * gh, gh);
            switch (mode) {
                case RNN_TANH -> k.rnnTanhCellBackward(n, hidden, dhAt.set(dH, row * hOut, hOut),
                        hAt.set(out, row * ldOut + colOffset, ldOut), dIgRows);
                case RNN_RELU -> k.rnnReluCellBackward(n, hidden, dhAt.set(dH, row * hOut, hOut),
                        hAt.set(out, row * ldOut + colOffset, ldOut), dIgRows);
                case GRU -> {
                    k.gruCellBackward(n, hidden, dhAt.set(dH, row * hOut, hOut),
                            hPrevAt.set(hPrevSrc, hPrevOffset, ldPrev),
                            savedAt.set(gates, row * 4 * hidden, 4 * hidden), dIgRows, dHgAt.set(dHg, row * gh, gh),
                            dhDirectAt.set(dhDirect, 0, hidden));
                    k.add(n * hidden, dhPrev, dhPrevOffset, dhDirect, 0, dhPrev, dhPrevOffset);
                }
                case LSTM -> {
                    MatrixSlice dh = dhCell != null ? dhAt.set(dhCell, r0 * hidden, hidden)
                            : dhAt.set(dH, row * hOut, hOut);
                    k.lstmCellBackward(n, hidden, dh, dcAt.set(dc, r0 * hidden, hidden),
                            cPrevAt.set(cPrevSrc, cPrevOffset, hidden), cAt.set(cells, row * hidden, hidden),
                            savedAt.set(gates, row * 4 * hidden, 4 * hidden), dIgRows);
                }
            }
            // hg = hPrev W_hh^T + b_hh, so dhPrev += dHg W_hh
            k.sgemmPacked(false, n, 1f, dHg, row * gh, gh, hh, 1f, dhPrev, dhPrevOffset, hOut);
        }

        /** The weight and bias gradients, each one product (or column sum) over all rows of all steps. */
        void parameterGradients(Grads g) {
            int total = rows.totalRows();
            int in = o.layerInputSize(layer);
            if (g.weightIh() != null) {
                k.sgemm(true, false, gh, in, total, 1f, dIg, 0, gh, tape.layerInputs[layer], 0, in, 0f,
                        g.weightIh(), 0, in);
            }
            if (g.biasIh() != null) {
                k.sumRows(total, gh, dIg, 0, gh, g.biasIh(), 0);
            }
            if (g.biasHh() != null) {
                if (dHg == dIg && g.biasIh() != null) {
                    // the same sums (every mode but GRU): copied, not summed again
                    System.arraycopy(g.biasIh(), 0, g.biasHh(), 0, gh);
                } else {
                    k.sumRows(total, gh, dHg, 0, gh, g.biasHh(), 0);
                }
            }
            if (g.weightHh() != null) {
                hiddenWeightGradient(g.weightHh());
            }
            if (g.weightHr() != null) {
                int state = layer * o.numDirections() + (reverse ? 1 : 0);
                k.sgemm(true, false, hOut, hidden, total, 1f, dH, 0, hOut, tape.projectionInputs[state], 0,
                        hidden, 0f, g.weightHr(), 0, hidden);
            }
        }

        /**
         * {@code dW_hh = dHg^T Hprev}. A dense batch (every sequence runs every step) reads Hprev where it is: the
         * rows of the direction's first step pair with h_0, every other step's with the output rows of the step
         * before it, two products summing into dW_hh (the first step's rows first). Otherwise Hprev is assembled row
         * by row first ({@link #gatherPreviousStates}).
         */
        private void hiddenWeightGradient(float[] dW) {
            int total = rows.totalRows();
            if (total != rows.steps() * batch || total == 0) {
                gatherPreviousStates();
                k.sgemm(true, false, gh, hOut, total, 1f, dHg, 0, gh, hPrev, 0, hOut, 0f, dW, 0, hOut);
                return;
            }
            int steps = rows.steps();
            int firstStep = reverse ? steps - 1 : 0;
            k.sgemm(true, false, gh, hOut, batch, 1f, dHg, firstStep * batch * gh, gh, tape.h0, h0Offset, hOut, 0f, dW,
                    0, hOut);
            if (steps > 1) {
                // forward: rows of steps 1.. with the outputs of steps 0..; reverse: rows of steps 0..L-2 with the
                // outputs of steps 1..L-1
                int dHgFrom = reverse ? 0 : batch * gh;
                int outFrom = (reverse ? batch * ldOut : 0) + colOffset;
                k.sgemm(true, false, gh, hOut, (steps - 1) * batch, 1f, dHg, dHgFrom, gh, out, outFrom, ldOut, 1f, dW,
                        0, hOut);
            }
        }

        /** Fills hPrev row by row with the state each row's step started from (output rows or h_0). */
        private void gatherPreviousStates() {
            if (hPrev == null) {
                hPrev = new float[dHLength];
            }
            for (int t = 0; t < rows.steps(); t++) {
                int running = rows.running(t);
                int continuing = rows.continuing(t, reverse);
                int row0 = rows.rowStart(t);
                if (continuing > 0) {
                    int prevRow = rows.rowStart(rows.previousStep(t, reverse));
                    copyRows(continuing, hOut, out, prevRow * ldOut + colOffset, ldOut, hPrev, row0 * hOut, hOut);
                }
                copyRows(running - continuing, hOut, tape.h0, h0Offset + continuing * hOut, hOut,
                        hPrev, (row0 + continuing) * hOut, hOut);
            }
        }
    }

    /** Copies n rows of the given width between matrices with leading dimensions ldSrc and ldDst. */
    private static void copyRows(int n, int width, float[] src, int srcOffset, int ldSrc, float[] dst,
                                 int dstOffset, int ldDst) {
        if (ldSrc == width && ldDst == width) {
            System.arraycopy(src, srcOffset, dst, dstOffset, n * width);
            return;
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(src, srcOffset + i * ldSrc, dst, dstOffset + i * ldDst, width);
        }
    }
}
