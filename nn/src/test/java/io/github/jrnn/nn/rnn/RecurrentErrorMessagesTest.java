package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every shape PyTorch rejects is rejected before any arithmetic, with PyTorch's words and a hint where the mistake
 * is recognisable. Each test names the mistake it makes.
 */
class RecurrentErrorMessagesTest {

    private final RecordingKernels counting = RecordingKernels.create();

    private RNN rnn(int in, int hidden) {
        return RNN.builder(in, hidden).generator(new Generator(1)).kernels(counting).build();
    }

    /** The message of the IllegalArgumentException, after checking that no kernel ran during the failed call. */
    private String rejected(Executable call) {
        int before = counting.calls();
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertEquals(before, counting.calls(), "kernels ran before the argument was rejected: " + message);
        return message;
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected <" + part + "> in: " + message);
        }
    }

    @Test
    void theCountUsedByTheseTestsSeesTheKernelsAModuleRuns() {
        RNN r = rnn(5, 4);
        int before = counting.calls();
        r.forward(Tensor.zeros(3, 2, 5));
        int afterForward = counting.calls();
        assertTrue(afterForward > before, "a forward call runs kernels through the module's (unchecked) twin");
        new RNNCell(5, 4, true, "tanh", null, counting).forward(Tensor.zeros(2, 5));
        assertTrue(counting.calls() > afterForward, "so does a cell step");
    }

    @Test
    void inputSizeMismatch() {
        String m = rejected(() -> rnn(5, 4).forward(Tensor.zeros(3, 2, 6)));
        assertContains(m, "input.size(-1) must be equal to input_size. Expected 5, got 6", "hint:", "input_size=5");
    }

    @Test
    void cellStateGivenToAModeWithoutOne() {
        RNNBase gru = GRU.builder(5, 4).kernels(counting).build();
        String m = rejected(() -> gru.forward(Tensor.zeros(3, 2, 5), null, Tensor.zeros(1, 2, 4)));
        assertContains(m, "c_0 is the cell state of an LSTM; GRU takes h_0 only", "pass null for c_0");
        RNNBase rnn = rnn(5, 4);
        PackedSequence packed = PackedSequences.packPaddedSequence(Tensor.zeros(3, 2, 5), new int[] {3, 2}, false,
                true);
        assertContains(rejected(() -> rnn.forward(packed, null, Tensor.zeros(1, 2, 4))), "RNN takes h_0 only");
    }

    @Test
    void inputSizeInAnotherDimensionSuggestsTheLayout() {
        String m = rejected(() -> rnn(5, 4).forward(Tensor.zeros(3, 5, 2)));
        assertContains(m, "Expected 5, got 2", "dimension 1 has size 5", "(L, N, input_size)");
    }

    @Test
    void fourDimensionalInput() {
        String m = rejected(() -> rnn(5, 4).forward(Tensor.zeros(3, 2, 5, 1)));
        assertContains(m, "input must have 3 dimensions, got 4", "hint:", "unbatched input (L, input_size)");
    }

    @Test
    void emptySequence() {
        String m = rejected(() -> rnn(5, 4).forward(Tensor.zeros(0, 2, 5)));
        assertContains(m, "Expected sequence length to be larger than 0 in RNN");
    }

    @Test
    void hiddenStateWithInputSizeAsLastDimension() {
        String m = rejected(() -> rnn(5, 4).forward(Tensor.zeros(3, 2, 5), Tensor.zeros(1, 2, 5)));
        assertContains(m, "Expected hidden size (1, 2, 4), got [1, 2, 5]", "hint:", "is input_size (5)",
                "hidden_size (4)");
    }

    @Test
    void hiddenStateLaidOutBatchFirst() {
        RNN r = RNN.builder(5, 4).numLayers(2).batchFirst(true).kernels(counting).build();
        String m = rejected(() -> r.forward(Tensor.zeros(3, 6, 5), Tensor.zeros(3, 2, 4)));
        assertContains(m, "Expected hidden size (2, 3, 4), got [3, 2, 4]", "batch-first",
                "PyTorch never transposes them");
    }

    @Test
    void hiddenStateMissingADirection() {
        GRU g = GRU.builder(5, 4).bidirectional(true).kernels(counting).build();
        String m = rejected(() -> g.forward(Tensor.zeros(3, 2, 5), Tensor.zeros(1, 2, 4)));
        assertContains(m, "Expected hidden size (2, 2, 4), got [1, 2, 4]", "num_layers * num_directions = 1 * 2 = 2");
    }

    @Test
    void hiddenStateWithAnotherBatchSize() {
        String m = rejected(() -> rnn(5, 4).forward(Tensor.zeros(3, 2, 5), Tensor.zeros(1, 3, 4)));
        assertContains(m, "Expected hidden size (1, 2, 4), got [1, 3, 4]", "batch size of the input, 2");
    }

    @Test
    void twoDimensionalHiddenWithBatchedInput() {
        String m = rejected(() -> rnn(5, 4).forward(Tensor.zeros(3, 2, 5), Tensor.zeros(2, 4)));
        assertContains(m, "For batched 3-D input, hx should also be 3-D but got 2-D tensor", "hint:",
                "expected (1, 2, 4)");
    }

    @Test
    void threeDimensionalHiddenWithUnbatchedInput() {
        String m = rejected(() -> rnn(5, 4).forward(Tensor.zeros(3, 5), Tensor.zeros(1, 1, 4)));
        assertContains(m, "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor", "expected (1, 4)");
    }

    @Test
    void lstmCellStateOfWrongWidth() {
        LSTM l = LSTM.builder(5, 4).kernels(counting).build();
        String m = rejected(() -> l.forward(Tensor.zeros(3, 2, 5), Tensor.zeros(1, 2, 4), Tensor.zeros(1, 2, 5)));
        assertContains(m, "Expected hidden[1] size (1, 2, 4), got [1, 2, 5]", "c_0", "input_size (5)");
    }

    @Test
    void lstmStatesOfDifferentRanks() {
        LSTM l = LSTM.builder(5, 4).kernels(counting).build();
        String m = rejected(() -> l.forward(Tensor.zeros(3, 2, 5), Tensor.zeros(1, 2, 4), Tensor.zeros(2, 4)));
        assertContains(m, "For batched 3-D input, hx and cx should also be 3-D but got (3-D, 2-D) tensors");
    }

    @Test
    void projectedLstmGivenHiddenOfHiddenSize() {
        LSTM l = LSTM.builder(5, 4).projSize(2).kernels(counting).build();
        String m = rejected(() -> l.forward(Tensor.zeros(3, 2, 5), Tensor.zeros(1, 2, 4), Tensor.zeros(1, 2, 4)));
        assertContains(m, "Expected hidden[0] size (1, 2, 2), got [1, 2, 4]", "proj_size=2", "only c_0");
    }

    @Test
    void lstmGivenOnlyOneState() {
        LSTM l = LSTM.builder(5, 4).kernels(counting).build();
        String m = rejected(() -> l.forward(Tensor.zeros(3, 2, 5), Tensor.zeros(1, 2, 4), null));
        assertContains(m, "both h_0 and c_0 or neither", "got only h_0", "(1, 2, 4)");
    }

    @Test
    void packedHiddenStateWithAnotherBatchSize() {
        PackedSequence p = PackedSequences.packPaddedSequence(Tensor.zeros(4, 3, 5), new int[] {4, 2, 1}, false, true);
        String m = rejected(() -> rnn(5, 4).forward(p, Tensor.zeros(1, 2, 4)));
        assertContains(m, "Expected hidden size (1, 3, 4), got [1, 2, 4]", "batch_sizes[0]", "original batch order");
    }

    @Test
    void packedDataOfThreeDimensions() {
        PackedSequence p = new PackedSequence(Tensor.zeros(3, 1, 5), new int[] {2, 1}, null, null);
        String m = rejected(() -> rnn(5, 4).forward(p));
        assertContains(m, "input must have 2 dimensions, got 3", "packPaddedSequence");
    }

    @Test
    void packedInputSizeMismatch() {
        PackedSequence p = PackedSequences.packPaddedSequence(Tensor.zeros(4, 3, 6), new int[] {4, 2, 1}, false, true);
        String m = rejected(() -> rnn(5, 4).forward(p));
        assertContains(m, "input.size(-1) must be equal to input_size. Expected 5, got 6");
    }

    @Test
    void constructorArgumentsAreValidatedLikePyTorch() {
        assertContains(assertThrows(IllegalArgumentException.class, () -> new RNN(5, 0)).getMessage(),
                "hidden_size must be greater than zero, got 0");
        assertContains(assertThrows(IllegalArgumentException.class, () -> new GRU(0, 4)).getMessage(),
                "input_size must be greater than zero, got 0", "hint:");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> LSTM.builder(5, 4).numLayers(0).build()).getMessage(),
                "num_layers must be greater than zero, got 0");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> GRU.builder(5, 4).dropout(1.5).build()).getMessage(),
                "dropout should be a number in range [0, 1] representing the probability of an element being zeroed",
                "got 1.5");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> GRU.builder(5, 4).dropout(Double.NaN).build()).getMessage(), "got NaN");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> LSTM.builder(5, 4).projSize(4).build()).getMessage(),
                "proj_size has to be smaller than hidden_size, got proj_size=4 and hidden_size=4");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> LSTM.builder(5, 4).projSize(-1).build()).getMessage(),
                "proj_size should be a positive integer or zero to disable projections, got -1");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> new RecurrentOptions(RecurrentMode.GRU, 5, 4, 1, true, false, 0, false, 2)).getMessage(),
                "proj_size argument is only supported for LSTM, not RNN or GRU");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> RNN.builder(5, 4).nonlinearity("sigmoid")).getMessage(),
                "Unknown nonlinearity 'sigmoid'", "'tanh' or 'relu'");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> new GRU(new RecurrentOptions(RecurrentMode.LSTM, 5, 4, 1, true, false, 0, false, 0), null, null))
                .getMessage(), "GRU needs mode GRU, got LSTM");
    }

    @Test
    void cellInputOfThreeDimensions() {
        RNNCell c = new RNNCell(5, 4, true, "tanh", null, counting);
        String m = rejected(() -> c.forward(Tensor.zeros(2, 5, 1)));
        assertContains(m, "RNNCell: Expected input to be 1-D or 2-D but received 3-D tensor", "hint:");
    }

    @Test
    void cellInputSizeMismatch() {
        GRUCell c = new GRUCell(5, 4, true, null, counting);
        String m = rejected(() -> c.forward(Tensor.zeros(2, 6)));
        assertContains(m, "input has inconsistent input_size: got 6 expected 5", "hint:");
    }

    @Test
    void cellBatchMismatch() {
        RNNCell c = new RNNCell(5, 4, true, "relu", null, counting);
        String m = rejected(() -> c.forward(Tensor.zeros(2, 5), Tensor.zeros(3, 4)));
        assertContains(m, "Input batch size 2 doesn't match hidden0 batch size 3", "hint:");
    }

    @Test
    void cellHiddenOfInputSize() {
        GRUCell c = new GRUCell(5, 4, true, null, counting);
        String m = rejected(() -> c.forward(Tensor.zeros(2, 5), Tensor.zeros(2, 5)));
        assertContains(m, "hidden0 has inconsistent hidden_size: got 5, expected 4", "is input_size (5)");
    }

    @Test
    void cellHiddenOfWrongRank() {
        RNNCell c = new RNNCell(5, 4, true, "tanh", null, counting);
        String m = rejected(() -> c.forward(Tensor.zeros(2, 5), Tensor.zeros(4)));
        assertContains(m, "for batched 2-D input, hx should also be 2-D but got 1-D tensor", "(2, 4)");
    }

    @Test
    void lstmCellStateMismatch() {
        LSTMCell c = new LSTMCell(5, 4, true, null, counting);
        String m = rejected(() -> c.forward(Tensor.zeros(2, 5), Tensor.zeros(2, 4), Tensor.zeros(2, 3)));
        assertContains(m, "hidden1 has inconsistent hidden_size: got 3, expected 4");
        String only = rejected(() -> c.forward(Tensor.zeros(2, 5), null, Tensor.zeros(2, 4)));
        assertContains(only, "both hx and cx or neither", "got only cx");
    }
}
