package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Torch;
import io.github.jrnn.nn.testing.AllocationMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RNNBase#forward(Tensor, Tensor, Tensor, RecurrentOutput)}: the numbers of the three-argument forward, bit
 * for bit, written into the caller's tensors (whatever they held before), no data-sized allocation in the steady
 * state of a time-major pass, and a clear refusal of targets it cannot write.
 */
class ForwardIntoTest {

    private static final int INPUT = 5;
    private static final int HIDDEN = 32;
    private static final int STEPS = 9;
    private static final int BATCH = 3;

    private static RNNBase module(String kind, boolean bidirectional, boolean batchFirst, Kernels kernels) {
        Generator g = new Generator(7);
        return switch (kind) {
            case "gru" -> GRU.builder(INPUT, HIDDEN).numLayers(2).bidirectional(bidirectional).batchFirst(batchFirst)
                    .generator(g).kernels(kernels).build();
            case "lstm" -> LSTM.builder(INPUT, HIDDEN).numLayers(2).bidirectional(bidirectional)
                    .batchFirst(batchFirst).generator(g).kernels(kernels).build();
            default -> RNN.builder(INPUT, HIDDEN).numLayers(2).bidirectional(bidirectional).batchFirst(batchFirst)
                    .generator(g).kernels(kernels).build();
        };
    }

    /** Tensors of the shapes of {@code like}, filled with NaN so that an element left unwritten shows. */
    private static RecurrentOutput nanTargets(RecurrentOutput like) {
        return new RecurrentOutput(Tensor.full(Float.NaN, like.output().shape()),
                Tensor.full(Float.NaN, like.hN().shape()),
                like.cN() == null ? null : Tensor.full(Float.NaN, like.cN().shape()));
    }

    @ParameterizedTest(name = "{0}, {1}, bidirectional {2}, initial states {3}")
    @CsvSource({
        "rnn, time-major, false, false", "gru, time-major, false, false", "lstm, time-major, false, false",
        "rnn, time-major, true, true", "gru, time-major, true, true", "lstm, time-major, true, true",
        "lstm, time-major, false, true", "gru, batch-first, true, false", "lstm, batch-first, false, true",
        "rnn, unbatched, false, true", "lstm, unbatched, true, false", "gru, unbatched, false, false"})
    void writesTheNumbersOfForwardBitForBit(String kind, String layout, boolean bidirectional, boolean states) {
        boolean unbatched = layout.equals("unbatched");
        RNNBase m = module(kind, bidirectional, layout.equals("batch-first"), KernelProvider.kernels());
        m.eval();
        Generator g = new Generator(11);
        Tensor x = unbatched ? Torch.randn(g, STEPS, INPUT)
                : layout.equals("batch-first") ? Torch.randn(g, BATCH, STEPS, INPUT) : Torch.randn(g, STEPS, BATCH,
                INPUT);
        int stateCount = 2 * (bidirectional ? 2 : 1);
        int[] stateShape = unbatched ? new int[] {stateCount, HIDDEN} : new int[] {stateCount, BATCH, HIDDEN};
        Tensor h0 = states ? Torch.randn(g, stateShape) : null;
        Tensor c0 = states && kind.equals("lstm") ? Torch.randn(g, stateShape) : null;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            RecurrentOutput expected = m.forward(x, h0, c0);
            RecurrentOutput into = nanTargets(expected);
            long outputVersion = into.output().version();
            for (int call = 0; call < 2; call++) { // the second call finds the first one's results in the targets
                RecurrentOutput got = m.forward(x, h0, c0, into);
                assertSame(into, got, "forward returns the targets it wrote");
                assertArrayEquals(expected.output().data(), into.output().data(), "output, call " + call);
                assertArrayEquals(expected.hN().data(), into.hN().data(), "h_n, call " + call);
                if (expected.cN() != null) {
                    assertArrayEquals(expected.cN().data(), into.cN().data(), "c_n, call " + call);
                } else {
                    assertNull(into.cN());
                }
            }
            assertEquals(outputVersion + 2, into.output().version(), "each call is an in-place write");
        }
    }

    @Test
    void writesWithoutAGraphWhenOnlyTheParametersRequireGrad() {
        RNNBase m = module("lstm", false, false, KernelProvider.kernels());
        Tensor x = Torch.randn(new Generator(3), STEPS, BATCH, INPUT);
        RecurrentOutput expected;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            expected = m.forward(x, null, null);
        }
        RecurrentOutput into = nanTargets(expected);
        m.forward(x, null, null, into); // grad mode on, parameters requiring grad: inference all the same
        assertArrayEquals(expected.output().data(), into.output().data());
        assertTrue(!into.output().requiresGrad(), "the output records no graph");
    }

    /**
     * A time-major inference pass into the same targets allocates no arrays: what it allocates per call (the
     * fewest over rounds, {@link AllocationMeter}; scalar kernels, as in {@link ForwardAllocationTest}) stays far
     * below even the output alone, where the three-argument forward allocates at least its outputs.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"rnn", "gru", "lstm"})
    void aSteadyStateTimeMajorForwardIntoAllocatesNoArrays(String kind) {
        RNNBase m = module(kind, true, false, KernelProvider.checkedScalar());
        m.eval();
        int steps = 40;
        Tensor x = Torch.randn(new Generator(5), steps, BATCH, INPUT);
        int calls = 10;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            RecurrentOutput into = nanTargets(m.forward(x, null, null));
            long withInto = AllocationMeter.fewestBytes(6, () -> {
                for (int i = 0; i < calls; i++) {
                    m.forward(x, null, null, into);
                }
            }) / calls;
            long withoutInto = AllocationMeter.fewestBytes(6, () -> {
                for (int i = 0; i < calls; i++) {
                    m.forward(x, null, null);
                }
            }) / calls;
            long outputBytes = 4L * into.output().numel();
            assertTrue(withoutInto >= outputBytes, kind + ": forward without targets allocated " + withoutInto
                    + " bytes per call, less than its " + outputBytes + "-byte output: the meter measures nothing");
            assertTrue(withInto < outputBytes / 4, kind + ": " + withInto + " bytes per forward into targets, "
                    + "against a " + outputBytes + "-byte output");
        }
    }

    @Test
    void refusesTargetsItCannotWrite() {
        RNNBase lstm = module("lstm", false, false, KernelProvider.kernels());
        Tensor x = Torch.randn(new Generator(2), STEPS, BATCH, INPUT);
        Tensor output = Tensor.zeros(STEPS, BATCH, HIDDEN);
        Tensor hN = Tensor.zeros(2, BATCH, HIDDEN);
        Tensor cN = Tensor.zeros(2, BATCH, HIDDEN);
        try (GradMode.Scope _ = GradMode.noGrad()) {
            assertMessage("into must not be null", () -> lstm.forward(x, null, null, null));
            assertMessage("into.output must have the shape forward returns for this input, (9, 3, 32), got (3, 9, 32)",
                    () -> lstm.forward(x, null, null, new RecurrentOutput(Tensor.zeros(BATCH, STEPS, HIDDEN), hN,
                            cN)));
            assertMessage("into.cN must not be null: expected a tensor of shape (2, 3, 32)",
                    () -> lstm.forward(x, null, null, new RecurrentOutput(output, hN, null)));
            assertMessage("into.hN requires grad", () -> lstm.forward(x, null, null,
                    new RecurrentOutput(output, Tensor.zeros(2, BATCH, HIDDEN).requiresGrad(true), cN)));
            Tensor h0 = Tensor.zeros(2, BATCH, HIDDEN);
            assertMessage("into.hN shares its data with h_0", () -> lstm.forward(x, h0, Tensor.zeros(2, BATCH,
                    HIDDEN), new RecurrentOutput(output, h0, cN)));
            assertMessage("into.hN and into.cN share their data",
                    () -> lstm.forward(x, null, null, new RecurrentOutput(output, hN, hN)));
            RNNBase gru = module("gru", false, false, KernelProvider.kernels());
            assertMessage("into.cN must be null: c_n is the cell state of an LSTM, and this module is GRU",
                    () -> gru.forward(x, null, null, new RecurrentOutput(output, hN, cN)));
        }
        Tensor needsGrad = Torch.randn(new Generator(4), STEPS, BATCH, INPUT).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lstm.forward(needsGrad, null, null, new RecurrentOutput(output, hN, cN)));
        assertTrue(e.getMessage().contains("call forward(input, h0, c0) to get gradients"), e.getMessage());
        for (float v : output.data()) {
            assertEquals(0f, v, "a refused call writes nothing");
        }
    }

    private static void assertMessage(String expectedStart, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(expectedStart), "message: " + e.getMessage());
    }
}
