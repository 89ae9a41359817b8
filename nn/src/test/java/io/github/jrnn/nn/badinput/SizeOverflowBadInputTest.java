package io.github.jrnn.nn.badinput;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNN;
import org.junit.jupiter.api.Test;

import static io.github.jrnn.nn.badinput.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rows of the README table "Bad input and what it gets" for sizes whose products overflow an int (refused before
 * anything is allocated, never wrapped) and arrays shorter than their declared shape.
 */
class SizeOverflowBadInputTest {

    @Test
    void tensorWhoseElementCountOverflowsIsRefused() {
        // torch.zeros(2**31, 2**31): RuntimeError: Storage size calculation overflowed
        assertRefused(IllegalArgumentException.class, "shape [65536, 65536] has more than 2147483639 elements",
                () -> Tensor.zeros(1 << 16, 1 << 16));
        assertRefused(IllegalArgumentException.class, "shape [2147483647, 2147483647, 2] has more than",
                () -> Tensor.zeros(Integer.MAX_VALUE, Integer.MAX_VALUE, 2));
    }

    @Test
    void tensorLargerThanAJavaArrayIsRefused() {
        // new float[Integer.MAX_VALUE] would throw OutOfMemoryError ("Requested array size exceeds VM limit").
        assertRefused(IllegalArgumentException.class, "shape [2147483647] has more than 2147483639 elements",
                () -> Tensor.zeros(Integer.MAX_VALUE));
    }

    @Test
    void negativeDimensionIsRefused() {
        // torch: RuntimeError: Trying to create tensor with negative dimension -1: [2, -1]
        assertRefused(IllegalArgumentException.class, "dimension 1 of shape [2, -1] is negative",
                () -> Tensor.zeros(2, -1));
    }

    @Test
    void zeroDimensionEmptiesAnyShape() {
        // torch.zeros(65536, 65536, 0) is an empty tensor: the product is 0, not an overflow.
        assertEquals(0, Tensor.zeros(1 << 16, 1 << 16, 0).numel());
    }

    @Test
    void arrayShorterThanTheShapeIsRefused() {
        assertRefused(IllegalArgumentException.class, "shape [2, 3] holds 6 elements, but data has 5",
                () -> Tensor.of(new float[5], 2, 3));
    }

    @Test
    void modulesWithHugeSizesAreRefusedBeforeAllocating() {
        // torch: nn.Linear(2**20, 2**20) fails to allocate 4 TiB; jrnn refuses the shape.
        assertRefused(IllegalArgumentException.class, "has more than 2147483639 elements",
                () -> new Linear(1 << 20, 1 << 20));
        assertRefused(IllegalArgumentException.class, "has more than 2147483639 elements",
                () -> new LSTM(1 << 16, 1 << 16));
        assertRefused(IllegalArgumentException.class, "has more than 2147483639 elements",
                () -> new RNN(1 << 16, 1 << 16));
    }

    @Test
    void gateCountTimesHiddenSizeOverflowingIntIsRefused() {
        // GRU hidden 2^30: 3 * hidden = 3221225472 gate rows, which would wrap to a negative int.
        assertRefused(IllegalArgumentException.class, "hidden_size=1073741824 is too large for GRU: its 3 gates"
                + " need 3221225472 weight rows", () -> new GRU(1, 1 << 30));
        assertRefused(IllegalArgumentException.class, "hidden_size=1073741824 is too large for LSTM: its 4 gates"
                + " need 4294967296 weight rows", () -> new LSTMCell(1, 1 << 30));
    }

    @Test
    void kernelWhoseMatrixSizeOverflowsIntIsRefused() {
        // A 65536 x 65536 product checked at the kernels' front door in long arithmetic, not wrapped.
        float[] small = new float[16];
        assertRefused(IllegalArgumentException.class, "is too short",
                () -> KernelProvider.kernels().sgemm(false, false, 1 << 16, 1 << 16, 1, 1f, small, 0, 1, small, 0,
                        1 << 16, 0f, small, 0, 1 << 16));
    }
}
