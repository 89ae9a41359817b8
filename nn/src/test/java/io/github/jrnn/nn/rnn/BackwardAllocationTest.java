package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Torch;
import io.github.jrnn.nn.testing.AllocationMeter;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Backpropagation through time allocates nothing per time step: the backward of a sequence module allocates the
 * same bytes for two packed batches with the same rows and the same batch size, one of 60 steps and one of 33.
 * Every array the backward allocates is sized by the rows, the batch or the parameters, which the two share, so
 * any difference is an allocation made per step (a slice, a boxed value, a lambda in the time loop; one 16-byte
 * object per step would show as 432 bytes). Measured on the node's own backward, called directly, with the scalar
 * kernels ({@link AllocationMeter}: the fewest bytes over repeated rounds). Both batches have sequences of unequal
 * lengths, so both run the step-by-step loop; a dense batch runs its whole time loop as one
 * {@code recurrentLayerBackward} kernel call, whose compiled vector form allocates nothing
 * ({@code VectorKernelAllocationTest}).
 */
class BackwardAllocationTest {

    private static final int BATCH = 2;
    private static final int ROWS = 64;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rnn_tanh", "rnn_relu", "gru", "lstm", "lstm with proj_size"})
    void theBackwardOfSixtyStepsAllocatesWhatTheBackwardOfThirtyTwoDoes(String kind) {
        int longSteps = 60; // sequences of 60 and 4 steps: 64 rows
        int[] longBatch = new int[longSteps];
        Arrays.fill(longBatch, 1);
        Arrays.fill(longBatch, 0, 4, 2);
        int[] shortBatch = new int[33]; // sequences of 33 and 31 steps: 64 rows
        Arrays.fill(shortBatch, 2);
        shortBatch[31] = 1;
        shortBatch[32] = 1;

        long bytesLong = backwardBytes(kind, longBatch);
        long bytesShort = backwardBytes(kind, shortBatch);
        assertTrue(bytesShort > 0, kind + ": the backward allocates its gradients, so a reading of 0 is wrong");
        assertEquals(bytesShort, bytesLong, kind + ": bytes of one backward over 33 steps vs over 60 steps (same "
                + ROWS + " rows, batch " + BATCH + ")");
    }

    /** The fewest bytes one call of the recorded node's backward allocates, for the given packed batch sizes. */
    private static long backwardBytes(String kind, int[] batchSizes) {
        int hidden = 16;
        Generator g = new Generator(5);
        RNNBase m = switch (kind) {
            case "rnn_tanh" -> RNN.builder(8, hidden).numLayers(2).generator(g)
                    .kernels(KernelProvider.checkedScalar()).build();
            case "rnn_relu" -> RNN.builder(8, hidden).nonlinearity("relu").numLayers(2).generator(g)
                    .kernels(KernelProvider.checkedScalar()).build();
            case "gru" -> GRU.builder(8, hidden).numLayers(2).bidirectional(true).generator(g)
                    .kernels(KernelProvider.checkedScalar()).build();
            case "lstm" -> LSTM.builder(8, hidden).numLayers(2).bidirectional(true).generator(g)
                    .kernels(KernelProvider.checkedScalar()).build();
            default -> LSTM.builder(8, hidden).projSize(5).numLayers(2).generator(g)
                    .kernels(KernelProvider.checkedScalar()).build();
        };
        Tensor data = Torch.randn(g, ROWS, 8).requiresGrad(true);
        PackedRecurrentOutput out = m.forward(new PackedSequence(data, batchSizes, null, null));
        RecurrentBackward node = (RecurrentBackward) out.output().data().gradFn();
        float[][] outputGrads = {
                Torch.randn(g, out.output().data().shape()).data(),
                Torch.randn(g, out.hN().shape()).data(),
                out.cN() == null ? null : Torch.randn(g, out.cN().shape()).data()};
        return AllocationMeter.fewestBytes(8, () -> node.backward(outputGrads));
    }
}
