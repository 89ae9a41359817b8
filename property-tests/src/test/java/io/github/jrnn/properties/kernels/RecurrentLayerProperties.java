package io.github.jrnn.properties.kernels;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.jrnn.kernels.CellKind;
import io.github.jrnn.kernels.GemmBlocking;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.PackedMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The whole-layer kernel {@code recurrentLayer}: bit for bit the calls its Javadoc defines it as, made one by one
 * on one thread (run by run, {@code sgemmPackedBias} or {@code sgemmPacked} of the run's input rows, then
 * {@code recurrentSequence} over the run from h0 or from the last h of the run next to it), on both
 * implementations, on one thread and on two (where the vector kernels give each thread its own sequences, which then
 * project their own input rows), both directions, with and without biases, any run length. Those calls are each
 * held to their formulas by their own properties ({@link RecurrentSequenceProperties} carries the recurrence's error
 * bound step to step), so equal bits carry those bounds over. Half the draws are large enough (hidden 128-148,
 * 16-18 steps, 3-5 sequences) to pass the threading threshold ({@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS})
 * for GRU and LSTM, so that two-thread runs split (the statistics show how often).
 */
class RecurrentLayerProperties {

    @Property(tries = 60)
    @Compares("recurrentLayer")
    void givesTheBitsOfItsDefinitionOnEveryThreadCount(
            @ForAll CellKind cell, @ForAll boolean reverse, @ForAll @IntRange(min = 0, max = 12) int steps,
            @ForAll @IntRange(min = 0, max = 4) int batch, @ForAll @IntRange(min = 0, max = 40) int hidden,
            @ForAll @IntRange(min = 0, max = 24) int input, @ForAll @IntRange(min = 1, max = 6) int chunkSteps,
            @ForAll boolean withBias, @ForAll boolean large, @ForAll long seed) {
        if (large) {
            // 16-18 steps of 3-5 sequences at hidden 128-148 with some input: past the threading threshold for GRU
            // and LSTM (at least 16 * 3 * 3 * 128^2 multiply-adds)
            steps = 16 + steps % 3;
            batch = 3 + batch % 3;
            hidden = 128 + hidden % 21;
            input = 1 + input;
        }
        long multiplyAdds = (long) steps * batch * cell.gates() * hidden * hidden;
        Statistics.label("splits on two threads").collect(batch >= 2 && input > 0
                && multiplyAdds >= GemmBlocking.THREADING_MIN_MULTIPLY_ADDS);
        SplittableRandom random = new SplittableRandom(seed);
        int gh = cell.gates() * hidden;
        float[] wih = values(random, gh * input, 1.0 / Math.max(1, input));
        float[] whh = values(random, gh * hidden, 1.0 / Math.max(1, hidden));
        float[] bih = withBias ? values(random, gh, 0.5) : null;
        float[] bhh = withBias ? values(random, gh, 0.5) : null;
        float[] x = values(random, 2 + steps * batch * input, 1);
        float[] h0 = values(random, batch * hidden, 1);
        float[] c0 = values(random, batch * hidden, 1);
        int ldh = hidden + random.nextInt(3);
        int threadsBefore = KernelThreads.count();
        try {
            for (Kernels k : BOTH) {
                PackedMatrix packedWih = k.packB(true, input, gh, wih, 0, Math.max(1, input));
                PackedMatrix packedWhh = k.packB(true, hidden, gh, whh, 0, Math.max(1, hidden));
                KernelThreads.setCount(1);
                float[][] expected = definition(k, cell, reverse, steps, batch, hidden, input, x, packedWih, bih,
                        packedWhh, bhh, h0, c0, ldh, chunkSteps);
                for (int threads = 1; threads <= 2; threads++) {
                    KernelThreads.setCount(threads);
                    float[] h = nans(1 + steps * batch * ldh);
                    float[] c = c0.clone();
                    float[] work = nans(3 + Kernels.recurrentLayerWorkFloats(cell, steps, batch, hidden, input,
                            chunkSteps));
                    k.recurrentLayer(cell, reverse, steps, batch, hidden, input, x, 2, packedWih, bih, 0, packedWhh,
                            bhh, 0, h0, 0, cell == CellKind.LSTM ? c : null, 0, h, 1, ldh, null, 0, null, 0,
                            chunkSteps, work, 3);
                    String name = k.name() + " recurrentLayer " + cell + (reverse ? " reverse" : "") + " on "
                            + threads + " thread(s)";
                    assertArrayEquals(expected[0], h, name + ": h");
                    assertArrayEquals(expected[1], c, name + ": c");
                }
            }
        } finally {
            KernelThreads.setCount(threadsBefore);
        }
    }

    /** {h, c} from the calls of the Javadoc, one by one. */
    private static float[][] definition(Kernels k, CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                        int input, float[] x, PackedMatrix wih, float[] bih, PackedMatrix whh,
                                        float[] bhh, float[] h0, float[] c0, int ldh, int chunkSteps) {
        int gh = cell.gates() * hidden;
        float[] h = nans(1 + steps * batch * ldh);
        float[] c = c0.clone();
        int runs = (steps + chunkSteps - 1) / chunkSteps;
        for (int i = 0; i < runs; i++) {
            int run = reverse ? runs - 1 - i : i;
            int t0 = (int) ((long) run * steps / runs);
            int n = (int) ((long) (run + 1) * steps / runs) - t0;
            float[] ig = new float[n * batch * gh];
            if (bih != null) {
                k.sgemmPackedBias(false, n * batch, 1f, x, 2 + t0 * batch * input, Math.max(1, input), wih, bih, 0,
                        ig, 0, Math.max(1, gh));
            } else {
                k.sgemmPacked(false, n * batch, 1f, x, 2 + t0 * batch * input, Math.max(1, input), wih, 0f, ig, 0,
                        Math.max(1, gh));
            }
            float[] start = h0.clone();
            if (i > 0) {
                int previous = reverse ? t0 + n : t0 - 1;
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(h, 1 + (previous * batch + b) * ldh, start, b * hidden, hidden);
                }
            }
            k.recurrentSequence(cell, reverse, n, batch, hidden, ig, 0, whh, bhh, 0, start, 0,
                    cell == CellKind.LSTM ? c : null, 0, h, 1 + t0 * batch * ldh, ldh, new float[batch * gh], 0);
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
