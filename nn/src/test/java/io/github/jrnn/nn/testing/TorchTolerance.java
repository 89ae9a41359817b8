package io.github.jrnn.nn.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.jrnn.nn.tensor.Tensor;
import org.opentest4j.AssertionFailedError;

/**
 * The one agreement rule of jrnn's tests with PyTorch golden values, per element (the only copy in nn and cli
 * tests): forward results within {@code 1e-5 + 1e-5 * |expected|} ({@link #FORWARD}: float arithmetic in another
 * order than torch's BLAS), gradients within {@code 1e-4 + 1e-4 * |expected|} ({@link #GRADIENT}: they pass
 * through more operations; the bound the training issue sets).
 *
 * <p>Non-finite values are exact, never "close": NaN agrees only with NaN, an infinity only with the same
 * infinity, and a finite expected value never with a non-finite result ({@link #agrees}).
 */
public final class TorchTolerance {

    /** Bound of forward results: {@code |actual - expected| <= 1e-5 + 1e-5 * |expected|}. */
    public static final double FORWARD = 1e-5;
    /** Bound of gradients: {@code |actual - expected| <= 1e-4 + 1e-4 * |expected|}. */
    public static final double GRADIENT = 1e-4;

    private TorchTolerance() {
    }

    /**
     * The rule for one element: NaN where torch has NaN; the same infinity where torch has one; otherwise
     * {@code |actual - expected| <= bound + bound * |expected|} (which no NaN or infinite actual value meets).
     */
    public static boolean agrees(double expected, double actual, double bound) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            return Double.isNaN(expected) ? Double.isNaN(actual) : expected == actual;
        }
        return Math.abs(actual - expected) <= bound + bound * Math.abs(expected);
    }

    /** Same shape and every element {@linkplain #agrees agreeing} within {@code bound}. */
    public static void assertClose(String what, Tensor expected, Tensor actual, double bound) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(what, expected.data(), actual.data(), bound);
    }

    /**
     * As many elements, each {@linkplain #agrees agreeing} within {@code bound}; the message names the first bad
     * one.
     */
    public static void assertClose(String what, float[] expected, float[] actual, double bound) {
        if (expected.length != actual.length) {
            throw new AssertionFailedError(what + ": " + expected.length + " elements expected, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            assertClose(what + ": element " + i, expected[i], actual[i], bound);
        }
    }

    /** One value (e.g. a reference computed in double) {@linkplain #agrees agreeing} within {@code bound}. */
    public static void assertClose(String what, double expected, float actual, double bound) {
        if (!agrees(expected, actual, bound)) {
            throw new AssertionFailedError(what + ": expected " + expected + ", got " + actual + " (|d| = "
                    + Math.abs(actual - expected) + ", bound " + bound + " + " + bound + " * |expected|)");
        }
    }
}
