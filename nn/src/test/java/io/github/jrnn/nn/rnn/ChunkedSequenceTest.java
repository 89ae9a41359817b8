package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Random;
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
        int perChunk = RecurrentForward.chunkSteps(steps, batch, gh);
        assertTrue(perChunk < steps, "the shape must need more than one chunk, got " + perChunk + " steps per chunk");

        Kernels kernels = KernelProvider.kernels();
        Generator g = new Generator(31);
        int input = 12;
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
