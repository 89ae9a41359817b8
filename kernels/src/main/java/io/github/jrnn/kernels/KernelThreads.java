package io.github.jrnn.kernels;

/**
 * How many threads a large matrix product may use. Products below
 * {@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS} always run on the calling thread; larger ones are split between
 * the caller and up to {@code count() - 1} helper threads of a shared pool (daemon threads, started lazily the
 * first time they are needed). {@code count() = 1} keeps every product on the calling thread.
 *
 * <p>The initial count is the system property {@value #PROPERTY} when set (a positive integer), otherwise
 * {@link Runtime#availableProcessors()}. {@link #setCount} changes it at run time, e.g. for a benchmark that
 * compares one and two threads, or for a server that runs one inference per core and wants no nested
 * parallelism. The setting is global to the JVM and read once at the start of each product.
 *
 * <p>Results do not depend on the count: a product is split at whole register tiles, so every element of C is
 * computed by the same operations in the same order on any number of threads (bitwise equal results). Measured
 * on 2 cores (Zen 5), two threads compute a 1024^3 or 512^3 product 1.8-2.0x as fast as one when the second core
 * is free; on a loaded machine the gain shrinks to what the other core can spare.
 *
 * <p>A batch-1 recurrence ({@link Kernels#recurrentSequence}) is split differently: with a count of 2 or more,
 * hidden at least {@link #SPLIT_RECURRENCE_MIN_HIDDEN} and a multiple of the vector micro-panel width
 * ({@link GemmBlocking#microTileCols}), and at least {@link #SPLIT_RECURRENCE_MIN_STEPS} steps, the caller and one
 * dedicated helper thread ({@code jrnn-recurrence}, not the pool) each take half of the hidden units for the whole
 * sequence and meet after every step; when another caller holds that helper, the recurrence runs on the calling
 * thread. Results are bitwise the same either way.
 */
public final class KernelThreads {

    /** System property giving the initial thread count, e.g. {@code -Djrnn.threads=1}. */
    public static final String PROPERTY = "jrnn.threads";

    /**
     * The smallest hidden size whose batch-1 recurrence is split over two threads. Below it the per-step meeting
     * of the two threads (a cache line each way, and the other half of h' moving between the cores) costs about
     * what halving the step's product saves.
     */
    public static final int SPLIT_RECURRENCE_MIN_HIDDEN = 128;

    /** The fewest steps for which a batch-1 recurrence is split: waking the helper once costs a few steps' time. */
    public static final int SPLIT_RECURRENCE_MIN_STEPS = 8;

    private static volatile int count = initialCount();

    private KernelThreads() {
    }

    /** The number of threads a large product may use (at least 1). */
    public static int count() {
        return count;
    }

    /**
     * Sets the number of threads a large product may use from now on.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public static void setCount(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads
                    + " (1 runs every product on the calling thread)");
        }
        count = threads;
    }

    private static int initialCount() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below with the same message as a non-positive count
        }
        throw new IllegalStateException("-D" + PROPERTY + " must be a positive integer, got '" + value + "'");
    }
}
