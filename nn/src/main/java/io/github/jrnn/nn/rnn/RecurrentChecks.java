package io.github.jrnn.nn.rnn;

import static io.github.jrnn.nn.tensor.Tensor.shapeString;
import static io.github.jrnn.nn.tensor.Tensor.shapeTuple;

import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;

/**
 * The argument checks of the sequence modules, in the order and words of PyTorch's {@code RNNBase}
 * ({@code check_input}, {@code get_expected_hidden_size}, {@code check_hidden_size}), shared by all modes, each
 * message followed by a hint when the mistake is recognisable. All checks run before any arithmetic.
 */
final class RecurrentChecks {

    private RecurrentChecks() {
    }

    /**
     * Checks a padded or unbatched input tensor: 3-D (L, N, H_in) / (N, L, H_in) with batch_first, or 2-D
     * (L, H_in); the last dimension equal to input_size; at least one step.
     */
    static SequenceShape checkInput(RecurrentOptions o, Tensor input) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("input must have 3 dimensions, got " + input.dim() + " (shape "
                    + shapeString(input.shape()) + "); hint: " + layoutHint(o));
        }
        checkInputSize(o, input);
        boolean batched = input.dim() == 3;
        int steps = batched && o.batchFirst() ? input.size(1) : input.size(0);
        int batch = batched ? input.size(o.batchFirst() ? 0 : 1) : 1;
        if (steps == 0) {
            throw new IllegalArgumentException("Expected sequence length to be larger than 0 in RNN, got input of"
                    + " shape " + shapeString(input.shape()) + "; hint: " + layoutHint(o));
        }
        return new SequenceShape(steps, batch, batched, false);
    }

    /** Checks the data of a packed input: 2-D (sum(batch_sizes), H_in) with H_in = input_size. */
    static void checkPackedInput(RecurrentOptions o, Tensor data) {
        if (data.dim() != 2) {
            throw new IllegalArgumentException("input must have 2 dimensions, got " + data.dim()
                    + " (packed data of shape " + shapeString(data.shape()) + "); hint: a packed input's data is"
                    + " (sum(lengths), input_size); pack a (L, N, input_size) batch with packPaddedSequence");
        }
        checkInputSize(o, data);
    }

    private static void checkInputSize(RecurrentOptions o, Tensor input) {
        if (input.size(-1) != o.inputSize()) {
            String hint = "hint: the module was built with input_size=" + o.inputSize()
                    + " and reads the features from the last dimension";
            int other = indexOf(Arrays.copyOf(input.shape(), input.dim() - 1), o.inputSize());
            if (other >= 0) {
                hint += "; dimension " + other + " has size " + o.inputSize() + ", so the input may be laid out in"
                        + " another order (expected " + layout(o) + ")";
            }
            throw new IllegalArgumentException("input.size(-1) must be equal to input_size. Expected "
                    + o.inputSize() + ", got " + input.size(-1) + "; " + hint);
        }
    }

    /** (D * num_layers, N, H_out) for batched and packed input, (D * num_layers, H_out) unbatched. */
    static int[] expectedHiddenSize(RecurrentOptions o, SequenceShape s) {
        return stateSize(o, s, o.hiddenOutSize());
    }

    /** The LSTM cell state: (D * num_layers, N, hidden_size), or without N unbatched. */
    static int[] expectedCellSize(RecurrentOptions o, SequenceShape s) {
        return stateSize(o, s, o.hiddenSize());
    }

    private static int[] stateSize(RecurrentOptions o, SequenceShape s, int width) {
        int states = o.numLayers() * o.numDirections();
        return s.batched() ? new int[] {states, s.batch(), width} : new int[] {states, width};
    }

    /**
     * The rank rule: 3-D input (or packed) needs 3-D states, 2-D input 2-D states. {@code cx} is null except for
     * LSTM.
     */
    static void checkStateDims(RecurrentOptions o, SequenceShape s, Tensor hx, Tensor cx) {
        int want = s.batched() ? 3 : 2;
        boolean hxWrong = hx != null && hx.dim() != want;
        boolean cxWrong = cx != null && cx.dim() != want;
        if (!hxWrong && !cxWrong) {
            return;
        }
        String input = s.packed() ? "packed" : s.batched() ? "batched 3-D" : "unbatched 2-D";
        String got = cx == null ? hx.dim() + "-D tensor"
                : "(" + hx.dim() + "-D, " + cx.dim() + "-D) tensors";
        String states = cx == null ? "hx should" : "hx and cx should";
        throw new IllegalArgumentException("For " + input + " input, " + states + " also be " + want
                + "-D but got " + got + "; hint: " + (s.batched()
                ? "the states keep the batch dimension even for one layer: expected "
                + expectedStates(o, s, cx != null)
                : "unbatched input takes unbatched states: expected " + expectedStates(o, s, cx != null)));
    }

    private static String expectedStates(RecurrentOptions o, SequenceShape s, boolean withCell) {
        return shapeTuple(expectedHiddenSize(o, s)) + (withCell ? " and " + shapeTuple(expectedCellSize(o, s)) : "");
    }

    /**
     * PyTorch's {@code check_hidden_size}: {@code hx} must have exactly the expected shape.
     *
     * @param label PyTorch's message start, {@code "Expected hidden size"} (or {@code hidden[0]} / {@code hidden[1]}
     *              for LSTM)
     * @param name  the argument's name in hints ({@code h_0} or {@code c_0})
     */
    static void checkHiddenSize(RecurrentOptions o, SequenceShape s, Tensor hx, int[] expected, String label,
                                String name) {
        int[] got = hx.shape();
        if (Arrays.equals(got, expected)) {
            return;
        }
        throw new IllegalArgumentException(label + " " + shapeTuple(expected) + ", got " + shapeString(got)
                + stateHint(o, s, got, expected, name));
    }

    private static String stateHint(RecurrentOptions o, SequenceShape s, int[] got, int[] expected, String name) {
        int last = got.length - 1;
        int width = expected[last];
        String layers = "num_layers * num_directions = " + o.numLayers() + " * " + o.numDirections() + " = "
                + expected[0];
        if (s.batched() && o.batchFirst() && got[0] == expected[1] && got[1] == expected[0]
                && got[2] == width) {
            return "; hint: " + name + " is laid out batch-first; the states are (num_layers * num_directions,"
                    + " N, H) even with batch_first=True (PyTorch never transposes them)";
        }
        if (got[last] != width) {
            if (o.projSize() > 0 && name.equals("h_0") && got[last] == o.hiddenSize()) {
                return "; hint: with proj_size=" + o.projSize() + " h_0 has width proj_size; only c_0 has width"
                        + " hidden_size=" + o.hiddenSize();
            }
            if (got[last] == o.inputSize()) {
                return "; hint: the last dimension of " + name + " is input_size (" + o.inputSize()
                        + "); it must be " + (width == o.hiddenSize() ? "hidden_size" : "proj_size") + " ("
                        + width + ")";
            }
            return "; hint: the last dimension of " + name + " must be "
                    + (width == o.hiddenSize() ? "hidden_size" : "proj_size") + " (" + width + ")";
        }
        if (got[0] != expected[0]) {
            return "; hint: " + name + ".size(0) must be " + layers + " (one state per layer and direction)";
        }
        if (s.batched() && got[1] != expected[1]) {
            return "; hint: " + name + ".size(1) must be the batch size of the input, " + expected[1]
                    + (s.packed() ? " (batch_sizes[0] of the packed input; give the states in your original batch"
                    + " order)" : "");
        }
        return "";
    }

    private static String layoutHint(RecurrentOptions o) {
        return "recurrent modules take batched input " + layout(o) + " or unbatched input (L, input_size)";
    }

    private static String layout(RecurrentOptions o) {
        return o.batchFirst() ? "(N, L, input_size) with batch_first=True" : "(L, N, input_size)";
    }

    private static int indexOf(int[] a, int value) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
