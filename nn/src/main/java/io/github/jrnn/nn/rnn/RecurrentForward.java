package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import java.util.Arrays;

/**
 * One forward pass of a sequence module: the layers, directions and time steps over a batch whose running
 * sequences at every step are a prefix of the (sorted) batch.
 *
 * <p>Rows: the input and every layer's output are row-major matrices with one row per (step, sequence), step
 * after step, as laid out by {@link StepRows}. A padded time-major batch (L, N, *) is the special case
 * {@code batchSizes = [N] * L}, so dense and packed input share this code.
 *
 * <p>Per layer and direction: one sgemm for the input gates of all rows; per step, for the running rows, one
 * sgemm for the hidden gates and one fused gate kernel writing h straight into the output (leading dimension
 * D * H_out, the direction's column block). The forward direction's running rows continue from the previous
 * step's output rows. The reverse direction runs from the last step down; a sequence starts there at its own
 * last step, so the rows in {@code [batchSizes[t + 1], batchSizes[t])} start from h_0 while the others continue.
 * A pass without a projection whose sequences all run every step (a padded batch, or packed sequences of one
 * length) runs each direction as one {@link Kernels#recurrentLayer} call instead, recording into the tape when
 * there is one: the same operations with the same bits, possibly split over cores (at batch 1 without a tape each
 * step's hidden units over two, from batch 2 on the sequences, each core projecting its own sequences' inputs, so
 * that a training forward's cell updates run on both cores too). It goes in chunks of steps of
 * about {@link #CHUNK_GATE_FLOATS} input gates, each chunk's input projection right before its steps, so the gates
 * are read back from L2 instead of memory; with large weights in much larger chunks, so that W_ih is not streamed
 * again for every few steps ({@link #chunkSteps}).
 *
 * <p>Without a {@link RecurrentTape} (inference) the pass is lean: the buffers come from a reused
 * {@link ForwardScratch} (gates, two layer buffers used in turn), LSTM cell states are updated in place in their
 * c_n slice, there are no gate workspaces, and only the results (output, h_n, c_n; or none of them when the
 * caller gives arrays for them) and training-mode dropout masks are new arrays. With a tape it keeps every layer's
 * output, the dropout masks, the gate activations the cell kernels write into their workspaces and every c_t, and
 * computes exactly the same numbers.
 *
 * <p>All buffers are allocated when the pass is created or a layer starts, none inside the time loop. An instance
 * is used by one thread for one call; that is what makes concurrent forward calls on one module safe.
 */
final class RecurrentForward {

    /** Dropout between layers in training: fills {@code mask[0, n)} with 0 or {@code 1 / (1 - p)}. */
    interface DropoutMasks {
        void draw(float[] mask, int n);
    }

    /**
     * Input-gate floats of one chunk of a whole-sequence pass (1 MB) while a layer's weights are small
     * ({@link #LARGE_WEIGHT_FLOATS}). Computing every step's input gates first, as a step-by-step pass does, writes
     * them all to memory and reads them back a step at a time: at LSTM hidden 256, batch 32, 100 steps that is
     * 13 MB each way, and the projection writing them ran at 150 GFLOP/s against 190 for the per-step products on
     * the same Xeon (async-profiler). A chunk's gates stay in L2 between the two.
     */
    static final int CHUNK_GATE_FLOATS = 1 << 18;
    /**
     * Packed weight floats of one layer and direction ({@code (H_in + H) * G * H}, W_ih and W_hh) above which a
     * chunk takes up to {@link #LARGE_CHUNK_GATE_FLOATS} gates instead (3 M floats, 12 MB). Every chunk's projection
     * streams all of W_ih, and every step all of W_hh: once both no longer stay in the part of the last-level cache
     * one core gets, the chunks' projections push W_hh out and the steps fetch it from memory. Measured on the Xeon
     * (family 6 model 167, 2 cores; one JVM, both chunk sizes alternating, median of 8-20 pairs), whole forwards of
     * 100 steps at batch 32 with large chunks against 1 MB ones: LSTM hidden 1024 (32 MB of weights) 1.22x, batch 64
     * 1.21x, two threads 1.09x; GRU hidden 1024 (24 MB) 1.10x; LSTM hidden 768 (19 MB) 1.06x, GRU 768 (14 MB)
     * 1.05x; LSTM hidden 640 (13 MB) 1.00x; LSTM hidden 512 (8 MB) 0.94x and GRU hidden 512 batch 64 (6 MB) 0.90x,
     * where the gates' round trip through memory costs more than re-reading cached weights. (A product against one
     * 16 MB packed matrix ran at 125-130 GFLOP/s there, cycling through four such matrices at 65-70.)
     */
    static final long LARGE_WEIGHT_FLOATS = 3L << 20;
    /**
     * Input-gate floats of one chunk (64 MB) when the weights are large: bounds the gate buffer a pass holds
     * (hidden 1024, batch 32: 128 steps per chunk; a 100-step LSTM pass then takes all steps at once).
     */
    static final int LARGE_CHUNK_GATE_FLOATS = 1 << 24;
    /** The fewest steps in a chunk, so that no chunk is one step (a one-row product, computed another way). */
    private static final int MIN_CHUNK_STEPS = 4;

    private final Kernels k;
    private final RecurrentOptions o;
    private final PackedWeights[] weights;      // index layer * D + direction: the module's packed weights
    private final StepRows rows;
    private final RecurrentTape tape;           // null: inference, nothing is kept
    private final int batch;
    private final int directions;
    private final int hidden;
    private final int hOut;
    private final int gh;
    private final int ldOut;                    // D * H_out, the row width of a layer's output
    private final float[] ig;                   // (totalRows, G * H): input gates of the current direction; a
                                                // whole-sequence pass: the kernel's work scratch (chunk gates...)
    private final int chunkSteps;               // whole-sequence pass: steps per chunk (chunkSteps); else 0
    private final float[] hg;                   // (N, G * H): hidden gates of the current step; null for a
                                                // whole-sequence pass (in the kernel's work scratch)
    private final float[] hCell;                // (N, H): LSTM with projection and no tape, o * tanh(c); else null
    private final boolean wholeSequences;       // no projection, every sequence runs every step: one
                                                // recurrentLayer per direction
    private final ForwardScratch scratch;       // inference: reused buffers; null with a tape
    private final CellStep.Operands operands = new CellStep.Operands(); // reused by every step of the pass

    /**
     * @param kernels the module's kernels; the pass computes with their unchecked twin (the module has checked
     *                every shape, see {@link CellStep})
     * @param tape    where to keep what backward needs, or null for an inference pass that keeps nothing
     * @param scratch reusable buffers for an inference pass (ignored with a tape, which keeps everything; null for
     *                a private one)
     */
    RecurrentForward(Kernels kernels, RecurrentOptions options, PackedWeights[] weights, StepRows rows,
                     RecurrentTape tape, ForwardScratch scratch) {
        this.k = kernels.unchecked();
        this.o = options;
        this.weights = weights;
        this.rows = rows;
        this.tape = tape;
        this.batch = rows.batch();
        this.directions = options.numDirections();
        this.hidden = options.hiddenSize();
        this.hOut = options.hiddenOutSize();
        this.gh = options.mode().gates() * hidden;
        this.ldOut = directions * hOut;
        this.scratch = tape != null ? null : scratch != null ? scratch : new ForwardScratch();
        this.wholeSequences = options.projSize() == 0 && rows.totalRows() == (long) rows.steps() * batch;
        this.chunkSteps = !wholeSequences ? 0
                : chunkSteps(rows.steps(), batch, gh, largestLayerWeights(options, gh));
        int igLength = wholeSequences ? layerWorkFloats(options, rows.steps(), batch, chunkSteps)
                : Math.multiplyExact(rows.totalRows(), gh);
        this.ig = this.scratch != null ? this.scratch.inputGates(igLength) : new float[igLength];
        this.hg = wholeSequences ? null
                : this.scratch != null ? this.scratch.hiddenGates(batch * gh) : new float[batch * gh];
        boolean projection = options.projSize() > 0 && tape == null;
        this.hCell = !projection ? null
                : this.scratch != null ? this.scratch.projection(batch * hidden) : new float[batch * hidden];
    }

    /**
     * Steps per chunk of a whole-sequence pass: as many as fit {@link #CHUNK_GATE_FLOATS} input gates, or
     * {@link #LARGE_CHUNK_GATE_FLOATS} when a layer's packed weights exceed {@link #LARGE_WEIGHT_FLOATS}, at least
     * {@link #MIN_CHUNK_STEPS}, all of them when they fit. Chunks then get {@code steps / chunks} steps or one more
     * (as {@link Kernels#recurrentLayer} cuts them), never fewer than 2 when there are 2 steps or more.
     *
     * @param weightFloats the largest layer's {@code (H_in + H) * G * H}, its W_ih and W_hh together
     */
    static int chunkSteps(int steps, int batch, int gh, long weightFloats) {
        long perStep = Math.max(1, (long) batch * gh); // an empty batch or hidden size: one chunk, computing nothing
        long gates = weightFloats > LARGE_WEIGHT_FLOATS ? LARGE_CHUNK_GATE_FLOATS : CHUNK_GATE_FLOATS;
        int most = (int) Math.max(MIN_CHUNK_STEPS, Math.min(Integer.MAX_VALUE, gates / perStep));
        return Math.min(steps, most);
    }

    /** The weight floats {@link #chunkSteps} weighs: of the layer with the widest input, W_ih and W_hh. */
    private static long largestLayerWeights(RecurrentOptions options, int gh) {
        int widest = 0;
        for (int layer = 0; layer < options.numLayers(); layer++) {
            widest = Math.max(widest, options.layerInputSize(layer));
        }
        return ((long) widest + options.hiddenSize()) * gh;
    }

    /** The work scratch of {@link Kernels#recurrentLayer} for the widest layer input. */
    private static int layerWorkFloats(RecurrentOptions options, int steps, int batch, int chunkSteps) {
        int widest = 0;
        for (int layer = 0; layer < options.numLayers(); layer++) {
            widest = Math.max(widest, options.layerInputSize(layer));
        }
        return Kernels.recurrentLayerWorkFloats(CellStep.cellKind(options.mode()), steps, batch,
                options.hiddenSize(), widest, Math.max(1, chunkSteps));
    }

    /** The output rows, and h_n / c_n in the sorted batch order. */
    record Result(float[] output, float[] hN, float[] cN) {
    }

    /**
     * Runs all layers.
     *
     * @param x        (totalRows, input_size) rows
     * @param h0       (D * num_layers, N, H_out) in the sorted batch order
     * @param c0       LSTM: (D * num_layers, N, H) in the sorted order, or null for zeros; ignored otherwise
     * @param dropout  the masks applied to each layer's output except the last, or null for none
     */
    Result run(float[] x, float[] h0, float[] c0, DropoutMasks dropout) {
        return run(x, h0, c0, dropout, null);
    }

    /**
     * {@link #run(float[], float[], float[], DropoutMasks)} writing the top layer's output, h_n and c_n into the
     * arrays of {@code into} (exactly the sizes run would allocate; a pass without a tape), or into new arrays when
     * it is null. Every element of them is written: LSTM's c_n, where the cell state runs in place, starts from c0
     * or, without one, from zeros written first.
     */
    Result run(float[] x, float[] h0, float[] c0, DropoutMasks dropout, Result into) {
        int layers = o.numLayers();
        float[] hN = into != null ? into.hN() : new float[layers * directions * batch * hOut];
        float[] cN = o.mode() != RecurrentMode.LSTM ? null
                : into != null ? into.cN() : new float[layers * directions * batch * hidden];
        if (into != null && cN != null && c0 == null) {
            Arrays.fill(cN, 0f);
        }
        int length = Math.multiplyExact(rows.totalRows(), ldOut);
        float[] in = x;
        float[] out = layerOutput(0, length, into);
        for (int layer = 0; ; layer++) {
            if (tape != null) {
                tape.layerInputs[layer] = in;
                tape.layerOutputs[layer] = out;
            }
            for (int dir = 0; dir < directions; dir++) {
                runDirection(layer, dir, in, o.layerInputSize(layer), out, h0, c0, hN, cN);
            }
            if (layer == layers - 1) {
                return new Result(out, hN, cN);
            }
            float[] next = out;
            if (dropout != null) {
                float[] mask = new float[length];
                dropout.draw(mask, length);
                if (tape != null) {
                    tape.dropoutMasks[layer] = mask;
                    next = new float[length]; // backward needs the layer's h before dropout
                }
                k.mul(length, out, 0, mask, 0, next, 0);
            }
            in = next;
            out = layerOutput(layer + 1, length, into);
        }
    }

    /**
     * The buffer layer {@code layer} writes: for the top layer the given output array or a new one (it is the
     * result), with a tape a new one (it is kept); otherwise one of the scratch's two layer buffers, alternating,
     * so a layer never writes the buffer it reads (its input, the layer below's output, is in the other one).
     */
    private float[] layerOutput(int layer, int length, Result into) {
        if (layer == o.numLayers() - 1 && into != null) {
            return into.output();
        }
        if (layer == o.numLayers() - 1 || tape != null) {
            return new float[length];
        }
        return scratch.layer(layer % 2, length);
    }

    private void runDirection(int layer, int dir, float[] in, int inWidth, float[] out, float[] h0, float[] c0,
                              float[] hN, float[] cN) {
        int state = layer * directions + dir;
        // The module packs its weights once per weight version, not per call (PackedWeights): every step's
        // products read the packed copies.
        PackedWeights w = weights[state];
        Direction d = new Direction(w, out, dir * hOut, state);
        int h0Offset = state * batch * hOut;
        boolean reverse = dir == 1;
        if (wholeSequences) {
            float[] c = cN;
            if (d.cells != null) {
                c = tape.c0; // recording: c_0 is read, every c_t goes to the tape
            } else if (cN != null && c0 != null) {
                // LSTM's c runs in place in the state's c_n slice, as step by step.
                System.arraycopy(c0, d.cOffset, cN, d.cOffset, batch * hidden);
            }
            d.cell.layer(reverse, rows.steps(), batch, inWidth, in, 0, h0, h0Offset, c, d.cOffset, out,
                    d.colOffset, ldOut, d.gates, d.cells, chunkSteps, ig);
        } else {
            d.cell.inputGates(rows.totalRows(), inWidth, in, 0, ig, 0);
            stepByStep(d, reverse, h0, h0Offset, c0, cN);
        }
        // h_n (and with a tape c_n): each sequence's state at its own last step (the reverse direction ends at 0)
        for (int b = 0; b < batch; b++) {
            int row = rows.rowStart(rows.finalStep(b, reverse)) + b;
            System.arraycopy(out, row * ldOut + d.colOffset, hN, h0Offset + b * hOut, hOut);
            if (d.cells != null) {
                System.arraycopy(d.cells, row * hidden, cN, d.cOffset + b * hidden, hidden);
            }
        }
    }

    /** The time loop of one direction over the running rows of each step (any batch, with or without a tape). */
    private void stepByStep(Direction d, boolean reverse, float[] h0, int h0Offset, float[] c0, float[] cN) {
        for (int s = 0; s < rows.steps(); s++) {
            int t = rows.stepAt(s, reverse);
            int running = rows.running(t);
            int continuing = rows.continuing(t, reverse);
            if (continuing > 0) {
                int prevRow = rows.rowStart(rows.previousStep(t, reverse));
                d.step(t, 0, continuing, d.out, prevRow * ldOut + d.colOffset, ldOut,
                        d.cells != null ? d.cells : cN, d.cells != null ? prevRow * hidden : d.cOffset);
            }
            if (running > continuing) {
                int startC = d.cOffset + continuing * hidden;
                float[] cStart = cN;
                if (d.cells != null) {
                    cStart = tape.c0;
                } else if (cN != null && c0 != null) {
                    System.arraycopy(c0, startC, cN, startC, (running - continuing) * hidden);
                }
                d.step(t, continuing, running, h0, h0Offset + continuing * hOut, hOut, cStart,
                        startC - continuing * hidden);
            }
        }
    }

    /**
     * One (layer, direction) of the pass: its weights, where its h goes, and with a tape where its gates, c_t and
     * projection inputs go. Without a tape LSTM cell states live in the state's c_n slice ({@code cOffset}).
     */
    private final class Direction {
        final CellStep cell;
        final float[] out;
        final int colOffset;
        final int cOffset;
        final float[] gates;      // (totalRows, 4H) with a tape for GRU/LSTM, else null
        final float[] cells;      // (totalRows, H) with a tape for LSTM, else null
        final float[] projInputs; // (totalRows, H) with a tape for LSTM with proj_size, else null

        Direction(PackedWeights w, float[] out, int colOffset, int state) {
            this.cell = new CellStep(k, o.mode(), hidden, w);
            this.out = out;
            this.colOffset = colOffset;
            this.cOffset = state * batch * hidden;
            this.gates = tape != null && tape.gates != null ? tape.gates[state] : null;
            this.cells = tape != null && tape.cells != null ? tape.cells[state] : null;
            this.projInputs = tape != null && tape.projectionInputs != null ? tape.projectionInputs[state] : null;
        }

        /**
         * Step t for the running rows [r0, r1), continuing from hPrev (rows r0.., leading dimension ldPrev) and,
         * for LSTM, from the cell state rows at {@code cPrev[cPrevBase + r0 * H]}.
         */
        void step(int t, int r0, int r1, float[] hPrev, int hPrevOffset, int ldPrev, float[] cPrev,
                  int cPrevBase) {
            int row = rows.rowStart(t) + r0;
            int cPrevOffset = cPrevBase + r0 * hidden;
            float[] c = cells != null ? cells : cPrev;
            int cOut = cells != null ? row * hidden : cPrevOffset;
            float[] proj = projInputs != null ? projInputs : hCell;
            int projOffset = projInputs != null ? row * hidden : r0 * hidden;
            cell.step(r1 - r0, operands.gates(ig, row * gh, hg, r0 * gh).previous(hPrev, hPrevOffset, ldPrev)
                    .cells(cPrev, cPrevOffset, c, cOut).projection(proj, projOffset)
                    .next(out, row * ldOut + colOffset, ldOut).saveTo(gates, row * 4 * hidden));
        }
    }
}
