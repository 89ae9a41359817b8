package io.github.jrnn.properties.kernels;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Reproducible random float values for kernel inputs, drawn from a seed that is a property parameter (so a failure
 * report names it). Each method returns a {@link DoubleSupplier} for {@link StridedMatrix}.
 */
final class FloatData {

    /** Special inputs every activation must handle like PyTorch. */
    static final float[] SPECIALS = {
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        1e30f, -1e30f, 88.7f, -88.7f, 89f, -89f, 104f, -104f,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE,
    };

    /**
     * Points where activation approximations typically switch formula or saturate; values just around each are
     * tested: tanh's small-argument polynomial (0.5, 0.625, ln(3)/2), its saturation (9.01 rounds to 1), sigmoid's
     * saturation (16.64 rounds to 1; below -88.72 the result is subnormal), exp's range reduction
     * (+-ln(2)/2, 1), its overflow (88.7228) and clamps (89, -104), the start of subnormal results (-87.3365)
     * and underflow to 0 (-103.972), and small arguments where {@code expm1}-style branches start (2^-12, 2^-24).
     */
    static final float[] THRESHOLDS = {
        0.5f, 0.625f, 0.5493061f, 0.34657359f, 1f, 2f, 4f, 8f, 9f, 9.01f, 10f, 15f, 16.635532f, 17f, 20f, 30f,
        87.33654f, 88.72284f, 88f, 89f, 103.97208f, 104f, 0x1p-12f, 0x1p-24f, 1e-4f, 1e-2f,
    };

    private final SplittableRandom random;

    FloatData(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform in [lo, hi). */
    DoubleSupplier uniform(double lo, double hi) {
        return () -> lo + (hi - lo) * random.nextDouble();
    }

    /** Uniform in (0, 1): a gate activation. */
    DoubleSupplier probability() {
        return () -> {
            double p;
            do {
                p = random.nextDouble();
            } while (p == 0);
            return p;
        };
    }

    /**
     * Matrix entries: uniform in [-1, 1), one in eight scaled by 2^e for e in [-12, 12] (so cancellation and
     * mixed magnitudes occur), one in sixteen an exact zero.
     */
    DoubleSupplier matrixEntries() {
        return () -> {
            int kind = random.nextInt(16);
            if (kind == 0) {
                return 0;
            }
            double v = 2 * random.nextDouble() - 1;
            return kind <= 2 ? Math.scalb(v, random.nextInt(-12, 13)) : v;
        };
    }

    /**
     * Gate pre-activations of a recurrent cell: uniform in [-4, 4) mostly, one in eight in [-30, 30) and one in
     * thirty-two +-100 (saturated gates, subnormal sigmoid results).
     */
    DoubleSupplier gatePreActivations() {
        return () -> switch (random.nextInt(32)) {
            case 0 -> random.nextBoolean() ? 100 : -100;
            case 1, 2, 3, 4 -> -30 + 60 * random.nextDouble();
            default -> -4 + 8 * random.nextDouble();
        };
    }

    /**
     * Activation arguments: uniform in [-12, 12) (the interesting range), in [-120, 120) (saturation, overflow,
     * subnormal results), any finite float (uniform bit pattern), or a threshold or special value.
     */
    DoubleSupplier activationArguments() {
        return () -> switch (random.nextInt(8)) {
            case 0, 1, 2 -> -12 + 24 * random.nextDouble();
            case 3, 4 -> -120 + 240 * random.nextDouble();
            case 5 -> anyFinite();
            case 6 -> nearThreshold();
            default -> SPECIALS[random.nextInt(SPECIALS.length)];
        };
    }

    /** A finite float with a uniformly random bit pattern (all binades equally likely). */
    private float anyFinite() {
        float f;
        do {
            f = Float.intBitsToFloat(random.nextInt());
        } while (Float.isNaN(f) || Float.isInfinite(f));
        return f;
    }

    /** A threshold of either sign, moved by up to 4 ulps. */
    private float nearThreshold() {
        float t = THRESHOLDS[random.nextInt(THRESHOLDS.length)];
        int steps = random.nextInt(-4, 5);
        int bits = Float.floatToRawIntBits(t) + steps;
        float v = Float.intBitsToFloat(bits);
        return random.nextBoolean() ? v : -v;
    }

    /** Row centres of moderate logits: every row centred at 0, entries in [-10, 10). */
    static final double[] MODERATE_CENTRES = {0};

    /**
     * Row centres of large logits: +-1000 (where a logit-sized float loses the digits of a log-sum-exp of order 1)
     * and +-1e30 (where a naive exp overflows and all entries of a row round to the same float), mixed with 0.
     */
    static final double[] LARGE_CENTRES = {0, 1000, -1000, 1e30, -1e30};

    /**
     * Softmax logits, filled row by row ({@code cols} values per row): each row centred at one of
     * {@code centres} with entries uniform in +-10 around it; one entry in ten is -Inf, one row in twelve is all
     * -Inf and, when {@code plusInfinityRows}, one in twenty-four has +Inf entries.
     */
    DoubleSupplier logitRows(int cols, double[] centres, boolean plusInfinityRows) {
        return new DoubleSupplier() {
            private int column = cols;
            private double centre;
            private int rowKind;

            @Override
            public double getAsDouble() {
                if (column == cols) {
                    column = 0;
                    centre = centres[random.nextInt(centres.length)];
                    rowKind = random.nextInt(24);
                }
                column++;
                if (rowKind < 2 || random.nextInt(10) == 0) {
                    return Double.NEGATIVE_INFINITY;
                }
                if (plusInfinityRows && rowKind == 2 && random.nextInt(4) == 0) {
                    return Double.POSITIVE_INFINITY;
                }
                return centre - 10 + 20 * random.nextDouble();
            }
        };
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
