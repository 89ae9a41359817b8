package io.github.jrnn.nn.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.jrnn.nn.tensor.Tensor;
import org.opentest4j.AssertionFailedError;

/**
 * Agreement bounds with PyTorch golden values, per element: forward results within
 * {@code 1e-5 + 1e-5 * |expected|} (float arithmetic in another order than torch's BLAS), gradients within
 * {@code 1e-4 + 1e-4 * |expected|} (they pass through more operations; the bound the training issue sets).
 */
public final class TorchTolerance {

    public static final double FORWARD = 1e-5;
    public static final double GRADIENT = 1e-4;

    private TorchTolerance() {
    }

    /**
     * Same shape and every element within {@code bound + bound * |expected|}; NaN only where torch has NaN, an
     * infinity only where torch has the same one.
     */
    public static void assertClose(String what, Tensor expected, Tensor actual, double bound) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(what, expected.data(), actual.data(), bound);
    }

    public static void assertClose(String what, float[] expected, float[] actual, double bound) {
        if (expected.length != actual.length) {
            throw new AssertionFailedError(what + ": " + expected.length + " elements expected, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            if (Double.isNaN(e) && Float.isNaN(actual[i]) || e == actual[i]) {
                continue; // NaN where torch has NaN; an infinity of the same sign where torch has one
            }
            double d = Math.abs(actual[i] - e);
            if (!(d <= bound + bound * Math.abs(e))) {
                throw new AssertionFailedError(what + ": element " + i + " expected " + e + ", got " + actual[i]
                        + " (|d| = " + d + ", bound " + bound + " + " + bound + " * |expected|)");
            }
        }
    }
}
