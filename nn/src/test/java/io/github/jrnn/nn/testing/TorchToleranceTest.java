package io.github.jrnn.nn.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The agreement rule every golden test relies on: the bound at its edge, and non-finite values exact. */
class TorchToleranceTest {

    @Test
    void finiteValuesAgreeUpToAbsolutePlusRelativeBound() {
        assertTrue(TorchTolerance.agrees(100.0, 100.0 + 0.00100, 1e-5));   // bound 1e-5 + 1e-3
        assertFalse(TorchTolerance.agrees(100.0, 100.0 + 0.00102, 1e-5));
        assertTrue(TorchTolerance.agrees(0.0, -0.99e-5, 1e-5));
        assertFalse(TorchTolerance.agrees(0.0, 1.01e-5, 1e-5));
        assertTrue(TorchTolerance.agrees(-2.0, -2.0 - 2.9e-4, 1e-4));
        assertFalse(TorchTolerance.agrees(-2.0, -2.0 - 3.1e-4, 1e-4));
    }

    @Test
    void nonFiniteValuesMatchOnlyThemselves() {
        assertTrue(TorchTolerance.agrees(Double.NaN, Float.NaN, 1e-5));
        assertFalse(TorchTolerance.agrees(Double.NaN, 0.0, 1e-5));
        assertFalse(TorchTolerance.agrees(1.0, Double.NaN, 1e-5));
        assertTrue(TorchTolerance.agrees(Double.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, 1e-5));
        assertFalse(TorchTolerance.agrees(Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-5));
        assertFalse(TorchTolerance.agrees(Double.NEGATIVE_INFINITY, Float.MAX_VALUE, 1e-5));
        assertFalse(TorchTolerance.agrees(Float.MAX_VALUE, Double.POSITIVE_INFINITY, 1e-5));
        assertFalse(TorchTolerance.agrees(Double.POSITIVE_INFINITY, Double.NaN, 1e-5));
    }

    @Test
    void assertionsNameTheFirstElementOutsideTheBound() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> TorchTolerance.assertClose("out",
                new float[] {1f, 2f, 3f}, new float[] {1f, 2.1f, 3.1f}, TorchTolerance.FORWARD));
        assertTrue(e.getMessage().startsWith("out: element 1: expected 2.0, got 2.1"), e.getMessage());
        assertThrows(AssertionFailedError.class, () -> TorchTolerance.assertClose("out", new float[] {1f},
                new float[] {1f, 2f}, TorchTolerance.FORWARD));
    }
}
