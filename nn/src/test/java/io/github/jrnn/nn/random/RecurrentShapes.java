package io.github.jrnn.nn.random;

import java.util.ArrayList;
import java.util.List;

/**
 * Parameter arrays of PyTorch's recurrent modules in registration order, sized from PyTorch's documented shapes, so
 * that the golden tests can call {@code Init.recurrentDefault} as a module would.
 */
final class RecurrentShapes {

    private RecurrentShapes() {
    }

    static int gates(String mode) {
        return switch (mode) {
            case "RNN_TANH", "RNN_RELU" -> 1;
            case "GRU" -> 3;
            case "LSTM" -> 4;
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
    }

    /** nn.RNN/GRU/LSTM: per layer, per direction: w_ih, w_hh, [b_ih, b_hh], [w_hr]. */
    static List<float[]> parameters(String mode, int input, int hidden, int layers, boolean bias,
                                    boolean bidirectional, int proj) {
        int gateRows = gates(mode) * hidden;
        int out = proj > 0 ? proj : hidden;
        int directions = bidirectional ? 2 : 1;
        List<float[]> params = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            int layerInput = layer == 0 ? input : out * directions;
            for (int d = 0; d < directions; d++) {
                params.add(new float[gateRows * layerInput]);
                params.add(new float[gateRows * out]);
                if (bias) {
                    params.add(new float[gateRows]);
                    params.add(new float[gateRows]);
                }
                if (proj > 0) {
                    params.add(new float[proj * hidden]);
                }
            }
        }
        return params;
    }

    /** nn.RNNCell/GRUCell/LSTMCell: w_ih, w_hh, [b_ih, b_hh]. */
    static List<float[]> cellParameters(String mode, int input, int hidden, boolean bias) {
        return parameters(mode, input, hidden, 1, bias, false, 0);
    }
}
