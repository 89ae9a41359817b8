package io.github.jrnn.properties.kernels;

/**
 * Error of a float result in units in the last place of the exact (double) value, see {@link Tolerances}.
 */
final class Ulps {

    /** 2^128: the value +Inf stands for when measuring how far an overflowed result is from the exact one. */
    private static final double OVERFLOW = 0x1p128;

    private Ulps() {
    }

    /**
     * The spacing of floats in the binade of {@code exact}: {@code 2^(floor(log2 |exact|) - 23)}, {@code MIN_VALUE}
     * below {@code MIN_NORMAL}, and {@code 2^104} (the top binade's spacing) at and beyond {@code 2^127}.
     */
    static double ulpOf(double exact) {
        double magnitude = Math.abs(exact);
        if (magnitude < Float.MIN_NORMAL) {
            return Float.MIN_VALUE;
        }
        if (magnitude >= 0x1p127) {
            return 0x1p104;
        }
        return Math.scalb(1.0, Math.getExponent(magnitude) - 23);
    }

    /**
     * How many ulps of {@code exact} the float {@code got} is away from it. NaN matches only NaN (0 when both are
     * NaN, infinite otherwise). An infinite {@code got} stands for every value beyond 2^128 of its sign: it is exact
     * when {@code |exact| >= 2^128} (the exact value is not representable) and otherwise counts as 2^128.
     */
    static double error(float got, double exact) {
        if (Double.isNaN(exact) || Float.isNaN(got)) {
            return Double.isNaN(exact) && Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        }
        double value = got;
        if (Float.isInfinite(got)) {
            if (Math.signum(exact) == Math.signum(got) && Math.abs(exact) >= OVERFLOW) {
                return 0;
            }
            value = Math.copySign(OVERFLOW, got);
        }
        if (Double.isInfinite(exact)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(value - exact) / ulpOf(exact);
    }
}
