package io.github.jrnn.nn.rnn;

/**
 * The constructor arguments of a recurrent sequence module, one-to-one with PyTorch's {@code RNNBase(mode,
 * input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False,
 * proj_size=0)}; {@code nn.RNN}'s {@code nonlinearity} selects {@link RecurrentMode#RNN_TANH} or
 * {@link RecurrentMode#RNN_RELU}.
 *
 * @param mode          PyTorch {@code mode}: the recurrence and its gate count
 * @param inputSize     PyTorch {@code input_size}: H_in, the features of each input step (&gt; 0)
 * @param hiddenSize    PyTorch {@code hidden_size}: H, the features of the hidden (and cell) state (&gt; 0)
 * @param numLayers     PyTorch {@code num_layers}: stacked layers; layer k &gt; 0 reads D * H_out features (&gt; 0)
 * @param bias          PyTorch {@code bias}: whether {@code bias_ih_l{k}} and {@code bias_hh_l{k}} exist
 * @param batchFirst    PyTorch {@code batch_first}: input and output are (N, L, *) instead of (L, N, *); the
 *                      hidden states are (D * num_layers, N, H_out) either way
 * @param dropout       PyTorch {@code dropout}: probability of zeroing each output element of every layer but
 *                      the last, in training mode only (in [0, 1])
 * @param bidirectional PyTorch {@code bidirectional}: D = 2 when true (a reverse pass per layer), else 1
 * @param projSize      PyTorch {@code proj_size}: LSTM only; when &gt; 0, h = h W_hr^T has width proj_size
 *                      (H_out = proj_size) and c keeps hidden_size (0 &lt;= proj_size &lt; hidden_size)
 */
public record RecurrentOptions(RecurrentMode mode, int inputSize, int hiddenSize, int numLayers, boolean bias,
                               boolean batchFirst, double dropout, boolean bidirectional, int projSize) {

    /** Validates like PyTorch's {@code RNNBase.__init__}, with PyTorch's messages and a hint. */
    public RecurrentOptions {
        if (mode == null) {
            throw new IllegalArgumentException("mode must be one of RNN_TANH, RNN_RELU, GRU, LSTM, got null");
        }
        if (inputSize <= 0) {
            throw new IllegalArgumentException("input_size must be greater than zero, got " + inputSize
                    + "; hint: input_size is the number of features of each input step (the last dimension)");
        }
        if (hiddenSize <= 0) {
            throw new IllegalArgumentException("hidden_size must be greater than zero, got " + hiddenSize);
        }
        if (numLayers <= 0) {
            throw new IllegalArgumentException("num_layers must be greater than zero, got " + numLayers);
        }
        mode.gateRows(hiddenSize); // refuses a gate count times hidden_size that does not fit
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout should be a number in range [0, 1] representing the"
                    + " probability of an element being zeroed, got " + dropout);
        }
        if (projSize < 0) {
            throw new IllegalArgumentException("proj_size should be a positive integer or zero to disable"
                    + " projections, got " + projSize);
        }
        if (projSize > 0 && mode != RecurrentMode.LSTM) {
            throw new IllegalArgumentException("proj_size argument is only supported for LSTM, not RNN or GRU"
                    + " (got proj_size=" + projSize + " for " + mode + ")");
        }
        if (projSize >= hiddenSize) {
            throw new IllegalArgumentException("proj_size has to be smaller than hidden_size, got proj_size="
                    + projSize + " and hidden_size=" + hiddenSize);
        }
    }

    /**
     * D: 2 when bidirectional, else 1.
     *
     * @return D: 2 when bidirectional, else 1
     */
    public int numDirections() {
        return bidirectional ? 2 : 1;
    }

    /**
     * H_out: the width of h ({@code proj_size} when projecting, else {@code hidden_size}).
     *
     * @return H_out: proj_size when positive, else hidden_size
     */
    public int hiddenOutSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    /**
     * The number of features layer {@code layer} reads: input_size for layer 0, D * H_out above it.
     *
     * @param layer the layer, from 0
     * @return input_size for layer 0, D * H_out above
     */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize : numDirections() * hiddenOutSize();
    }
}
