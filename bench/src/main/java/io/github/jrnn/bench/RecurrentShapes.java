package io.github.jrnn.bench;

/**
 * Fixed shapes of the recurrent-layer benchmarks, shared by the Java benchmarks, the PyTorch peer's arguments and
 * the report (so a changed shape changes all three). Input size is always the hidden size.
 */
public final class RecurrentShapes {

    /** Time steps of the whole-sequence forward benchmark. */
    public static final int SEQ_LEN = 100;
    /** Batch of the train-step benchmark. */
    public static final int TRAIN_BATCH = 32;
    /** Hidden (and input) size of the train-step benchmark. */
    public static final int TRAIN_HIDDEN = 256;
    /** Time steps of the train-step benchmark. */
    public static final int TRAIN_SEQ_LEN = 50;

    private RecurrentShapes() {
    }

    /** Gate blocks per mode: 1 for RNN_TANH, 3 for GRU, 4 for LSTM. */
    public static int gates(String mode) {
        return switch (mode) {
            case "RNN_TANH", "RNN_RELU" -> 1;
            case "GRU" -> 3;
            case "LSTM" -> 4;
            default -> throw new IllegalArgumentException("mode must be RNN_TANH, RNN_RELU, GRU or LSTM, got '"
                    + mode + "'");
        };
    }

    /**
     * Floating-point operations of the matrix products in a forward pass over {@code steps} steps:
     * {@code 2 * steps * batch * G * hidden * (input + hidden)} (input and hidden projections; the element-wise gate
     * updates are not counted).
     */
    public static double forwardFlops(String mode, int steps, int batch, int input, int hidden) {
        return 2.0 * steps * batch * gates(mode) * hidden * (double) (input + hidden);
    }
}
