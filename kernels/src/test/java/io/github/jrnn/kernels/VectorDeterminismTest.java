package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels give bit-identical results in every execution mode: the interpreter (a child JVM with
 * {@code -Xint}) and this JVM after the JIT has compiled the kernels. This fails with the Vector API's own
 * {@code reduceLanes(ADD)}, whose order differs between interpreted and C2-compiled code.
 */
class VectorDeterminismTest {

    @Test
    void interpretedAndCompiledRunsAgreeBitForBit() throws IOException, InterruptedException {
        Kernels vector = KernelProvider.checkedVector();
        long first = DeterminismWorkload.checksum(vector);
        long compiled = first;
        for (int i = 0; i < 3000; i++) { // enough calls for C2 to compile the kernels
            compiled = DeterminismWorkload.checksum(vector);
            assertEquals(first, compiled, "checksum changed at repetition " + i);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), DeterminismWorkload.class.getName()))
                .redirectErrorStream(false).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "interpreted child JVM did not finish in 120 s");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, child.exitValue(), () -> "child failed: " + out);
        assertEquals(Long.toHexString(compiled), out, "interpreted (-Xint) and compiled results differ");
    }
}
