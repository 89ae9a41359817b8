package io.github.jrnn.bench.peers;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The agreement bound every engine must meet before it is timed: |a - e| <= 1e-5 + 1e-5 |e|. */
class AgreementTest {

    @Test
    void acceptsValuesWithinTheBoundAndRefusesTheFirstOneOutside() {
        // e = 100: bound 1e-5 + 1e-3 = 0.00101; e = 0: bound 1e-5.
        assertDoesNotThrow(() -> Agreement.check("ort-1t", "output", new float[] {100.001f, 0.000009f},
                new float[] {100f, 0f}));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Agreement.check("djl-2t",
                "h_n", new float[] {100f, 0.00002f}, new float[] {100f, 0f}));
        assertEquals("djl-2t disagrees with torch on h_n[1]: 2.0E-5, torch 0.0 (bound 1.0E-5 + 1.0E-5 |torch|); it"
                + " is refused, not timed", e.getMessage());
    }

    @Test
    void refusesNanMissingAndMisShapedOutputs() {
        assertThrows(IllegalStateException.class, () -> Agreement.check("x", "output", new float[] {Float.NaN},
                new float[] {0f}));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> Agreement.check("x", "c_n",
                null, new float[] {0f}));
        assertEquals("x disagrees with torch on c_n: expected 1 values, got no; it is refused, not timed",
                missing.getMessage());
        assertThrows(IllegalStateException.class, () -> Agreement.check("x", "output", new float[2],
                new float[3]));
        // No c_n on either side (RNN, GRU) is agreement.
        assertDoesNotThrow(() -> Agreement.check("x", new Outputs(new float[1], new float[1], null),
                new Outputs(new float[1], new float[1], null)));
    }
}
