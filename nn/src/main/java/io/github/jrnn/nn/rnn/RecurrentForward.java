package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import java.util.Arrays;

/**
 * One forward pass of a sequence module: the layers, directions and time steps over a batch whose running
 * sequences at every step are a prefix of the (sorted) batch.
 *
 * <p>Rows: the input and every layer's output are row-major matrices with one row per (step, sequence), step
 * after step: {@code rowStart(t) + b} is step t of sequence b, for {@code b < batchSizes[t]}. A padded
 * time-major batch (L, N, *) is the special case {@code batchSizes = [N] * L}, so dense and packed input share
 * this code.
 *
 * <p>Per layer and direction: one sgemm for the input gates of all rows; per step, for the running rows, one
 * sgemm for the hidden gates and one fused gate kernel writing h straight into the output (leading dimension
 * D * H_out, the direction's column block). The forward direction's running rows continue from the previous
 * step's output rows. The reverse direction runs from the last step down; a sequence starts there at its own
 * last step, so the rows in {@code [batchSizes[t + 1], batchSizes[t])} start from h_0 while the others continue.
 * LSTM cell states live in their c_n slice and are updated in place.
 *
 * <p>All buffers are allocated when the pass is created, none inside the time loop. An instance is used by one
 * thread for one call; that is what makes concurrent forward calls on one module safe.
 */
final class RecurrentForward {

    /** What runs between layers (dropout in training), in place on a layer's output rows. */
    interface BetweenLayers {
        void apply(float[] layerOutput, int length);
    }

    private final Kernels k;
    private final RecurrentOptions o;
    private final DirectionWeights[] weights;   // index layer * D + direction
    private final int[] batchSizes;             // (T), non-increasing
    private final int[] rowStart;               // (T), rowStart[t] = batchSizes[0] + ... + batchSizes[t - 1]
    private final int[] lengths;                // (N), steps of each (sorted) sequence
    private final int totalRows;
    private final int batch;
    private final int directions;
    private final int hidden;
    private final int hOut;
    private final int gh;
    private final int ldOut;                    // D * H_out, the row width of a layer's output
    private final float[] ig;                   // (totalRows, G * H): input gates of the current direction
    private final float[] hg;                   // (N, G * H): hidden gates of the current step
    private final float[] hCell;                // (N, H): LSTM with projection, o * tanh(c) before W_hr; else null

    RecurrentForward(Kernels kernels, RecurrentOptions options, DirectionWeights[] weights, int[] batchSizes,
                     int batch) {
        this.k = kernels;
        this.o = options;
        this.weights = weights;
        this.batchSizes = batchSizes;
        this.batch = batch;
        this.directions = options.numDirections();
        this.hidden = options.hiddenSize();
        this.hOut = options.hiddenOutSize();
        this.gh = options.mode().gates() * hidden;
        this.ldOut = directions * hOut;
        this.rowStart = new int[batchSizes.length];
        int rows = 0;
        for (int t = 0; t < batchSizes.length; t++) {
            rowStart[t] = rows;
            rows += batchSizes[t];
        }
        this.totalRows = rows;
        this.lengths = new int[batch];
        for (int t = 0; t < batchSizes.length; t++) {
            // the sequences running at step t are 0 .. batchSizes[t] - 1, so each of them is at least t + 1 long
            Arrays.fill(lengths, 0, batchSizes[t], t + 1);
        }
        this.ig = new float[Math.multiplyExact(totalRows, gh)];
        this.hg = new float[batch * gh];
        this.hCell = options.projSize() > 0 ? new float[batch * hidden] : null;
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
     * @param between  applied to each layer's output except the last, or null
     */
    Result run(float[] x, float[] h0, float[] c0, BetweenLayers between) {
        int layers = o.numLayers();
        float[] hN = new float[layers * directions * batch * hOut];
        float[] cN = o.mode() == RecurrentMode.LSTM ? new float[layers * directions * batch * hidden] : null;
        float[] current = new float[Math.multiplyExact(totalRows, ldOut)];
        float[] spare = layers > 1 ? new float[current.length] : null;
        float[] in = x;
        for (int layer = 0; layer < layers; layer++) {
            for (int dir = 0; dir < directions; dir++) {
                runDirection(layer, dir, in, o.layerInputSize(layer), current, h0, c0, hN, cN);
            }
            if (between != null && layer < layers - 1) {
                between.apply(current, current.length);
            }
            float[] done = current;
            current = layer == 0 ? spare : in;  // the previous layer's output is free once this layer is done
            in = done;
        }
        return new Result(in, hN, cN);
    }

    private void runDirection(int layer, int dir, float[] in, int inWidth, float[] out, float[] h0, float[] c0,
                              float[] hN, float[] cN) {
        DirectionWeights w = weights[layer * directions + dir];
        int state = layer * directions + dir;
        int h0Offset = state * batch * hOut;
        int cOffset = state * batch * hidden;
        int colOffset = dir * hOut;
        CellStep.inputGates(k, totalRows, inWidth, gh, in, 0, w, ig, 0);
        int steps = batchSizes.length;
        boolean reverse = dir == 1;
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            int running = batchSizes[t];
            int continuing = s == 0 ? 0 : reverse ? batchSizes[t + 1] : running;
            if (continuing > 0) {
                int prevRow = rowStart[reverse ? t + 1 : t - 1];
                step(w, t, 0, continuing, out, prevRow * ldOut + colOffset, ldOut, out, colOffset, cN, cOffset);
            }
            if (running > continuing) {
                if (cN != null && c0 != null) {
                    System.arraycopy(c0, cOffset + continuing * hidden, cN, cOffset + continuing * hidden,
                            (running - continuing) * hidden);
                }
                step(w, t, continuing, running, h0, h0Offset + continuing * hOut, hOut, out, colOffset, cN,
                        cOffset);
            }
        }
        // h_n: each sequence's h at its own last step (the reverse direction ends at step 0)
        for (int b = 0; b < batch; b++) {
            int last = reverse ? 0 : lengths[b] - 1;
            System.arraycopy(out, (rowStart[last] + b) * ldOut + colOffset, hN, h0Offset + b * hOut, hOut);
        }
    }

    /** Step t for the running rows [r0, r1), continuing from hPrev (rows r0.., leading dimension ldPrev). */
    private void step(DirectionWeights w, int t, int r0, int r1, float[] hPrev, int hPrevOffset, int ldPrev,
                      float[] out, int colOffset, float[] cN, int cOffset) {
        int row = rowStart[t] + r0;
        CellStep.step(k, o.mode(), r1 - r0, hidden, hOut, w, ig, row * gh, hg, r0 * gh,
                hPrev, hPrevOffset, ldPrev, cN, cOffset + r0 * hidden, hCell, r0 * hidden,
                out, row * ldOut + colOffset, ldOut);
    }
}
