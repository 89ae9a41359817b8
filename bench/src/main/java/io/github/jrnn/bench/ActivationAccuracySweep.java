package io.github.jrnn.bench;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;

/**
 * Exhaustive accuracy sweep of the vector kernels' exp, tanh and sigmoid: every one of the 2^32 float bit patterns
 * (or every {@code stride}-th with an argument) is evaluated by the vector kernel and compared with the correctly
 * rounded double-precision result ({@code Math.exp}, {@code Math.tanh}, {@code 1 / (1 + Math.exp(-x))}).
 * Prints, per function, the largest error in ulps over results that are normal floats, the largest absolute error
 * over subnormal results, and any NaN mismatch.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * io.github.jrnn.bench.ActivationAccuracySweep [stride]} (about a minute per function on one core at stride 1).
 */
public final class ActivationAccuracySweep {

    private static final int CHUNK = 1 << 16;

    private ActivationAccuracySweep() {
    }

    private interface Reference {
        double at(double x);
    }

    public static void main(String[] args) {
        long stride = args.length > 0 ? Long.parseLong(args[0]) : 1;
        Kernels vector = KernelProvider.checkedVector().unchecked();
        sweep("exp", stride, Math::exp, (n, x, y) -> vector.exp(n, x, 0, y, 0));
        sweep("tanh", stride, Math::tanh, (n, x, y) -> vector.tanh(n, x, 0, y, 0));
        sweep("sigmoid", stride, x -> 1.0 / (1.0 + Math.exp(-x)), (n, x, y) -> vector.sigmoid(n, x, 0, y, 0));
    }

    private interface Kernel {
        void apply(int n, float[] x, float[] y);
    }

    private static void sweep(String name, long stride, Reference reference, Kernel kernel) {
        float[] x = new float[CHUNK];
        float[] y = new float[CHUNK];
        long worstUlps = 0;
        float worstAt = 0;
        double worstSubnormal = 0;
        long nanMismatches = 0;
        long count = 0;
        long bits = 0;
        while (bits < (1L << 32)) {
            int n = 0;
            while (n < CHUNK && bits < (1L << 32)) {
                x[n++] = Float.intBitsToFloat((int) bits);
                bits += stride;
            }
            kernel.apply(n, x, y);
            for (int i = 0; i < n; i++) {
                float expected = (float) reference.at(x[i]);
                count++;
                if (Float.isNaN(expected) || Float.isNaN(y[i])) {
                    if (Float.isNaN(expected) != Float.isNaN(y[i])) {
                        nanMismatches++;
                    }
                    continue;
                }
                if (Math.abs(expected) < Float.MIN_NORMAL) {
                    worstSubnormal = Math.max(worstSubnormal, Math.abs((double) y[i] - expected));
                    continue;
                }
                long ulps = ulpDistance(y[i], expected);
                if (ulps > worstUlps) {
                    worstUlps = ulps;
                    worstAt = x[i];
                }
            }
        }
        System.out.printf("%-8s %,d inputs: max %d ulp (at x = %s), max abs error on subnormal results %.3g"
                + " (%.2f x Float.MIN_VALUE), NaN mismatches %d%n", name, count, worstUlps, worstAt,
                worstSubnormal, worstSubnormal / Float.MIN_VALUE, nanMismatches);
    }

    /** Distance in units in the last place, counting across zero. */
    static long ulpDistance(float a, float b) {
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits;
    }
}
