package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.testing.TorchTolerance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.random.Generator;
import org.junit.jupiter.api.Test;

/** Linear against a double-precision loop, its init bounds, and Dropout's modes and statistics. */
class LinearDropoutTest {

    @Test
    void linearComputesXTimesWTransposedPlusBiasOnTheLastDimension() {
        Linear lin = new Linear(3, 2, true, new Generator(5), null);
        float[] w = lin.namedParameters().get("weight").data();
        float[] b = lin.namedParameters().get("bias").data();
        float[] x = {0.5f, -1f, 2f, 1.5f, 0.25f, -0.75f, 3f, 1f, -2f, 0f, 0f, 1f};
        Tensor y = lin.forward(Tensor.of(x, 2, 2, 3));
        assertArrayEquals(new int[] {2, 2, 2}, y.shape());
        for (int r = 0; r < 4; r++) {
            for (int o = 0; o < 2; o++) {
                double e = b[o];
                for (int i = 0; i < 3; i++) {
                    e += (double) x[r * 3 + i] * w[o * 3 + i];
                }
                TorchTolerance.assertClose("y[" + r + "][" + o + "]", e, y.data()[r * 2 + o], TorchTolerance.FORWARD);
            }
        }
    }

    @Test
    void linearInitStaysWithinOneOverSqrtFanIn() {
        Linear lin = new Linear(16, 8, true, new Generator(3), null);
        double bound = 1 / Math.sqrt(16);
        for (Parameter p : lin.parameters()) {
            for (float v : p.data()) {
                assertTrue(Math.abs(v) <= bound, v + " outside +-" + bound);
            }
        }
    }

    @Test
    void linearWithoutBiasHasOnlyAWeight() {
        assertEquals(java.util.List.of("weight"), java.util.List.copyOf(new Linear(3, 2, false).namedParameters()
                .keySet()));
    }

    @Test
    void dropoutIsTheIdentityInEvalMode() {
        Dropout d = new Dropout(0.5);
        d.eval();
        Tensor x = Tensor.full(1f, 10);
        assertSame(x, d.forward(x));
    }

    @Test
    void dropoutZeroesAboutPAndScalesTheRestInTraining() {
        Dropout d = new Dropout(0.25, new Generator(7), null);
        Tensor x = Tensor.full(2f, 20000);
        Tensor y = d.forward(x);
        int zeros = 0;
        for (float v : y.data()) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(2f / 0.75f, v, 1e-6);
            }
        }
        // binomial(20000, 0.25): standard deviation ~61, so 5000 +- 400 fails with negligible probability
        assertTrue(Math.abs(zeros - 5000) < 400, zeros + " zeros");
        assertEquals(2f, x.data()[0], "the input is not modified");
    }

    @Test
    void dropoutOfOneGivesZerosAndInvalidProbabilitiesAreRefused() {
        Tensor y = new Dropout(1.0).forward(Tensor.full(3f, 4));
        assertArrayEquals(new float[4], y.data());
        String m = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5)).getMessage();
        assertEquals("dropout probability has to be between 0 and 1, but got 1.5", m);
    }
}
