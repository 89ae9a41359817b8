package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sequence split of a batched recurrence ({@link Kernels#recurrentSequence} from batch 2 on two threads) at a
 * size where both threads surely compute at the same time: each thread's half of a step takes tens of microseconds
 * and the whole pass milliseconds, so the helper joins long before the caller could claim its part as well. The
 * kernel properties compare one and two threads near the split threshold, where a whole pass takes a few
 * microseconds and the caller often runs both parts itself before the helper wakes; there, a part that used another
 * part's rows of the hidden-gate scratch (which each thread's product writes and its cell kernel then reads) would
 * go unseen (a mutation test found exactly that mutant alive).
 */
class SequenceSplitTest {

    private static final int STEPS = 30;
    private static final int BATCH = 32;
    private static final int HIDDEN = 256;

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void twoThreadsGiveTheBitsOfOneWhenTheirHalvesRunAtTheSameTime(CellKind cell) {
        Kernels kernels = KernelProvider.checkedVector();
        int gh = cell.gates() * HIDDEN;
        SplittableRandom random = new SplittableRandom(20261206L + cell.ordinal());
        float[] w = values(random, gh * HIDDEN, 1.5 / Math.sqrt(HIDDEN));
        PackedMatrix whh = kernels.packB(true, HIDDEN, gh, w, 0, HIDDEN);
        float[] ig = values(random, STEPS * BATCH * gh, 2);
        float[] bhh = values(random, gh, 0.5);
        float[] h0 = values(random, BATCH * HIDDEN, 1);
        float[] c0 = values(random, BATCH * HIDDEN, 1);
        int threadsBefore = KernelThreads.count();
        try {
            KernelThreads.setCount(1);
            float[][] oneThread = run(kernels, cell, whh, ig, bhh, h0, c0);
            KernelThreads.setCount(2);
            for (int pass = 0; pass < 3; pass++) {
                float[][] twoThreads = run(kernels, cell, whh, ig, bhh, h0, c0);
                assertArrayEquals(oneThread[0], twoThreads[0], cell + ", pass " + pass + ": h");
                assertArrayEquals(oneThread[1], twoThreads[1], cell + ", pass " + pass + ": c");
            }
        } finally {
            KernelThreads.setCount(threadsBefore);
        }
    }

    /** One pass over copies of the operands: {h (steps * batch x H), c after the last step}. */
    private static float[][] run(Kernels kernels, CellKind cell, PackedMatrix whh, float[] ig, float[] bhh,
                                 float[] h0, float[] c0) {
        float[] h = new float[STEPS * BATCH * HIDDEN];
        Arrays.fill(h, Float.NaN);
        float[] c = c0.clone();
        float[] hg = new float[BATCH * cell.gates() * HIDDEN];
        kernels.recurrentSequence(cell, false, STEPS, BATCH, HIDDEN, ig.clone(), 0, whh, bhh, 0, h0, 0, c, 0, h, 0,
                HIDDEN, hg, 0);
        return new float[][] {h, c};
    }

    private static float[] values(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
