package io.github.jrnn.bench.peers;

/**
 * The check every engine passes before it is timed: each value within {@code 1e-5 + 1e-5 |expected|} of torch's
 * (the agreement jrnn promises with PyTorch; BLAS summation orders differ, so exact equality is not expected). A
 * NaN, a missing array or a length mismatch fails.
 */
public final class Agreement {

    /** Absolute part of the bound. */
    public static final double ABSOLUTE = 1e-5;
    /** Relative part of the bound. */
    public static final double RELATIVE = 1e-5;

    private Agreement() {
    }

    /**
     * Checks output, h_n and c_n.
     *
     * @throws IllegalStateException naming the engine, the tensor and the worst element
     */
    public static void check(String engine, Outputs actual, Outputs expected) {
        check(engine, "output", actual.output(), expected.output());
        check(engine, "h_n", actual.hN(), expected.hN());
        check(engine, "c_n", actual.cN(), expected.cN());
    }

    /**
     * Checks one tensor ({@code expected} null: {@code actual} must be null too).
     *
     * @throws IllegalStateException naming the engine, the tensor and the first element out of bounds
     */
    public static void check(String engine, String tensor, float[] actual, float[] expected) {
        if (expected == null && actual == null) {
            return;
        }
        if (expected == null || actual == null || expected.length != actual.length) {
            throw new IllegalStateException(engine + " disagrees with torch on " + tensor + ": expected "
                    + length(expected) + " values, got " + length(actual) + "; it is refused, not timed");
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            if (!(Math.abs(actual[i] - e) <= ABSOLUTE + RELATIVE * Math.abs(e))) {
                throw new IllegalStateException(engine + " disagrees with torch on " + tensor + "[" + i + "]: "
                        + actual[i] + ", torch " + e + " (bound " + ABSOLUTE + " + " + RELATIVE
                        + " |torch|); it is refused, not timed");
            }
        }
    }

    private static String length(float[] values) {
        return values == null ? "no" : Integer.toString(values.length);
    }
}
