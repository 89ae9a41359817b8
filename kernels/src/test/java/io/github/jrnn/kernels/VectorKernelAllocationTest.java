package io.github.jrnn.kernels;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Once C2 has compiled them, the vector kernels allocate nothing: not one byte per call of any
 * {@link SteadyStateKernelCalls} call (activations, the cells and their backward forms, whole recurrences, every
 * path of the products, the row-wise losses, layer norm, Adam), at a hidden size that is a multiple of every lane
 * count (256) and at one that is not (250).
 *
 * <p>What this guards against: the kernels are fast only while C2 inlines every Vector API operation and every
 * helper that takes or returns a vector. A helper C2 does not inline (its inlining budget,
 * {@code NodeCountInliningCutoff}, runs out in a large loop body: see {@link VectorCells}' class comment and
 * {@link GemmMicroKernel}'s) is a real call, and every vector crossing it is boxed: the kernel then allocates on
 * each loop iteration and runs 5-10x slower, with the same results, so no other test notices. The same happens
 * when a C1 compilation of a kernel method fails (C1 expands every Vector API operation, and a long loop body runs
 * it out of virtual registers): the method may then stay in C1 code, which boxes every vector, for the life of
 * the JVM (measured on {@code lstmCellBackward}: 30x slower in about half of the JVMs), so a failed compilation
 * of kernel code fails this test too, although the {@code -Xbatch} child itself goes on to C2.
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

    @ParameterizedTest(name = "hidden {0}")
    @ValueSource(ints = {256, 250})
    void compiledVectorKernelsAllocateNothingPerCall(int hidden) throws IOException, InterruptedException {
        List<String> lines = childOutput(hidden);
        List<String> failures = fields(lines, KernelAllocationWorkload.NOT_IN_C2);
        assertTrue(failures.isEmpty(), () -> "these kernel methods never became C2 code, so what they allocate says"
                + " nothing about compiled kernels: " + failures + "\n" + String.join("\n", lines));
        List<String> changes = fields(lines, KernelAllocationWorkload.JIT_CHANGED);
        assertTrue(changes.isEmpty(), () -> "the JIT changed kernel code during every measurement, which therefore"
                + " ran partly uncompiled: " + changes + "\n" + String.join("\n", lines));
        assertEquals(1, fields(lines, KernelAllocationWorkload.C2_READY).size(),
                () -> "no proof of C2 code:\n" + String.join("\n", lines));

        List<String> measured = new ArrayList<>();
        List<String> allocating = new ArrayList<>();
        for (String allocated : fields(lines, KernelAllocationWorkload.ALLOCATED)) {
            String[] f = allocated.split("\t");
            long bytes = Long.parseLong(f[1]);
            int calls = Integer.parseInt(f[2]);
            measured.add(f[0]);
            if (bytes > 0) {
                allocating.add(f[0] + ": " + bytes / calls + " bytes per call (" + bytes + " in " + calls + " calls)");
            }
        }
        List<String> expected = SteadyStateKernelCalls.on(KernelProvider.checkedVector().unchecked(), hidden).stream()
                .map(SteadyStateKernelCalls.KernelCall::name).toList();
        assertEquals(expected, measured, () -> "the child did not measure every call:\n" + String.join("\n", lines));
        List<String> failedCompilations = fields(lines, KernelAllocationWorkload.COMPILE_FAILED);
        assertTrue(failedCompilations.isEmpty(), () -> "at hidden " + hidden + " the JIT failed to compile these"
                + " kernel methods:\n  " + String.join("\n  ", failedCompilations) + "\nA C1 compilation that"
                + " fails (out of virtual registers: a loop body with too many Vector API operations, which C1"
                + " expands) can leave the method in C1 code for good outside this test's -Xbatch JVM, where it"
                + " boxes every vector (measured: 30x slower). Split the loop into passes (see VectorCells).");
        List<String> notInlined = fields(lines, KernelAllocationWorkload.NOT_INLINED);
        assertTrue(allocating.isEmpty(), () -> "at hidden " + hidden + " these vector kernels allocate once compiled"
                + " by C2 (the fewest bytes of several rounds of calls):\n  " + String.join("\n  ", allocating)
                + "\nThat is boxed vectors: C2 did not inline a helper that takes or returns a vector (its inlining"
                + " budget, NodeCountInliningCutoff, ran out: see VectorCells' class comment), so the kernel runs the"
                + " Vector API's allocating fallback, 5-10x slower. Calls C2 left in place that pass vectors:"
                + (notInlined.isEmpty() ? " none recorded" : "\n  " + String.join("\n  ", notInlined)));
    }

    /** The child's output lines; fails when it does not finish in time or exits with an error. */
    private static List<String> childOutput(int hidden) throws IOException, InterruptedException {
        List<String> command = ChildJvm.command(List.of("-Xbatch", "-D" + KernelThreads.PROPERTY + "=1"),
                KernelAllocationWorkload.class, Integer.toString(hidden));
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
