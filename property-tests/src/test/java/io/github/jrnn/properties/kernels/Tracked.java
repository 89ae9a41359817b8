package io.github.jrnn.properties.kernels;

import java.util.List;

/**
 * A formula evaluated in double on float inputs, carrying a rigorous bound on how far a float evaluation of the
 * same formula can be from the double value: the running error analysis described in {@link Tolerances}.
 *
 * <p>Each operation stands for one float operation of an implementation that follows the formula in the order
 * written (fusing a multiply and an add into an FMA is allowed: it only removes a rounding). Where the kernels'
 * Javadoc sanctions an algebraically different form, the property evaluates both and takes
 * {@link #eitherOf}. Sums of many terms ({@link #sum}) are bounded for any order. The activation bounds are the
 * vector implementation's documented ones from {@link Tolerances}.
 *
 * @param value the formula evaluated in double (its own rounding is dominated by the float bound by 2^29)
 * @param error bound on {@code |float evaluation - value|}
 */
record Tracked(double value, double error) {

    private static final Tracked ONE = exact(1f);

    /** A float input: exact. */
    static Tracked exact(float x) {
        return new Tracked(x, 0);
    }

    /**
     * The error of one float rounding of a result whose exact value is {@code v} when the operands are off by at
     * most {@code propagated}: {@code u (|v| + propagated)}, or {@code MIN_VALUE / 2} in the subnormal range.
     */
    private static double rounding(double v, double propagated) {
        return Tolerances.U * (Math.abs(v) + propagated) + Tolerances.UNDERFLOW;
    }

    private static Tracked rounded(double v, double propagated) {
        return new Tracked(v, propagated + rounding(v, propagated));
    }

    Tracked plus(Tracked o) {
        return rounded(value + o.value, error + o.error);
    }

    Tracked minus(Tracked o) {
        return rounded(value - o.value, error + o.error);
    }

    Tracked times(Tracked o) {
        return rounded(value * o.value, Math.abs(value) * o.error + Math.abs(o.value) * error + error * o.error);
    }

    /** {@code a / b}; the bound is infinite unless {@code |b| > e_b}. */
    Tracked dividedBy(Tracked o) {
        double denominator = Math.abs(o.value) - o.error;
        double propagated = denominator > 0
                ? (Math.abs(value) * o.error + Math.abs(o.value) * error) / (Math.abs(o.value) * denominator)
                : Double.POSITIVE_INFINITY;
        return rounded(value / o.value, propagated);
    }

    /** Square root of a non-negative value (correctly rounded in IEEE, so one rounding). */
    Tracked sqrt() {
        double root = Math.sqrt(value);
        // sqrt is concave: an input error e moves the root by at most sqrt(v) - sqrt(v - e)
        return rounded(root, root - Math.sqrt(Math.max(value - error, 0)));
    }

    /** {@code max(this, o)}: exact, and Lipschitz 1 in each argument. */
    Tracked max(Tracked o) {
        return new Tracked(Math.max(value, o.value), Math.max(error, o.error));
    }

    /** {@code 1 - this}. */
    Tracked oneMinus() {
        return ONE.minus(this);
    }

    Tracked tanh() {
        return approximated(Math.tanh(value), Tolerances.TANH_LIPSCHITZ * error, Tolerances.VECTOR_TANH_ULPS);
    }

    Tracked sigmoid() {
        double s = 1.0 / (1.0 + Math.exp(-value));
        return approximated(s, Tolerances.SIGMOID_LIPSCHITZ * error, Tolerances.VECTOR_SIGMOID_ULPS);
    }

    Tracked exp() {
        double e = Math.exp(value);
        return approximated(e, e * Math.expm1(error), Tolerances.VECTOR_EXP_ULPS);
    }

    /** Natural logarithm; the bound is infinite unless {@code value > error}. */
    Tracked log() {
        double propagated = value > error ? -Math.log1p(-error / value) : Double.POSITIVE_INFINITY;
        return approximated(Math.log(value), propagated, Tolerances.LOG_ULPS);
    }

    /** An approximated function's result: propagated input error plus its own {@code ulps} at the computed input. */
    private static Tracked approximated(double result, double propagated, double ulps) {
        double own = ulps * Math.max(Tolerances.ULP_PER_MAGNITUDE * (Math.abs(result) + propagated), Float.MIN_VALUE);
        return new Tracked(result, propagated + own);
    }

    /** Sum of the terms in any order: propagated errors plus {@code gamma(n - 1)} times the sum of magnitudes. */
    static Tracked sum(List<Tracked> terms) {
        double v = 0;
        double magnitude = 0;
        double propagated = 0;
        for (Tracked t : terms) {
            v += t.value;
            magnitude += Math.abs(t.value) + t.error;
            propagated += t.error;
        }
        return new Tracked(v, propagated + Tolerances.sumBound(terms.size(), magnitude));
    }

    /**
     * Two evaluations of the same exact quantity in different sanctioned forms: a float result of either form is
     * within the larger bound plus the (double rounding) difference of the two values.
     */
    static Tracked eitherOf(Tracked a, Tracked b) {
        return new Tracked(a.value, Math.max(a.error, b.error) + Math.abs(a.value - b.value));
    }
}
