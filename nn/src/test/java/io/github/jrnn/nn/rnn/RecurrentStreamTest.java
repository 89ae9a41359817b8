package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.GemmBlocking;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.testing.AllocationMeter;
import io.github.jrnn.nn.testing.TorchTolerance;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stepping a stream through a sequence equals the module's forward over the whole sequence. */
class RecurrentStreamTest {

    private static final int INPUT = 5;
    private static final int HIDDEN = 7;
    private static final int STEPS = 6;

    static Stream<Arguments> modules() {
        return Stream.of(Arguments.of("rnn-tanh", 1, 0), Arguments.of("rnn-relu", 2, 0), Arguments.of("gru", 1, 0),
                Arguments.of("gru", 3, 0), Arguments.of("lstm", 2, 0), Arguments.of("lstm", 2, 3));
    }

    private static RNNBase build(String kind, int layers, int proj, Kernels kernels) {
        Generator g = new Generator(11);
        RNNBase m = switch (kind) {
            case "rnn-tanh" -> RNN.builder(INPUT, HIDDEN).numLayers(layers).generator(g).kernels(kernels).build();
            case "rnn-relu" -> RNN.builder(INPUT, HIDDEN).nonlinearity("relu").numLayers(layers).generator(g)
                    .kernels(kernels).build();
            case "gru" -> GRU.builder(INPUT, HIDDEN).numLayers(layers).generator(g).kernels(kernels).build();
            default -> LSTM.builder(INPUT, HIDDEN).numLayers(layers).projSize(proj).generator(g).kernels(kernels)
                    .build();
        };
        m.eval();
        return m;
    }

    private static Tensor sequence() {
        float[] x = new float[STEPS * INPUT];
        new Generator(5).uniform(x, 0, x.length, -2, 2);
        return Tensor.of(x, STEPS, INPUT);
    }

    @ParameterizedTest(name = "{0} layers={1} proj={2}")
    @MethodSource("modules")
    void steppingEqualsTheWholeSequenceForward(String kind, int layers, int proj) {
        for (Kernels kernels : new Kernels[] {KernelProvider.checkedScalar(), KernelProvider.checkedVector()}) {
            RNNBase m = build(kind, layers, proj, kernels);
            Tensor x = sequence();
            RecurrentOutput whole;
            try (GradMode.Scope _ = GradMode.noGrad()) {
                whole = m.forward(x);
            }
            RecurrentStream stream = m.stream();
            int hOut = m.options().hiddenOutSize();
            float[] stepped = new float[STEPS * hOut];
            for (int t = 0; t < STEPS; t++) {
                stream.step(x.data(), t * INPUT, stepped, t * hOut);
            }
            String what = kind + " " + kernels.name();
            if (kernels.name().equals("scalar")) {
                // Same operations in the same order: bit-identical.
                assertArrayEquals(whole.output().data(), stepped, what + " output");
                assertArrayEquals(whole.hN().data(), stream.hidden().data(), what + " h_n");
                if (whole.cN() != null) {
                    assertArrayEquals(whole.cN().data(), stream.cell().data(), what + " c_n");
                }
            } else {
                // One-row products may sum in another order than the whole-sequence product.
                TorchTolerance.assertClose(what + " output", whole.output().data(), stepped, TorchTolerance.FORWARD);
                TorchTolerance.assertClose(what + " h_n", whole.hN().data(), stream.hidden().data(),
                        TorchTolerance.FORWARD);
            }
        }
    }

    @Test
    void aStreamStartsFromTheGivenStateAndResetsToZero() {
        LSTM m = LSTM.builder(INPUT, HIDDEN).numLayers(2).generator(new Generator(3))
                .kernels(KernelProvider.checkedScalar()).build();
        m.eval();
        Tensor x = sequence();
        Tensor h0 = Tensor.full(0.5f, 2, 1, HIDDEN);
        Tensor c0 = Tensor.full(-0.25f, 2, 1, HIDDEN);
        RecurrentOutput whole = m.forward(x.unsqueeze(1), h0, c0);
        RecurrentStream stream = m.stream(h0, c0);
        for (int t = 0; t < STEPS; t++) {
            stream.step(x.select(t));
        }
        assertArrayEquals(whole.hN().data(), stream.hidden().data());
        assertArrayEquals(whole.cN().data(), stream.cell().data());
        stream.reset();
        assertArrayEquals(new float[2 * HIDDEN], stream.hidden().data());
        assertNull(GRU.builder(INPUT, HIDDEN).build().stream().cell());
    }

    @Test
    void steadyStateStepsAllocateNothing() {
        GRU m = GRU.builder(INPUT, HIDDEN).numLayers(2).generator(new Generator(1))
                .kernels(KernelProvider.checkedScalar()).build();
        RecurrentStream stream = m.stream();
        float[] x = sequence().data();
        float[] out = new float[HIDDEN];
        int steps = 10_000;
        // A step that allocated even one small object would cost >= 16 * steps bytes in every round; the JIT's
        // one-off allocations (see AllocationMeter) fall in a few rounds only.
        long fewest = AllocationMeter.fewestBytes(20, () -> {
            for (int i = 0; i < steps; i++) {
                stream.step(x, (i % STEPS) * INPUT, out, 0);
            }
        });
        assertEquals(0, fewest, "bytes allocated by " + steps + " streaming steps, fewest over up to 20 rounds");
    }

    /**
     * With the vector kernels on two threads and a layer whose one-row products are split over the kernel pool
     * (GRU 256: 3 * 256 * 256 multiply-adds each, at least {@link GemmBlocking#ROW_THREADING_MIN_MULTIPLY_ADDS}),
     * a steady-state step allocates nothing either, counting the pool threads ({@code jrnn-gemm-*}) as well as
     * the caller. The first rounds run before C2 has compiled the vector kernels (whose vectors are allocated
     * until then), so the fewest bytes over up to 300 rounds.
     */
    @Test
    void splitStepsOnTwoThreadsAllocateNothingOnAnyThread() {
        int hidden = 256;
        assertTrue(3L * hidden * hidden >= GemmBlocking.ROW_THREADING_MIN_MULTIPLY_ADDS, "the products must split");
        GRU m = GRU.builder(hidden, hidden).generator(new Generator(1)).kernels(KernelProvider.checkedVector())
                .build();
        RecurrentStream stream = m.stream();
        float[] x = new float[STEPS * hidden];
        new Generator(5).uniform(x, 0, x.length, -2, 2);
        float[] out = new float[hidden];
        int steps = 1_000;
        int before = KernelThreads.count();
        KernelThreads.setCount(2);
        try {
            long fewest = AllocationMeter.fewestBytes(300, "jrnn-gemm-", () -> {
                for (int i = 0; i < steps; i++) {
                    stream.step(x, (i % STEPS) * hidden, out, 0);
                }
            });
            assertEquals(0, fewest, "bytes allocated by " + steps + " split streaming steps on the caller and the"
                    + " pool threads, fewest over up to 300 rounds");
        } finally {
            KernelThreads.setCount(before);
        }
    }

    @Test
    void stateSlicesOfTheWrongSizeAreRefused() {
        RecurrentStream lstm = LSTM.builder(INPUT, HIDDEN).numLayers(2).build().stream();
        assertEquals(2 * HIDDEN + 2 * HIDDEN, lstm.stateSize());
        IllegalArgumentException shortDst = assertThrows(IllegalArgumentException.class,
                () -> lstm.storeState(new float[4 * HIDDEN], 1));
        assertTrue(shortDst.getMessage().contains("storeState: dst must hold stateSize() = " + 4 * HIDDEN
                + " floats from offset 1, got " + 4 * HIDDEN + " floats; an LSTM's state is h then c"),
                shortDst.getMessage());
        IllegalArgumentException nullSrc = assertThrows(IllegalArgumentException.class,
                () -> lstm.loadState(null, 0));
        assertTrue(nullSrc.getMessage().contains("loadState: src must hold"), nullSrc.getMessage());
        RecurrentStream gru = GRU.builder(INPUT, HIDDEN).build().stream();
        assertEquals(HIDDEN, gru.stateSize());
        assertThrows(IllegalArgumentException.class, () -> gru.loadState(new float[HIDDEN], -1));
    }

    @Test
    void refusals() {
        IllegalArgumentException bi = assertThrows(IllegalArgumentException.class,
                () -> GRU.builder(INPUT, HIDDEN).bidirectional(true).build().stream());
        assertTrue(bi.getMessage().contains("unidirectional"), bi.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> GRU.builder(INPUT, HIDDEN).build().stream(Tensor.zeros(1, 2, HIDDEN), null));
        assertTrue(shape.getMessage().contains("Expected h_0 size (1, 7)") && shape.getMessage().contains("[1, 2, 7]"),
                shape.getMessage());
        RecurrentStream s = RNN.builder(INPUT, HIDDEN).build().stream();
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> s.step(new float[4], 0, new float[HIDDEN], 0));
        assertTrue(x.getMessage().contains("input_size = 5"), x.getMessage());
    }
}
