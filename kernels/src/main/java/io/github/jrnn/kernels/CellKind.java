package io.github.jrnn.kernels;

/**
 * Which fused cell kernel a {@link Kernels#recurrentSequence} runs at every step, with its number of gates G (the
 * gate matrices ig and hg have {@code G * hidden} columns, gate g of hidden unit j in column {@code g * hidden + j}):
 * <pre>
 * RNN_TANH  G = 1   {@link Kernels#rnnTanhCell}   h' = tanh(ig + hg)
 * RNN_RELU  G = 1   {@link Kernels#rnnReluCell}   h' = relu(ig + hg)
 * GRU       G = 3   {@link Kernels#gruCell}       gates r | z | n
 * LSTM      G = 4   {@link Kernels#lstmCell}      gates i | f | g | o, with a cell state
 * </pre>
 */
public enum CellKind {
    /** Elman cell with tanh: {@link Kernels#rnnTanhCell}. */
    RNN_TANH(1),
    /** Elman cell with relu: {@link Kernels#rnnReluCell}. */
    RNN_RELU(1),
    /** PyTorch's GRU cell: {@link Kernels#gruCell}. */
    GRU(3),
    /** PyTorch's LSTM cell (without projection): {@link Kernels#lstmCell}. */
    LSTM(4);

    private final int gates;

    CellKind(int gates) {
        this.gates = gates;
    }

    /**
     * The number of gates G.
     *
     * @return 1, 3 or 4
     */
    public int gates() {
        return gates;
    }
}
