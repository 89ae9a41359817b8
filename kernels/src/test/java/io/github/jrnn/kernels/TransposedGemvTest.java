package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two ways of the vector {@code sgemv} with a transposed A give the same bits: the row sweeps that an A larger
 * than L2 takes and the column blocks that the kernel properties check at their (smaller) sizes, for row counts that
 * are and are not multiples of the four rows a sweep takes, column counts with and without a partial last vector,
 * offsets and a leading dimension above the row length, and the alpha / beta cases of the output. The public kernel
 * takes the row sweeps from {@link GemmBlocking#TRANSPOSED_GEMV_BY_ROWS_MIN_FLOATS} elements on.
 */
class TransposedGemvTest {

    @ParameterizedTest(name = "{0} x {1}, alpha {2}, beta {3}")
    @CsvSource({
        "1, 1, 1, 0", "3, 5, 1, 0", "4, 16, 1, 0", "7, 17, 0.5, 1", "33, 129, 1, 0.25", "100, 64, -2, 0",
        "1024, 600, 1, 0", "2049, 515, 1.5, -1"})
    void rowSweepsGiveTheBitsOfColumnBlocks(int m, int n, float alpha, float beta) {
        SplittableRandom random = new SplittableRandom(m * 7919L + n);
        int lda = n + 3;
        float[] a = values(random, 2 + m * lda);
        float[] x = values(random, 1 + m);
        float[] y0 = values(random, 4 + n);
        float[] byColumns = y0.clone();
        float[] byRows = y0.clone();
        VectorGemv.gemvTransposedByColumns(m, n, alpha, a, 2, lda, x, 1, beta, byColumns, 4);
        VectorGemv.gemvTransposedByRows(m, n, alpha, a, 2, lda, x, 1, beta, byRows, 4);
        assertArrayEquals(byColumns, byRows, m + " x " + n);
        assertEquals(y0[3], byRows[3], "y before its offset untouched");
    }

    @org.junit.jupiter.api.Test
    void theSweepsStartAboveOneCoresL2WithOneMegabyteAssumedWhenUnknown() {
        assertEquals((2L << 20) / 4 + 1, GemmBlocking.transposedGemvByRowsMinFloats(2L << 20));
        assertEquals((1L << 20) / 4 + 1, GemmBlocking.transposedGemvByRowsMinFloats(512L << 10));
        assertEquals((1L << 20) / 4 + 1, GemmBlocking.transposedGemvByRowsMinFloats(0));
    }

    private static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
