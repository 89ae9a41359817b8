package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jrnn.kernels.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Once C2 has compiled them, the vector kernels allocate nothing: not one byte per call of any
 * {@link SteadyStateKernelCalls} call (activations, the cells and their backward forms, whole recurrences, every
 * path of the products, the row-wise losses, layer norm, Adam).
 *
 * <p>What this guards against: the kernels are fast only while C2 inlines every Vector API operation and every
 * helper that takes or returns a vector. A helper C2 does not inline (its inlining budget,
 * {@code NodeCountInliningCutoff}, runs out in a large loop body: see {@link VectorCells}' class comment and
 * {@link GemmMicroKernel}'s) is a real call, and every vector crossing it is boxed: the kernel then allocates on
 * each loop iteration and runs 5-10x slower, with the same results, so no other test notices.
 *
 * <p>How: a child JVM ({@link KernelAllocationWorkload}) with this JVM's options (so the same vector width) plus
 * {@code -Xbatch} (each compilation finishes before the call that asked for it goes on) and one kernel thread
 * ({@code -Djrnn.threads=1}: no product or recurrence hands work to another thread, whose allocations the calling
 * thread's counter would miss). It proves with JFR's compilation events that every kernel method the calls run is
 * C2 code, and that the JIT changed no kernel code while it measured, before it counts the calling thread's
 * allocated bytes over a round of calls of each.
 */
class VectorKernelAllocationTest {

    private static final long CHILD_TIMEOUT_SECONDS = 180;

    @Test
    void compiledVectorKernelsAllocateNothingPerCall() throws IOException, InterruptedException {
        List<String> lines = childOutput();
        List<String> failures = fields(lines, KernelAllocationWorkload.NOT_IN_C2);
        assertTrue(failures.isEmpty(), () -> "these kernel methods never became C2 code, so what they allocate says"
                + " nothing about compiled kernels: " + failures + "\n" + String.join("\n", lines));
        List<String> changes = fields(lines, KernelAllocationWorkload.JIT_CHANGED);
        assertTrue(changes.isEmpty(), () -> "the JIT changed kernel code during every measurement, which therefore"
                + " ran partly uncompiled: " + changes + "\n" + String.join("\n", lines));
        assertEquals(1, fields(lines, KernelAllocationWorkload.C2_READY).size(),
                () -> "no proof of C2 code:\n" + String.join("\n", lines));

        List<String> notInlined = fields(lines, KernelAllocationWorkload.NOT_INLINED);
        List<String> measured = new ArrayList<>();
        List<Executable> kernels = new ArrayList<>();
        for (String allocated : fields(lines, KernelAllocationWorkload.ALLOCATED)) {
            String[] f = allocated.split("\t");
            String kernel = f[0];
            measured.add(kernel);
            long bytes = Long.parseLong(f[1]);
            int calls = Integer.parseInt(f[2]);
            kernels.add(() -> assertEquals(0, bytes, () -> kernel + " allocates " + bytes / calls + " bytes per call"
                    + " once compiled by C2 (" + bytes + " bytes in " + calls + " calls, the fewest of "
                    + "several rounds): vectors are being boxed, i.e. C2 did not inline a helper that takes or"
                    + " returns a vector (see VectorCells' class comment: its inlining budget ran out), so the kernel"
                    + " runs the Vector API's allocating fallback, 5-10x slower. Calls C2 left in place that pass"
                    + " vectors:" + (notInlined.isEmpty() ? " none recorded" : "\n  " + String.join("\n  ",
                    notInlined))));
        }
        List<String> expected = SteadyStateKernelCalls.on(KernelProvider.checkedVector().unchecked()).stream()
                .map(SteadyStateKernelCalls.KernelCall::name).toList();
        assertEquals(expected, measured, () -> "the child did not measure every call:\n" + String.join("\n", lines));
        assertAll(kernels);
    }

    /** The child's output lines; fails when it does not finish in time or exits with an error. */
    private static List<String> childOutput() throws IOException, InterruptedException {
        List<String> command = ChildJvm.command(List.of("-Xbatch", "-D" + KernelThreads.PROPERTY + "=1"),
                KernelAllocationWorkload.class);
        Path output = Files.createTempFile("jrnn-allocation", ".txt");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean finished = child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> lines = Files.readAllLines(output);
            if (!finished) {
                fail("child JVM did not finish in " + CHILD_TIMEOUT_SECONDS + " s: " + command + "\n"
                        + String.join("\n", lines));
            }
            assertEquals(0, child.exitValue(), () -> "child failed: " + command + "\n" + String.join("\n", lines));
            return lines;
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    /** The fields after {@code kind} of every line of that kind. */
    private static List<String> fields(List<String> lines, String kind) {
        return lines.stream().filter(line -> line.startsWith(kind + "\t") || line.equals(kind))
                .map(line -> line.substring(Math.min(line.length(), kind.length() + 1))).toList();
    }
}
