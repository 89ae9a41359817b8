package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.jrnn.nn.tensor.Tensor;
import org.opentest4j.AssertionFailedError;

/** The project's agreement bound with PyTorch: |got - expected| <= 1e-5 + 1e-5 * |expected| per element. */
final class Tolerance {

    static final double ABSOLUTE = 1e-5;
    static final double RELATIVE = 1e-5;

    private Tolerance() {
    }

    /** Same shape and every element within the bound; the message names the context and the first bad index. */
    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(what, expected.data(), actual.data());
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionFailedError(what + ": " + expected.length + " elements expected, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double d = Math.abs(actual[i] - e);
            if (!(d <= ABSOLUTE + RELATIVE * Math.abs(e))) {
                throw new AssertionFailedError(what + ": element " + i + " expected " + e + ", got " + actual[i]
                        + " (|d| = " + d + ")");
            }
        }
    }
}
