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
 * <p>A one-row product with a packed B ({@link Kernels#sgemmPacked} or {@link Kernels#sgemmPackedBias} with
 * m = 1: each product of a streaming step, {@code x W_ih^T} and {@code h W_hh^T} at batch 1) is split from
 * {@link GemmBlocking#ROW_THREADING_MIN_MULTIPLY_ADDS} multiply-adds on, a much lower threshold than a product's:
 * it reads every element of B once (memory-bound), so two cores each stream half of B. Its columns are cut into
 * runs of whole four-panel groups, one per thread, each computed by the same loop as on one thread; the split
 * allocates nothing, so a streaming step stays allocation-free.
 *
 * <p>A batch-1 recurrence ({@link Kernels#recurrentSequence}) is split differently: with a count of 2 or more,
 * a hidden product of at least {@link #SPLIT_RECURRENCE_MIN_STEP_MULTIPLY_ADDS} per step ({@code G * hidden^2}
 * for G gates), hidden a multiple of the vector micro-panel width ({@link GemmBlocking#microTileCols}, at least
 * two panels), and at least {@link #SPLIT_RECURRENCE_MIN_STEPS} steps, the caller and one dedicated helper thread
 * ({@code jrnn-recurrence}, not the pool) each take half of the hidden units for the whole sequence and meet after
 * every step; when another caller holds that helper, the recurrence runs on the calling thread. A recurrence of
 * two or more sequences with at least {@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS} multiply-adds in all is
 * split by sequences instead: the caller and up to {@code count() - 1} pool threads each run the whole time loop on
 * an equal share of the batch, with no meeting between steps (the sequences never read each other's state). The
 * whole-layer kernels split the same way from batch 2 on: {@link Kernels#recurrentLayer} with each thread also
 * projecting its own sequences' inputs, {@link Kernels#recurrentLayerBackward} with each thread running the
 * backward time loop on its own sequences. A layer whose packed W_hh is large
 * ({@link #SPLIT_LAYER_MIN_WEIGHT_BYTES}) over at most {@link #SPLIT_LAYER_MAX_BATCH} sequences, not recording for a
 * backward, is split by hidden units like a batch-1 recurrence instead (the caller and {@code jrnn-recurrence}, each
 * projecting its own units' gate columns too), when that helper is free. A layer over whole groups of NR
 * sequences, not recording, runs gate-major instead ({@code GateMajorLayer}): the groups shared out between the
 * threads when their number divides evenly, a single group split by hidden units (the caller and
 * {@code jrnn-recurrence}) when its packed W_hh reaches {@link #SPLIT_GATE_MAJOR_MIN_WEIGHT_BYTES} (or
 * {@link #SPLIT_GATE_MAJOR_MANY_ROWS_MIN_WEIGHT_BYTES} with {@link #SPLIT_GATE_MAJOR_MANY_ROWS} gate rows). Results are
 * bitwise the same either way.
 */
public final class KernelThreads {

    /** System property giving the initial thread count, e.g. {@code -Djrnn.threads=1}. */
    public static final String PROPERTY = "jrnn.threads";

    /**
     * The smallest hidden product per step, {@code G * hidden^2} multiply-adds, for which a batch-1 recurrence is
     * split over two threads: GRU from hidden 192, LSTM from 167, RNN from 333 (then rounded up to a multiple of
     * the panel width). Measured on 2 cores (Xeon, AVX-512, shared with other work; best of many short runs, so
     * the figures are rough), two threads against one: 0.8-1.0x at 50-65k multiply-adds per step (GRU and LSTM
     * 128, RNN 256), 1.0-1.3x at 110-150k (GRU and LSTM 192, RNN 384), 1.3-1.6x from 200k (GRU 256, RNN 512):
     * the threads' meeting after every step (cache lines moving between the cores, with the other half of h')
     * costs about the same at every size, and the halved product must outweigh it.
     */
    public static final long SPLIT_RECURRENCE_MIN_STEP_MULTIPLY_ADDS = 3L * 192 * 192;

    /**
     * The fewest steps for which a batch-1 recurrence is split: waking the helper once costs a few steps' time
     * (GRU hidden 256: 2 steps took 0.8x as long on one thread as split, 4 steps 0.95x, 8 steps 1.4x).
     */
    public static final int SPLIT_RECURRENCE_MIN_STEPS = 8;

    /**
     * The most sequences for which a whole layer ({@link Kernels#recurrentLayer}, not recording) with a large W_hh
     * is split by hidden units. Split by sequences, each of two threads reads all of W_hh at every step for half of
     * the rows; split by units, each reads half of W_hh for all rows, but the threads meet after every step. One
     * JVM alternating the two splits (two threads, 100 steps; Xeon family 6 model 167, L2 2 MB per core, shared
     * host), units against sequences: GRU hidden 1024 batch 32 1.10x, batch 64 1.04x; LSTM hidden 1024 batch 32
     * 1.09x, batch 64 1.03x. The gain shrinks as each thread's share of the rows grows (its product reads W_hh
     * for more rows per byte), so the cut is at the largest batch measured to gain, 64; larger ones were not measured.
     */
    public static final int SPLIT_LAYER_MAX_BATCH = 64;

    /**
     * The packed W_hh size ({@code G * hidden^2} floats) from which a whole layer of at most
     * {@link #SPLIT_LAYER_MAX_BATCH} sequences is split by hidden units: {@link #splitLayerMinWeightBytes} of this
     * machine's L2.
     */
    public static final long SPLIT_LAYER_MIN_WEIGHT_BYTES =
            splitLayerMinWeightBytes(CacheSizes.level2Bytes(CacheSizes.LINUX_CPU0_CACHES));

    /**
     * The packed W_hh size ({@code G * hidden^2} floats) from which a gate-major layer of one group of NR sequences
     * is split by hidden units over two threads: {@link #splitGateMajorMinWeightBytes} of this machine's L2.
     */
    public static final long SPLIT_GATE_MAJOR_MIN_WEIGHT_BYTES =
            splitGateMajorMinWeightBytes(CacheSizes.level2Bytes(CacheSizes.LINUX_CPU0_CACHES));

    /**
     * The fewest gate rows ({@code G * hidden}) for which a gate-major layer of one group splits by hidden units
     * from the smaller W_hh of {@link #SPLIT_GATE_MAJOR_MANY_ROWS_MIN_WEIGHT_BYTES}. The threads exchange h^T at
     * every step ({@code hidden x NR} floats, each reading the other's half) against {@code G * hidden^2 * NR}
     * multiply-adds, so the exchange weighs as {@code 1 / (G * hidden)}. One JVM alternating the two splits (two
     * threads, batch 32, 100 steps, Xeon family 6 model 167, L2 2 MB), units against sequences: LSTM hidden 256
     * (1 MB, 1024 rows) 1.03-1.05x in five runs; RNN 512 (1 MB, 512 rows) 0.96x, GRU 256 (768 KB, 768 rows) 0.98x,
     * LSTM 192 (576 KB, 768 rows) 0.97x.
     */
    public static final int SPLIT_GATE_MAJOR_MANY_ROWS = 1024;

    /**
     * The packed W_hh size from which a gate-major layer of one group with at least
     * {@link #SPLIT_GATE_MAJOR_MANY_ROWS} gate rows splits by hidden units:
     * {@link #splitGateMajorManyRowsMinWeightBytes} of this machine's L2.
     */
    public static final long SPLIT_GATE_MAJOR_MANY_ROWS_MIN_WEIGHT_BYTES =
            splitGateMajorManyRowsMinWeightBytes(CacheSizes.level2Bytes(CacheSizes.LINUX_CPU0_CACHES));

    private static volatile int count = initialCount();

    private KernelThreads() {
    }

    /**
     * The number of threads a large product may use.
     *
     * @return the current count, at least 1
     */
    public static int count() {
        return count;
    }

    /**
     * Sets the number of threads a large product may use from now on.
     *
     * @param threads the new count: 1 runs every product on the calling thread
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public static void setCount(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads
                    + " (1 runs every product on the calling thread)");
        }
        count = threads;
    }

    /**
     * Four times one core's L2 ({@code level2Bytes}, 2 MB assumed when unknown): measured on the Xeon of
     * {@link #SPLIT_LAYER_MAX_BATCH} (L2 2 MB), the unit split lost below that, where each thread's whole W_hh
     * (sequences) or half (units) comes largely from its own L2 and the meeting per step is not repaid: LSTM hidden
     * 512 (4 MB) batch 32 0.99-1.05x, batch 64 0.93x; GRU 512 (3 MB) batch 32 0.99x; LSTM 256 batch 32 0.86x, GRU 256
     * batch 64 0.86x. GRU and LSTM at hidden 1024 (12 and 16 MB) gained (see {@link #SPLIT_LAYER_MAX_BATCH}).
     *
     * @param level2Bytes one core's L2 size in bytes, or 0 when unknown
     * @return the packed W_hh bytes from which a batched layer splits by hidden units
     */
    public static long splitLayerMinWeightBytes(long level2Bytes) {
        return 4 * (level2Bytes > 0 ? level2Bytes : 2L << 20);
    }

    /**
     * Three quarters of one core's L2 ({@code level2Bytes}, 2 MB assumed when unknown). Below it, a layer of one
     * group on two threads runs split by sequences in row-major layout (16 each at 512 bits), each core holding
     * all of W_hh in its L2; from it on, each core streaming half of W_hh gate-major pays for the meeting after
     * every step. One JVM alternating the two (two threads, batch 32, 100 steps, Xeon family 6 model 167, L2 2 MB),
     * units gate-major against sequences: LSTM hidden 128 (256 KB) 0.84x, RNN 512 (1 MB) 0.95x, GRU 256 (768 KB)
     * 0.99x, LSTM 256 (1 MB) 1.01x, GRU 384 (1.7 MB) 1.10x, LSTM 384 (2.3 MB) 1.17x, GRU 512 1.17x, LSTM 512 1.19x,
     * RNN 1024 (4 MB) 1.13x, GRU 1024 1.09x, LSTM 1024 1.07x (against the row-major unit split there). (Those
     * were whole-panel cuts; with the cut {@code GateMajorLayer.splitUnit} makes now, LSTM 256 measured 1.03-1.05x
     * and splits by {@link #SPLIT_GATE_MAJOR_MANY_ROWS}; LSTM 128, cut at 64, still 0.88x, so it stays below.)
     *
     * @param level2Bytes one core's L2 size in bytes, or 0 when unknown
     * @return the packed W_hh bytes from which one gate-major group splits by hidden units
     */
    public static long splitGateMajorMinWeightBytes(long level2Bytes) {
        return 3 * (level2Bytes > 0 ? level2Bytes : 2L << 20) / 4;
    }

    /**
     * Half of one core's L2 ({@code level2Bytes}, 2 MB assumed when unknown): with {@link #SPLIT_GATE_MAJOR_MANY_ROWS}
     * gate rows or more, a layer of one group splits by hidden units from there on. Each core of the split by
     * sequences holds W_ih and W_hh, as large as the L2 there when the input is as wide as the state.
     *
     * @param level2Bytes one core's L2 size in bytes, or 0 when unknown
     * @return the packed W_hh bytes from which one gate-major group of many gate rows splits by hidden units
     */
    public static long splitGateMajorManyRowsMinWeightBytes(long level2Bytes) {
        return (level2Bytes > 0 ? level2Bytes : 2L << 20) / 2;
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
