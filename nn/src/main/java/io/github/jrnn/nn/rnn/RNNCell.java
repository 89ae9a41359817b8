package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;

/**
 * One Elman RNN step, {@code torch.nn.RNNCell}: {@code h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)} with
 * act = tanh (default) or relu. Shapes, parameters and thread safety as {@link RecurrentCellBase}.
 */
public final class RNNCell extends RecurrentCellBase {

    /** {@code nn.RNNCell(input_size, hidden_size)}: bias, tanh. */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    /** {@code nn.RNNCell(input_size, hidden_size, bias, nonlinearity)}; nonlinearity "tanh" or "relu". */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        this(inputSize, hiddenSize, bias, nonlinearity, null, null);
    }

    /**
     * @param generator initial weights, null for {@link Generator#defaultGenerator()}
     * @param kernels   arithmetic, null for {@link io.github.jrnn.kernels.KernelProvider#kernels()}
     */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity, Generator generator,
                   Kernels kernels) {
        super(RecurrentMode.forNonlinearity(nonlinearity), inputSize, hiddenSize, bias, generator, kernels);
    }

    /** PyTorch's {@code nonlinearity}. */
    public String nonlinearity() {
        return mode().nonlinearity();
    }

    /** One step from h = 0. */
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** One step: input (N, input_size) or (input_size), hx (N, H) or (H) or null for zeros; returns h'. */
    public Tensor forward(Tensor input, Tensor hx) {
        return step(input, hx, null)[0];
    }
}
