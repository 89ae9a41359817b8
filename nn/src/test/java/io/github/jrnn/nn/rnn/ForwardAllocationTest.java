package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.testing.AllocationMeter;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A steady-state inference forward allocates its outputs and a few small bookkeeping objects, nothing of the size
 * of the gates or the intermediate layers (those come from the module's reused scratch). Measured with the
 * scalar kernels, per call in the round of calls that allocated the fewest bytes ({@link AllocationMeter}); the
 * vector kernels box vectors until C2 has compiled them, so their steady state is measured with JMH's
 * {@code -prof gc} in the bench module. The cases cover both paths of an inference pass without a projection: a
 * padded batch (4 or 1 sequences, all running every step) runs each layer as one recurrentLayer
 * kernel call; a packed batch of 4 sequences of different lengths runs the step-by-step loop
 * ({@link #eachCaseTakesThePathItIsThereFor} checks which).
 */
class ForwardAllocationTest {

    /** Tensors, records, the step table: a few hundred bytes to a few KB however large the sequence. */
    private static final long BOOKKEEPING_BYTES = 16 * 1024;

    private static final int HIDDEN = 64;
    private static final int STEPS = 40;
    private static final int LAYERS = 2;

    private static RNNBase module(String kind, Kernels kernels) {
        Generator g = new Generator(1);
        return switch (kind) {
            case "gru" -> GRU.builder(HIDDEN, HIDDEN).numLayers(LAYERS).generator(g).kernels(kernels).build();
            case "lstm" -> LSTM.builder(HIDDEN, HIDDEN).numLayers(LAYERS).generator(g).kernels(kernels).build();
            default -> RNN.builder(HIDDEN, HIDDEN).numLayers(LAYERS).generator(g).kernels(kernels).build();
        };
    }

    /**
     * The sequence lengths of a case: every one {@link #STEPS} long when padded; packed, 40, 30, 20, 10 for batch
     * 4, so that from step 10 on fewer sequences run than the batch holds.
     */
    private static int[] lengths(int batch, String layout) {
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = layout.equals("packed") ? STEPS - b * STEPS / batch : STEPS;
        }
        return lengths;
    }

    /** One inference forward of the case's input on {@code m}. */
    private static Runnable forward(RNNBase m, int batch, String layout) {
        Tensor x = Tensor.full(0.1f, STEPS, batch, HIDDEN);
        if (layout.equals("padded")) {
            return () -> m.forward(x);
        }
        PackedSequence packed = PackedSequences.packPaddedSequence(x, lengths(batch, layout), false, true);
        return () -> m.forward(packed);
    }

    @ParameterizedTest(name = "{0}, batch {1}, {2}")
    @CsvSource({"gru, 4, padded", "lstm, 4, padded", "rnn, 4, padded", "gru, 1, padded", "lstm, 1, padded",
            "rnn, 1, padded", "gru, 4, packed", "lstm, 4, packed", "rnn, 4, packed"})
    void aSteadyStateForwardAllocatesLittleMoreThanItsOutputs(String kind, int batch, String layout) {
        Runnable forward = forward(module(kind, KernelProvider.checkedScalar()), batch, layout);
        int calls = 10; // per round, so that an allocation made every few calls still shows in every round
        long perCall;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            perCall = AllocationMeter.fewestBytes(6, () -> {
                for (int i = 0; i < calls; i++) {
                    forward.run();
                }
            }) / calls;
        }
        int states = kind.equals("lstm") ? 2 : 1;
        int rows = Arrays.stream(lengths(batch, layout)).sum();
        long outputs = 4L * ((long) rows * HIDDEN + (long) states * LAYERS * batch * HIDDEN);
        // The gates alone (rows * G * hidden floats) would be 1-4 times the outputs.
        assertTrue(perCall <= outputs + BOOKKEEPING_BYTES, kind + ", batch " + batch + ", " + layout + ": "
                + perCall + " bytes per forward for " + outputs + " bytes of outputs");
    }

    @ParameterizedTest(name = "{0}, batch {1}, {2}")
    @CsvSource({"gru, 4, padded", "lstm, 1, padded", "rnn, 4, packed", "lstm, 4, packed"})
    void eachCaseTakesThePathItIsThereFor(String kind, int batch, String layout) {
        RecordingKernels spy = RecordingKernels.create();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            forward(module(kind, spy), batch, layout).run();
        }
        String cell = switch (kind) {
            case "gru" -> "gruCell";
            case "lstm" -> "lstmCell";
            default -> "rnnTanhCell";
        };
        boolean padded = layout.equals("padded");
        assertEquals(padded ? LAYERS : 0, spy.calls("recurrentLayer"), "recurrentLayer calls");
        assertEquals(0, spy.calls("recurrentSequence"), "recurrentSequence calls (recurrentLayer makes its own)");
        // the step-by-step loop calls the cell kernel once per step and layer; the recurrentLayer kernel calls
        // its projections and cell kernels itself, past the recording
        assertEquals(padded ? 0 : STEPS * LAYERS, spy.calls(cell), cell + " calls");
    }
}
