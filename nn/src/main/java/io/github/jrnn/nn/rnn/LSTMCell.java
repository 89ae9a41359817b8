package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;

/**
 * One LSTM step, {@code torch.nn.LSTMCell}, gate rows i | f | g | o:
 * {@code c' = sigmoid(f) * c + sigmoid(i) * tanh(g), h' = sigmoid(o) * tanh(c')} on the pre-activations
 * {@code x W_ih^T + b_ih + h W_hh^T + b_hh}. Shapes, parameters (G = 4) and thread safety as
 * {@link RecurrentCellBase}.
 */
public final class LSTMCell extends RecurrentCellBase {

    /**
     * The new states {@code (h', c')}, each (N, H) or unbatched (H).
     *
     * @param h the new hidden state
     * @param c the new cell state
     */
    public record State(Tensor h, Tensor c) {
    }

    /**
     * {@code nn.LSTMCell(input_size, hidden_size)} with bias.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h and c
     */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    /**
     * {@code nn.LSTMCell(input_size, hidden_size, bias)}.
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h and c
     * @param bias whether to add the learnt biases {@code b_ih} and {@code b_hh}
     */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        this(inputSize, hiddenSize, bias, null, null);
    }

    /**
     * As {@link #LSTMCell(int, int, boolean)} with an explicit generator and kernels (null for the defaults).
     *
     * @param inputSize PyTorch {@code input_size}: the width of an input row
     * @param hiddenSize PyTorch {@code hidden_size}: the width of h and c
     * @param bias whether to add the learnt biases {@code b_ih} and {@code b_hh}
     * @param generator initial weights, null for {@link Generator#defaultGenerator()}
     * @param kernels arithmetic, null for {@link io.github.jrnn.kernels.KernelProvider#kernels()}
     */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Generator generator, Kernels kernels) {
        super(RecurrentMode.LSTM, inputSize, hiddenSize, bias, generator, kernels);
    }

    /**
     * One step from h = c = 0.
     *
     * @param input (N, input_size) or unbatched (input_size)
     * @return h' and c'
     */
    public State forward(Tensor input) {
        return forward(input, null, null);
    }

    /**
     * One step: input (N, input_size) or (input_size); hx and cx (N, H) or (H), both or neither (null for zeros),
     * like PyTorch's {@code hx} tuple. The given tensors are not modified.
     *
     * @param input (N, input_size) or unbatched (input_size)
     * @param hx the previous h, (N, H) or (H), or null for zeros
     * @param cx the previous c, shaped as hx, or null for zeros
     * @return h' and c'
     */
    public State forward(Tensor input, Tensor hx, Tensor cx) {
        if ((hx == null) != (cx == null)) {
            throw new IllegalArgumentException("LSTMCell expects both hx and cx or neither, got only "
                    + (hx == null ? "cx" : "hx") + "; hint: PyTorch passes them as one tuple (hx, cx); pass zeros"
                    + " of shape (N, hidden_size) for the other one");
        }
        Tensor[] hc = step(input, hx, cx);
        return new State(hc[0], hc[1]);
    }
}
