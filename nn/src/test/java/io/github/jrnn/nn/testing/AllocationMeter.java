package io.github.jrnn.nn.testing;

import java.lang.management.ManagementFactory;

/**
 * What the calling thread allocates on the heap while it runs a piece of code: the fewest bytes over repeated
 * rounds, read with {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}.
 *
 * <p>Why the fewest and not one reading after a warm-up: HotSpot allocates on the running thread for its own
 * reasons, once per JVM, at moments the JIT chooses. Before it queues a C2 compilation, the requesting thread
 * turns every String constant of the compiled method's class into a heap String ({@code CompileBroker::
 * compile_method} calls {@code ConstantPool::resolve_string_constants}), a few hundred bytes for a class with a
 * handful of exception messages. When that happens depends on the tiered thresholds, the compile queues, the core
 * count and the machine's load, so a fixed warm-up only sometimes covers it. Such one-off allocations land in a
 * few rounds at most, while an allocation made by the measured code lands in every round: the minimum drops the
 * first and keeps the second.
 */
public final class AllocationMeter {

    private AllocationMeter() {
    }

    /**
     * Runs {@code round} up to {@code maxRounds} times (stopping early at a round that allocates nothing) and
     * returns the fewest bytes the current thread allocated during one run. The first rounds double as the
     * warm-up.
     *
     * @throws IllegalStateException when this JVM cannot count a thread's allocation (a reading would be
     *                               meaningless, and a test built on it could not fail)
     */
    public static long fewestBytes(int maxRounds, Runnable round) {
        return fewestBytes(maxRounds, null, round);
    }

    /**
     * As {@link #fewestBytes(int, Runnable)}, charging each round also with what the threads whose names start
     * with {@code threadPrefix} allocated meanwhile: pool threads that the measured code hands work to (those
     * alive at the start of the round; their bytes are read before and after the current thread's, so the reading
     * itself is not charged).
     *
     * @throws IllegalStateException as {@link #fewestBytes(int, Runnable)}
     */
    public static long fewestBytes(int maxRounds, String threadPrefix, Runnable round) {
        if (maxRounds < 1) {
            throw new IllegalArgumentException("maxRounds must be at least 1, got " + maxRounds);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM does not count the bytes a thread allocates"
                    + " (ThreadMXBean.isThreadAllocatedMemorySupported/Enabled)");
        }
        long fewest = Long.MAX_VALUE;
        for (int r = 0; r < maxRounds && fewest > 0; r++) {
            long[] others = threadPrefix == null ? new long[0] : Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(threadPrefix)).mapToLong(Thread::threadId).toArray();
            long othersBefore = allocatedBytes(threads, others);
            long before = threads.getCurrentThreadAllocatedBytes();
            round.run();
            long own = threads.getCurrentThreadAllocatedBytes() - before;
            fewest = Math.min(fewest, own + allocatedBytes(threads, others) - othersBefore);
        }
        return fewest;
    }

    private static long allocatedBytes(com.sun.management.ThreadMXBean threads, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += Math.max(0, threads.getThreadAllocatedBytes(id)); // -1 for a thread that has ended
        }
        return sum;
    }
}
