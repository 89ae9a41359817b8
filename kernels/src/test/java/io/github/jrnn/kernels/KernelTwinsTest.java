package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each implementation is a pair of twins: the checked instance validates arguments, its unchecked twin computes the
 * same numbers without validating; each knows the other.
 */
class KernelTwinsTest {

    private static List<Kernels> checkedInstances() {
        return List.of(KernelProvider.checkedScalar(), KernelProvider.checkedVector(), KernelProvider.kernels());
    }

    @Test
    void eachCheckedInstanceHasOneUncheckedTwinOfTheSameImplementation() {
        for (Kernels checked : checkedInstances()) {
            Kernels unchecked = checked.unchecked();
            assertTrue(checked.isChecked(), checked.toString());
            assertFalse(unchecked.isChecked(), unchecked.toString());
            assertNotSame(checked, unchecked);
            assertSame(checked, checked.checked());
            assertSame(unchecked, unchecked.unchecked());
            assertSame(checked, unchecked.checked());
            assertSame(unchecked, checked.unchecked(), "the twin is made once, not per call");
            assertSame(checked.getClass(), unchecked.getClass());
            assertEquals(checked.name(), unchecked.name());
            assertEquals(checked.name(), checked.toString());
            assertEquals(checked.name() + " (unchecked)", unchecked.toString());
        }
    }

    @Test
    void theUncheckedTwinSkipsTheChecksAndComputesTheSame() {
        for (Kernels checked : checkedInstances()) {
            float[] x = {1f, -2f, 3f, 0.5f, -0.25f};
            float[] viaChecked = new float[5];
            float[] viaUnchecked = new float[5];
            checked.tanh(5, x, 0, viaChecked, 0);
            checked.unchecked().tanh(5, x, 0, viaUnchecked, 0);
            assertArrayEquals(viaChecked, viaUnchecked, checked.name());

            // An array too short for its n: the checked instance names the argument, the unchecked one does not
            // look and fails (or not) wherever the implementation happens to index.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> checked.fill(6, 1f, x, 0));
            assertTrue(e.getMessage().contains("fill: x is too short"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> checked.unchecked().dot(8, x, 0, x, 0));
        }
    }
}
