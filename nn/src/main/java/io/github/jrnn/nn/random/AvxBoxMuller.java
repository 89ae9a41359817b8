package io.github.jrnn.nn.random;

/**
 * The Box-Muller step PyTorch's AVX2/AVX-512 CPU kernel applies to float tensors of at least 16 contiguous elements,
 * reproduced lane by lane so that {@code torch.randn} matches bitwise.
 *
 * <p>For a block {@code d[0..16)} of uniforms in [0, 1) and lanes {@code j = 0..7}: {@code u1 = 1 - d[j]},
 * {@code u2 = d[j + 8]}, {@code r = sqrt(-2 * log(u1))}, {@code theta = 2 pi * u2}, then
 * {@code d[j] = fma(r * cos(theta), std, mean)} and {@code d[j + 8] = fma(r * sin(theta), std, mean)}, all in float.
 *
 * <p>{@code log}, {@code sin} and {@code cos} are not the C library's: PyTorch's vector kernel uses single-precision
 * Cephes approximations (range reduction, the published Cephes {@code logf}/{@code sinf}/{@code cosf} polynomial
 * coefficients), evaluated with 8-lane AVX arithmetic in which the compiler fused multiply-adds. Which products are
 * fused was pinned down against torch 1.13 on millions of samples; every place where it matters uses
 * {@link Math#fma(float, float, float)} below, and the comments note the places where it cannot matter because a
 * product is exact. Constants are written as {@code (float) <double literal>} because the C source converts the
 * same decimal literals to float through double.
 */
final class AvxBoxMuller {

    private AvxBoxMuller() {
    }

    /** {@code (float) (2.0 * pi)}, the float PyTorch multiplies u2 by. */
    private static final float TWO_PI = (float) (2.0 * Math.PI);

    // Cephes logf: log(x) = log(m) + e*log(2), m in [sqrt(1/2), sqrt(2)), log(2) split into q2 + q1.
    private static final float SQRT_HALF = (float) 0.707106781186547524;
    private static final float[] LOG_POLY = {
        (float) 7.0376836292E-2, (float) -1.1514610310E-1, (float) 1.1676998740E-1,
        (float) -1.2420140846E-1, (float) 1.4249322787E-1, (float) -1.6668057665E-1,
        (float) 2.0000714765E-1, (float) -2.4999993993E-1, (float) 3.3333331174E-1,
    };
    private static final float LOG_Q1 = (float) -2.12194440e-4;
    private static final float LOG_Q2 = (float) 0.693359375;

    // Cephes sinf/cosf: reduce by multiples of pi/4 (pi/4 split into DP1 + DP2 + DP3), then one of two polynomials.
    private static final float FOUR_OVER_PI = (float) 1.27323954473516;
    private static final float MINUS_DP1 = (float) -0.78515625;
    private static final float MINUS_DP2 = (float) -2.4187564849853515625e-4;
    private static final float MINUS_DP3 = (float) -3.77489497744594108e-8;
    private static final float SIN_P0 = (float) -1.9515295891E-4;
    private static final float SIN_P1 = (float) 8.3321608736E-3;
    private static final float SIN_P2 = (float) -1.6666654611E-1;
    private static final float COS_P0 = (float) 2.443315711809948E-005;
    private static final float COS_P1 = (float) -1.388731625493765E-003;
    private static final float COS_P2 = (float) 4.166664568298827E-002;

    /**
     * Replaces the 16 uniforms {@code d[off .. off + 16)} with 16 normal samples of the given mean and standard
     * deviation, as PyTorch's {@code normal_fill_16_AVX2}.
     */
    static void fill16(float[] d, int off, float mean, float std) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1f - d[off + j]; // exact: d is a multiple of 2^-24 in [0, 1), so u1 is in (0, 1]
            float u2 = d[off + j + 8];
            float radius = (float) Math.sqrt(-2f * log(u1)); // a double sqrt rounded to float is the float sqrt
            float theta = TWO_PI * u2;
            float sin = sin(theta);
            float cos = cos(theta);
            d[off + j] = Math.fma(radius * cos, std, mean);
            d[off + j + 8] = Math.fma(radius * sin, std, mean);
        }
    }

    /** Cephes logf for x in (0, 1] (the only inputs Box-Muller gives it), as the AVX kernel evaluates it. */
    static float log(float x) {
        int bits = Float.floatToRawIntBits(Math.max(x, Float.MIN_NORMAL));
        // m in [0.5, 1) with the exponent of x moved into e.
        float m = Float.intBitsToFloat((bits & ~0x7F800000) | 0x3F000000);
        float e = (float) ((bits >>> 23) - 0x7F) + 1f;
        boolean small = m < SQRT_HALF;
        // For m < sqrt(1/2) use 2m - 1 and one less exponent, so the polynomial argument stays in [-0.29, 0.41).
        float t = m - 1f;
        if (small) {
            e = e - 1f;
            t = t + m;
        }
        float z = t * t;
        float y = LOG_POLY[0];
        for (int i = 1; i < LOG_POLY.length; i++) {
            y = Math.fma(y, t, LOG_POLY[i]);
        }
        y = y * t;
        y = Math.fma(y, z, e * LOG_Q1);
        y = y - z * 0.5f; // z * 0.5 is exact, so fusing it (or not) changes nothing
        return t + y + e * LOG_Q2; // e * Q2 is exact (Q2 has 9 significant bits, e is a small integer)
    }

    /** Cephes sinf as the AVX kernel's combined sine/cosine evaluates it. */
    static float sin(float x) {
        int octant = octant(x);
        float r = reduce(x, octant);
        float s = (octant & 2) == 0 ? sinPoly(r) : cosPoly(r);
        int sign = (Float.floatToRawIntBits(x) & 0x80000000) ^ ((octant & 4) << 29);
        return Float.intBitsToFloat(Float.floatToRawIntBits(s) ^ sign);
    }

    /** Cephes cosf as the AVX kernel's combined sine/cosine evaluates it. */
    static float cos(float x) {
        int octant = octant(x);
        float r = reduce(x, octant);
        float c = (octant & 2) == 0 ? cosPoly(r) : sinPoly(r);
        int sign = (~(octant - 2) & 4) << 29;
        return Float.intBitsToFloat(Float.floatToRawIntBits(c) ^ sign);
    }

    /** The even octant index nearest above |x| / (pi/4): truncate, then round up to even. */
    private static int octant(float x) {
        int j = (int) (Math.abs(x) * FOUR_OVER_PI);
        return (j + 1) & ~1;
    }

    /** |x| - octant * pi/4 in three fused steps (extended-precision pi/4). */
    private static float reduce(float x, int octant) {
        float y = octant;
        float r = Math.fma(y, MINUS_DP1, Math.abs(x));
        r = Math.fma(y, MINUS_DP2, r);
        return Math.fma(y, MINUS_DP3, r);
    }

    private static float cosPoly(float r) {
        float z = r * r;
        float y = Math.fma(Math.fma(COS_P0, z, COS_P1), z, COS_P2);
        y = y * z;
        y = Math.fma(y, z, -(z * 0.5f));
        return y + 1f;
    }

    private static float sinPoly(float r) {
        float z = r * r;
        float y = Math.fma(Math.fma(SIN_P0, z, SIN_P1), z, SIN_P2);
        y = y * z;
        return Math.fma(y, r, r);
    }
}
