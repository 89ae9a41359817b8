package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorGemm.store;
import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.ORDER;
import static io.github.jrnn.kernels.VectorLanes.S;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The loops of the vector matrix-vector products (the batch-1 step of a recurrent layer), called by
 * {@link VectorGemm} and {@link DirectGemm}: {@code sgemv} in both orientations, the row vector times a packed
 * matrix of {@code sgemmPacked} with m = 1, and {@code dot}.
 *
 * <p>All of them are bound by reading the matrix once, so the loops are shaped to keep enough independent FMA
 * chains in flight (the FMA latency is 4 cycles on two pipes: 8 chains keep both busy) while loading each matrix
 * element exactly once and as few other vectors as possible.
 */
final class VectorGemv {

    private static final int NR = GemmMicroKernel.NR;
    private static final int KC = GemmBlocking.KC;
    /** Columns of the four panels that {@link #packedRow} computes together. */
    private static final int GROUP = 4 * NR;
    /** Bytes from a packed panel row's first vector to its second (one vector of L floats). */
    private static final long HALF_ROW = (long) L * Float.BYTES;

    private VectorGemv() {
    }

    /**
     * Dot product over n contiguous elements: four independent accumulators (so consecutive FMAs do not wait on
     * each other's latency), a masked tail, one lane reduction.
     */
    static float dot(int n, float[] x, int xOffset, float[] y, int yOffset) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int i = 0;
        for (; i + 4 * L <= n; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, xOffset + i).fma(FloatVector.fromArray(S, y, yOffset + i), s0);
            s1 = FloatVector.fromArray(S, x, xOffset + i + L).fma(FloatVector.fromArray(S, y, yOffset + i + L), s1);
            s2 = FloatVector.fromArray(S, x, xOffset + i + 2 * L)
                    .fma(FloatVector.fromArray(S, y, yOffset + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, x, xOffset + i + 3 * L)
                    .fma(FloatVector.fromArray(S, y, yOffset + i + 3 * L), s3);
        }
        for (; i < n; i += L) {
            VectorMask<Float> mask = S.indexInRange(i, n);
            s0 = FloatVector.fromArray(S, x, xOffset + i, mask).fma(FloatVector.fromArray(S, y, yOffset + i, mask), s0);
        }
        return VectorReductions.sum(s0.add(s1).add(s2.add(s3)));
    }

    /**
     * Rows of at most this many vectors go through {@link #fourRowPasses}, longer ones through the eight-row passes
     * of {@link #eightRowBodies}: 8 with vectors of 256 bits or more, none at 128 bits. Measured on an Intel Xeon
     * (family 6 model 167), W = 4n x n moved through the 16 offsets of a cache line call by call, one JVM
     * alternating the two loops (median of thousands of calls; runs of the same pair differ by up to 0.1x at the
     * small sizes): at 512 bits four rows one vector at a time ran 1.10-1.26x / 1.20x as fast at n = 64 / 128 (4 / 8
     * vectors a row; 1.77x at n = 32, where the eight-row passes' four-vector chunks do not fit a row at all) and
     * 0.98-1.01x from n = 256 (16 vectors) on; at 256 bits 1.07-1.17x at n = 16-64 (2-8 vectors), 1.02x / 0.97x at
     * 128 / 256 (16 / 32); at 128 bits 1.01x at n = 16 (4 vectors), 0.94x at 32 (8) and 0.88-0.91x at 64-128. Short
     * rows leave the eight-row passes little to share the x loads over and pay their per-pass traffic through
     * {@code sums}; at 128 bits one vector holds too few floats for the four-row loop's per-load overhead.
     */
    static final int FOUR_ROW_MAX_VECTORS = L >= 8 ? 8 : 0;

    /**
     * y[i] = alpha * A[i] . x + beta y[i]. Every row is one chain of FMAs over its vectors in column order, then a
     * masked FMA for the columns past the last whole vector, then {@link VectorReductions#sum}: rows of at most
     * {@link #FOUR_ROW_MAX_VECTORS} vectors four at a time, longer rows eight per pass sharing each load of x; the
     * rows left over as {@link #dot}s.
     */
    static void gemvRows(int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x, int xOffset,
                                 float beta, float[] y, int yOffset) {
        int body = S.loopBound(n);
        int i;
        if (FOUR_ROW_MAX_VECTORS > 0 && body <= FOUR_ROW_MAX_VECTORS * L) {
            i = fourRowPasses(m, n, body, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
        } else {
            i = eightRowPasses(m, n, body, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
        }
        for (; i < m; i++) {
            store(dot(n, a, aOffset + i * lda, x, xOffset), alpha, beta, y, yOffset + i);
        }
    }

    /**
     * {@link #gemvRows} for the rows of whole groups of four, one vector of each of the four rows per step (four
     * chains, one load of x each); returns the rows done.
     */
    static int fourRowPasses(int m, int n, int body, float alpha, float[] a, int aOffset, int lda, float[] x,
                             int xOffset, float beta, float[] y, int yOffset) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int r0 = aOffset + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int j = 0; j < body; j += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOffset + j);
                s0 = FloatVector.fromArray(S, a, r0 + j).fma(xv, s0);
                s1 = FloatVector.fromArray(S, a, r1 + j).fma(xv, s1);
                s2 = FloatVector.fromArray(S, a, r2 + j).fma(xv, s2);
                s3 = FloatVector.fromArray(S, a, r3 + j).fma(xv, s3);
            }
            if (body < n) {
                VectorMask<Float> tail = S.indexInRange(body, n);
                FloatVector xv = FloatVector.fromArray(S, x, xOffset + body, tail);
                s0 = FloatVector.fromArray(S, a, r0 + body, tail).fma(xv, s0);
                s1 = FloatVector.fromArray(S, a, r1 + body, tail).fma(xv, s1);
                s2 = FloatVector.fromArray(S, a, r2 + body, tail).fma(xv, s2);
                s3 = FloatVector.fromArray(S, a, r3 + body, tail).fma(xv, s3);
            }
            store(VectorReductions.sum(s0), alpha, beta, y, yOffset + i);
            store(VectorReductions.sum(s1), alpha, beta, y, yOffset + i + 1);
            store(VectorReductions.sum(s2), alpha, beta, y, yOffset + i + 2);
            store(VectorReductions.sum(s3), alpha, beta, y, yOffset + i + 3);
        }
        return i;
    }

    /** {@link #gemvRows} for the rows of whole groups of eight ({@link #eightRowBodies}); returns the rows done. */
    static int eightRowPasses(int m, int n, int body, float alpha, float[] a, int aOffset, int lda, float[] x,
                              int xOffset, float beta, float[] y, int yOffset) {
        float[] sums = GemmScratch.current().tile();
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            eightRowBodies(body, a, aOffset + i * lda, lda, x, xOffset, sums);
            for (int r = 0; r < 8; r++) {
                int row = aOffset + (i + r) * lda;
                FloatVector s = FloatVector.fromArray(S, sums, r * L);
                if (body < n) {
                    VectorMask<Float> tail = S.indexInRange(body, n);
                    s = FloatVector.fromArray(S, a, row + body, tail)
                            .fma(FloatVector.fromArray(S, x, xOffset + body, tail), s);
                }
                store(VectorReductions.sum(s), alpha, beta, y, yOffset + i + r);
            }
        }
        return i;
    }

    /**
     * The unmasked part (j < body) of eight dot products against the same x: one accumulator per row (8 chains); the
     * partial sums go to {@code sums[r * L ..]} for the caller's masked tail and lane reduction (see
     * {@link #writeSums} for why through memory). The columns go in chunks of four vectors: four vectors of x held
     * in registers, then each row's four FMAs in turn, so the loads of A follow memory order (row by row, 4 L
     * floats each) instead of jumping lda floats between rows at every vector. Every row still adds its products
     * in column order, the bits of one FMA per vector. Against one vector of every row in turn (JMH, the two builds
     * alternating, W = 4 hidden x hidden moved through the 16 offsets of a cache line, Xeon family 6 model 167):
     * 1.19x at hidden 64, 1.05x at 128, 1.08x at 256, 1.00x at 512. Four vectors, not more: with eight, C2 left the
     * vector code boxed (30x slower). (Rows this long only: shorter ones run four at a time, see
     * {@link #FOUR_ROW_MAX_VECTORS}.)
     */
    private static void eightRowBodies(int body, float[] a, int r0, int lda, float[] x, int xOffset, float[] sums) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S);
        FloatVector s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
        int r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda, r6 = r5 + lda, r7 = r6 + lda;
        int j = 0;
        for (; j + 4 * L <= body; j += 4 * L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xOffset + j);
            FloatVector x1 = FloatVector.fromArray(S, x, xOffset + j + L);
            FloatVector x2 = FloatVector.fromArray(S, x, xOffset + j + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, x, xOffset + j + 3 * L);
            s0 = FloatVector.fromArray(S, a, r0 + j).fma(x0, s0);
            s0 = FloatVector.fromArray(S, a, r0 + j + L).fma(x1, s0);
            s0 = FloatVector.fromArray(S, a, r0 + j + 2 * L).fma(x2, s0);
            s0 = FloatVector.fromArray(S, a, r0 + j + 3 * L).fma(x3, s0);
            s1 = FloatVector.fromArray(S, a, r1 + j).fma(x0, s1);
            s1 = FloatVector.fromArray(S, a, r1 + j + L).fma(x1, s1);
            s1 = FloatVector.fromArray(S, a, r1 + j + 2 * L).fma(x2, s1);
            s1 = FloatVector.fromArray(S, a, r1 + j + 3 * L).fma(x3, s1);
            s2 = FloatVector.fromArray(S, a, r2 + j).fma(x0, s2);
            s2 = FloatVector.fromArray(S, a, r2 + j + L).fma(x1, s2);
            s2 = FloatVector.fromArray(S, a, r2 + j + 2 * L).fma(x2, s2);
            s2 = FloatVector.fromArray(S, a, r2 + j + 3 * L).fma(x3, s2);
            s3 = FloatVector.fromArray(S, a, r3 + j).fma(x0, s3);
            s3 = FloatVector.fromArray(S, a, r3 + j + L).fma(x1, s3);
            s3 = FloatVector.fromArray(S, a, r3 + j + 2 * L).fma(x2, s3);
            s3 = FloatVector.fromArray(S, a, r3 + j + 3 * L).fma(x3, s3);
            s4 = FloatVector.fromArray(S, a, r4 + j).fma(x0, s4);
            s4 = FloatVector.fromArray(S, a, r4 + j + L).fma(x1, s4);
            s4 = FloatVector.fromArray(S, a, r4 + j + 2 * L).fma(x2, s4);
            s4 = FloatVector.fromArray(S, a, r4 + j + 3 * L).fma(x3, s4);
            s5 = FloatVector.fromArray(S, a, r5 + j).fma(x0, s5);
            s5 = FloatVector.fromArray(S, a, r5 + j + L).fma(x1, s5);
            s5 = FloatVector.fromArray(S, a, r5 + j + 2 * L).fma(x2, s5);
            s5 = FloatVector.fromArray(S, a, r5 + j + 3 * L).fma(x3, s5);
            s6 = FloatVector.fromArray(S, a, r6 + j).fma(x0, s6);
            s6 = FloatVector.fromArray(S, a, r6 + j + L).fma(x1, s6);
            s6 = FloatVector.fromArray(S, a, r6 + j + 2 * L).fma(x2, s6);
            s6 = FloatVector.fromArray(S, a, r6 + j + 3 * L).fma(x3, s6);
            s7 = FloatVector.fromArray(S, a, r7 + j).fma(x0, s7);
            s7 = FloatVector.fromArray(S, a, r7 + j + L).fma(x1, s7);
            s7 = FloatVector.fromArray(S, a, r7 + j + 2 * L).fma(x2, s7);
            s7 = FloatVector.fromArray(S, a, r7 + j + 3 * L).fma(x3, s7);
        }
        for (; j < body; j += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOffset + j);
            s0 = FloatVector.fromArray(S, a, r0 + j).fma(xv, s0);
            s1 = FloatVector.fromArray(S, a, r1 + j).fma(xv, s1);
            s2 = FloatVector.fromArray(S, a, r2 + j).fma(xv, s2);
            s3 = FloatVector.fromArray(S, a, r3 + j).fma(xv, s3);
            s4 = FloatVector.fromArray(S, a, r4 + j).fma(xv, s4);
            s5 = FloatVector.fromArray(S, a, r5 + j).fma(xv, s5);
            s6 = FloatVector.fromArray(S, a, r6 + j).fma(xv, s6);
            s7 = FloatVector.fromArray(S, a, r7 + j).fma(xv, s7);
        }
        s0.intoArray(sums, 0);
        s1.intoArray(sums, L);
        s2.intoArray(sums, 2 * L);
        s3.intoArray(sums, 3 * L);
        s4.intoArray(sums, 4 * L);
        s5.intoArray(sums, 5 * L);
        s6.intoArray(sums, 6 * L);
        s7.intoArray(sums, 7 * L);
    }

    /**
     * y[j] = alpha * sum_i A[i][j] x[i] + beta y[j]: while A fits a core's L2 in column blocks of 8 vectors (8
     * chains, one broadcast of x[i] per 8 loads of A; leftover columns one vector at a time, the last one masked),
     * a larger A in sweeps over its rows ({@link #gemvTransposedByRows}); both give every column the same chain of
     * FMAs, so the same bits.
     */
    static void gemvTransposed(int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                                       int xOffset, float beta, float[] y, int yOffset) {
        if ((long) m * n >= TRANSPOSED_BY_ROWS_MIN_FLOATS) {
            gemvTransposedByRows(m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
        } else {
            gemvTransposedByColumns(m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
        }
    }

    /** {@link #gemvTransposed} by column blocks (the way for an A that stays in L2). */
    static void gemvTransposedByColumns(int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                                        int xOffset, float beta, float[] y, int yOffset) {
        float[] sums = GemmScratch.current().tile();
        int j = 0;
        for (; j + 8 * L <= n; j += 8 * L) {
            eightColumnVectors(m, a, aOffset + j, lda, x, xOffset, sums);
            writeSums(sums, 8 * L, alpha, beta, null, 0, y, yOffset + j);
        }
        for (; j < n; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, n);
            FloatVector s = FloatVector.zero(S);
            for (int i = 0; i < m; i++) {
                s = FloatVector.fromArray(S, a, aOffset + i * lda + j, mask)
                        .fma(FloatVector.broadcast(S, x[xOffset + i]), s);
            }
            store(s, alpha, beta, y, yOffset + j, mask);
        }
    }

    /**
     * Elements of A from which {@link #gemvTransposed} sweeps whole rows ({@link #gemvTransposedByRows}) instead of
     * column blocks: A no larger than a core's L2 (at least 1 MB when the size is unknown), see
     * {@link GemmBlocking#TRANSPOSED_GEMV_BY_ROWS_MIN_FLOATS}.
     */
    private static final long TRANSPOSED_BY_ROWS_MIN_FLOATS = GemmBlocking.TRANSPOSED_GEMV_BY_ROWS_MIN_FLOATS;

    /**
     * {@link #gemvTransposed} sweeping whole rows of A in order, four rows at a time: every column's sum is
     * accumulated in a scratch row (the same chain of FMAs from zero in row order as the column blocks', so the same
     * bits), then written out. The column blocks read A in strips of 8 vectors down all its rows, every row's strip
     * one more stride away: fine while A stays in L2, but a larger A is fetched from L3 strip by strip in that
     * strided order, where these sweeps read it once front to back. Measured (Xeon family 6 model 167, L2 2 MB,
     * JMH, W^T g with W of 4 * hidden x hidden): hidden 512 (4 MB) 4670 -> 7035 products/s, hidden 1024 (16 MB)
     * 1097 -> 1735; at hidden 128 / 256 (256 KB / 1 MB) the column blocks are faster (387 000 / 91 400 against
     * 304 000 / 77 800).
     */
    static void gemvTransposedByRows(int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                                     int xOffset, float beta, float[] y, int yOffset) {
        int padded = (n + L - 1) / L * L;
        float[] acc = GemmScratch.current().aPanels(padded);
        java.util.Arrays.fill(acc, 0, padded, 0f);
        int full = n - n % L;
        VectorMask<Float> tail = S.indexInRange(full, n);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            FloatVector x0 = FloatVector.broadcast(S, x[xOffset + i]);
            FloatVector x1 = FloatVector.broadcast(S, x[xOffset + i + 1]);
            FloatVector x2 = FloatVector.broadcast(S, x[xOffset + i + 2]);
            FloatVector x3 = FloatVector.broadcast(S, x[xOffset + i + 3]);
            int r0 = aOffset + i * lda;
            int r1 = r0 + lda;
            int r2 = r1 + lda;
            int r3 = r2 + lda;
            for (int j = 0; j < full; j += L) {
                FloatVector s = FloatVector.fromArray(S, acc, j);
                s = FloatVector.fromArray(S, a, r0 + j).fma(x0, s);
                s = FloatVector.fromArray(S, a, r1 + j).fma(x1, s);
                s = FloatVector.fromArray(S, a, r2 + j).fma(x2, s);
                s = FloatVector.fromArray(S, a, r3 + j).fma(x3, s);
                s.intoArray(acc, j);
            }
            if (full < n) {
                FloatVector s = FloatVector.fromArray(S, acc, full);
                s = FloatVector.fromArray(S, a, r0 + full, tail).fma(x0, s);
                s = FloatVector.fromArray(S, a, r1 + full, tail).fma(x1, s);
                s = FloatVector.fromArray(S, a, r2 + full, tail).fma(x2, s);
                s = FloatVector.fromArray(S, a, r3 + full, tail).fma(x3, s);
                s.intoArray(acc, full);
            }
        }
        for (; i < m; i++) {
            FloatVector xi = FloatVector.broadcast(S, x[xOffset + i]);
            int row = aOffset + i * lda;
            for (int j = 0; j < full; j += L) {
                FloatVector.fromArray(S, a, row + j).fma(xi, FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
            }
            if (full < n) {
                FloatVector.fromArray(S, a, row + full, tail).fma(xi, FloatVector.fromArray(S, acc, full))
                        .intoArray(acc, full);
            }
        }
        writeSums(acc, n, alpha, beta, null, 0, y, yOffset);
    }

    /** {@code sums[v * L + l] = sum_i A[i][v * L + l] x[i]} for the 8 vectors of columns starting at a0. */
    private static void eightColumnVectors(int m, float[] a, int a0, int lda, float[] x, int xOffset, float[] sums) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S);
        FloatVector s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
        for (int i = 0; i < m; i++) {
            int row = a0 + i * lda;
            FloatVector xi = FloatVector.broadcast(S, x[xOffset + i]);
            s0 = FloatVector.fromArray(S, a, row).fma(xi, s0);
            s1 = FloatVector.fromArray(S, a, row + L).fma(xi, s1);
            s2 = FloatVector.fromArray(S, a, row + 2 * L).fma(xi, s2);
            s3 = FloatVector.fromArray(S, a, row + 3 * L).fma(xi, s3);
            s4 = FloatVector.fromArray(S, a, row + 4 * L).fma(xi, s4);
            s5 = FloatVector.fromArray(S, a, row + 5 * L).fma(xi, s5);
            s6 = FloatVector.fromArray(S, a, row + 6 * L).fma(xi, s6);
            s7 = FloatVector.fromArray(S, a, row + 7 * L).fma(xi, s7);
        }
        s0.intoArray(sums, 0);
        s1.intoArray(sums, L);
        s2.intoArray(sums, 2 * L);
        s3.intoArray(sums, 3 * L);
        s4.intoArray(sums, 4 * L);
        s5.intoArray(sums, 5 * L);
        s6.intoArray(sums, 6 * L);
        s7.intoArray(sums, 7 * L);
    }

    /**
     * Row vector times packed matrix, columns {@code [col0, col1)} (col0 a multiple of NR):
     * {@code c[j] = alpha * sum_p x[p] B[p][j] + beta * c[j]} with {@code x[p] = x[xOffset + p * xStride]}
     * (a row of op(A) for either transpose), or with a {@code bias} (else null; biasOffset is column 0's)
     * {@code alpha * sum + bias[biasOffset + j]}, c not read. Four panels at a time give 8 accumulator chains and
     * 8 loads of B per broadcast of x; each of the four panels is its own sequential stream.
     */
    static void packedRow(float alpha, float[] x, int xOffset, int xStride, VectorPackedMatrix b, int col0,
                          int col1, float beta, float[] bias, int biasOffset, float[] c, int cOffset) {
        packedRow(alpha, x, xOffset, xStride, b, col0, col1, beta, bias, biasOffset, c, cOffset, false);
    }

    /**
     * {@link #packedRow}, its panels taken from the last to the first when {@code descending}: the same sums (each
     * column's are computed on their own), so a caller that reads the same matrix again and again can alternate the
     * direction. A matrix larger than the cache that is read in one direction every time misses on every line (the
     * lines read last are the ones evicted first); read back the other way, the part still cached is read first.
     */
    static void packedRow(float alpha, float[] x, int xOffset, int xStride, VectorPackedMatrix b, int col0,
                          int col1, float beta, float[] bias, int biasOffset, float[] c, int cOffset,
                          boolean descending) {
        float[] sums = GemmScratch.current().tile();
        // four-panel groups from col0 while a group's last panel starts before col1, then single panels
        int groupsEnd = col0;
        while (groupsEnd + 3 * NR < col1) {
            groupsEnd += 4 * NR;
        }
        if (!descending) {
            for (int j = col0; j < groupsEnd; j += 4 * NR) {
                fourPanels(x, xOffset, xStride, b, j, sums);
                writeSums(sums, Math.min(4 * NR, col1 - j), alpha, beta, bias, biasOffset + j, c, cOffset + j);
            }
        }
        int singles = GemmPacking.ceilDiv(Math.max(0, col1 - groupsEnd), NR); // the panels after the groups
        for (int i = 0; i < singles; i++) {
            int j = groupsEnd + (descending ? singles - 1 - i : i) * NR;
            onePanel(x, xOffset, xStride, b, j, sums);
            writeSums(sums, Math.min(NR, col1 - j), alpha, beta, bias, biasOffset + j, c, cOffset + j);
        }
        if (descending) {
            for (int j = groupsEnd - 4 * NR; j >= col0; j -= 4 * NR) {
                fourPanels(x, xOffset, xStride, b, j, sums);
                writeSums(sums, Math.min(4 * NR, col1 - j), alpha, beta, bias, biasOffset + j, c, cOffset + j);
            }
        }
    }

    /**
     * {@link #packedRow} over all n columns of b, split over up to {@code threads} threads ({@link GemmThreads}) in
     * runs of whole four-panel groups, so that every part loops over the same groups as one thread would (and
     * every column gets the same bits); on the calling thread alone when {@code threads} is 1 or b has a single
     * group. The split reuses the calling thread's {@link RowSplit}: it allocates nothing. Each call on b takes its
     * panels (each thread its part's) in the other direction from the call before
     * ({@link VectorPackedMatrix#nextRowOrder}), as a streaming step's products read the same W again and again.
     */
    static void packedRow(int threads, float alpha, float[] x, int xOffset, int xStride, VectorPackedMatrix b,
                          float beta, float[] bias, int biasOffset, float[] c, int cOffset) {
        int n = b.cols();
        int parts = Math.min(threads, GemmPacking.ceilDiv(n, GROUP));
        boolean descending = b.nextRowOrder();
        if (parts < 2) {
            packedRow(alpha, x, xOffset, xStride, b, 0, n, beta, bias, biasOffset, c, cOffset, descending);
        } else {
            GemmScratch.current().rowSplit().run(parts, threads, alpha, x, xOffset, xStride, b, beta, bias,
                    biasOffset, c, cOffset, descending);
        }
    }

    /**
     * A one-row packed product split into runs of four-panel groups ({@link GemmThreads.Job}): one per thread that
     * calls split products (in its {@link GemmScratch}), reused product after product. The operands are plain
     * fields set before each run (published by the run's start) and cleared after it, so that the job keeps no
     * caller's arrays alive between products.
     */
    static final class RowSplit extends GemmThreads.Job {
        private float alpha;
        private float[] x;
        private int xOffset;
        private int xStride;
        private VectorPackedMatrix b;
        private float beta;
        private float[] bias;
        private int biasOffset;
        private float[] c;
        private int cOffset;
        private int parts;
        private boolean descending;

        RowSplit() {
            super(true);
        }

        void run(int parts, int threads, float alpha, float[] x, int xOffset, int xStride, VectorPackedMatrix b,
                 float beta, float[] bias, int biasOffset, float[] c, int cOffset, boolean descending) {
            this.parts = parts;
            this.descending = descending;
            this.alpha = alpha;
            this.x = x;
            this.xOffset = xOffset;
            this.xStride = xStride;
            this.b = b;
            this.beta = beta;
            this.bias = bias;
            this.biasOffset = biasOffset;
            this.c = c;
            this.cOffset = cOffset;
            try {
                GemmThreads.run(parts, threads, this);
            } finally {
                this.x = null;
                this.b = null;
                this.bias = null;
                this.c = null;
            }
        }

        /** The part's columns {@code [col0, col1)}: a near-equal share of the whole groups, the last share to n. */
        @Override
        protected void runPart(int part) {
            int n = b.cols();
            int groups = GemmPacking.ceilDiv(n, GROUP);
            int col0 = (int) ((long) part * groups / parts) * GROUP;
            int col1 = Math.min(n, (int) ((long) (part + 1) * groups / parts) * GROUP);
            packedRow(alpha, x, xOffset, xStride, b, col0, col1, beta, bias, biasOffset, c, cOffset, descending);
        }
    }

    /** {@code sums[q] = sum_p x[p] B[p][j + q]} for the four panels from column j, over all k-blocks. */
    private static void fourPanels(float[] x, int xOffset, int xStride, VectorPackedMatrix b, int j, float[] sums) {
        int k = b.rows();
        MemorySegment panels = b.panels();
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S);
        FloatVector s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            // Byte offsets of the four panels' first rows; each row of a panel is NR floats.
            long p0 = ((long) pc * b.paddedCols() + (long) j * kc) * Float.BYTES;
            long p1 = p0 + (long) NR * kc * Float.BYTES;
            long p2 = p1 + (long) NR * kc * Float.BYTES;
            long p3 = p2 + (long) NR * kc * Float.BYTES;
            for (int p = 0; p < kc; p++) {
                FloatVector xv = FloatVector.broadcast(S, x[xOffset + (pc + p) * xStride]);
                long q = (long) p * (NR * Float.BYTES);
                s0 = FloatVector.fromMemorySegment(S, panels, p0 + q, ORDER).fma(xv, s0);
                s1 = FloatVector.fromMemorySegment(S, panels, p0 + q + HALF_ROW, ORDER).fma(xv, s1);
                s2 = FloatVector.fromMemorySegment(S, panels, p1 + q, ORDER).fma(xv, s2);
                s3 = FloatVector.fromMemorySegment(S, panels, p1 + q + HALF_ROW, ORDER).fma(xv, s3);
                s4 = FloatVector.fromMemorySegment(S, panels, p2 + q, ORDER).fma(xv, s4);
                s5 = FloatVector.fromMemorySegment(S, panels, p2 + q + HALF_ROW, ORDER).fma(xv, s5);
                s6 = FloatVector.fromMemorySegment(S, panels, p3 + q, ORDER).fma(xv, s6);
                s7 = FloatVector.fromMemorySegment(S, panels, p3 + q + HALF_ROW, ORDER).fma(xv, s7);
            }
        }
        s0.intoArray(sums, 0);
        s1.intoArray(sums, L);
        s2.intoArray(sums, 2 * L);
        s3.intoArray(sums, 3 * L);
        s4.intoArray(sums, 4 * L);
        s5.intoArray(sums, 5 * L);
        s6.intoArray(sums, 6 * L);
        s7.intoArray(sums, 7 * L);
    }

    /** {@code sums[q] = sum_p x[p] B[p][j + q]} for the one panel from column j (2 chains: only for the edge). */
    private static void onePanel(float[] x, int xOffset, int xStride, VectorPackedMatrix b, int j, float[] sums) {
        int k = b.rows();
        MemorySegment panels = b.panels();
        FloatVector lo = FloatVector.zero(S), hi = FloatVector.zero(S);
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            long p0 = ((long) pc * b.paddedCols() + (long) j * kc) * Float.BYTES;
            for (int p = 0; p < kc; p++) {
                FloatVector xv = FloatVector.broadcast(S, x[xOffset + (pc + p) * xStride]);
                long q = p0 + (long) p * (NR * Float.BYTES);
                lo = FloatVector.fromMemorySegment(S, panels, q, ORDER).fma(xv, lo);
                hi = FloatVector.fromMemorySegment(S, panels, q + HALF_ROW, ORDER).fma(xv, hi);
            }
        }
        lo.intoArray(sums, 0);
        hi.intoArray(sums, L);
    }

    /**
     * {@code c[offset + q] = alpha * sums[q] + beta * c[offset + q]} for {@code q < count} (c not read when
     * beta = 0), or with a bias (else null) {@code alpha * sums[q] + bias[biasOffset + q]}, c not read. The
     * accumulating loops hand their sums over through memory instead of storing into c themselves: they are too
     * large for C2 to also inline eight masked alpha/beta stores (NodeCountInliningCutoff), and a vector passed
     * to a method that is not inlined is boxed.
     */
    private static void writeSums(float[] sums, int count, float alpha, float beta, float[] bias, int biasOffset,
                                  float[] c, int offset) {
        // The arithmetic of VectorGemm#store written out: no vector crosses a call, which could box it.
        for (int q = 0; q < count; q += L) {
            VectorMask<Float> mask = S.indexInRange(q, count);
            FloatVector out = FloatVector.fromArray(S, sums, q).mul(alpha);
            if (bias != null) {
                // alpha * sum + bias: the bits of beta = 1 over c holding the bias (bias * 1 is exact)
                out = out.add(FloatVector.fromArray(S, bias, biasOffset + q, mask));
            } else if (beta != 0f) {
                out = out.add(FloatVector.fromArray(S, c, offset + q, mask).mul(beta));
            }
            out.intoArray(c, offset + q, mask);
        }
    }
}
