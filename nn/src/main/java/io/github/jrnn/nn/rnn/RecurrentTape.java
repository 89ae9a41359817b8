package io.github.jrnn.nn.rnn;

/**
 * What a recorded forward pass of a sequence module keeps for backpropagation through time
 * ({@link RecurrentBackward}); a forward that does not record has no tape and saves nothing.
 *
 * <p>Shapes, with R = total rows (one per step and running sequence, see {@link StepRows}), D = directions,
 * H = hidden_size, H_out = proj_size or H, and one "state" per (layer, direction), index {@code layer * D + dir}:
 * <pre>
 * layerInputs[k]   (R, in_k)        what layer k read: the module input for k = 0, above it the previous layer's
 *                                   output after dropout (the same array as layerOutputs[k - 1] without dropout)
 * layerOutputs[k]  (R, D * H_out)   layer k's h at every step, before dropout; the last one is the module output
 * dropoutMasks[k]  (R, D * H_out)   the mask applied to layerOutputs[k] (0 or 1 / (1 - p)); null without dropout
 * gates[s]         (R, 4 * H)       GRU: r | z | n | hg_n; LSTM: activated i | f | g | o; null for RNN
 * cells[s]         (R, H)           LSTM: c_t of every row; null otherwise
 * projectionInputs[s] (R, H)        LSTM with proj_size: o * tanh(c_t) before W_hr; null otherwise
 * h0               (D * L, N, H_out) the initial hidden states in the sorted batch order
 * c0               (D * L, N, H)    LSTM: the initial cell states (zeros when not given); null otherwise
 * </pre>
 * Memory per row and (layer, direction), in floats, beyond the outputs a forward produces anyway: RNN 0, GRU 4H,
 * LSTM 5H (6H with proj_size); per row and layer D * H_out more for every layer but the last (the outputs are not
 * recycled) and 2 D * H_out with dropout (the dropped copy and its mask).
 */
final class RecurrentTape {

    final StepRows rows;
    final float[][] layerInputs;
    final float[][] layerOutputs;
    final float[][] dropoutMasks;
    final float[][] gates;
    final float[][] cells;
    final float[][] projectionInputs;
    final float[] h0;
    final float[] c0;

    /**
     * Allocates the per-state buffers for a forward pass over {@code rows}; the forward fills them and sets the
     * layer buffers.
     */
    RecurrentTape(RecurrentOptions o, StepRows rows, float[] h0, float[] c0) {
        this.rows = rows;
        int layers = o.numLayers();
        int states = layers * o.numDirections();
        int hidden = o.hiddenSize();
        int r = rows.totalRows();
        boolean gated = o.mode() == RecurrentMode.GRU || o.mode() == RecurrentMode.LSTM;
        boolean lstm = o.mode() == RecurrentMode.LSTM;
        this.layerInputs = new float[layers][];
        this.layerOutputs = new float[layers][];
        this.dropoutMasks = new float[layers][];
        this.gates = gated ? new float[states][] : null;
        this.cells = lstm ? new float[states][] : null;
        this.projectionInputs = lstm && o.projSize() > 0 ? new float[states][] : null;
        for (int s = 0; s < states; s++) {
            if (gated) {
                gates[s] = new float[Math.multiplyExact(r, 4 * hidden)];
            }
            if (lstm) {
                cells[s] = new float[Math.multiplyExact(r, hidden)];
            }
            if (projectionInputs != null) {
                projectionInputs[s] = new float[Math.multiplyExact(r, hidden)];
            }
        }
        this.h0 = h0;
        this.c0 = lstm ? (c0 != null ? c0 : new float[states * rows.batch() * hidden]) : null;
    }
}
