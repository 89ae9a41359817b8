package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;
import static io.github.jrnn.kernels.VectorGemm.store;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Small products computed straight from the caller's arrays, without packing: for the shapes below the
 * thresholds in {@link GemmBlocking} copying the operands costs more than their irregular layout. Two loop shapes,
 * chosen by where the inner index p is contiguous:
 * <ul>
 *   <li><b>broadcast form</b> (B not transposed, B's rows contiguous along j): a 4 x 2-vector register block of C;
 *       per p one element of each of 4 rows of op(A) is broadcast and multiplied into two vectors of B's row p.
 *       </li>
 *   <li><b>dot form</b> (B transposed, A not: both operands contiguous along p, the layout of {@code x W^T} with a
 *       PyTorch weight W): a 3 x 4 block of C as 12 vector accumulators over p, reduced across lanes once at the
 *       end; 7 loads feed 12 FMAs per step.</li>
 * </ul>
 * Column and p tails use masked loads (inactive lanes read as zero), so no scalar cleanup loop is needed.
 */
final class DirectGemm {


    private DirectGemm() {
    }

    // ---------------------------------------------------------------- broadcast form
    //
    // Every call below passes scalars and arrays only, and each block hands its accumulators to writeBlock through
    // the thread's tile buffer instead of storing them with VectorGemm.store directly: a block's loop takes most of
    // C2's inlining budget (NodeCountInliningCutoff, see VectorCells), and a store or a mask passed to a call it
    // leaves in place is boxed (at hidden 250, with a part vector at the end of each row: 4.9 KB per 8-row call).

    /** Floats of one row of a block in the tile: two vectors. */
    private static final int BLOCK_ROW = 2 * L;

    static void broadcastForm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOffset,
                                      int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset,
                                      int ldc) {
        // op(A)[i][p] = a[aOffset + i * aRowStep + p * aColStep]
        int aRowStep = transA ? 1 : lda;
        int aColStep = transA ? lda : 1;
        float[] tile = GemmScratch.current().tile(); // a 4 x 2L block: MR x NR = at least 6 x 2L floats
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                block4x2(k, a, aOffset + i * aRowStep, aRowStep, aColStep, b, bOffset + j, ldb, tile);
                writeBlock(tile, 2 * L, alpha, beta, c, cOffset + i * ldc + j, ldc);
            }
            for (; j < n; j += L) {
                int cols = Math.min(L, n - j);
                block4x1(k, a, aOffset + i * aRowStep, aRowStep, aColStep, b, bOffset + j, ldb, cols, tile);
                writeBlock(tile, cols, alpha, beta, c, cOffset + i * ldc + j, ldc);
            }
        }
        for (; i < m; i++) {
            row(n, k, alpha, a, aOffset + i * aRowStep, aColStep, b, bOffset, ldb, beta, c, cOffset + i * ldc);
        }
    }

    /** The raw sums of a 4 x 2L block into {@code tile} (row r at {@code r * BLOCK_ROW}). */
    private static void block4x2(int k, float[] a, int a0, int aRowStep, int aColStep, float[] b, int bp, int ldb,
                                 float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int ap = a0;
        for (int p = 0; p < k; p++, ap += aColStep, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            FloatVector x1 = FloatVector.broadcast(S, a[ap + aRowStep]);
            FloatVector x2 = FloatVector.broadcast(S, a[ap + 2 * aRowStep]);
            FloatVector x3 = FloatVector.broadcast(S, a[ap + 3 * aRowStep]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            c10 = b0.fma(x1, c10);
            c11 = b1.fma(x1, c11);
            c20 = b0.fma(x2, c20);
            c21 = b1.fma(x2, c21);
            c30 = b0.fma(x3, c30);
            c31 = b1.fma(x3, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, BLOCK_ROW);
        c11.intoArray(tile, BLOCK_ROW + L);
        c20.intoArray(tile, 2 * BLOCK_ROW);
        c21.intoArray(tile, 2 * BLOCK_ROW + L);
        c30.intoArray(tile, 3 * BLOCK_ROW);
        c31.intoArray(tile, 3 * BLOCK_ROW + L);
    }

    /**
     * The raw sums of a 4 x cols block ({@code cols <= L}: B read masked beyond it) into the first vector of
     * {@code tile}'s rows.
     */
    private static void block4x1(int k, float[] a, int a0, int aRowStep, int aColStep, float[] b, int bp, int ldb,
                                 int cols, float[] tile) {
        VectorMask<Float> mask = S.indexInRange(0, cols);
        FloatVector c0v = FloatVector.zero(S);
        FloatVector c1v = FloatVector.zero(S);
        FloatVector c2v = FloatVector.zero(S);
        FloatVector c3v = FloatVector.zero(S);
        int ap = a0;
        for (int p = 0; p < k; p++, ap += aColStep, bp += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bp, mask);
            c0v = bv.fma(FloatVector.broadcast(S, a[ap]), c0v);
            c1v = bv.fma(FloatVector.broadcast(S, a[ap + aRowStep]), c1v);
            c2v = bv.fma(FloatVector.broadcast(S, a[ap + 2 * aRowStep]), c2v);
            c3v = bv.fma(FloatVector.broadcast(S, a[ap + 3 * aRowStep]), c3v);
        }
        c0v.intoArray(tile, 0);
        c1v.intoArray(tile, BLOCK_ROW);
        c2v.intoArray(tile, 2 * BLOCK_ROW);
        c3v.intoArray(tile, 3 * BLOCK_ROW);
    }

    /** {@code C = alpha * block + beta * C} ({@link VectorGemm#store}) for the 4 x cols block at c0 in tile. */
    private static void writeBlock(float[] tile, int cols, float alpha, float beta, float[] c, int c0, int ldc) {
        for (int r = 0; r < 4; r++) {
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = j + L <= cols ? S.maskAll(true) : S.indexInRange(j, cols);
                store(FloatVector.fromArray(S, tile, r * BLOCK_ROW + j), alpha, beta, c, c0 + r * ldc + j, mask);
            }
        }
    }

    /** One row of C (at cRow) from the row of op(A) starting at a0, one vector of columns at a time. */
    private static void row(int n, int k, float alpha, float[] a, int a0, int aColStep, float[] b, int bOffset,
                            int ldb, float beta, float[] c, int cRow) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> mask = j + L <= n ? S.maskAll(true) : S.indexInRange(j, n);
            FloatVector acc = FloatVector.zero(S);
            int ap = a0;
            int bp = bOffset + j;
            for (int p = 0; p < k; p++, ap += aColStep, bp += ldb) {
                acc = FloatVector.fromArray(S, b, bp, mask).fma(FloatVector.broadcast(S, a[ap]), acc);
            }
            store(acc, alpha, beta, c, cRow + j, mask);
        }
    }

    // ---------------------------------------------------------------- dot form

    static void dotForm(int m, int n, int k, float alpha, float[] a, int aOffset, int lda,
                                float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        float[] tile = GemmScratch.current().tile(); // 12 vectors of L lanes fit: MR x NR = 12 x 2L floats
        int i = 0;
        for (; i + 3 <= m; i += 3) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                block3x4(k, alpha, a, aOffset + i * lda, lda, b, bOffset + j * ldb, ldb, beta,
                        c, cOffset + i * ldc + j, ldc, tile);
            }
            for (; j < n; j++) {
                for (int r = 0; r < 3; r++) {
                    float sum = VectorGemv.dot(k, a, aOffset + (i + r) * lda, b, bOffset + j * ldb);
                    store(sum, alpha, beta, c, cOffset + (i + r) * ldc + j);
                }
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = VectorGemv.dot(k, a, aOffset + i * lda, b, bOffset + j * ldb);
                store(sum, alpha, beta, c, cOffset + i * ldc + j);
            }
        }
    }

    private static void block3x4(int k, float alpha, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                 float beta, float[] c, int c0, int ldc, float[] tile) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S);
        FloatVector s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S);
        FloatVector s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S), s21 = FloatVector.zero(S);
        FloatVector s22 = FloatVector.zero(S), s23 = FloatVector.zero(S);
        VectorMask<Float> all = S.maskAll(true);
        for (int p = 0; p < k; p += L) {
            VectorMask<Float> mask = p + L <= k ? all : S.indexInRange(p, k);
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p, mask);
            FloatVector x1 = FloatVector.fromArray(S, a, a0 + lda + p, mask);
            FloatVector x2 = FloatVector.fromArray(S, a, a0 + 2 * lda + p, mask);
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p, mask);
            FloatVector y1 = FloatVector.fromArray(S, b, b0 + ldb + p, mask);
            FloatVector y2 = FloatVector.fromArray(S, b, b0 + 2 * ldb + p, mask);
            FloatVector y3 = FloatVector.fromArray(S, b, b0 + 3 * ldb + p, mask);
            s00 = x0.fma(y0, s00);
            s01 = x0.fma(y1, s01);
            s02 = x0.fma(y2, s02);
            s03 = x0.fma(y3, s03);
            s10 = x1.fma(y0, s10);
            s11 = x1.fma(y1, s11);
            s12 = x1.fma(y2, s12);
            s13 = x1.fma(y3, s13);
            s20 = x2.fma(y0, s20);
            s21 = x2.fma(y1, s21);
            s22 = x2.fma(y2, s22);
            s23 = x2.fma(y3, s23);
        }
        // Twelve reductions inlined here would pass C2's inlining cutoff and box the accumulators; hand them over
        // through the thread's tile buffer to one reduction loop instead (see reduceTile).
        s00.intoArray(tile, 0);
        s01.intoArray(tile, L);
        s02.intoArray(tile, 2 * L);
        s03.intoArray(tile, 3 * L);
        s10.intoArray(tile, 4 * L);
        s11.intoArray(tile, 5 * L);
        s12.intoArray(tile, 6 * L);
        s13.intoArray(tile, 7 * L);
        s20.intoArray(tile, 8 * L);
        s21.intoArray(tile, 9 * L);
        s22.intoArray(tile, 10 * L);
        s23.intoArray(tile, 11 * L);
        reduceTile(tile, alpha, beta, c, c0, ldc);
    }

    /** C[r][j] = alpha * (sum of the lanes of tile vector 4r + j) + beta * C[r][j] for the 3 x 4 block at c0. */
    private static void reduceTile(float[] tile, float alpha, float beta, float[] c, int c0, int ldc) {
        for (int v = 0; v < 12; v++) {
            float sum = VectorReductions.sum(FloatVector.fromArray(S, tile, v * L));
            store(sum, alpha, beta, c, c0 + (v / 4) * ldc + v % 4);
        }
    }
}
