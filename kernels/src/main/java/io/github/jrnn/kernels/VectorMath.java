package io.github.jrnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vectorised float approximations of exp, tanh, sigmoid and log, lane by lane, built only from adds, multiplies, FMAs,
 * one division and bit manipulation (no per-lane calls into {@link Math}).
 *
 * <h2>exp</h2>
 * Range reduction {@code x = n ln2 + r}, {@code n = rint(x / ln2)}, {@code |r| <= ln2 / 2}, with ln2 split in two
 * parts (Cody and Waite) so that {@code r} is exact; {@code e^r = 1 + r + r^2 P(r)} with the degree-5 minimax
 * polynomial P published with the Cephes library ({@code expf}); the result is scaled by {@code 2^n} as the product
 * of two powers of two {@code 2^(n/2) 2^(n - n/2)}, so that results down in the subnormal range (x > -103.97) are
 * still produced instead of flushing to zero. Input is clamped to [-104, 89]: below, e^x is less than half the
 * smallest subnormal (0); above, it overflows to +Inf. Measured error: at most 2 ulp for normal results.
 *
 * <h2>tanh</h2>
 * {@code tanh|x| = E / (E + 2)} with {@code E = e^{2|x|} - 1} computed as an expm1: the reduction above gives
 * {@code 2|x| = n ln2 + r} and {@code E = 2^n (e^r - 1) + (2^n - 1)} in one FMA, where {@code e^r - 1 = r + r^2 P(r)}
 * (the same polynomial) keeps full relative accuracy as r goes to 0 and {@code 2^n - 1} is exact. One formula for
 * every |x|, without the small-argument polynomial and branch blend an {@code 1 - 2 / (e^{2|x|} + 1)} form needs
 * (it cancels for small |x|): tiny and subnormal x come out as x exactly ({@code E = 2|x|}, {@code E + 2 = 2}). |x|
 * is clamped to 10 (above 9.01 tanh rounds to 1 in float), so E never overflows; the sign bit of x is copied onto
 * the result, which also keeps tanh(-0) = -0. Measured error: at most 2 ulp (the reconstruction of E scales the
 * polynomial's rounding by up to 1.4 where {@code 2^n e^r} is near 1).
 *
 * <h2>sigmoid</h2>
 * {@code 1 / (1 + e^-x)} written as {@code 2^-40 / (2^-40 + 2^-40 e^-x)}: with x clamped to [-104, 44] and
 * {@code x = m ln2 + s}, {@code e^-s} is exp's polynomial at -s (its odd coefficients negated, so no negation of
 * x is needed), the denominator is one FMA {@code e^-s 2^(-m-40) + 2^-40} and the quotient one correctly rounded
 * division. The 2^-40 keeps every operand a normal float: {@code e^-x} itself overflows for x < -88.7
 * (where sigmoid is still 2^-128 and above, a subnormal result), but scaled by 2^-40 it stays below 2^110, and the
 * division rounds subnormal results correctly. A large e^-x (x very negative) needs no special form: the quotient
 * of two relatively accurate numbers is relatively accurate, so no cancellation arises on either side. At the
 * clamps: sigmoid(x) rounds to 1 for x > 17.4 (so 44 changes nothing) and to 0 below -103.98 (-104: e^104 2^-40
 * is still finite). Measured error: at most 2 ulp for normal results; subnormal results within 1 x 2^-149.
 *
 * <h2>log</h2>
 * {@code x = m 2^e} with m in [sqrt(1/2), sqrt(2)) (subnormal x scaled by 2^23 first), {@code f = m - 1} (exact),
 * {@code ln x = f - f^2/2 + f^3 P(f) + e ln2} with Cephes' degree-8 minimax polynomial for {@code logf} and ln2 split
 * as for exp. log(0) = -Inf, log(x < 0) = NaN, log(+Inf) = +Inf. Measured error: at most 1 ulp on the property
 * tests' inputs, held to 2.
 *
 * <p>The clamps are a compare and a blend each, not {@code min}/{@code max}: Java's min and max order -0 below +0
 * and return NaN for NaN, which x86 has no single instruction for, so C2 emits a sequence of about five per call;
 * with them the clamps of sigmoid cost about a third of its time (measured, AVX-512 and AVX2). A compare is false
 * for NaN, so NaN passes the clamps unchanged, and every later floating-point operation keeps it: NaN propagates
 * through all four functions. The Cody and Waite steps {@code r = x - n ln2} are FMAs: the first is exact either
 * way, the second rounds once instead of twice.
 */
final class VectorMath {

    private VectorMath() {
    }

    private static final float LOG2E = 1.44269504088896341f;
    // ln2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits, so n * LN2_HI and x - n * LN2_HI are exact here.
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    // Adding 1.5 * 2^23 pushes the fraction bits out, so the float add itself rounds to the nearest integer.
    private static final float ROUND_MAGIC = 12582912f;
    private static final float EXP_MIN = -104f;
    private static final float EXP_MAX = 89f;
    private static final float EXP_P0 = 1.9875691500e-4f;
    private static final float EXP_P1 = 1.3981999507e-3f;
    private static final float EXP_P2 = 8.3334519073e-3f;
    private static final float EXP_P3 = 4.1665795894e-2f;
    private static final float EXP_P4 = 1.6666665459e-1f;
    private static final float EXP_P5 = 5.0000001201e-1f;

    // 1 - tanh(x) < half an ulp of 1 (2^-25) from x > 9.01 on, so every float above 10 has tanh = 1.
    private static final float TANH_CLAMP = 10f;

    // sigmoid's clamps on x (sigmoid rounds to 1 above x = 17.4 and to 0 below x = -103.98) and the scale that
    // keeps 2^(-m - 40) normal for every m = rint(x / ln2) in [-150, 63].
    private static final float SIGMOID_X_MIN = -104f;
    private static final float SIGMOID_X_MAX = 44f;
    private static final int SIGMOID_SCALE_EXPONENT = -40;
    private static final float SIGMOID_SCALE = 0x1p-40f;
    // (127 - 40 - m) << 23 is 2^(-m - 40); with m = bits(shifted) - bits(ROUND_MAGIC) the constant part is this
    private static final int SIGMOID_SCALE_BITS = 127 + SIGMOID_SCALE_EXPONENT + Float.floatToRawIntBits(ROUND_MAGIC);

    private static final int SIGN_BIT = 0x80000000;

    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float LOG_P0 = 7.0376836292e-2f;
    private static final float LOG_P1 = -1.1514610310e-1f;
    private static final float LOG_P2 = 1.1676998740e-1f;
    private static final float LOG_P3 = -1.2420140846e-1f;
    private static final float LOG_P4 = 1.4249322787e-1f;
    private static final float LOG_P5 = -1.6668057665e-1f;
    private static final float LOG_P6 = 2.0000714765e-1f;
    private static final float LOG_P7 = -2.4999993993e-1f;
    private static final float LOG_P8 = 3.3333331174e-1f;
    private static final int MANTISSA_BITS = 0x807fffff; // sign and mantissa: the exponent field is replaced
    private static final int HALF_EXPONENT = 0x3f000000; // the exponent field of 0.5

    // The three functions below are written out flat, each one method with no calls of its own, although they
    // share the reduction and the polynomial: the cell kernels call tanh and sigmoid inside loops already close to
    // C2's inlining budget (NodeCountInliningCutoff, see VectorCells), and a helper call the budget does not reach
    // is a real call whose vector arguments are boxed. With the reduction and the polynomial as three small shared
    // helpers, lstmCellBackward ran on the Vector API's boxed fallback (19% of an LSTM train step instead of 4%).

    /** e^x lane by lane. */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.blend(EXP_MIN, x.lt(EXP_MIN));
        xc = xc.blend(EXP_MAX, xc.compare(VectorOperators.GT, EXP_MAX));
        FloatVector shifted = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = shifted.sub(ROUND_MAGIC);
        // r = x - n ln2, in two steps so the large part cancels exactly.
        FloatVector r = n.fma(x.broadcast(-LN2_HI), xc);
        r = n.fma(x.broadcast(-LN2_LO), r);
        FloatVector p = r.fma(EXP_P0, EXP_P1);
        p = p.fma(r, r.broadcast(EXP_P2));
        p = p.fma(r, r.broadcast(EXP_P3));
        p = p.fma(r, r.broadcast(EXP_P4));
        p = p.fma(r, r.broadcast(EXP_P5));
        FloatVector er = p.mul(r).fma(r, r).add(1f);
        // n as an int: the low mantissa bits of the shifted value hold n + 2^22 (two's complement around it).
        IntVector ni = shifted.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND_MAGIC));
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector rest = ni.sub(half);
        FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scale2 = rest.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(scale1).mul(scale2);
    }

    /** tanh(x) lane by lane. */
    static FloatVector tanh(FloatVector x) {
        FloatVector magnitudeX = x.abs();
        FloatVector twice = magnitudeX.blend(TANH_CLAMP, magnitudeX.compare(VectorOperators.GT, TANH_CLAMP)).mul(2f);
        FloatVector shifted = twice.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = shifted.sub(ROUND_MAGIC);
        FloatVector r = n.fma(x.broadcast(-LN2_HI), twice);
        r = n.fma(x.broadcast(-LN2_LO), r);
        FloatVector p = r.fma(EXP_P0, EXP_P1);
        p = p.fma(r, r.broadcast(EXP_P2));
        p = p.fma(r, r.broadcast(EXP_P3));
        p = p.fma(r, r.broadcast(EXP_P4));
        p = p.fma(r, r.broadcast(EXP_P5));
        FloatVector expm1r = p.mul(r).fma(r, r);
        // 2^n from the rounding add's bits (n in [0, 29]); E = 2^n (e^r - 1) + (2^n - 1) = e^{2|x|} - 1
        FloatVector scale = shifted.reinterpretAsInts().add(127 - Float.floatToRawIntBits(ROUND_MAGIC))
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector expm1 = scale.fma(expm1r, scale.sub(1f));
        FloatVector magnitude = expm1.div(expm1.add(2f));
        IntVector sign = x.reinterpretAsInts().and(SIGN_BIT);
        return magnitude.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    /** The logistic sigmoid 1 / (1 + e^-x) lane by lane. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector xc = x.blend(SIGMOID_X_MIN, x.lt(SIGMOID_X_MIN));
        xc = xc.blend(SIGMOID_X_MAX, xc.compare(VectorOperators.GT, SIGMOID_X_MAX));
        // x = m ln2 + s, so e^-x = 2^-m e^-s
        FloatVector shifted = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector m = shifted.sub(ROUND_MAGIC);
        FloatVector s = m.fma(x.broadcast(-LN2_HI), xc);
        s = m.fma(x.broadcast(-LN2_LO), s);
        // e^-s = 1 - s + s^2 P(-s): exp's polynomial with its odd coefficients negated, as 1 + s (s p - 1)
        FloatVector p = s.fma(-EXP_P0, EXP_P1);
        p = p.fma(s, s.broadcast(-EXP_P2));
        p = p.fma(s, s.broadcast(EXP_P3));
        p = p.fma(s, s.broadcast(-EXP_P4));
        p = p.fma(s, s.broadcast(EXP_P5));
        FloatVector eMinusS = p.fma(s, s.broadcast(-1f)).fma(s, s.broadcast(1f));
        // 2^(-m - 40) from the rounding add's bits (m in [-150, 63]); the denominator 2^-40 (1 + e^-x), rounded once
        IntVector shiftedBits = shifted.reinterpretAsInts();
        FloatVector scale = shiftedBits.broadcast(SIGMOID_SCALE_BITS).sub(shiftedBits)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scaledOnePlusExp = eMinusS.fma(scale, x.broadcast(SIGMOID_SCALE));
        return x.broadcast(SIGMOID_SCALE).div(scaledOnePlusExp);
    }

    /** The natural logarithm lane by lane. */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> subnormal = x.lt(Float.MIN_NORMAL).and(x.compare(VectorOperators.GT, 0f));
        FloatVector scaled = x.blend(x.mul(0x1p23f), subnormal);
        IntVector bits = scaled.reinterpretAsInts();
        // m in [0.5, 1) and e with x = m 2^e (minus the 23 of the subnormal scaling)
        IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126);
        FloatVector e = ((FloatVector) exponent.convert(VectorOperators.I2F, 0))
                .sub(FloatVector.zero(x.species()).blend(23f, subnormal));
        FloatVector m = bits.and(MANTISSA_BITS).or(HALF_EXPONENT).reinterpretAsFloats();
        // below sqrt(1/2) use 2m (and e - 1), so f = m - 1 lies in [-0.29, 0.41]; both forms of f are exact
        VectorMask<Float> low = m.lt(SQRT_HALF);
        e = e.sub(FloatVector.zero(x.species()).blend(1f, low));
        FloatVector f = m.sub(1f).add(FloatVector.zero(x.species()).blend(m, low));
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(LOG_P0, LOG_P1);
        p = p.fma(f, f.broadcast(LOG_P2));
        p = p.fma(f, f.broadcast(LOG_P3));
        p = p.fma(f, f.broadcast(LOG_P4));
        p = p.fma(f, f.broadcast(LOG_P5));
        p = p.fma(f, f.broadcast(LOG_P6));
        p = p.fma(f, f.broadcast(LOG_P7));
        p = p.fma(f, f.broadcast(LOG_P8));
        FloatVector y = p.mul(f).mul(z);
        y = e.fma(e.broadcast(LN2_LO), y);
        y = z.fma(z.broadcast(-0.5f), y);
        FloatVector r = f.add(y);
        r = e.fma(e.broadcast(LN2_HI), r);
        r = r.blend(Float.NEGATIVE_INFINITY, x.eq(0f));
        r = r.blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY));
        return r.blend(Float.NaN, x.lt(0f).or(x.test(VectorOperators.IS_NAN)));
    }
}
