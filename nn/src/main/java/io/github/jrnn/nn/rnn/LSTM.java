package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;

/**
 * Long short-term memory, {@code torch.nn.LSTM}, gate rows i | f | g | o:
 * <pre>
 * i_t = sigmoid(x_t W_ii^T + b_ii + h_{t-1} W_hi^T + b_hi)      f_t, o_t likewise with sigmoid
 * g_t = tanh(x_t W_ig^T + b_ig + h_{t-1} W_hg^T + b_hg)
 * c_t = f_t * c_{t-1} + i_t * g_t
 * h_t = o_t * tanh(c_t)                   with proj_size &gt; 0:  h_t = (o_t * tanh(c_t)) W_hr^T
 * </pre>
 * With {@code proj_size} the hidden state h (and the output) has width proj_size while c keeps hidden_size.
 * The states are passed as {@code (h_0, c_0)}, both or neither, like PyTorch's {@code hx} tuple. Shapes,
 * parameters (G = 4) and thread safety as {@link RNNBase}.
 */
public final class LSTM extends RNNBase {

    /**
     * {@code nn.LSTM(input_size, hidden_size)} with PyTorch's defaults.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of c (and of h without projection)
     */
    public LSTM(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize).options(RecurrentMode.LSTM, 0), null, null);
    }

    /**
     * Builds from complete options (mode LSTM); null generator / kernels mean the defaults.
     *
     * @param options the constructor arguments, mode LSTM
     * @param generator initial weights and dropout, null for the default generator
     * @param kernels arithmetic, null for {@link io.github.jrnn.kernels.KernelProvider#kernels()}
     */
    public LSTM(RecurrentOptions options, Generator generator, Kernels kernels) {
        super(requireMode(options), generator, kernels);
    }

    private static RecurrentOptions requireMode(RecurrentOptions options) {
        if (options != null && options.mode() != RecurrentMode.LSTM) {
            throw new IllegalArgumentException("LSTM needs mode LSTM, got " + options.mode()
                    + "; hint: use RNN or GRU, or RNNBase.create(options, ...)");
        }
        return options;
    }

    /**
     * A builder with PyTorch's defaults for {@code nn.LSTM(input_size, hidden_size, ...)}.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of c (and of h without projection)
     * @return a new builder
     */
    public static Builder builder(int inputSize, int hiddenSize) {
        return new Builder(inputSize, hiddenSize);
    }

    /** LSTM's {@code check_forward_args}: both states or neither, then hidden[0] and hidden[1] (the cell). */
    @Override
    void checkForwardArgs(SequenceShape s, Tensor h0, Tensor c0) {
        if (h0 == null && c0 == null) {
            return;
        }
        if (h0 == null || c0 == null) {
            throw new IllegalArgumentException("LSTM expects both h_0 and c_0 or neither, got only "
                    + (h0 == null ? "c_0" : "h_0") + "; hint: PyTorch passes them as one tuple (h_0, c_0); pass"
                    + " zeros of shape " + Tensor.shapeTuple(h0 == null
                    ? RecurrentChecks.expectedHiddenSize(options(), s) : RecurrentChecks.expectedCellSize(options(), s))
                    + " for the other one");
        }
        RecurrentChecks.checkStateDims(options(), s, h0, c0);
        RecurrentChecks.checkHiddenSize(options(), s, h0, RecurrentChecks.expectedHiddenSize(options(), s),
                "Expected hidden[0] size", "h_0");
        RecurrentChecks.checkHiddenSize(options(), s, c0, RecurrentChecks.expectedCellSize(options(), s),
                "Expected hidden[1] size", "c_0");
    }

    /** Builder for {@link LSTM}; adds {@code proj_size} to the common options. */
    public static final class Builder extends RecurrentBuilder<LSTM, Builder> {
        private int projSize;

        Builder(int inputSize, int hiddenSize) {
            super(inputSize, hiddenSize);
        }

        /**
         * PyTorch {@code proj_size} (default 0): when &gt; 0, h = (o * tanh(c)) W_hr^T has width proj_size.
         *
         * @param projSize the width h is projected to, 0 for none (less than hidden_size)
         * @return this builder
         */
        public Builder projSize(int projSize) {
            this.projSize = projSize;
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        public LSTM build() {
            return new LSTM(options(RecurrentMode.LSTM, projSize), generator, kernels);
        }
    }
}
