package io.github.jrnn.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scalar reference against values worked out by hand (small products, a GRU and an LSTM step whose
 * intermediate numbers are in the comments, computed in double from the formulas in the {@link Kernels} Javadoc)
 * and against a double-precision product. The property tests trust this class, so it is checked independently.
 */
class ScalarKernelsTest {

    /** Hand values are exact decimals computed in double; float evaluation of a few operations is within this. */
    private static final float CELL_TOLERANCE = 1e-6f;

    private final Kernels scalar = KernelProvider.checkedScalar().unchecked();

    // A = [[1, 2, 3], [4, 5, 6]] (2 x 3), B = [[7, 8], [9, 10], [11, 12]] (3 x 2)
    // A B = [[1*7 + 2*9 + 3*11, 1*8 + 2*10 + 3*12], [4*7 + 5*9 + 6*11, 4*8 + 5*10 + 6*12]] = [[58, 64], [139, 154]]
    private static final float[] A = {1, 2, 3, 4, 5, 6};
    private static final float[] A_TRANSPOSED = {1, 4, 2, 5, 3, 6};
    private static final float[] B = {7, 8, 9, 10, 11, 12};
    private static final float[] B_TRANSPOSED = {7, 9, 11, 8, 10, 12};
    private static final float[] AB = {58, 64, 139, 154};

    /** One row holding {@code values}. */
    private static MatrixSlice slice(float... values) {
        return new MatrixSlice(values, 0, values.length);
    }

    @Test
    void sgemmMultipliesA2x3ByA3x2InEveryTransposeCombination() {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN}; // beta = 0: C is not read
                scalar.sgemm(transA, transB, 2, 2, 3, 1f, transA ? A_TRANSPOSED : A, 0, transA ? 2 : 3,
                        transB ? B_TRANSPOSED : B, 0, transB ? 3 : 2, 0f, c, 0, 2);
                assertArrayEquals(AB, c, "transA " + transA + ", transB " + transB);
            }
        }
    }

    @Test
    void sgemmAppliesAlphaAndBetaAndRespectsOffsetsAndLeadingDimensions() {
        // A at offset 2 with lda 5 (two padding columns), C at offset 1 with ldc 3
        float[] a = {-9, -9, 1, 2, 3, -9, -9, 4, 5, 6, -9, -9};
        float[] c = {-7, 1, 1, -7, 1, 1, -7};
        scalar.sgemm(false, false, 2, 2, 3, 2f, a, 2, 5, B, 0, 2, -1f, c, 1, 3);
        // 2 * AB - 1 = [[115, 127], [277, 307]]; padding untouched
        assertArrayEquals(new float[] {-7, 115, 127, -7, 277, 307, -7}, c);
    }

    @Test
    void sgemmWithAlphaZeroOrKZeroScalesCByBetaWithoutReadingAOrB() {
        float[] nan = {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        float[] c = {1, 2, 3, 4};
        scalar.sgemm(false, false, 2, 2, 3, 0f, nan, 0, 3, nan, 0, 2, 3f, c, 0, 2);
        assertArrayEquals(new float[] {3, 6, 9, 12}, c);
        scalar.sgemm(false, false, 2, 2, 0, 1f, nan, 0, 0, nan, 0, 2, -1f, c, 0, 2);
        assertArrayEquals(new float[] {-3, -6, -9, -12}, c);
    }

    @Test
    void sgemvMultipliesByAAndByATransposed() {
        float[] y = {Float.NaN, Float.NaN};
        // A [1, 0, -1] = [1 - 3, 4 - 6]
        scalar.sgemv(false, 2, 3, 1f, A, 0, 3, new float[] {1, 0, -1}, 0, 0f, y, 0);
        assertArrayEquals(new float[] {-2, -2}, y);
        // A^T [1, 1] = [5, 7, 9]; then alpha 2, beta 1 on y = [1, 1, 1] at offset 1
        float[] yt = {-7, 1, 1, 1};
        scalar.sgemv(true, 2, 3, 2f, A, 0, 3, new float[] {1, 1}, 0, 1f, yt, 1);
        assertArrayEquals(new float[] {-7, 11, 15, 19}, yt);
    }

    @Test
    void levelOneKernelsComputeTheirFormulas() {
        assertEquals(32f, scalar.dot(3, new float[] {1, 2, 3}, 0, new float[] {0, 4, 5, 6}, 1)); // 4 + 10 + 18
        assertEquals(0f, scalar.dot(0, new float[0], 0, new float[0], 0));

        float[] y = {1, 1, 1};
        scalar.axpy(3, -2f, new float[] {1, 2, 3}, 0, y, 0);
        assertArrayEquals(new float[] {-1, -3, -5}, y);

        float[] x = {1, -2, 4};
        scalar.scale(2, 0.5f, x, 1);
        assertArrayEquals(new float[] {1, -1, 2}, x);

        float[] filled = new float[4];
        scalar.fill(2, 7f, filled, 1);
        assertArrayEquals(new float[] {0, 7, 7, 0}, filled);

        float[] out = new float[3];
        scalar.add(3, new float[] {1, 2, 3}, 0, new float[] {10, 20, 30}, 0, out, 0);
        assertArrayEquals(new float[] {11, 22, 33}, out);
        scalar.mul(3, new float[] {1, 2, 3}, 0, new float[] {10, 20, 30}, 0, out, 0);
        assertArrayEquals(new float[] {10, 40, 90}, out);
    }

    @Test
    void broadcastRowsAndSumRowsHandleLeadingDimensions() {
        float[] c = new float[7];
        Arrays.fill(c, -1);
        scalar.broadcastRows(2, 2, new float[] {5, 6}, 0, c, 1, 3);
        assertArrayEquals(new float[] {-1, 5, 6, -1, 5, 6, -1}, c);

        // column sums of A (2 x 3) added to out = [1, 1, 1]: [1 + 5, 1 + 7, 1 + 9]
        float[] sums = {1, 1, 1};
        scalar.sumRows(2, 3, A, 0, 3, sums, 0);
        assertArrayEquals(new float[] {6, 8, 10}, sums);
    }

    @Test
    void activationsMatchTheFunctionsInDoubleAndTheirLimits() {
        float[] x = {-2.5f, -0f, 0f, 0.75f, 30f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN};
        float[] y = new float[x.length];
        scalar.tanh(x.length, x, 0, y, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals((float) Math.tanh(x[i]), y[i], "tanh(" + x[i] + ")");
        }
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(y[1]), "tanh(-0) = -0");
        assertEquals(-1f, y[5]);
        assertEquals(1f, y[6]);
        assertTrue(Float.isNaN(y[7]));

        scalar.sigmoid(x.length, x, 0, y, 0);
        assertEquals((float) (1 / (1 + Math.exp(2.5))), y[0]);
        assertEquals(0.5f, y[2]);
        assertEquals(0f, y[5]);
        assertEquals(1f, y[6]);
        assertTrue(Float.isNaN(y[7]));

        scalar.exp(x.length, x, 0, y, 0);
        assertEquals((float) Math.exp(0.75), y[3]);
        assertEquals(1f, y[2]);
        assertEquals(0f, y[5]);
        assertEquals(Float.POSITIVE_INFINITY, y[6]);
        assertTrue(Float.isNaN(y[7]));

        scalar.relu(x.length, x, 0, y, 0);
        assertArrayEquals(new float[] {0, 0, 0, 0.75f, 30, 0, Float.POSITIVE_INFINITY, Float.NaN}, y);
    }

    @Test
    void activationBackwardsComputeTheirFormulas() {
        float[] dy = {2, 2, 2};
        float[] y = {0.5f, -1f, 0f};
        float[] dx = new float[3];
        scalar.tanhBackward(3, dy, 0, y, 0, dx, 0);
        assertArrayEquals(new float[] {1.5f, 0, 2}, dx); // 2 (1 - y^2)
        scalar.sigmoidBackward(3, dy, 0, y, 0, dx, 0);
        assertArrayEquals(new float[] {0.5f, -4, 0}, dx); // 2 y (1 - y)
        scalar.reluBackward(3, dy, 0, y, 0, dx, 0);
        assertArrayEquals(new float[] {2, 0, 0}, dx);
    }

    @Test
    void rnnCellsActivateTheSumOfTheGateInputs() {
        float[] ig = {0.5f, -2f};
        float[] hg = {0.25f, 1f};
        float[] h = {9, 9, 9};
        scalar.rnnTanhCell(1, 2, ig, 0, hg, 0, h, 1, 2);
        assertArrayEquals(new float[] {9, (float) Math.tanh(0.75), (float) Math.tanh(-1)}, h);
        scalar.rnnReluCell(1, 2, ig, 0, hg, 0, h, 1, 2);
        assertArrayEquals(new float[] {9, 0.75f, 0}, h);
        float[] dGates = new float[2];
        scalar.rnnTanhCellBackward(1, 2, slice(2, 2), slice(0.5f, 0), new MatrixSlice(dGates, 0, 2));
        assertArrayEquals(new float[] {1.5f, 2}, dGates);
        scalar.rnnReluCellBackward(1, 2, slice(2, 2), slice(0.5f, 0), new MatrixSlice(dGates, 0, 2));
        assertArrayEquals(new float[] {2, 0}, dGates);
    }

    @Test
    void gruCellStepMatchesAHandComputation() {
        // ig = [r 0.5, z -0.5, n 0.25], hg = [0.1, 0.2, -0.3], hPrev = 0.6:
        // r = sigmoid(0.6) = 0.6456563062, z = sigmoid(-0.3) = 0.4255574832,
        // n = tanh(0.25 + 0.6456563062 * -0.3) = tanh(0.0563031081) = 0.0562436891,
        // h' = (0.6 - 0.0562436891) * 0.4255574832 + 0.0562436891 = 0.2876432562
        float[] ig = {0.5f, -0.5f, 0.25f};
        float[] hg = {0.1f, 0.2f, -0.3f};
        float[] hPrev = {0.6f};
        float[] h = new float[1];
        float[] workspace = new float[4];
        scalar.gruCell(1, 1, ig, 0, hg, 0, hPrev, 0, 1, h, 0, 1, workspace, 0);
        assertEquals(0.2876432562f, h[0], CELL_TOLERANCE);
        assertArrayEquals(new float[] {0.6456563062f, 0.4255574832f, 0.0562436891f, -0.3f}, workspace,
                CELL_TOLERANCE);

        // backward with dh = 0.8:
        // dn~ = 0.8 (1 - z)(1 - n^2) = 0.4581002821, dr~ = dn~ * hg_n * r (1 - r) = -0.0314418375,
        // dz~ = 0.8 (hPrev - n) z (1 - z) = 0.1063405998, dHg_n = dn~ r = 0.2957753360, dhPrev = 0.8 z = 0.3404459866
        float[] dIg = new float[3];
        float[] dHg = new float[3];
        float[] dhPrev = new float[1];
        scalar.gruCellBackward(1, 1, slice(0.8f), slice(hPrev), slice(workspace), slice(dIg), slice(dHg),
                slice(dhPrev));
        assertArrayEquals(new float[] {-0.0314418375f, 0.1063405998f, 0.4581002821f}, dIg, CELL_TOLERANCE);
        assertArrayEquals(new float[] {-0.0314418375f, 0.1063405998f, 0.2957753360f}, dHg, CELL_TOLERANCE);
        assertEquals(0.3404459866f, dhPrev[0], CELL_TOLERANCE);

        // without a workspace the output is the same
        float[] h2 = new float[1];
        scalar.gruCell(1, 1, ig, 0, hg, 0, hPrev, 0, 1, h2, 0, 1, null, 0);
        assertEquals(h[0], h2[0]);
    }

    @Test
    void lstmCellStepMatchesAHandComputation() {
        // pre-activations ig + hg = [i 0.1, f 0.1, g 0.5, o 0.5], cPrev = 0.5:
        // i = f = sigmoid(0.1) = 0.5249791875, g = tanh(0.5) = 0.4621171573, o = sigmoid(0.5) = 0.6224593312,
        // c' = 0.5249791875 * 0.5 + 0.5249791875 * 0.4621171573 = 0.5050914835,
        // h' = 0.6224593312 * tanh(0.5050914835) = 0.2901357073
        float[] ig = {0.1f, 0.2f, 0.3f, 0.4f};
        float[] hg = {0.0f, -0.1f, 0.2f, 0.1f};
        float[] cPrev = {0.5f};
        float[] c = new float[1];
        float[] h = new float[1];
        float[] workspace = new float[4];
        scalar.lstmCell(1, 1, ig, 0, hg, 0, cPrev, 0, c, 0, h, 0, 1, workspace, 0);
        assertEquals(0.5050914835f, c[0], CELL_TOLERANCE);
        assertEquals(0.2901357073f, h[0], CELL_TOLERANCE);
        assertArrayEquals(new float[] {0.5249791875f, 0.5249791875f, 0.4621171573f, 0.6224593312f}, workspace,
                CELL_TOLERANCE);

        // backward with dh = 0.7, dc = -0.2: t = tanh(c'), dc~ = -0.2 + 0.7 o (1 - t^2);
        // dI = 0.0162554887, dF = 0.0175880602, dG = 0.0582378275, dO = 0.0766766203, dcPrev = dc~ f = 0.0740517456
        float[] dc = {-0.2f};
        float[] dGates = new float[4];
        scalar.lstmCellBackward(1, 1, slice(0.7f), slice(dc), slice(cPrev), slice(c), slice(workspace),
                slice(dGates));
        assertArrayEquals(new float[] {0.0162554887f, 0.0175880602f, 0.0582378275f, 0.0766766203f}, dGates,
                CELL_TOLERANCE);
        assertEquals(0.0740517456f, dc[0], CELL_TOLERANCE);
    }

    @Test
    void softmaxFamilyMatchesAHandComputation() {
        // x = [1, 2, 3]: logSumExp = 3 + log(e^-2 + e^-1 + 1) = 3.4076059644,
        // softmax = [0.0900305732, 0.2447284711, 0.6652409558]
        float[] x = {1, 2, 3, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] lse = new float[3];
        scalar.logSumExp(2, 3, x, 0, 3, lse, 0);
        assertEquals(3.4076059644f, lse[0], 1e-6f);
        assertEquals(Float.NEGATIVE_INFINITY, lse[1], "all -Inf row");
        scalar.logSumExp(1, 0, x, 0, 0, lse, 2);
        assertEquals(Float.NEGATIVE_INFINITY, lse[2], "empty row");

        float[] y = new float[3];
        scalar.softmax(1, 3, x, 0, 3, y, 0, 3);
        assertArrayEquals(new float[] {0.0900305732f, 0.2447284711f, 0.6652409558f}, y, 1e-7f);
        scalar.logSoftmax(1, 3, x, 0, 3, y, 0, 3);
        assertArrayEquals(new float[] {1 - 3.4076059644f, 2 - 3.4076059644f, 3 - 3.4076059644f}, y, 1e-6f);
    }

    @Test
    void sgemmIsWithinTheFloatErrorBoundOfADoublePrecisionProduct() {
        int m = 7;
        int n = 5;
        int k = 19;
        SplittableRandom random = new SplittableRandom(20261201);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (2 * random.nextDouble() - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (2 * random.nextDouble() - 1);
        }
        float[] c = new float[m * n];
        scalar.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        // |fl(sum) - sum| <= gamma(k + 1) * sum |a||b| for k products summed in order
        double gamma = (k + 1) * 0x1p-24 / (1 - (k + 1) * 0x1p-24);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[i * k + p] * b[p * n + j];
                    magnitude += Math.abs((double) a[i * k + p] * b[p * n + j]);
                }
                assertEquals(sum, c[i * n + j], gamma * magnitude, "C[" + i + "][" + j + "]");
            }
        }
    }
}
