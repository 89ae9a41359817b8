package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorGemm.store;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API matrix-vector products (the batch-1 step of a recurrent layer): {@code sgemv} in both orientations,
 * the row vector times a packed matrix of {@code sgemmPacked} with m = 1, and {@code dot}.
 *
 * <p>All of them are bound by reading the matrix once, so the loops are shaped to keep enough independent FMA
 * chains in flight (the FMA latency is 4 cycles on two pipes: 8 chains keep both busy) while loading each matrix
 * element exactly once and as few other vectors as possible.
 */
final class VectorGemv {

    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int L = S.length();
    private static final int NR = GemmMicroKernel.NR;
    private static final int KC = GemmBlocking.KC;

    private VectorGemv() {
    }

    static void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                      int xOffset, float beta, float[] y, int yOffset) {
        int outLength = transA ? n : m;
        if (outLength == 0) {
            return;
        }
        if (alpha == 0f || (transA ? m : n) == 0) {
            VectorGemm.scaleRows(1, outLength, beta, y, yOffset, outLength);
        } else if (transA) {
            gemvTransposed(m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
        } else {
            gemvRows(m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
        }
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
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }

    /** y[i] = alpha * A[i] . x + beta y[i]: eight rows per pass share each load of x; leftover rows as dots. */
    private static void gemvRows(int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x, int xOffset,
                                 float beta, float[] y, int yOffset) {
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            eightRows(n, alpha, a, aOffset + i * lda, lda, x, xOffset, beta, y, yOffset + i);
        }
        for (; i < m; i++) {
            store(dot(n, a, aOffset + i * lda, x, xOffset), alpha, beta, y, yOffset + i);
        }
    }

    /**
     * Eight dot products against the same x: one accumulator per row (8 chains), 9 loads per 8 FMAs, unmasked
     * body and one masked tail, then one lane reduction per row.
     */
    private static void eightRows(int n, float alpha, float[] a, int r0, int lda, float[] x, int xOffset,
                                  float beta, float[] y, int yIndex) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S);
        FloatVector s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
        int r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda, r6 = r5 + lda, r7 = r6 + lda;
        int body = S.loopBound(n);
        for (int j = 0; j < body; j += L) {
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
        if (body < n) {
            VectorMask<Float> mask = S.indexInRange(body, n);
            FloatVector xv = FloatVector.fromArray(S, x, xOffset + body, mask);
            s0 = FloatVector.fromArray(S, a, r0 + body, mask).fma(xv, s0);
            s1 = FloatVector.fromArray(S, a, r1 + body, mask).fma(xv, s1);
            s2 = FloatVector.fromArray(S, a, r2 + body, mask).fma(xv, s2);
            s3 = FloatVector.fromArray(S, a, r3 + body, mask).fma(xv, s3);
            s4 = FloatVector.fromArray(S, a, r4 + body, mask).fma(xv, s4);
            s5 = FloatVector.fromArray(S, a, r5 + body, mask).fma(xv, s5);
            s6 = FloatVector.fromArray(S, a, r6 + body, mask).fma(xv, s6);
            s7 = FloatVector.fromArray(S, a, r7 + body, mask).fma(xv, s7);
        }
        store(s0.reduceLanes(VectorOperators.ADD), alpha, beta, y, yIndex);
        store(s1.reduceLanes(VectorOperators.ADD), alpha, beta, y, yIndex + 1);
        store(s2.reduceLanes(VectorOperators.ADD), alpha, beta, y, yIndex + 2);
        store(s3.reduceLanes(VectorOperators.ADD), alpha, beta, y, yIndex + 3);
        store(s4.reduceLanes(VectorOperators.ADD), alpha, beta, y, yIndex + 4);
        store(s5.reduceLanes(VectorOperators.ADD), alpha, beta, y, yIndex + 5);
        store(s6.reduceLanes(VectorOperators.ADD), alpha, beta, y, yIndex + 6);
        store(s7.reduceLanes(VectorOperators.ADD), alpha, beta, y, yIndex + 7);
    }

    /**
     * y[j] = alpha * sum_i A[i][j] x[i] + beta y[j]: column blocks of 8 vectors (8 chains, one broadcast of x[i]
     * per 8 loads of A); leftover columns one vector at a time, the last one masked.
     */
    private static void gemvTransposed(int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                                       int xOffset, float beta, float[] y, int yOffset) {
        VectorMask<Float> all = S.maskAll(true);
        int j = 0;
        for (; j + 8 * L <= n; j += 8 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S);
            FloatVector s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
            for (int i = 0; i < m; i++) {
                int row = aOffset + i * lda + j;
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
            int yj = yOffset + j;
            store(s0, alpha, beta, y, yj, all);
            store(s1, alpha, beta, y, yj + L, all);
            store(s2, alpha, beta, y, yj + 2 * L, all);
            store(s3, alpha, beta, y, yj + 3 * L, all);
            store(s4, alpha, beta, y, yj + 4 * L, all);
            store(s5, alpha, beta, y, yj + 5 * L, all);
            store(s6, alpha, beta, y, yj + 6 * L, all);
            store(s7, alpha, beta, y, yj + 7 * L, all);
        }
        for (; j < n; j += L) {
            VectorMask<Float> mask = j + L <= n ? all : S.indexInRange(j, n);
            FloatVector s = FloatVector.zero(S);
            for (int i = 0; i < m; i++) {
                s = FloatVector.fromArray(S, a, aOffset + i * lda + j, mask)
                        .fma(FloatVector.broadcast(S, x[xOffset + i]), s);
            }
            store(s, alpha, beta, y, yOffset + j, mask);
        }
    }

    /**
     * Row vector times packed matrix, columns {@code [col0, col1)} (col0 a multiple of NR):
     * {@code c[j] = alpha * sum_p x[p] B[p][j] + beta * c[j]} with {@code x[p] = x[xOffset + p * xStride]}
     * (a row of op(A) for either transpose). Four panels at a time give 8 accumulator chains and 8 loads of B per
     * broadcast of x; each of the four panels is its own sequential stream.
     */
    static void packedRow(float alpha, float[] x, int xOffset, int xStride, VectorPackedMatrix b, int col0,
                          int col1, float beta, float[] c, int cOffset) {
        int k = b.rows();
        float[] panels = b.panels();
        int padded = b.paddedCols();
        int j = col0;
        for (; j + 3 * NR < col1; j += 4 * NR) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S);
            FloatVector s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int p0 = pc * padded + j * kc;
                int p1 = p0 + NR * kc, p2 = p1 + NR * kc, p3 = p2 + NR * kc;
                for (int p = 0; p < kc; p++) {
                    FloatVector xv = FloatVector.broadcast(S, x[xOffset + (pc + p) * xStride]);
                    int q = p * NR;
                    s0 = FloatVector.fromArray(S, panels, p0 + q).fma(xv, s0);
                    s1 = FloatVector.fromArray(S, panels, p0 + q + L).fma(xv, s1);
                    s2 = FloatVector.fromArray(S, panels, p1 + q).fma(xv, s2);
                    s3 = FloatVector.fromArray(S, panels, p1 + q + L).fma(xv, s3);
                    s4 = FloatVector.fromArray(S, panels, p2 + q).fma(xv, s4);
                    s5 = FloatVector.fromArray(S, panels, p2 + q + L).fma(xv, s5);
                    s6 = FloatVector.fromArray(S, panels, p3 + q).fma(xv, s6);
                    s7 = FloatVector.fromArray(S, panels, p3 + q + L).fma(xv, s7);
                }
            }
            int count = col1 - j;
            int cj = cOffset + j;
            store(s0, alpha, beta, c, cj, S.indexInRange(0, count));
            store(s1, alpha, beta, c, cj + L, S.indexInRange(L, count));
            store(s2, alpha, beta, c, cj + 2 * L, S.indexInRange(2 * L, count));
            store(s3, alpha, beta, c, cj + 3 * L, S.indexInRange(3 * L, count));
            store(s4, alpha, beta, c, cj + 4 * L, S.indexInRange(4 * L, count));
            store(s5, alpha, beta, c, cj + 5 * L, S.indexInRange(5 * L, count));
            store(s6, alpha, beta, c, cj + 6 * L, S.indexInRange(6 * L, count));
            store(s7, alpha, beta, c, cj + 7 * L, S.indexInRange(7 * L, count));
        }
        for (; j < col1; j += NR) {
            FloatVector lo = FloatVector.zero(S), hi = FloatVector.zero(S);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int p0 = pc * padded + j * kc;
                for (int p = 0; p < kc; p++) {
                    FloatVector xv = FloatVector.broadcast(S, x[xOffset + (pc + p) * xStride]);
                    lo = FloatVector.fromArray(S, panels, p0 + p * NR).fma(xv, lo);
                    hi = FloatVector.fromArray(S, panels, p0 + p * NR + L).fma(xv, hi);
                }
            }
            int count = col1 - j;
            store(lo, alpha, beta, c, cOffset + j, S.indexInRange(0, count));
            store(hi, alpha, beta, c, cOffset + j + L, S.indexInRange(L, count));
        }
    }
}
