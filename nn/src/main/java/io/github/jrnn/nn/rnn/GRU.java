package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.random.Generator;

/**
 * Gated recurrent unit, {@code torch.nn.GRU}, gate rows r | z | n:
 * <pre>
 * r_t = sigmoid(x_t W_ir^T + b_ir + h_{t-1} W_hr^T + b_hr)
 * z_t = sigmoid(x_t W_iz^T + b_iz + h_{t-1} W_hz^T + b_hz)
 * n_t = tanh(x_t W_in^T + b_in + r_t * (h_{t-1} W_hn^T + b_hn))
 * h_t = (1 - z_t) * n_t + z_t * h_{t-1}
 * </pre>
 * Shapes, parameters (G = 3) and thread safety as {@link RNNBase}.
 */
public final class GRU extends RNNBase {

    /**
     * {@code nn.GRU(input_size, hidden_size)} with PyTorch's defaults.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h
     */
    public GRU(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize).options(RecurrentMode.GRU, 0), null, null);
    }

    /**
     * Builds from complete options (mode GRU); null generator / kernels mean the defaults.
     *
     * @param options the constructor arguments, mode GRU
     * @param generator initial weights and dropout, null for the default generator
     * @param kernels arithmetic, null for {@link io.github.jrnn.kernels.KernelProvider#kernels()}
     */
    public GRU(RecurrentOptions options, Generator generator, Kernels kernels) {
        super(requireMode(options), generator, kernels);
    }

    private static RecurrentOptions requireMode(RecurrentOptions options) {
        if (options != null && options.mode() != RecurrentMode.GRU) {
            throw new IllegalArgumentException("GRU needs mode GRU, got " + options.mode()
                    + "; hint: use RNN or LSTM, or RNNBase.create(options, ...)");
        }
        return options;
    }

    /**
     * A builder with PyTorch's defaults for {@code nn.GRU(input_size, hidden_size, ...)}.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h
     * @return a new builder
     */
    public static Builder builder(int inputSize, int hiddenSize) {
        return new Builder(inputSize, hiddenSize);
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

    /** Builder for {@link GRU} (the common options only). */
    public static final class Builder extends RecurrentBuilder<GRU, Builder> {
        Builder(int inputSize, int hiddenSize) {
            super(inputSize, hiddenSize);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        public GRU build() {
            return new GRU(options(RecurrentMode.GRU, 0), generator, kernels);
        }
    }
}
