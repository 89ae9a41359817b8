package io.github.jrnn.properties.kernels;

/**
 * Every accuracy bound the kernel properties apply, in one place, with its derivation. Nothing else in the
 * property tests chooses a tolerance.
 *
 * <h2>Notation</h2>
 * <ul>
 *   <li>{@code u = 2^-24}, the unit roundoff of float round-to-nearest: {@code fl(a op b) = (a op b)(1 + d)},
 *       {@code |d| <= u}, for {@code + - * /} with a normal result. A result in the subnormal range has an
 *       absolute error of at most {@code MIN_VALUE / 2} instead; an addition or subtraction of floats whose result
 *       is subnormal is exact.</li>
 *   <li>{@code gamma(n) = n u / (1 - n u)}, the bound on {@code |prod (1 + d_i)^(+-1) - 1|} over n roundings
 *       (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, Lemma 3.1).</li>
 *   <li>{@code ulp(y)}: the spacing of floats in the binade of the exact value y, {@code 2^(floor(log2 |y|) - 23)},
 *       and {@code MIN_VALUE} for |y| below {@code MIN_NORMAL}. Hence {@code ulp(y) <= max(2^-23 |y|, MIN_VALUE)}.
 *       A correctly rounded result is within 0.5 ulp.</li>
 * </ul>
 *
 * <h2>Products and sums (sgemm, sgemv, dot, sumRows, axpy)</h2>
 * Both implementations are compared with a sum computed in double from the same float inputs, not with each
 * other. For {@code C = alpha * sum_p a_p b_p + beta * c} evaluated in float in ANY order (blocked, lane-parallel
 * partial sums, a final horizontal reduction, alpha applied before or after the sum, fused multiply-adds), each of
 * the k + 1 terms ({@code alpha a_p b_p} and {@code beta c}) passes through at most two roundings by a
 * multiplication and at most k roundings by an addition (k + 1 terms are combined by k additions; no term can pass
 * through more of them than there are), and an FMA only removes roundings. So the computed C is
 * {@code sum_t term_t (1 + theta_t)} with {@code |theta_t| <= gamma(k + 2)}, giving
 * <pre>
 *   |fl(C) - C| <= gamma(k + 2) * (|alpha| sum_p |a_p||b_p| + |beta||c|)  +  (k + 2) * MIN_VALUE
 * </pre>
 * where the last term covers underflow: at most 2k + 3 multiplications and additions, each off by at most
 * {@code MIN_VALUE / 2} when its result is subnormal. This is the constant c = 1 in {@code gamma = c * n * u}:
 * the bound is the classical worst case and needs no safety factor, because it already holds for every
 * evaluation order. The double reference itself is off by at most {@code (k + 2) * 2^-53} relative to the same
 * magnitude, which {@link #dotProductBound} adds so the check stays rigorous. With beta = 0 the {@code beta c}
 * term is absent (C is not read); with alpha = 0 or k = 0 only {@code beta c} remains.
 *
 * <h2>Activations (tanh, sigmoid, exp)</h2>
 * Measured in ulps of the float result against the function computed in double ({@link Math#tanh},
 * {@link Math#exp}, {@code 1 / (1 + exp(-x))}), see {@link Ulps#error}. The vector implementation's documented
 * bounds: exp 2 ulp, tanh 3 ulp, sigmoid 3 ulp; for subnormal results the ulp is {@code MIN_VALUE}, so exp's
 * 2 ulp there is an absolute error of at most {@code 2 * MIN_VALUE}. Results beyond {@code MAX_VALUE} must be
 * {@code +Inf} or within the bound of the exact value (see {@link Ulps#error}). The scalar reference evaluates
 * in double ({@link Math#tanh} and {@link Math#exp} are within 2.5 double ulps, i.e. {@code 2^-28} float ulps)
 * and rounds once: 0.5 ulp plus far less than {@code 2^-20}.
 *
 * <h2>Formulas built from those (cells, activation backwards, softmax family, layer norm, element-wise losses)</h2>
 * A formula is evaluated in double on the float inputs by {@link Tracked}, which carries alongside every
 * intermediate value v a rigorous bound e on how far a float evaluation of the formula can be from v. Each
 * operation stands for one float operation of the formula as the Javadoc writes it (an FMA only removes a
 * rounding, so contraction is covered; where the Javadoc gives two equivalent forms, e.g. the GRU update
 * {@code (h - n) z + n = (1 - z) n + z h}, the bound is the larger of the two):
 * <ul>
 *   <li>{@code a +- b}, {@code a * b}, {@code a / b}: the operands' errors propagated to first order plus the
 *       second-order term ({@code |a| e_b + |b| e_a + e_a e_b} for a product), plus one rounding
 *       {@code u (|v| + propagated) + MIN_VALUE / 2}. A difference of two exact floats therefore only gets
 *       {@code u |a - b|}, which is what makes {@code x_j - max} exact-ish for logits around 1e30.</li>
 *   <li>{@code f(a)} for an activation with Lipschitz constant L on the reals (tanh 1, sigmoid 1/4) and
 *       documented ulp bound K: {@code e = L e_a + K max(2^-23 (|f(a)| + L e_a), MIN_VALUE)}, i.e. the error of
 *       its input propagated by the mean value theorem plus its own error at the computed input. exp and log
 *       propagate by their exact worst case ({@code exp(a) expm1(e_a)}, {@code -log1p(-e_a / a)}).</li>
 *   <li>sums of n terms: the propagated errors plus {@code gamma(n - 1) * sum (|t_i| + e_i)}, for any order.</li>
 * </ul>
 * The activation ulp bounds used inside formulas are the vector implementation's (the scalar reference is more
 * accurate, so it meets them too); the logarithm inside logSumExp is held to {@link #LOG_ULPS}.
 *
 * <h2>Agreement with PyTorch (softmax family)</h2>
 * Besides the bounds of their documented formulas, softmax and logSoftmax must agree with what PyTorch computes
 * within the project's standard for arithmetic: {@code |got - expected| <= 1e-5 + 1e-5 |expected|}
 * ({@link #PYTORCH_ABSOLUTE}, {@link #PYTORCH_RELATIVE}).
 *
 * <h2>Element-wise operations (scale, fill, add, mul, broadcastRows, relu, reluBackward)</h2>
 * A single IEEE operation (or a copy) is correctly rounded in any implementation, so vector and scalar must agree
 * bitwise (NaN compared as NaN; relu of -0 may be +0 or -0 as documented).
 */
final class Tolerances {

    /** Unit roundoff of float (round to nearest): 2^-24. */
    static final double U = 0x1p-24;

    /** Unit roundoff of double, for the error of the double references themselves. */
    static final double U_DOUBLE = 0x1p-53;

    /** Vector implementation's documented bound for exp: 2 ulp (normal results), 2 * MIN_VALUE (subnormal). */
    static final double VECTOR_EXP_ULPS = 2;

    /** Vector implementation's documented bound for tanh: 3 ulp. */
    static final double VECTOR_TANH_ULPS = 3;

    /** Vector implementation's documented bound for sigmoid: 3 ulp. */
    static final double VECTOR_SIGMOID_ULPS = 3;

    /**
     * The natural logarithm inside logSumExp, softmax and logSoftmax: not documented by the kernels; assumed as
     * good as exp (2 ulp). Any implementation calling {@link Math#log} and rounding once is within 0.5 ulp.
     */
    static final double LOG_ULPS = 2;

    /** Scalar reference for activations: double evaluation rounded once, 0.5 ulp plus a 2^-20 margin (see above). */
    static final double SCALAR_ACTIVATION_ULPS = 0.5 + 0x1p-20;

    /** Lipschitz constant of tanh on the reals (max of 1 - tanh^2). */
    static final double TANH_LIPSCHITZ = 1;

    /** Lipschitz constant of sigmoid on the reals (max of s (1 - s)). */
    static final double SIGMOID_LIPSCHITZ = 0.25;

    /** Absolute error of one float operation whose result is subnormal: MIN_VALUE / 2. */
    static final double UNDERFLOW = Float.MIN_VALUE / 2.0;

    /** {@code ulp(y) <= ULP_PER_MAGNITUDE * |y|} for normal y: 2^-23. */
    static final double ULP_PER_MAGNITUDE = 0x1p-23;

    /** The project's agreement with PyTorch for arithmetic: absolute part. */
    static final double PYTORCH_ABSOLUTE = 1e-5;

    /** The project's agreement with PyTorch for arithmetic: relative part. */
    static final double PYTORCH_RELATIVE = 1e-5;

    private Tolerances() {
    }

    /** The project's PyTorch agreement bound for an expected value. */
    static double pyTorchAgreement(double expected) {
        return PYTORCH_ABSOLUTE + PYTORCH_RELATIVE * Math.abs(expected);
    }

    /** {@code gamma(n) = n u / (1 - n u)}: the relative error bound of n float roundings. */
    static double gamma(int n) {
        double nu = n * U;
        return nu / (1 - nu);
    }

    /**
     * Bound on a computed {@code alpha * sum of k products + beta * c} with absolute-value magnitude
     * {@code |alpha| sum |a||b| + |beta||c|}: {@code gamma(k + 2) * magnitude + (k + 2) * MIN_VALUE}, plus the
     * double reference's own {@code (k + 2) * 2^-53 * magnitude}.
     */
    static double dotProductBound(int k, double magnitude) {
        int roundings = k + 2;
        return (gamma(roundings) + roundings * U_DOUBLE) * magnitude + roundings * (double) Float.MIN_VALUE;
    }

    /**
     * Bound on a computed sum of {@code terms} floats (any order; additions only, so no underflow error) with
     * absolute-value magnitude {@code magnitude}: {@code gamma(terms - 1) * magnitude}, plus the double reference's
     * own error.
     */
    static double sumBound(int terms, double magnitude) {
        int roundings = Math.max(terms - 1, 0);
        return (gamma(roundings) + roundings * U_DOUBLE) * magnitude;
    }

    /**
     * Bound on {@code y + alpha * x}: two roundings (one with FMA) on {@code |y| + |alpha x|}, plus underflow of
     * the product and the double reference's own rounding.
     */
    static double axpyBound(double magnitude) {
        return (gamma(2) + U_DOUBLE) * magnitude + UNDERFLOW;
    }
}
