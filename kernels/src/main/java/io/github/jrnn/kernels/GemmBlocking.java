package io.github.jrnn.kernels;

/**
 * The block sizes and thresholds of the vector {@code sgemm} / {@code sgemmPacked}, public so that benchmarks and
 * tests can aim at their edges (the scalar reference ignores them). The micro-kernel computes an MR x NR tile of C
 * from an MR-row panel of A and an NR-column panel of B; around it the product is blocked as
 * {@code C[MC rows] += A[MC x KC] B[KC x NC]} (loop nest in the implementation's {@code BlockedGemm}).
 *
 * <h2>Cache sizes they were chosen for</h2>
 * Measured first on an AMD EPYC (Zen 5, AVX-512; {@code /sys/devices/system/cpu/cpu0/cache}): L1d 48 KB (12-way)
 * and L2 1 MB (16-way) per core, L3 32 MB shared, 64-byte lines. With MR x NR = 12 x 32:
 * <ul>
 *   <li>{@link #KC} = 384 where a core's L2 is below 2 MB (or unknown): the B micro-panel (KC x NR floats = 48 KB)
 *       is reused by every tile of a row of tiles and the A micro-panel (MR x KC = 18 KB) streams through. The
 *       kernel needs only ~15 bytes per cycle (2 B vectors + 12 A floats per 24 FMAs), which L2 delivers easily,
 *       so the B micro-panel need not fit L1 entirely; a larger KC instead cuts how often every C tile is read,
 *       rescaled and written back (once per KC block). Measured on Zen 5 at n = 1024: KC 128 / 256 / 384 / 512 gave
 *       about 200 / 218 / 232 / 225 GFLOP/s (noise about 5%), so 384.
 *       <br>KC = 1024 from 2 MB of L2 ({@link #innerBlock}): on an Intel Xeon (family 6 model 167, AVX-512, L2 2 MB
 *       per core, L1d 48 KB) the C traffic of three k-blocks at k = 1024 cost more: async-profiler put 17% of a
 *       3200 x 4096 x 1024 product in writing tiles out, and with one block the packed products ran 10-13% faster
 *       (m = 32: about 135 against 121 GFLOP/s; m = 3200: 130 against 115; three alternating runs each). Whole
 *       forwards there (one JVM, both block sizes alternating, median of 6-40 pairs, 100 steps, one thread): LSTM
 *       batch 32 hidden 256 / 512 / 1024 1.04x / 1.12x / 1.11x, GRU hidden 1024 batch 64 1.13x, LSTM hidden 1024
 *       batch 1 1.17x (the one-row product reads one block per panel), hidden 256 batch 1 1.03x, LSTM hidden 512
 *       batch 32 on two threads 1.02x. The A block is then MC x KC = 768 KB, which a 1 MB L2 could not hold next to
 *       the B panels, hence the cut at 2 MB.</li>
 *   <li>{@link #MC} = 192 (a multiple of 12 and 6): the packed A block (MC x KC = 288 KB at KC = 384) stays in L2
 *       while the jr loop passes over it once per B micro-panel, with three quarters of L2 left for the B stream,
 *       C and prefetches. 96 to 384 all measured within noise of each other on Zen 5; 192 is the middle.</li>
 *   <li>{@link #NC} = {@link #B_BLOCK_FLOATS} / KC (4096 at KC = 384, a multiple of NR; 1536 at KC = 1024): the
 *       packed B block (6 MB) is reused by every MC block from L3; two threads splitting columns hold two such
 *       blocks, still well inside 32 MB.</li>
 * </ul>
 * AVX2 machines get the same KC, MC and NC for their L2 (generous for small caches, not tuned) and an MR x NR from
 * {@link #microTileRows} / {@link #microTileCols} for their vector width. Sums over more than KC terms are rounded
 * once per block, so products over k > 384 may differ in the last bits between machines on either side of the
 * 2 MB cut (never between thread counts on one machine).
 *
 * <h2>Thresholds</h2>
 * Measured single-threaded on the same machine, best of many runs of each shape in one JVM (the machine was
 * shared, so differences under ~5% are noise):
 * <ul>
 *   <li>{@link #DIRECT_MAX_MULTIPLY_ADDS}: with B not transposed and m >= 4, products below 96^3 multiply-adds
 *       run unpacked (4 x 2-vector register blocks straight from the caller's arrays): at 64^3 that reaches
 *       ~200 GFLOP/s against ~150 packed (packing and the per-call setup do not amortise), at 128^3 ~175 against
 *       ~205.</li>
 *   <li>{@link #DIRECT_TRANSPOSED_B_MAX_ROWS}: with B transposed, packing B^T costs about 0.26 ns per element,
 *       as much as 30-odd rows of FMAs on it; up to 8 rows of A the unpacked dot form wins (4 x 512 x 128: ~48
 *       against ~27 GFLOP/s, 8 x 1024 x 256: ~66 against ~48), from 16 rows on packing does (16 x 512 x 128: ~56
 *       against ~80), so the cut is at 12. Prepack constant weights with {@link Kernels#packB} to avoid the cost
 *       altogether (~230 GFLOP/s from 8 rows).</li>
 *   <li>{@link #THREADING_MIN_MULTIPLY_ADDS}: below 128^3 multiply-adds (about 10 microseconds on one core) a
 *       product runs on the calling thread: waking a pool thread and joining it costs several microseconds, and
 *       at 96^3 two threads measured no faster than one; at 128^3 they reached 1.6x when the second core was
 *       free.</li>
 *   <li>{@link #ROW_THREADING_MIN_MULTIPLY_ADDS}: a one-row product reads each element of B once, so it is
 *       bound by memory, not by FMAs, and two cores stream B about twice as fast; but handing half of it to a
 *       helper and meeting it again costs a fixed fraction of a microsecond to a microsecond. Measured on an Intel
 *       Xeon (family 6 model 167, AVX-512, 2 cores, L2 2 MB per core), 1 and 2 threads alternating every 0.5 ms
 *       in one JVM (300 pairs, median ratio of the pairs; JMH runs were dominated by the other work on the
 *       machine, so only runs started while both cores were idle count): at 110k multiply-adds (576 x 192, one
 *       thread 3.0 microseconds) two threads were 1.26-1.29x as fast, at 197k (768 x 256) 1.57-1.60x, at 262k
 *       (1024 x 256) 1.53-1.68x, at 1M (2048 x 512, 4 MB: each half fits its core's L2) 2.5x; the hand-off cost
 *       that implies (0.8 microseconds at 110k) leaves no gain at 65k (1.7 microseconds on one thread), so the cut
 *       is at 110k. A split also waits for a helper that loses its core while it computes its half.</li>
 * </ul>
 */
public final class GemmBlocking {

    /** Rows of op(B) (the inner dimension) per packed block: {@link #innerBlock} of this machine's L2. */
    public static final int KC = innerBlock(CacheSizes.level2Bytes(CacheSizes.LINUX_CPU0_CACHES));
    /**
     * Elements of A from which a transposed matrix-vector product ({@code sgemv} with trans) sweeps A's rows in order
     * instead of its column strips: A larger than one core's L2, with at least 1 MB assumed when the size is unknown
     * ({@link #transposedGemvByRowsMinFloats}).
     */
    public static final long TRANSPOSED_GEMV_BY_ROWS_MIN_FLOATS =
            transposedGemvByRowsMinFloats(CacheSizes.level2Bytes(CacheSizes.LINUX_CPU0_CACHES));
    /** Rows of op(A) per packed A block (rounded down to a multiple of the micro-tile rows). */
    public static final int MC = 192;
    /** Floats of a packed B block, KC x NC (6 MB). */
    public static final int B_BLOCK_FLOATS = 3 << 19;
    /** Columns of op(B) per packed B block (rounded down to a multiple of the micro-tile columns). */
    public static final int NC = B_BLOCK_FLOATS / KC;
    /** With B not transposed and at least 4 rows: products with fewer multiply-adds (m n k) are not packed. */
    public static final long DIRECT_MAX_MULTIPLY_ADDS = 96L * 96 * 96;
    /** With B transposed (and A not): products with fewer rows of C than this are not packed. */
    public static final int DIRECT_TRANSPOSED_B_MAX_ROWS = 12;
    /** Products with fewer multiply-adds (m n k) than this always run on the calling thread. */
    public static final long THREADING_MIN_MULTIPLY_ADDS = 128L * 128 * 128;
    /**
     * One-row packed products ({@code sgemmPacked} / {@code sgemmPackedBias} with m = 1, the products of a
     * streaming step) with fewer multiply-adds (n k) than this run on the calling thread too: GRU from hidden
     * 192, LSTM from 167.
     */
    public static final long ROW_THREADING_MIN_MULTIPLY_ADDS = 3L * 192 * 192;

    private GemmBlocking() {
    }

    /**
     * The fewest elements of A for which a transposed matrix-vector product sweeps A's rows: one more than fit in
     * {@code max(level2Bytes, 1 MB)} (the measurements are in {@code VectorGemv.gemvTransposedByRows}).
     *
     * @param level2Bytes one core's L2 size in bytes, or 0 when unknown
     * @return the element count from which rows are swept
     */
    public static long transposedGemvByRowsMinFloats(long level2Bytes) {
        return Math.max(level2Bytes, 1L << 20) / Float.BYTES + 1;
    }

    /**
     * The inner-dimension block KC for a core with {@code level2Bytes} of L2 cache (0 when unknown): 1024 from
     * 2 MB on, else 384 (the measurements are in the class comment).
     *
     * @param level2Bytes one core's L2 size in bytes, or 0 when unknown
     * @return the rows of op(B) per packed block
     */
    public static int innerBlock(long level2Bytes) {
        return level2Bytes >= 2L << 20 ? 1024 : 384;
    }

    /**
     * Rows MR of the micro-tile for a float vector of {@code lanes} lanes: 12 where the vectors are 512 bits wide
     * (AVX-512 has 32 vector registers: 24 accumulators + 2 B vectors + a broadcast), else 6 (AVX2 has 16: 12
     * accumulators + 3).
     *
     * @param lanes floats per vector of the species the micro-kernel computes with
     * @return the rows MR of a micro-tile
     */
    public static int microTileRows(int lanes) {
        return lanes >= 16 ? 12 : 6;
    }

    /**
     * Columns NR of the micro-tile for a float vector of {@code lanes} lanes: two vectors.
     *
     * @param lanes floats per vector of the species the micro-kernel computes with
     * @return the columns NR of a micro-tile
     */
    public static int microTileCols(int lanes) {
        return 2 * lanes;
    }
}
