package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;

/**
 * One GRU step, {@code torch.nn.GRUCell}, gate rows r | z | n:
 * {@code r = sigmoid(ig_r + hg_r), z = sigmoid(ig_z + hg_z), n = tanh(ig_n + r * hg_n), h' = (1 - z) * n + z * h}
 * with {@code ig = x W_ih^T + b_ih}, {@code hg = h W_hh^T + b_hh}. Shapes, parameters (G = 3) and thread safety
 * as {@link RecurrentCellBase}.
 */
public final class GRUCell extends RecurrentCellBase {

    /**
     * {@code nn.GRUCell(input_size, hidden_size)} with bias.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h
     */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    /**
     * {@code nn.GRUCell(input_size, hidden_size, bias)}.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h
     * @param bias whether to add the learnt biases {@code b_ih} and {@code b_hh}
     */
    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        this(inputSize, hiddenSize, bias, null, null);
    }

    /**
     * As {@link #GRUCell(int, int, boolean)} with an explicit generator and kernels (null for the defaults).
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h
     * @param bias whether to add the learnt biases {@code b_ih} and {@code b_hh}
     * @param generator initial weights, null for {@link Generator#defaultGenerator()}
     * @param kernels arithmetic, null for {@link io.github.jrnn.kernels.KernelProvider#kernels()}
     */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, Generator generator, Kernels kernels) {
        super(RecurrentMode.GRU, inputSize, hiddenSize, bias, generator, kernels);
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
