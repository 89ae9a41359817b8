package io.github.jrnn.bench;

import java.util.SplittableRandom;

/**
 * Inputs and sanity checks shared by the benchmarks: seeded uniform data, and a spot check that an implementation
 * computed the product it is timed on (a peer called with the wrong transpose would otherwise be timed on a
 * different problem without anyone noticing).
 */
final class BenchData {

    /**
     * Floats of slack after an operand whose offset {@link RotatingOffset} moves: one cache line, so the operand's
     * first element meets every 4-byte position of a line in turn.
     */
    static final int ALIGNMENT_SLACK = 16;

    private BenchData() {
    }

    /**
     * The offset of the operands in their arrays for the next call: 0, 1, ..., {@link #ALIGNMENT_SLACK} - 1, 0, ...
     * A heap array starts wherever the allocator put it (8-byte granularity on HotSpot), and a streaming kernel over
     * it runs up to 1.4x slower when its 64-byte loads straddle cache lines (sgemv at hidden 256, Xeon with
     * AVX-512: 8.3 us with the rows aligned to a line, 11.8 us at the 15 other offsets). One fixed allocation
     * would make a ratio against a peer a draw of where the two happened to land; moving the operands of every
     * implementation through the same sixteen positions, call by call, times each at the mean over them.
     */
    static final class RotatingOffset {
        private int calls;

        int next() {
            return calls++ & (ALIGNMENT_SLACK - 1);
        }
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
     * {@code y = A^T x} ({@code transposed}, y has cols entries) against a double-precision sum; A, x and y start
     * at index {@code at} of their arrays.
     */
    static void checkGemv(String impl, boolean transposed, int rows, int cols, float[] a, float[] x, float[] y,
                          int at) {
        SplittableRandom random = new SplittableRandom(7);
        int outLength = transposed ? cols : rows;
        int inLength = transposed ? rows : cols;
        for (int probe = 0; probe < 16; probe++) {
            int i = random.nextInt(outLength);
            double exact = 0;
            double magnitude = 0;
            for (int p = 0; p < inLength; p++) {
                double term = (double) (transposed ? a[at + p * cols + i] : a[at + i * cols + p]) * x[at + p];
                exact += term;
                magnitude += Math.abs(term);
            }
            check(impl, "y[" + i + "] at offset " + at, y[at + i], exact, magnitude);
        }
    }

    private static void check(String impl, String what, float got, double exact, double magnitude) {
        if (!(Math.abs(got - exact) <= 1e-4 * magnitude + 1e-6)) {
            throw new IllegalStateException(impl + " computed " + what + " = " + got + ", expected " + exact
                    + ": the benchmark is not timing the product it claims to");
        }
    }
}
