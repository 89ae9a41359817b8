package io.github.jrnn.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The cache-blocked sgemm on one thread (the loop nest of BLIS / GotoBLAS), for products large enough that
 * packing pays for itself:
 * <pre>
 * for jc in steps of NC over n:                      columns of C and op(B)
 *   for pc in steps of KC over k:                    pack op(B)[pc.., jc..] (KC x NC) into NR-column panels
 *     for ic in steps of MC over m:                  pack op(A)[ic.., pc..] (MC x KC) into MR-row panels
 *       for jr in steps of NR:  for ir in steps of MR:  micro-kernel on one MR x NR tile of C
 * </pre>
 * The B micro-panel (KC x NR) is reused by every tile of the ir loop and stays in L1, the A block (MC x KC) is
 * reused by every jr step and stays in L2, the B block (KC x NC) is reused by every ic step from L3 (sizes and
 * reasoning in {@link GemmBlocking}). The first k-block applies the caller's beta; later ones accumulate
 * (beta = 1), so with beta = 0 C is written before it is ever read.
 *
 * <p>B is always packed, into the calling thread's aligned native buffer ({@link GemmScratch#bPanels}), so the
 * micro-kernel reads one kind of storage: the panels of a {@link VectorPackedMatrix} are native too, and a load
 * site that sees both native and heap memory measured 5x slower. (Until December 2026 full B panels of products
 * with B not transposed and at most MC rows were read in place from the caller's array; small products of that
 * kind run unpacked in {@link DirectGemm} anyway.) Products against a {@link VectorPackedMatrix} run the same
 * nest without packing B. {@link GemmThreads} splits a product by calling
 * these methods on sub-blocks; the split points are whole panels, so every element of C sees the same operations
 * in the same order whatever the thread count.
 */
final class BlockedGemm {

    private static final int MR = GemmMicroKernel.MR;
    private static final int NR = GemmMicroKernel.NR;
    private static final int KC = GemmBlocking.KC;
    /** MC rounded down to whole panels, so only the last panel of op(A) can be a row edge. */
    private static final int MC = Math.max(MR, GemmBlocking.MC / MR * MR);
    /** NC rounded down to whole panels, so only the last panel of op(B) can be a column edge. */
    private static final int NC = Math.max(NR, GemmBlocking.NC / NR * NR);

    private BlockedGemm() {
    }

    /** The full sgemm of {@link Kernels#sgemm} (m, n, k > 0, alpha != 0) on the calling thread. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                         int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        GemmScratch scratch = GemmScratch.current();
        float[] aPanels = scratch.aPanels(GemmPacking.aPanelsSize(Math.min(m, MC), Math.min(k, KC)));
        MemorySegment bPanels = scratch.bPanels(GemmPacking.bPanelsSize(Math.min(k, KC), Math.min(n, NC)));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int bBlock = transB ? bOffset + jc * ldb + pc : bOffset + pc * ldb + jc;
                GemmPacking.packB(transB, b, bBlock, ldb, kc, nc, bPanels, 0);
                float blockBeta = pc == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int aBlock = transA ? aOffset + pc * lda + ic : aOffset + ic * lda + pc;
                    GemmPacking.packA(transA, a, aBlock, lda, mc, kc, aPanels);
                    macroKernel(mc, nc, kc, alpha, aPanels, bPanels, 0, scratch.tile(), blockBeta, null, 0, c,
                            cOffset + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /**
     * Columns {@code [col0, col1)} of the product with a packed B ({@link Kernels#sgemmPacked}; m > 0,
     * alpha != 0, col0 a multiple of NR); cOffset is the offset of C's column 0. With a {@code bias} (else null;
     * biasOffset is the offset of column 0's bias) the first k-block adds it instead of beta C
     * ({@link Kernels#sgemmPackedBias}); later k-blocks accumulate as always.
     */
    static void multiplyPacked(boolean transA, int m, int col0, int col1, float alpha, float[] a, int aOffset,
                               int lda, VectorPackedMatrix b, float beta, float[] bias, int biasOffset, float[] c,
                               int cOffset, int ldc) {
        multiplyPackedRanges(transA, m, col0, col1, 1, 0, alpha, a, aOffset, lda, b, beta, bias, biasOffset, c,
                cOffset, ldc);
    }

    /**
     * {@link #multiplyPacked} over {@code ranges} column ranges {@code [col0 + r * stride, col1 + r * stride)},
     * {@code r < ranges} (col0 and stride multiples of NR): the columns of every gate for a range of hidden units,
     * with stride = hidden. Each block of A is packed once for all the ranges; every column gets the operations it
     * gets in a product over all columns.
     */
    static void multiplyPackedRanges(boolean transA, int m, int col0, int col1, int ranges, int stride, float alpha,
                                     float[] a, int aOffset, int lda, VectorPackedMatrix b, float beta, float[] bias,
                                     int biasOffset, float[] c, int cOffset, int ldc) {
        int k = b.rows();
        MemorySegment bPanels = b.panels();
        GemmScratch scratch = GemmScratch.current();
        float[] aPanels = scratch.aPanels(GemmPacking.aPanelsSize(Math.min(m, MC), Math.min(k, KC)));
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float blockBeta = pc == 0 ? beta : 1f;
            int bBlock = pc * b.paddedCols();
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic);
                int aBlock = transA ? aOffset + pc * lda + ic : aOffset + ic * lda + pc;
                GemmPacking.packA(transA, a, aBlock, lda, mc, kc, aPanels);
                for (int r = 0; r < ranges; r++) {
                    int end = col1 + r * stride;
                    for (int jc = col0 + r * stride; jc < end; jc += NC) {
                        int nc = Math.min(NC, end - jc);
                        macroKernel(mc, nc, kc, alpha, aPanels, bPanels, bBlock + (long) jc * kc, scratch.tile(),
                                blockBeta, pc == 0 ? bias : null, biasOffset + jc, c, cOffset + ic * ldc + jc, ldc);
                    }
                }
            }
        }
    }

    /**
     * All tiles of an mc x nc block of C from packed A panels and packed B panels: the panel of columns jr starts
     * at float index {@code bOffset + jr * kc} of b; with a bias, column jr's is at {@code biasOffset + jr}.
     */
    private static void macroKernel(int mc, int nc, int kc, float alpha, float[] aPanels, MemorySegment b,
                                    long bOffset, float[] tile, float beta, float[] bias, int biasOffset, float[] c,
                                    int cOffset, int ldc) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            long bPanel = bOffset + (long) jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                GemmMicroKernel.tile(Math.min(MR, mc - ir), cols, kc, aPanels, ir * kc, b, bPanel, tile, alpha, beta,
                        bias, biasOffset + jr, c, cOffset + ir * ldc + jr, ldc);
            }
        }
    }
}
