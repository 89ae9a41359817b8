package io.github.jrnn.bench;

import java.util.SplittableRandom;

/**
 * Inputs and sanity checks shared by the benchmarks: seeded uniform data, and a spot check that an implementation
 * computed the product it is timed on (a peer called with the wrong transpose would otherwise be timed on a
 * different problem without anyone noticing).
 */
final class BenchData {

    private BenchData() {
    }

    /** {@code n} floats uniform in [-scale, scale), from a fixed seed so every implementation sees the same data. */
    static float[] uniform(long seed, int n, float scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    /**
     * Checks 16 entries of {@code C = A B^T} (A m x k, B n x k, C m x n, all row-major and contiguous) against a
     * double-precision dot product, with a bound of {@code 1e-4 * sum |a b|} that any float summation order meets.
     *
     * @throws IllegalStateException naming the implementation and the first wrong entry
     */
    static void checkGemmABt(String impl, int m, int n, int k, float[] a, float[] b, float[] c) {
        SplittableRandom random = new SplittableRandom(7);
        for (int probe = 0; probe < 16; probe++) {
            int i = random.nextInt(m);
            int j = random.nextInt(n);
            double exact = 0;
            double magnitude = 0;
            for (int p = 0; p < k; p++) {
                double term = (double) a[i * k + p] * b[j * k + p];
                exact += term;
                magnitude += Math.abs(term);
            }
            check(impl, "C[" + i + "][" + j + "]", c[i * n + j], exact, magnitude);
        }
    }

    /**
     * Checks 16 entries of {@code y = A x} ({@code transposed == false}, A rows x cols, y has rows entries) or
     * {@code y = A^T x} ({@code transposed}, y has cols entries) against a double-precision sum.
     */
    static void checkGemv(String impl, boolean transposed, int rows, int cols, float[] a, float[] x, float[] y) {
        SplittableRandom random = new SplittableRandom(7);
        int outLength = transposed ? cols : rows;
        int inLength = transposed ? rows : cols;
        for (int probe = 0; probe < 16; probe++) {
            int i = random.nextInt(outLength);
            double exact = 0;
            double magnitude = 0;
            for (int p = 0; p < inLength; p++) {
                double term = (double) (transposed ? a[p * cols + i] : a[i * cols + p]) * x[p];
                exact += term;
                magnitude += Math.abs(term);
            }
            check(impl, "y[" + i + "]", y[i], exact, magnitude);
        }
    }

    private static void check(String impl, String what, float got, double exact, double magnitude) {
        if (!(Math.abs(got - exact) <= 1e-4 * magnitude + 1e-6)) {
            throw new IllegalStateException(impl + " computed " + what + " = " + got + ", expected " + exact
                    + ": the benchmark is not timing the product it claims to");
        }
    }
}
