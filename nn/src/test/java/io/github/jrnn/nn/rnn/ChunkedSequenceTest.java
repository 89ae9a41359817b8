package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An inference pass over equal-length sequences runs its steps in chunks ({@link RecurrentForward#chunkSteps}), each
 * chunk's input projection right before its steps; the result must be bit for bit the recording forward's, which
 * projects all rows at once and runs step by step. The shapes are chosen so that every direction of every layer
 * runs in two or more chunks, of unequal lengths where the steps do not divide, in both time directions.
 */
class ChunkedSequenceTest {

    @ParameterizedTest(name = "{0} hidden {1}, batch {2}, {3} steps, {4} layers, bidirectional {5}")
    @CsvSource({
        "LSTM, 64, 4, 301, 2, true",
        "GRU, 48, 4, 700, 1, true",
        "RNN_TANH, 96, 8, 343, 2, false",
        "LSTM, 64, 1, 1030, 1, false",
        "GRU, 256, 64, 9, 1, true",
    })
    void chunkedInferenceGivesTheRecordingForwardsBits(RecurrentMode mode, int hidden, int batch, int steps,
                                                       int layers, boolean bidirectional) {
        int gh = mode.gates() * hidden;
        int input = 12;
        int widestInput = Math.max(input, layers > 1 ? (bidirectional ? 2 : 1) * hidden : 0);
        int perChunk = RecurrentForward.chunkSteps(steps, batch, gh, ((long) widestInput + hidden) * gh);
        assertTrue(perChunk < steps, "the shape must need more than one chunk, got " + perChunk + " steps per chunk");

        Kernels kernels = KernelProvider.kernels();
        Generator g = new Generator(31);
        RNNBase m = switch (mode) {
            case LSTM -> LSTM.builder(input, hidden).numLayers(layers).bidirectional(bidirectional).generator(g)
                    .kernels(kernels).build();
            case GRU -> GRU.builder(input, hidden).numLayers(layers).bidirectional(bidirectional).generator(g)
                    .kernels(kernels).build();
            default -> RNN.builder(input, hidden).numLayers(layers).bidirectional(bidirectional).generator(g)
                    .kernels(kernels).build();
        };
        Random rnd = new Random(steps);
        int states = layers * (bidirectional ? 2 : 1);
        Tensor x = random(rnd, steps, batch, input);
        Tensor h0 = random(rnd, states, batch, hidden);
        Tensor c0 = mode == RecurrentMode.LSTM ? random(rnd, states, batch, hidden) : null;

        RecurrentOutput recorded = m.forward(x, h0, c0); // grad recording on: a tape, step by step
        assertTrue(recorded.output().requiresGrad(), "the reference forward must be the recording one");
        RecurrentOutput chunked;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            chunked = m.forward(x, h0, c0);
        }
        assertSameBits(recorded.output(), chunked.output(), "output");
        assertSameBits(recorded.hN(), chunked.hN(), "h_n");
        if (c0 != null) {
            assertSameBits(recorded.cN(), chunked.cN(), "c_n");
        }
    }

    /**
     * The chunk rule: about 2^18 gates per chunk (1 MB) while a layer's W_ih and W_hh hold at most 3 x 2^20 floats,
     * about 2^24 beyond; at least 4 steps, at most all of them. Expected counts worked out by hand from those
     * numbers.
     */
    @Test
    void chunksGrowWithTheWeightsAndStayWithinTheirBounds() {
        long lstm256 = 2L * 256 * 1024;      // LSTM hidden 256, input 256: 2 MB of weights
        long lstm1024 = 2L * 1024 * 4096;    // LSTM hidden 1024, input 1024: 32 MB
        assertEquals(8, RecurrentForward.chunkSteps(100, 32, 1024, lstm256), "2^18 / (32 * 1024)");
        assertEquals(100, RecurrentForward.chunkSteps(100, 32, 4096, lstm1024), "2^24 / (32 * 4096) = 128 > 100");
        assertEquals(64, RecurrentForward.chunkSteps(1000, 64, 4096, lstm1024), "2^24 / (64 * 4096)");
        assertEquals(4, RecurrentForward.chunkSteps(100, 64, 4096, 3L << 20), "at the bound: 2^18 / 2^18 = 1 -> 4");
        assertEquals(64, RecurrentForward.chunkSteps(100, 64, 4096, (3L << 20) + 1), "just above it: 2^24 / 2^18");
        assertEquals(4, RecurrentForward.chunkSteps(100, 1024, 4096, lstm1024), "2^24 / 2^22 = 4");
        assertEquals(4, RecurrentForward.chunkSteps(100, 4096, 4096, lstm1024), "never fewer than 4 steps");
        assertEquals(3, RecurrentForward.chunkSteps(3, 4096, 4096, lstm1024), "never more than all steps");
    }

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        float[] e = expected.data();
        float[] a = actual.data();
        assertEquals(e.length, a.length, what + " length");
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                throw new AssertionError(what + "[" + i + "]: recording forward " + e[i] + ", chunked inference "
                        + a[i]);
            }
        }
    }

    private static Tensor random(Random rnd, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.numel(); i++) {
            t.data()[i] = (float) (rnd.nextGaussian() * 0.8);
        }
        return t;
    }
}
