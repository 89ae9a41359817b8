package io.github.jrnn.nn.testing;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * Numerical gradients by central differences, the independent check of a backward implementation:
 * {@code dL/dv_i ~ (L(v + h e_i) - L(v - h e_i)) / ((v_i + h) - (v_i - h))}, where the denominator is the
 * difference of the two perturbed values as actually stored in float, and L is evaluated without recording.
 *
 * <p>Error budget for a loss of a few dozen float terms of size about 1 and step h: the truncation error is
 * {@code h^2 / 6 * |L'''|}, and float rounding of L (a few ulps per term, about 1e-6 in all) is amplified by
 * {@code 1 / (2h)}. With h = 1e-2 both stay below 2e-4 for the smooth losses of these tests.
 */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /** {@code sum_i out[i] * weights[i]} in double: the loss whose gradient with respect to out is {@code weights}. */
    public static double weightedSum(Tensor out, float[] weights) {
        float[] d = out.data();
        if (d.length != weights.length) {
            throw new IllegalArgumentException("output has " + d.length + " elements, weights " + weights.length);
        }
        double s = 0;
        for (int i = 0; i < d.length; i++) {
            s += (double) d[i] * weights[i];
        }
        return s;
    }

    /**
     * The central-difference gradient of {@code loss} with respect to every element of {@code tensor}, whose
     * elements are perturbed in place (and restored) while the loss runs under {@link GradMode#noGrad()}. Each
     * write is announced with {@link Tensor#markModified()}, as the API asks of direct writes, so a module that
     * keeps packed copies of its weights sees the perturbed value.
     */
    public static double[] gradient(Tensor tensor, double step, Supplier<Double> loss) {
        float[] values = tensor.data();
        double[] g = new double[values.length];
        try (GradMode.Scope _ = GradMode.noGrad()) {
            for (int i = 0; i < values.length; i++) {
                float original = values[i];
                float up = (float) (original + step);
                float down = (float) (original - step);
                write(tensor, i, up);
                double lUp = loss.get();
                write(tensor, i, down);
                double lDown = loss.get();
                write(tensor, i, original);
                g[i] = (lUp - lDown) / ((double) up - down);
            }
        }
        return g;
    }

    /** {@code tensor.data()[i] = value}, announced to the modules that read the tensor as a weight. */
    public static void write(Tensor tensor, int i, float value) {
        tensor.data()[i] = value;
        tensor.markModified();
    }

    /** Every element within {@code absolute + relative * |numeric|} of the numerical gradient. */
    public static void assertMatches(String what, double[] numeric, float[] analytic, double absolute,
                                     double relative) {
        if (analytic == null) {
            throw new AssertionFailedError(what + ": no gradient was computed");
        }
        if (numeric.length != analytic.length) {
            throw new AssertionFailedError(what + ": " + numeric.length + " elements expected, got "
                    + analytic.length);
        }
        for (int i = 0; i < numeric.length; i++) {
            double d = Math.abs(analytic[i] - numeric[i]);
            if (!(d <= absolute + relative * Math.abs(numeric[i]))) {
                throw new AssertionFailedError(what + ": element " + i + " numerical " + numeric[i] + ", backward "
                        + analytic[i] + " (|d| = " + d + ")");
            }
        }
    }
}
