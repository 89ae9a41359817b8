package io.github.jrnn.flink;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;

import org.junit.jupiter.api.Test;

/** open() refuses the scalar kernels unless allowed, and says which configuration line fixes the cluster. */
class KernelRequirementTest {

    private static final KernelProvider.Choice SCALAR =
            new KernelProvider.Choice("scalar", "jdk.incubator.vector is not readable");

    @Test
    void scalarKernelsFailNamingTheFlinkConfigurationLine() {
        String message = assertThrows(IllegalStateException.class, () -> KernelRequirement.check(SCALAR, false))
                .getMessage();
        assertTrue(message.contains("scalar kernels in this task manager (jdk.incubator.vector is not readable)"),
                message);
        assertTrue(message.contains("'env.java.opts.all: --add-modules jdk.incubator.vector'"), message);
        assertTrue(message.contains("allowScalarKernels(true)"), message);
    }

    @Test
    void vectorKernelsOrAllowedScalarKernelsPass() {
        assertDoesNotThrow(() -> KernelRequirement.check(SCALAR, true));
        assertDoesNotThrow(() -> KernelRequirement.check(new KernelProvider.Choice("vector", "512-bit"), false));
    }
}
