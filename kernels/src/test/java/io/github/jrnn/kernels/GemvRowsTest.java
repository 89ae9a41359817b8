package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two row loops of the vector {@code sgemv} without a transpose (four rows one vector at a time for short rows,
 * eight rows in chunks of four vectors for long ones) give every row the same bits: both run one FMA chain per row
 * over its vectors in column order, then the masked tail, then the same lane reduction. So the row length at which
 * {@link VectorGemv#gemvRows} switches between them moves no result. Checked for rows of whole vectors and with a
 * partial last vector, short and long (in lanes of this machine's vectors), with offsets, a leading dimension above
 * the row length, and the alpha / beta cases of the output; rows past the last whole group of eight are left to the
 * caller by both loops, so only the rows both computed are compared, and y past them must be untouched.
 */
class GemvRowsTest {

    @ParameterizedTest(name = "{0} rows x ({1} L + {2}) columns, alpha {3}, beta {4}")
    @CsvSource({
        "8, 1, 0, 1, 0", "16, 1, 3, 1, 0", "24, 4, 0, 0.5, 1", "9, 8, 0, 1, 0", "8, 7, 5, -2, 0.25",
        "40, 9, 0, 1, 0", "17, 16, 1, 1.5, -1", "8, 0, 3, 1, 0"})
    void fourRowAndEightRowPassesGiveEveryRowTheSameBits(int m, int vectors, int extra, float alpha, float beta) {
        int n = vectors * L + extra;
        SplittableRandom random = new SplittableRandom(m * 7919L + n);
        int lda = n + 3;
        float[] a = values(random, 2 + m * lda);
        float[] x = values(random, 1 + n);
        float[] y0 = values(random, 4 + m + 2);
        float[] byFour = y0.clone();
        float[] byEight = y0.clone();
        int body = (n / L) * L;
        int fourDone = VectorGemv.fourRowPasses(m, n, body, alpha, a, 2, lda, x, 1, beta, byFour, 4);
        int eightDone = VectorGemv.eightRowPasses(m, n, body, alpha, a, 2, lda, x, 1, beta, byEight, 4);
        assertEquals(m / 4 * 4, fourDone, "rows in whole groups of four");
        assertEquals(m / 8 * 8, eightDone, "rows in whole groups of eight");
        float[] fourRows = new float[eightDone];
        float[] eightRows = new float[eightDone];
        System.arraycopy(byFour, 4, fourRows, 0, eightDone);
        System.arraycopy(byEight, 4, eightRows, 0, eightDone);
        assertArrayEquals(eightRows, fourRows, m + " x " + n);
        assertEquals(y0[3], byFour[3], "y before its offset untouched");
        for (int i = 4 + fourDone; i < y0.length; i++) {
            assertEquals(y0[i], byFour[i], "y[" + i + "] past the four-row groups untouched");
        }
        for (int i = 4 + eightDone; i < y0.length; i++) {
            assertEquals(y0[i], byEight[i], "y[" + i + "] past the eight-row groups untouched");
        }
    }

    private static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
