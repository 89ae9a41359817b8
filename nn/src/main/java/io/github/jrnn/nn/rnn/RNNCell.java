package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;

/**
 * One Elman RNN step, {@code torch.nn.RNNCell}: {@code h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)} with
 * act = tanh (default) or relu. Shapes, parameters and thread safety as {@link RecurrentCellBase}.
 */
public final class RNNCell extends RecurrentCellBase {

    /**
     * {@code nn.RNNCell(input_size, hidden_size)}: bias, tanh.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h
     */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    /**
     * {@code nn.RNNCell(input_size, hidden_size, bias, nonlinearity)}; nonlinearity "tanh" or "relu".
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h
     * @param bias whether to add the learnt biases {@code b_ih} and {@code b_hh}
     * @param nonlinearity {@code "tanh"} or {@code "relu"}
     */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        this(inputSize, hiddenSize, bias, nonlinearity, null, null);
    }

    /**
     * {@code nn.RNNCell(input_size, hidden_size, bias, nonlinearity)} with its initial weights drawn from
     * {@code generator}.
     *
     * @param inputSize    PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize   PyTorch {@code hidden_size}: the width of h
     * @param bias         whether to add the learnt biases {@code b_ih} and {@code b_hh}
     * @param nonlinearity {@code "tanh"} or {@code "relu"}
     * @param generator initial weights, null for {@link Generator#defaultGenerator()}
     * @param kernels   arithmetic, null for {@link io.github.jrnn.kernels.KernelProvider#kernels()}
     */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity, Generator generator,
                   Kernels kernels) {
        super(RecurrentMode.forNonlinearity(nonlinearity), inputSize, hiddenSize, bias, generator, kernels);
    }

    /**
     * PyTorch's {@code nonlinearity}.
     *
     * @return {@code "tanh"} or {@code "relu"}
     */
    public String nonlinearity() {
        return mode().nonlinearity();
    }

    /**
     * One step from h = 0.
     *
     * @param input (N, input_size) or unbatched (input_size)
     * @return h', (N, H) or (H)
     */
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /**
     * One step: input (N, input_size) or (input_size), hx (N, H) or (H) or null for zeros; returns h'.
     *
     * @param input (N, input_size) or unbatched (input_size)
     * @param hx the previous h, (N, H) or (H), or null for zeros
     * @return h', shaped as hx
     */
    public Tensor forward(Tensor input, Tensor hx) {
        return step(input, hx, null)[0];
    }
}
