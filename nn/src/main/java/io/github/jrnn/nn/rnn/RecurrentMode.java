package io.github.jrnn.nn.rnn;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * The recurrence a recurrent module computes, PyTorch's {@code mode} argument of {@code RNNBase}, with the number
 * of gates G whose weights are stacked in {@code weight_ih} / {@code weight_hh} (rows {@code G * hidden_size}).
 *
 * <pre>
 * RNN_TANH  G = 1   h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)
 * RNN_RELU  G = 1   h' = relu(x W_ih^T + b_ih + h W_hh^T + b_hh)
 * GRU       G = 3   rows r | z | n:  r = sigmoid(ig_r + hg_r), z = sigmoid(ig_z + hg_z),
 *                   n = tanh(ig_n + r * hg_n), h' = (1 - z) * n + z * h
 * LSTM      G = 4   rows i | f | g | o:  c' = sigmoid(f) * c + sigmoid(i) * tanh(g), h' = sigmoid(o) * tanh(c')
 * </pre>
 * where {@code ig = x W_ih^T + b_ih} and {@code hg = h W_hh^T + b_hh}.
 */
public enum RecurrentMode {
    /** {@code nn.RNN(nonlinearity='tanh')}: one gate. */
    RNN_TANH(1),
    /** {@code nn.RNN(nonlinearity='relu')}: one gate. */
    RNN_RELU(1),
    /** {@code nn.GRU}: three gates r, z, n. */
    GRU(3),
    /** {@code nn.LSTM}: four gates i, f, g, o. */
    LSTM(4);

    private final int gates;

    RecurrentMode(int gates) {
        this.gates = gates;
    }

    /**
     * Number of gates G: the weight matrices have {@code G * hidden_size} rows.
     *
     * @return G, the gate count
     */
    public int gates() {
        return gates;
    }

    /**
     * {@code G * hidden_size}, the rows of {@code weight_ih} and {@code weight_hh}, refused instead of wrapped when
     * it is larger than a tensor holds.
     *
     * @param hiddenSize H
     * @return {@code G * H}, the rows of a weight_ih or weight_hh
     * @throws IllegalArgumentException when the product is larger than {@link Tensor#MAX_ELEMENTS}
     */
    public int gateRows(int hiddenSize) {
        long rows = (long) gates * hiddenSize;
        if (rows > io.github.jrnn.nn.tensor.Tensor.MAX_ELEMENTS) {
            throw new IllegalArgumentException("hidden_size=" + hiddenSize + " is too large for " + this + ": its "
                    + gates + " gates need " + rows + " weight rows, more than the " + Tensor.MAX_ELEMENTS
                    + " elements a tensor holds");
        }
        return (int) rows;
    }

    /**
     * The RNN mode for PyTorch's {@code nonlinearity} argument of {@code nn.RNN} / {@code nn.RNNCell}.
     *
     * @param nonlinearity {@code "tanh"} or {@code "relu"}
     * @return RNN_TANH or RNN_RELU
     * @throws IllegalArgumentException unless it is {@code "tanh"} or {@code "relu"}
     */
    public static RecurrentMode forNonlinearity(String nonlinearity) {
        if ("tanh".equals(nonlinearity)) {
            return RNN_TANH;
        }
        if ("relu".equals(nonlinearity)) {
            return RNN_RELU;
        }
        throw new IllegalArgumentException("Unknown nonlinearity '" + nonlinearity
                + "'; hint: nonlinearity must be 'tanh' or 'relu' (lower case), as in torch.nn.RNN");
    }

    /**
     * The {@code nonlinearity} of an RNN mode ({@code "tanh"} or {@code "relu"}).
     *
     * @return {@code "tanh"} or {@code "relu"}
     */
    public String nonlinearity() {
        return switch (this) {
            case RNN_TANH -> "tanh";
            case RNN_RELU -> "relu";
            case GRU, LSTM -> throw new IllegalStateException(this + " has no nonlinearity argument");
        };
    }
}
