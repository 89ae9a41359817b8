package io.github.jrnn.nn.badinput;

import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNN;
import io.github.jrnn.nn.rnn.RNNCell;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.github.jrnn.nn.badinput.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Rows of the README table "Bad input and what it gets" for the recurrent modules, cells and Linear: mismatched
 * batch sizes, empty batches (N = 0), empty sequences (L = 0). PyTorch 1.13 behaviour in each comment.
 */
class RecurrentBadInputTest {

    private final RNN rnn = new RNN(4, 6);
    private final GRU gru = new GRU(4, 6);
    private final LSTM lstm = new LSTM(4, 6);

    @Test
    void hiddenStateOfAnotherBatchSizeIsRefused() {
        // torch: RuntimeError: Expected hidden size (1, 2, 6), got [1, 3, 6]
        assertRefused(IllegalArgumentException.class, "Expected hidden size (1, 2, 6), got [1, 3, 6]",
                () -> rnn.forward(Tensor.zeros(5, 2, 4), Tensor.zeros(1, 3, 6)));
        assertRefused(IllegalArgumentException.class, "Expected hidden size (1, 2, 6), got [1, 3, 6]",
                () -> gru.forward(Tensor.zeros(5, 2, 4), Tensor.zeros(1, 3, 6)));
    }

    @Test
    void lstmHiddenOrCellStateOfAnotherBatchSizeIsRefused() {
        // torch: RuntimeError: Expected hidden[0] size (1, 2, 6), got [1, 3, 6]  /  Expected hidden[1] size ...
        assertRefused(IllegalArgumentException.class, "Expected hidden[0] size (1, 2, 6), got [1, 3, 6]",
                () -> lstm.forward(Tensor.zeros(5, 2, 4), Tensor.zeros(1, 3, 6), Tensor.zeros(1, 2, 6)));
        assertRefused(IllegalArgumentException.class, "Expected hidden[1] size (1, 2, 6), got [1, 3, 6]",
                () -> lstm.forward(Tensor.zeros(5, 2, 4), Tensor.zeros(1, 2, 6), Tensor.zeros(1, 3, 6)));
    }

    @Test
    void hiddenStateOfAnotherBatchSizeThanAPackedBatchIsRefused() {
        // torch: RuntimeError: Expected hidden size (1, 2, 6), got [1, 3, 6] (packed input, batch 2)
        PackedSequence packed = PackedSequences.packPaddedSequence(Tensor.zeros(5, 2, 4), new int[] {5, 3}, false,
                true);
        assertRefused(IllegalArgumentException.class, "Expected hidden size (1, 2, 6), got [1, 3, 6]",
                () -> gru.forward(packed, Tensor.zeros(1, 3, 6)));
        assertRefused(IllegalArgumentException.class, "Expected hidden[1] size (1, 2, 6), got [1, 3, 6]",
                () -> lstm.forward(packed, Tensor.zeros(1, 2, 6), Tensor.zeros(1, 3, 6)));
    }

    @Test
    void cellStateOfAnotherBatchSizeIsRefused() {
        // torch: RuntimeError: Input batch size 2 doesn't match hidden0 batch size 3
        assertRefused(IllegalArgumentException.class, "Input batch size 2 doesn't match hidden0 batch size 3",
                () -> new RNNCell(4, 6).forward(Tensor.zeros(2, 4), Tensor.zeros(3, 6)));
        assertRefused(IllegalArgumentException.class, "Input batch size 2 doesn't match hidden0 batch size 3",
                () -> new GRUCell(4, 6).forward(Tensor.zeros(2, 4), Tensor.zeros(3, 6)));
        assertRefused(IllegalArgumentException.class, "Input batch size 2 doesn't match hidden0 batch size 3",
                () -> new LSTMCell(4, 6).forward(Tensor.zeros(2, 4), Tensor.zeros(3, 6), Tensor.zeros(2, 6)));
        assertRefused(IllegalArgumentException.class, "Input batch size 2 doesn't match hidden1 batch size 3",
                () -> new LSTMCell(4, 6).forward(Tensor.zeros(2, 4), Tensor.zeros(2, 6), Tensor.zeros(3, 6)));
    }

    @Test
    void emptyBatchGivesEmptyOutputs() {
        // torch: RNN/GRU/LSTM on (5, 0, 4) -> output (5, 0, 6), h_n (1, 0, 6) (and c_n), with or without h_0
        for (RecurrentOutput out : new RecurrentOutput[] {rnn.forward(Tensor.zeros(5, 0, 4)),
                gru.forward(Tensor.zeros(5, 0, 4), Tensor.zeros(1, 0, 6)), lstm.forward(Tensor.zeros(5, 0, 4)),
                lstm.forward(Tensor.zeros(5, 0, 4), Tensor.zeros(1, 0, 6), Tensor.zeros(1, 0, 6))}) {
            assertArrayEquals(new int[] {5, 0, 6}, out.output().shape());
            assertArrayEquals(new int[] {1, 0, 6}, out.hN().shape());
        }
        assertArrayEquals(new int[] {1, 0, 6}, lstm.forward(Tensor.zeros(5, 0, 4)).cN().shape());
    }

    @Test
    void emptySequenceIsRefused() {
        // torch: RuntimeError: Expected sequence length to be larger than 0 in RNN (batched and unbatched)
        assertRefused(IllegalArgumentException.class, "Expected sequence length to be larger than 0 in RNN",
                () -> rnn.forward(Tensor.zeros(0, 2, 4)));
        assertRefused(IllegalArgumentException.class, "Expected sequence length to be larger than 0 in RNN",
                () -> gru.forward(Tensor.zeros(0, 4)));
        assertRefused(IllegalArgumentException.class, "Expected sequence length to be larger than 0 in RNN",
                () -> lstm.forward(Tensor.zeros(0, 2, 4)));
    }

    @Test
    void cellsOnAnEmptyBatchGiveEmptyStates() {
        // torch: RNNCell/GRUCell/LSTMCell on (0, 4) -> (0, 6)
        assertArrayEquals(new int[] {0, 6}, new RNNCell(4, 6).forward(Tensor.zeros(0, 4)).shape());
        assertArrayEquals(new int[] {0, 6}, new GRUCell(4, 6).forward(Tensor.zeros(0, 4)).shape());
        LSTMCell.State s = new LSTMCell(4, 6).forward(Tensor.zeros(0, 4));
        assertArrayEquals(new int[] {0, 6}, s.h().shape());
        assertArrayEquals(new int[] {0, 6}, s.c().shape());
    }

    @Test
    void linearOnEmptyInputsGivesEmptyOrBiasOutputs() {
        // torch: Linear(4, 3) on (0, 4) -> (0, 3), on (2, 0, 4) -> (2, 0, 3); Linear(0, 3) on (2, 0) -> the bias, (2,
        // 3)
        Linear linear = new Linear(4, 3);
        assertArrayEquals(new int[] {0, 3}, linear.forward(Tensor.zeros(0, 4)).shape());
        assertArrayEquals(new int[] {2, 0, 3}, linear.forward(Tensor.zeros(2, 0, 4)).shape());
        Linear noInputs = new Linear(0, 3);
        Tensor out = noInputs.forward(Tensor.zeros(2, 0));
        assertArrayEquals(new int[] {2, 3}, out.shape());
        float[] bias = noInputs.namedParameters().get("bias").data();
        assertArrayEquals(bias, Arrays.copyOfRange(out.data(), 0, 3));
        assertArrayEquals(bias, Arrays.copyOfRange(out.data(), 3, 6));
    }

    @Test
    void zeroLayersOrZeroHiddenSizeAreRefused() {
        // torch: nn.RNN(4, 3, num_layers=0) fails (IndexError); nn.RNN(4, 0) -> ValueError
        assertRefused(IllegalArgumentException.class, "num_layers must be greater than zero, got 0",
                () -> RNN.builder(4, 3).numLayers(0).build());
        assertRefused(IllegalArgumentException.class, "hidden_size must be greater than zero, got 0",
                () -> new RNN(4, 0));
    }
}
