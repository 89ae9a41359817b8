package io.github.jrnn.kernels;

import io.github.jrnn.kernels.SteadyStateKernelCalls.KernelCall;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The child JVM of {@link VectorKernelAllocationTest}: runs every {@link SteadyStateKernelCalls} call on the
 * unchecked vector kernels until JFR ({@link JitRecording}) shows all kernel code they run in C2 code and a whole
 * round of calls compiled or deoptimized nothing of it, then counts the bytes each call allocates on this thread
 * ({@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}) and prints, one line each, tab
 * separated:
 * <pre>
 * allocated  name  bytes  calls    the fewest bytes one round of {@code calls} calls of the kernel call allocated
 * c2-ready   calls                 the calls of each kernel call it took until all kernel code was C2 code
 * not-in-c2  methods               instead of c2-ready: the kernel methods still without C2 code at the limit
 * jit-changed  changes             instead of the allocations: the JIT changed kernel code during every attempt
 * not-inlined  description         a call C2 left in place although it passes a vector (diagnosis for a failure)
 * compile-failed  description      a compilation of a kernel method that failed, at any point of the run
 * </pre>
 * Why the fewest of a few rounds: the thread that asks for a compilation allocates the compiled class's String
 * constants on the heap (once per class, when the JIT chooses); a kernel that allocates does so in every round.
 * The measured rounds are valid only when the JIT changed no kernel code meanwhile (else they partly ran
 * interpreted or C1 code, which boxes every vector); otherwise the warm-up and the rounds are repeated.
 */
public final class KernelAllocationWorkload {

    static final String ALLOCATED = "allocated";
    static final String C2_READY = "c2-ready";
    static final String NOT_IN_C2 = "not-in-c2";
    static final String JIT_CHANGED = "jit-changed";
    static final String NOT_INLINED = "not-inlined";
    static final String COMPILE_FAILED = "compile-failed";

    /**
     * Calls of each kernel call between two looks at the JIT's events. The kernels' entry points (no loops) reach
     * C2 after about 5,000 calls (Tier4InvocationThreshold); their loops long before.
     */
    private static final int CALLS_PER_ROUND = 1_000;
    private static final int MAX_CALLS = 20_000;
    private static final int MEASURED_ROUNDS = 3;
    private static final int CALLS_PER_MEASURED_ROUND = 10;
    private static final int ATTEMPTS = 3;

    /** The kernels' own classes (not the test's): those loaded from where {@link KernelProvider} was. */
    private static final Predicate<String> KERNEL_CODE = JitRecording.loadedWith(KernelProvider.class);

    private KernelAllocationWorkload() {
    }

    /** Runs the calls at the hidden size {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM does not count the bytes a thread allocates");
        }
        // Recording first: building the calls runs kernel code too (packing the weights), and a method C2 compiles
        // then, before the recording, would count as never compiled.
        try (JitRecording jit = new JitRecording()) {
            List<KernelCall> calls = SteadyStateKernelCalls.on(KernelProvider.checkedVector().unchecked(),
                    Integer.parseInt(args[0]));
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                JitRecording.Snapshot steady = warmUp(calls, jit);
                if (steady == null) {
                    return;
                }
                long[] fewest = new long[calls.size()];
                for (int i = 0; i < calls.size(); i++) {
                    fewest[i] = fewestBytes(threads, calls.get(i).call());
                }
                JitRecording.Snapshot after = jit.snapshot();
                List<String> changes = after.changesSince(steady, KERNEL_CODE);
                if (changes.isEmpty()) {
                    for (int i = 0; i < calls.size(); i++) {
                        print(ALLOCATED, calls.get(i).name(), fewest[i], CALLS_PER_MEASURED_ROUND);
                    }
                    after.vectorCallsNotInlined(KERNEL_CODE).forEach(call -> print(NOT_INLINED, call));
                    after.failedCompilations(KERNEL_CODE).forEach(failure -> print(COMPILE_FAILED, failure));
                    return;
                }
                if (attempt == ATTEMPTS) {
                    print(JIT_CHANGED, changes);
                }
            }
        }
    }

    /**
     * Runs every call in rounds until a round ends with all kernel code in C2 code and no kernel code compiled or
     * deoptimized during it: prints {@value #C2_READY} and returns the JIT's events at that point; or prints
     * {@value #NOT_IN_C2} and returns null after {@link #MAX_CALLS}.
     */
    private static JitRecording.Snapshot warmUp(List<KernelCall> calls, JitRecording jit) throws IOException {
        JitRecording.Snapshot previous = jit.snapshot();
        for (int done = CALLS_PER_ROUND; ; done += CALLS_PER_ROUND) {
            for (KernelCall call : calls) {
                repeat(call.call(), CALLS_PER_ROUND);
            }
            JitRecording.Snapshot now = jit.snapshot();
            Set<String> notInC2 = now.withoutC2Code(KERNEL_CODE);
            if (notInC2.isEmpty() && now.changesSince(previous, KERNEL_CODE).isEmpty()) {
                print(C2_READY, done);
                return now;
            }
            if (done >= MAX_CALLS) {
                print(NOT_IN_C2, notInC2);
                return null;
            }
            previous = now;
        }
    }

    private static long fewestBytes(com.sun.management.ThreadMXBean threads, Runnable call) {
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < MEASURED_ROUNDS; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            repeat(call, CALLS_PER_MEASURED_ROUND);
            fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return fewest;
    }

    private static void repeat(Runnable call, int times) {
        for (int i = 0; i < times; i++) {
            call.run();
        }
    }

    private static void print(String kind, Object... fields) {
        StringBuilder line = new StringBuilder(kind);
        for (Object field : fields) {
            line.append('\t').append(field);
        }
        System.out.println(line);
    }
}
