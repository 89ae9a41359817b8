package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Kernels#recurrentLayer} against its definition: run by run, {@code sgemmPackedBias} (or
 * {@code sgemmPacked}) of the run's input rows, then {@code recurrentSequence} over the run from h0 or from the last
 * h of the run next to it, called here one by one on one thread; the layer kernel must give the same bits on one
 * thread and on two. At the large shapes each of the two threads takes its own sequences for seconds' worth of
 * steps (an odd batch gives them unequal shares); the small shapes take the run-by-run path on every thread count,
 * on both implementations. Offsets, a leading dimension of h above hidden (a bidirectional layer's output) and runs
 * of unequal length are in every case.
 */
class RecurrentLayerTest {

    @ParameterizedTest(name = "{0} {1}, {2} steps, batch {3}, hidden {4}, input {5}, chunks of {6}, bias {7}")
    @CsvSource({
        "vector, LSTM, 30, 33, 256, 192, 7, true",
        "vector, GRU, 30, 32, 256, 256, 8, true",
        "vector, RNN_TANH, 24, 17, 256, 128, 5, false",
        "vector, LSTM, 9, 2, 128, 96, 4, false",
        "vector, GRU, 6, 3, 20, 7, 4, true",
        "vector, LSTM, 5, 1, 64, 16, 2, true",
        "scalar, LSTM, 7, 3, 9, 5, 3, true",
        "scalar, GRU, 6, 2, 8, 4, 4, false",
        "scalar, RNN_RELU, 5, 4, 6, 3, 2, true"})
    void givesTheBitsOfItsDefinitionOnOneThreadAndTwo(String impl, CellKind cell, int steps, int batch, int hidden,
                                                      int input, int chunkSteps, boolean bias) {
        Kernels k = impl.equals("vector") ? KernelProvider.checkedVector() : KernelProvider.checkedScalar();
        int gh = cell.gates() * hidden;
        SplittableRandom random = new SplittableRandom(20261207L + steps * 31L + batch);
        PackedMatrix wih = k.packB(true, input, gh, values(random, gh * input, 1.5 / Math.sqrt(input)), 0, input);
        PackedMatrix whh = k.packB(true, hidden, gh, values(random, gh * hidden, 1.5 / Math.sqrt(hidden)), 0,
                hidden);
        float[] bih = bias ? values(random, gh + 1, 0.5) : null;
        float[] bhh = bias ? values(random, gh + 2, 0.5) : null;
        int xOffset = 3;
        float[] x = values(random, xOffset + steps * batch * input, 1);
        float[] h0 = values(random, 1 + batch * hidden, 1);
        float[] c0 = values(random, 2 + batch * hidden, 1);
        int ldh = 2 * hidden + 1;
        int threadsBefore = KernelThreads.count();
        try {
            KernelThreads.setCount(1);
            for (boolean reverse : new boolean[] {false, true}) {
                float[][] expected = definition(k, cell, reverse, steps, batch, hidden, input, x, xOffset, wih, bih,
                        whh, bhh, h0, c0, ldh, chunkSteps);
                for (int threads = 1; threads <= 2; threads++) {
                    KernelThreads.setCount(threads);
                    float[][] got = layer(k, cell, reverse, steps, batch, hidden, input, x, xOffset, wih, bih, whh,
                            bhh, h0, c0, ldh, chunkSteps);
                    String what = cell + (reverse ? " reverse" : "") + ", " + threads + " thread(s): ";
                    assertArrayEquals(expected[0], got[0], what + "h");
                    assertArrayEquals(expected[1], got[1], what + "c");
                    assertEquals(Float.NaN, got[0][5], what + "h's offset untouched");
                }
                KernelThreads.setCount(1);
            }
        } finally {
            KernelThreads.setCount(threadsBefore);
        }
    }

    /** The kernel under test: {h (with its untouched padding), c}. */
    private static float[][] layer(Kernels k, CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                   int input, float[] x, int xOffset, PackedMatrix wih, float[] bih, PackedMatrix whh,
                                   float[] bhh, float[] h0, float[] c0, int ldh, int chunkSteps) {
        float[] h = nans(6 + steps * batch * ldh);
        float[] c = c0.clone();
        int workOffset = 4;
        float[] work = nans(workOffset
                + Kernels.recurrentLayerWorkFloats(cell, steps, batch, hidden, input, chunkSteps));
        float[] xCopy = x.clone();
        k.recurrentLayer(cell, reverse, steps, batch, hidden, input, xCopy, xOffset, wih, bih, 1, whh, bhh, 2, h0, 1,
                c, 2, h, 6, ldh, chunkSteps, work, workOffset);
        assertArrayEquals(x, xCopy, "x is an input");
        return new float[][] {h, c};
    }

    /** The Javadoc's calls, run by run on one thread. */
    private static float[][] definition(Kernels k, CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                        int input, float[] x, int xOffset, PackedMatrix wih, float[] bih,
                                        PackedMatrix whh, float[] bhh, float[] h0, float[] c0, int ldh,
                                        int chunkSteps) {
        int gh = cell.gates() * hidden;
        float[] h = nans(6 + steps * batch * ldh);
        float[] c = c0.clone();
        int runs = (steps + chunkSteps - 1) / chunkSteps;
        for (int i = 0; i < runs; i++) {
            int run = reverse ? runs - 1 - i : i;
            int t0 = (int) ((long) run * steps / runs);
            int n = (int) ((long) (run + 1) * steps / runs) - t0;
            float[] ig = new float[n * batch * gh];
            if (bih != null) {
                k.sgemmPackedBias(false, n * batch, 1f, x, xOffset + t0 * batch * input, input, wih, bih, 1, ig, 0,
                        gh);
            } else {
                k.sgemmPacked(false, n * batch, 1f, x, xOffset + t0 * batch * input, input, wih, 0f, ig, 0, gh);
            }
            float[] start = Arrays.copyOfRange(h0, 1, 1 + batch * hidden);
            if (i > 0) {
                int previous = reverse ? t0 + n : t0 - 1;
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(h, 6 + (previous * batch + b) * ldh, start, b * hidden, hidden);
                }
            }
            k.recurrentSequence(cell, reverse, n, batch, hidden, ig, 0, whh, bhh, 2, start, 0, c, 2, h,
                    6 + t0 * batch * ldh, ldh, new float[batch * gh], 0);
        }
        return new float[][] {h, c};
    }

    private static float[] nans(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    private static float[] values(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
