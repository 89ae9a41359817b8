package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one-row packed product taken over its panels backwards ({@link VectorGemv#packedRow} with
 * {@code descending}): the same bits as forwards for every range shape (four-panel groups, single panels, a ragged
 * last panel), touching no column outside the range; and a packed matrix alternates the direction call by call.
 */
class PackedRowOrderTest {

    private static final int NR = GemmMicroKernel.NR;

    @Test
    void backwardsGivesTheBitsOfForwardsOnEveryRangeShape() {
        SplittableRandom random = new SplittableRandom(12);
        int k = GemmBlocking.KC + 9; // two k-blocks
        for (int n : new int[] {NR, 3 * NR, 4 * NR, 5 * NR + 7, 9 * NR + 3, 12 * NR}) {
            float[] w = values(random, n * k);
            VectorPackedMatrix b = new VectorPackedMatrix(true, k, n, w, 0, k);
            float[] x = values(random, 2 * k);
            float[] bias = values(random, n);
            for (int col0 = 0; col0 < n; col0 += NR) {
                for (int col1 : new int[] {Math.min(n, col0 + NR), Math.min(n, col0 + 5 * NR), n}) {
                    float[] forwards = new float[n + 2];
                    float[] backwards = new float[n + 2];
                    java.util.Arrays.fill(forwards, Float.NaN);
                    java.util.Arrays.fill(backwards, Float.NaN);
                    VectorGemv.packedRow(1f, x, 1, 2, b, col0, col1, 0f, bias, 0, forwards, 1, false);
                    VectorGemv.packedRow(1f, x, 1, 2, b, col0, col1, 0f, bias, 0, backwards, 1, true);
                    String what = "n " + n + " columns [" + col0 + ", " + col1 + ")";
                    assertArrayEquals(forwards, backwards, what);
                    for (int j = 0; j < n + 2; j++) {
                        boolean inRange = j >= 1 + col0 && j < 1 + col1;
                        assertEquals(!inRange, Float.isNaN(backwards[j]), what + ": c[" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void aPackedMatrixAlternatesItsRowOrder() {
        VectorPackedMatrix b = new VectorPackedMatrix(false, 2, NR, new float[2 * NR], 0, NR);
        assertTrue(b.nextRowOrder(), "the first call after packing goes backwards");
        assertFalse(b.nextRowOrder());
        assertTrue(b.nextRowOrder());
    }

    private static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
