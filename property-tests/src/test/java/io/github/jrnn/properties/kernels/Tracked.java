package io.github.jrnn.properties.kernels;

import java.util.List;

/**
 * A formula evaluated in double on float inputs, carrying a rigorous bound on how far ANY float evaluation of the
 * same formula can be from the double value: the running error analysis described in {@link Tolerances}.
 *
 * <p>{@code value} is the formula in double (exact up to double rounding, which the {@code u} terms dominate by
 * 2^29), {@code magnitude} the same formula with every operand replaced by its absolute value and subtraction by
 * addition (the quantity float rounding errors scale with, whatever the evaluation order), {@code error} the bound.
 * The activation bounds are the vector implementation's documented ones from {@link Tolerances}.
 *
 * @param value     the formula evaluated in double
 * @param magnitude the formula on absolute values, {@code >= |value|}
 * @param error     bound on {@code |float evaluation - value|}
 */
record Tracked(double value, double magnitude, double error) {

    private static final double HALF_MIN = Float.MIN_VALUE / 2.0;
    private static final Tracked ONE = exact(1f);

    /** A float input: exact. */
    static Tracked exact(float x) {
        return new Tracked(x, Math.abs(x), 0);
    }

    /** The error bound of one float rounding of an intermediate with this magnitude and propagated error. */
    private static double rounding(double magnitude, double propagated) {
        return Tolerances.U * (magnitude + propagated) + HALF_MIN;
    }

    Tracked plus(Tracked o) {
        double propagated = error + o.error;
        double m = magnitude + o.magnitude;
        return new Tracked(value + o.value, m, propagated + rounding(m, propagated));
    }

    Tracked minus(Tracked o) {
        double propagated = error + o.error;
        double m = magnitude + o.magnitude;
        return new Tracked(value - o.value, m, propagated + rounding(m, propagated));
    }

    Tracked times(Tracked o) {
        double propagated = Math.abs(value) * o.error + Math.abs(o.value) * error + error * o.error;
        double m = magnitude * o.magnitude;
        return new Tracked(value * o.value, m, propagated + rounding(m, propagated));
    }

    /** {@code a / b}, requiring {@code |b| > e_b} (otherwise the bound is infinite). */
    Tracked dividedBy(Tracked o) {
        double denominator = Math.abs(o.value) - o.error;
        double propagated = denominator > 0
                ? (Math.abs(value) * o.error + Math.abs(o.value) * error) / (Math.abs(o.value) * denominator)
                : Double.POSITIVE_INFINITY;
        double v = value / o.value;
        return new Tracked(v, Math.abs(v), propagated + rounding(Math.abs(v), propagated));
    }

    /** {@code 1 - this}. */
    Tracked oneMinus() {
        return ONE.minus(this);
    }

    Tracked tanh() {
        return activation(Math.tanh(value), Tolerances.TANH_LIPSCHITZ * error, Tolerances.VECTOR_TANH_ULPS);
    }

    Tracked sigmoid() {
        double s = 1.0 / (1.0 + Math.exp(-value));
        return activation(s, Tolerances.SIGMOID_LIPSCHITZ * error, Tolerances.VECTOR_SIGMOID_ULPS);
    }

    Tracked exp() {
        double e = Math.exp(value);
        return activation(e, e * Math.expm1(error), Tolerances.VECTOR_EXP_ULPS);
    }

    /** Natural logarithm; requires {@code value > error} (otherwise the bound is infinite). */
    Tracked log() {
        double propagated = value > error ? -Math.log1p(-error / value) : Double.POSITIVE_INFINITY;
        return activation(Math.log(value), propagated, Tolerances.LOG_ULPS);
    }

    /** An approximated function's result: propagated input error plus its own {@code ulps} at the computed input. */
    private static Tracked activation(double result, double propagated, double ulps) {
        double own = ulps * Math.max(0x1p-23 * (Math.abs(result) + propagated), Float.MIN_VALUE);
        return new Tracked(result, Math.abs(result), propagated + own);
    }

    /** Sum of the terms in any order: propagated errors plus {@code gamma(n - 1)} times the magnitude. */
    static Tracked sum(List<Tracked> terms) {
        double v = 0;
        double m = 0;
        double propagated = 0;
        for (Tracked t : terms) {
            v += t.value;
            m += t.magnitude;
            propagated += t.error;
        }
        double bound = propagated + Tolerances.sumBound(terms.size(), m + propagated);
        return new Tracked(v, m, bound);
    }

    /** True when the float {@code got} is within the bound of the double value. */
    boolean admits(float got) {
        return Math.abs(got - value) <= error;
    }
}
