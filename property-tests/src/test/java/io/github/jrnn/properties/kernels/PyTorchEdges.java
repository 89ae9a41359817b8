package io.github.jrnn.properties.kernels;

/**
 * PyTorch's behaviour of tanh, sigmoid and exp at the edges of their domain, checked per element: NaN propagates,
 * no NaN from any other argument, the limits at +-Inf, the ranges, and tanh being odd bitwise.
 */
final class PyTorchEdges {

    private PyTorchEdges() {
    }

    private static void check(boolean ok, String at, String rule, float got) {
        if (!ok) {
            throw new AssertionError(at + rule + ", got " + got + " (0x"
                    + Integer.toHexString(Float.floatToRawIntBits(got)) + ")");
        }
    }

    /** tanh(x) = {@code got}, tanh(-x) = {@code gotOfNegated}. */
    static void tanh(String at, float x, float got, float gotOfNegated) {
        if (Float.isNaN(x)) {
            check(Float.isNaN(got), at, "tanh(NaN) must be NaN", got);
            return;
        }
        check(!Float.isNaN(got), at, "tanh must not be NaN for a non-NaN argument", got);
        check(Math.abs(got) <= 1f, at, "|tanh| must be <= 1", got);
        check(Float.floatToRawIntBits(gotOfNegated) == Float.floatToRawIntBits(-got), at,
                "tanh must be odd bitwise: tanh(-x) = " + gotOfNegated + " but -tanh(x)", -got);
        if (Float.isInfinite(x)) {
            check(got == Math.signum(x), at, "tanh(" + x + ") must be " + Math.signum(x), got);
        }
        if (x == 0f) {
            check(Float.floatToRawIntBits(got) == Float.floatToRawIntBits(x), at, "tanh(" + x + ") must be " + x, got);
        }
    }

    static void sigmoid(String at, float x, float got) {
        if (Float.isNaN(x)) {
            check(Float.isNaN(got), at, "sigmoid(NaN) must be NaN", got);
            return;
        }
        check(!Float.isNaN(got), at, "sigmoid must not be NaN for a non-NaN argument", got);
        check(got >= 0f && got <= 1f, at, "sigmoid must be in [0, 1]", got);
        if (x == Float.NEGATIVE_INFINITY) {
            check(got == 0f, at, "sigmoid(-Inf) must be 0", got);
        }
        if (x == Float.POSITIVE_INFINITY) {
            check(got == 1f, at, "sigmoid(+Inf) must be 1", got);
        }
    }

    static void exp(String at, float x, float got) {
        if (Float.isNaN(x)) {
            check(Float.isNaN(got), at, "exp(NaN) must be NaN", got);
            return;
        }
        check(!Float.isNaN(got), at, "exp must not be NaN for a non-NaN argument", got);
        check(got >= 0f, at, "exp must be >= 0", got);
        if (x == Float.NEGATIVE_INFINITY) {
            check(got == 0f, at, "exp(-Inf) must be 0", got);
        }
        if (x == Float.POSITIVE_INFINITY) {
            check(got == Float.POSITIVE_INFINITY, at, "exp(+Inf) must be +Inf", got);
        }
    }
}
