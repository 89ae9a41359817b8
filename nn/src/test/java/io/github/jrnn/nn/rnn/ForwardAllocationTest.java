package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.testing.AllocationMeter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A steady-state inference forward allocates its outputs and a few small bookkeeping objects, nothing of the size
 * of the gates or the intermediate layers (those come from the module's reused scratch). Measured with the
 * scalar kernels, per call in the round of calls that allocated the fewest bytes ({@link AllocationMeter}); the
 * vector kernels box vectors until C2 has compiled them, so their steady state is measured with JMH's
 * {@code -prof gc} in the bench module.
 */
class ForwardAllocationTest {

    /** Tensors, records, the step table: a few hundred bytes to a few KB however large the sequence. */
    private static final long BOOKKEEPING_BYTES = 16 * 1024;

    /** Batch 4 runs the step-by-step loop, batch 1 one recurrentSequence kernel call per layer. */
    @ParameterizedTest(name = "{0}, batch {1}")
    @CsvSource({"gru, 4", "lstm, 4", "rnn, 4", "gru, 1", "lstm, 1", "rnn, 1"})
    void aSteadyStateForwardAllocatesLittleMoreThanItsOutputs(String kind, int batch) {
        int hidden = 64;
        int steps = 40;
        int layers = 2;
        Generator g = new Generator(1);
        RNNBase m = switch (kind) {
            case "gru" -> GRU.builder(hidden, hidden).numLayers(layers).generator(g)
                    .kernels(KernelProvider.checkedScalar()).build();
            case "lstm" -> LSTM.builder(hidden, hidden).numLayers(layers).generator(g)
                    .kernels(KernelProvider.checkedScalar()).build();
            default -> RNN.builder(hidden, hidden).numLayers(layers).generator(g)
                    .kernels(KernelProvider.checkedScalar()).build();
        };
        Tensor x = Tensor.full(0.1f, steps, batch, hidden);
        int calls = 10; // per round, so that an allocation made every few calls still shows in every round
        long perCall;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            perCall = AllocationMeter.fewestBytes(6, () -> {
                for (int i = 0; i < calls; i++) {
                    m.forward(x);
                }
            }) / calls;
        }
        int states = kind.equals("lstm") ? 2 : 1;
        long outputs = 4L * ((long) steps * batch * hidden + (long) states * layers * batch * hidden);
        // The gates alone (steps * batch * G * hidden floats) would be 1-4 times the outputs.
        assertTrue(perCall <= outputs + BOOKKEEPING_BYTES, kind + ": " + perCall + " bytes per forward for "
                + outputs + " bytes of outputs");
    }
}
