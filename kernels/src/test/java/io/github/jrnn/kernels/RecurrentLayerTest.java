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
 * thread and on two; recording for a backward, the same with each cell kernel's workspace rows and every LSTM c_t
 * (the RNN cells record nothing). At the large shapes each of the two threads takes its own sequences for many
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
            for (boolean record : new boolean[] {false, true}) {
                for (boolean reverse : new boolean[] {false, true}) {
                    float[][] expected = definition(k, cell, reverse, record, steps, batch, hidden, input, x, xOffset,
                            wih, bih, whh, bhh, h0, c0, ldh, chunkSteps);
                    for (int threads = 1; threads <= 2; threads++) {
                        KernelThreads.setCount(threads);
                        float[][] got = layer(k, cell, reverse, record, steps, batch, hidden, input, x, xOffset, wih,
                                bih, whh, bhh, h0, c0, ldh, chunkSteps);
                        String what = cell + (reverse ? " reverse" : "") + (record ? " recording" : "") + ", "
                                + threads + " thread(s): ";
                        assertArrayEquals(expected[0], got[0], what + "h");
                        assertArrayEquals(expected[1], got[1], what + "c");
                        assertArrayEquals(expected[2], got[2], what + "gates");
                        assertArrayEquals(expected[3], got[3], what + "cells");
                        assertEquals(Float.NaN, got[0][5], what + "h's offset untouched");
                    }
                    KernelThreads.setCount(1);
                }
            }
        } finally {
            KernelThreads.setCount(threadsBefore);
        }
    }

    /** The kernel under test: {h (with its untouched padding), c, gates, cells}. */
    private static float[][] layer(Kernels k, CellKind cell, boolean reverse, boolean record, int steps, int batch,
                                   int hidden, int input, float[] x, int xOffset, PackedMatrix wih, float[] bih,
                                   PackedMatrix whh, float[] bhh, float[] h0, float[] c0, int ldh, int chunkSteps) {
        float[] h = nans(6 + steps * batch * ldh);
        float[] c = c0.clone();
        float[] gates = nans(5 + steps * batch * 4 * hidden);
        float[] cells = nans(3 + steps * batch * hidden);
        int workOffset = 4;
        float[] work = nans(workOffset
                + Kernels.recurrentLayerWorkFloats(cell, steps, batch, hidden, input, chunkSteps));
        float[] xCopy = x.clone();
        k.recurrentLayer(cell, reverse, steps, batch, hidden, input, xCopy, xOffset, wih, bih, 1, whh, bhh, 2, h0, 1,
                c, 2, h, 6, ldh, record ? gates : null, 5, record ? cells : null, 3, chunkSteps, work, workOffset);
        assertArrayEquals(x, xCopy, "x is an input");
        return new float[][] {h, c, gates, cells};
    }

    /**
     * The Javadoc's calls, run by run on one thread: the projection, then recurrentSequence, or recording, per step
     * sgemmPackedBias (or sgemmPacked) of the previous h and the cell kernel with its workspace rows.
     */
    private static float[][] definition(Kernels k, CellKind cell, boolean reverse, boolean record, int steps,
                                        int batch, int hidden, int input, float[] x, int xOffset, PackedMatrix wih,
                                        float[] bih, PackedMatrix whh, float[] bhh, float[] h0, float[] c0, int ldh,
                                        int chunkSteps) {
        int gh = cell.gates() * hidden;
        float[] h = nans(6 + steps * batch * ldh);
        float[] c = c0.clone();
        float[] gates = nans(5 + steps * batch * 4 * hidden);
        float[] cells = nans(3 + steps * batch * hidden);
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
            if (record) {
                for (int s = 0; s < n; s++) {
                    int local = reverse ? n - 1 - s : s;
                    int t = t0 + local;
                    boolean first = i == 0 && s == 0;
                    int previous = reverse ? t + 1 : t - 1;
                    float[] hPrev = first ? h0 : h;
                    int hPrevOffset = first ? 1 : 6 + previous * batch * ldh;
                    int ldPrev = first ? hidden : ldh;
                    float[] hg = new float[batch * gh];
                    if (bhh != null) {
                        k.sgemmPackedBias(false, batch, 1f, hPrev, hPrevOffset, ldPrev, whh, bhh, 2, hg, 0, gh);
                    } else {
                        k.sgemmPacked(false, batch, 1f, hPrev, hPrevOffset, ldPrev, whh, 0f, hg, 0, gh);
                    }
                    int igRow = local * batch * gh;
                    int hRow = 6 + t * batch * ldh;
                    int ws = 5 + t * batch * 4 * hidden;
                    switch (cell) {
                        case RNN_TANH -> k.rnnTanhCell(batch, hidden, ig, igRow, hg, 0, h, hRow, ldh);
                        case RNN_RELU -> k.rnnReluCell(batch, hidden, ig, igRow, hg, 0, h, hRow, ldh);
                        case GRU -> k.gruCell(batch, hidden, ig, igRow, hg, 0, hPrev, hPrevOffset, ldPrev, h, hRow,
                                ldh, gates, ws);
                        case LSTM -> k.lstmCell(batch, hidden, ig, igRow, hg, 0, first ? c : cells,
                                first ? 2 : 3 + previous * batch * hidden, cells, 3 + t * batch * hidden, h, hRow,
                                ldh, gates, ws);
                    }
                }
                continue;
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
        return new float[][] {h, c, gates, cells};
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
