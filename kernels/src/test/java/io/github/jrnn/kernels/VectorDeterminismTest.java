package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jrnn.kernels.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels give bit-identical results in every execution mode: the interpreter (a child JVM with
 * {@code -Xint} and otherwise this JVM's flags, so the same vector width) and this JVM once C2 has compiled the
 * kernels. This fails with the Vector API's own {@code reduceLanes(ADD)}, whose order differs between interpreted
 * and C2-compiled code.
 *
 * <p>That the compared run really is C2 code is proven, not assumed: JFR's compilation events ({@link JitRecording})
 * must show every kernel method the workload runs compiled at tier 4 or inlined into a tier-4 compilation, and no
 * kernel code compiled or deoptimized during the compared run.
 */
class VectorDeterminismTest {

    /** The workload's calls between two looks at the JIT's events (a look costs about as much as 2,000 calls). */
    private static final int CALLS_PER_ROUND = 2_000;
    /**
     * Give up when the kernels are not all in C2 code after this many calls. On x86 with C2's default thresholds
     * about 12,000 are needed (the kernel entry points, called once per workload, compile at tier 4 after some
     * 5,000 to 10,000 calls); the 3,000 this test used to assume left 30-odd kernel methods in C1 code.
     */
    private static final int MAX_CALLS = 60_000;
    private static final long CHILD_TIMEOUT_SECONDS = 120;
    /** Compared runs tried before giving up, each after a warm-up that ended with a quiet round. */
    private static final int COMPARED_RUN_ATTEMPTS = 5;

    /** The kernels' own classes (not this test's): those loaded from where {@link KernelProvider} was. */
    private static final Predicate<String> KERNEL_CODE = JitRecording.loadedWith(KernelProvider.class);

    @Test
    void interpretedAndCompiledRunsAgreeBitForBit() throws IOException, InterruptedException {
        // The interpreted run takes seconds: start it first so that it overlaps with the warm-up here.
        List<String> command = ChildJvm.command(List.of("-Xint"), DeterminismWorkload.class);
        Process child = new ProcessBuilder(command).start(); // it writes a line or two: the pipes cannot fill up

        try {
            long compiled = compiledChecksum();
            assertTrue(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "interpreted child JVM did not finish in " + CHILD_TIMEOUT_SECONDS + " s: " + command);
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, child.exitValue(), () -> "child failed: " + out + "\n" + err);
            assertEquals(Long.toHexString(compiled), out, "interpreted (-Xint) and compiled results differ; child: "
                    + command);
        } finally {
            child.destroyForcibly();
        }
    }

    /** The workload's checksum from a run proven to be C2 code, after checking every earlier run against it. */
    private static long compiledChecksum() throws IOException {
        Kernels vector = KernelProvider.checkedVector();
        long first = DeterminismWorkload.checksum(vector);
        try (JitRecording jit = new JitRecording()) {
            List<String> changes = List.of();
            for (int attempt = 1; attempt <= COMPARED_RUN_ATTEMPTS; attempt++) {
                JitRecording.Snapshot steady = warmUpUntilTheKernelsRunAsC2Code(vector, first, jit);
                long compiled = DeterminismWorkload.checksum(vector);
                changes = jit.snapshot().changesSince(steady, KERNEL_CODE);
                if (changes.isEmpty()) {
                    assertEquals(first, compiled, "the compiled run differs from the first (interpreted) call");
                    return compiled;
                }
                // A late compilation (on a loaded machine the JIT's queue lags) overlapped the compared run, which
                // then proves nothing about C2 code: warm up again and repeat it.
            }
            return fail("the JIT changed kernel code during each of " + COMPARED_RUN_ATTEMPTS + " compared runs, so"
                    + " part of them did not run as C2 code; last changes: " + changes);
        }
    }

    /**
     * Runs the workload (each result equal to {@code expected}) in rounds until a whole round passes with every
     * kernel method the workload uses in C2 code and no kernel code compiled or deoptimized meanwhile; returns the
     * JIT's events at the end of that round.
     */
    private static JitRecording.Snapshot warmUpUntilTheKernelsRunAsC2Code(Kernels vector, long expected,
                                                                          JitRecording jit) throws IOException {
        JitRecording.Snapshot previous = jit.snapshot();
        for (int calls = 0; ; ) {
            for (int i = 0; i < CALLS_PER_ROUND; i++, calls++) {
                assertEquals(expected, DeterminismWorkload.checksum(vector), "checksum changed at call " + calls);
            }
            JitRecording.Snapshot now = jit.snapshot();
            Set<String> notInC2 = now.withoutC2Code(KERNEL_CODE);
            List<String> changes = now.changesSince(previous, KERNEL_CODE);
            if (notInC2.isEmpty() && changes.isEmpty()) {
                return now;
            }
            if (calls >= MAX_CALLS) {
                fail("after " + calls + " calls these kernel methods still lack C2 code: " + notInC2
                        + "; JIT changes in the last round: " + changes);
            }
            previous = now;
        }
    }
}
