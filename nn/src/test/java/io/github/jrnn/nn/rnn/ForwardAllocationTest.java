package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A steady-state inference forward allocates its outputs and a few small bookkeeping objects, nothing of the size
 * of the gates or the intermediate layers (those come from the module's reused scratch). Measured with the
 * scalar kernels, whose allocation does not depend on what the JIT has compiled yet; the vector kernels'
 * steady state is measured with JMH's {@code -prof gc} in the bench module.
 */
class ForwardAllocationTest {

    /** Tensors, records, the step table: a few hundred bytes to a few KB however large the sequence. */
    private static final long BOOKKEEPING_BYTES = 16 * 1024;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gru", "lstm", "rnn"})
    void aSteadyStateForwardAllocatesLittleMoreThanItsOutputs(String kind) {
        int hidden = 64;
        int batch = 4;
        int steps = 40;
        int layers = 2;
        Generator g = new Generator(1);
        RNNBase m = switch (kind) {
            case "gru" -> GRU.builder(hidden, hidden).numLayers(layers).generator(g).kernels(KernelProvider.scalar())
                    .build();
            case "lstm" -> LSTM.builder(hidden, hidden).numLayers(layers).generator(g)
                    .kernels(KernelProvider.scalar()).build();
            default -> RNN.builder(hidden, hidden).numLayers(layers).generator(g).kernels(KernelProvider.scalar())
                    .build();
        };
        Tensor x = Tensor.full(0.1f, steps, batch, hidden);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        long perCall;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            for (int i = 0; i < 20; i++) {
                m.forward(x);
            }
            int calls = 20;
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < calls; i++) {
                m.forward(x);
            }
            perCall = (threads.getThreadAllocatedBytes(thread) - before) / calls;
        }
        int states = kind.equals("lstm") ? 2 : 1;
        long outputs = 4L * ((long) steps * batch * hidden + (long) states * layers * batch * hidden);
        // The gates alone (steps * batch * G * hidden floats) would be 1-4 times the outputs.
        assertTrue(perCall <= outputs + BOOKKEEPING_BYTES, kind + ": " + perCall + " bytes per forward for "
                + outputs + " bytes of outputs");
    }
}
