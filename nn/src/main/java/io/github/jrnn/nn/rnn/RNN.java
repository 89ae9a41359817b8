package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.random.Generator;

/**
 * Elman RNN, {@code torch.nn.RNN}: per layer and direction {@code h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T +
 * b_hh)} with act = tanh (default) or relu. Shapes, parameters and thread safety as {@link RNNBase}.
 *
 * <pre>
 * RNN rnn = RNN.builder(10, 20).numLayers(2).nonlinearity("relu").batchFirst(true).build();
 * RecurrentOutput out = rnn.forward(x);           // x: (N, L, 10); out.output(): (N, L, 20)
 * </pre>
 */
public final class RNN extends RNNBase {

    /**
     * {@code nn.RNN(input_size, hidden_size)} with PyTorch's defaults.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h
     */
    public RNN(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize).options(RecurrentMode.RNN_TANH, 0), null, null);
    }

    /**
     * Builds from complete options (mode RNN_TANH or RNN_RELU).
     *
     * @param options   the constructor arguments
     * @param generator initial weights and dropout, null for the default generator
     * @param kernels   arithmetic, null for {@link io.github.jrnn.kernels.KernelProvider#kernels()}
     */
    public RNN(RecurrentOptions options, Generator generator, Kernels kernels) {
        super(requireMode(options), generator, kernels);
    }

    private static RecurrentOptions requireMode(RecurrentOptions options) {
        if (options != null && options.mode() != RecurrentMode.RNN_TANH && options.mode() != RecurrentMode.RNN_RELU) {
            throw new IllegalArgumentException("RNN needs mode RNN_TANH or RNN_RELU, got " + options.mode()
                    + "; hint: use GRU or LSTM, or RNNBase.create(options, ...)");
        }
        return options;
    }

    /**
     * A builder with PyTorch's defaults for {@code nn.RNN(input_size, hidden_size, ...)}.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h
     * @return a new builder
     */
    public static Builder builder(int inputSize, int hiddenSize) {
        return new Builder(inputSize, hiddenSize);
    }

    /**
     * PyTorch's {@code nonlinearity}: {@code "tanh"} or {@code "relu"}.
     *
     * @return {@code "tanh"} or {@code "relu"}
     */
    public String nonlinearity() {
        return mode().nonlinearity();
    }

    /**
     * Runs on a padded or unbatched input from {@code h0} ((D * num_layers, N, H) or unbatched without N).
     *
     * @param input (L, N, H_in), (N, L, H_in) with batch_first, or unbatched (L, H_in)
     * @param h0 the initial hidden state, or null for zeros
     * @return output and h_n
     */
    public RecurrentOutput forward(Tensor input, Tensor h0) {
        return forward(input, h0, null);
    }

    /**
     * Runs on a packed batch from {@code h0} ((D * num_layers, N, H), in the caller's original batch order).
     *
     * @param input a packed batch of H_in-wide rows
     * @param h0 the initial hidden state, or null for zeros
     * @return the packed output and h_n
     */
    public PackedRecurrentOutput forward(PackedSequence input, Tensor h0) {
        return forward(input, h0, null);
    }

    /** Builder for {@link RNN}; adds {@code nonlinearity} to the common options. */
    public static final class Builder extends RecurrentBuilder<RNN, Builder> {
        private RecurrentMode mode = RecurrentMode.RNN_TANH;

        Builder(int inputSize, int hiddenSize) {
            super(inputSize, hiddenSize);
        }

        /**
         * PyTorch {@code nonlinearity} (default {@code "tanh"}): {@code "tanh"} or {@code "relu"}.
         *
         * @param nonlinearity {@code "tanh"} or {@code "relu"}
         * @return this builder
         */
        public Builder nonlinearity(String nonlinearity) {
            this.mode = RecurrentMode.forNonlinearity(nonlinearity);
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        public RNN build() {
            return new RNN(options(mode, 0), generator, kernels);
        }
    }
}
