package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.ORDER;
import static io.github.jrnn.kernels.VectorLanes.S;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Copies blocks of op(A) and op(B) into the layouts {@link GemmMicroKernel} reads, so that the micro-kernel sees
 * one layout whatever the transposes and leading dimensions, walks memory strictly sequentially, and never needs
 * a mask (panel edges are zero padded; zeros add nothing to the sums).
 *
 * <ul>
 *   <li><b>A panels</b>: an mc x kc block of op(A) becomes ceil(mc / MR) panels of MR rows; panel q holds rows
 *       {@code q * MR ..}, element (r, p) at {@code q * MR * kc + p * MR + r} (column-major inside the panel:
 *       the MR values the kernel broadcasts at step p are adjacent). Rows past mc are zero.</li>
 *   <li><b>B panels</b>: a kc x nc block of op(B) becomes ceil(nc / NR) panels of NR columns; panel q holds
 *       columns {@code q * NR ..}, element (p, j) at float index {@code dstOffset + q * NR * kc + p * NR + j} of
 *       a native segment (row-major inside the panel: the kernel's two vector loads at step p are adjacent; see
 *       {@link VectorLanes#alignedFloats} for why native). Columns past nc are zero.</li>
 * </ul>
 * Each routine takes the offset of the block's first element, op(X)[0][0], in the caller's array.
 */
final class GemmPacking {

    private static final int MR = GemmMicroKernel.MR;
    private static final int NR = GemmMicroKernel.NR;

    /** Vectors that cover one MR-float run of a transposed A row, and whether their overhang fits a step's slot. */
    private static final int RUN_VECTORS = (MR + L - 1) / L;
    private static final boolean RUN_SPILL_FITS = RUN_VECTORS * L - MR <= MR;

    /**
     * Steps of p that a scattering copy (op(A) rows into an A panel, stored rows of B^T into a B panel) moves before
     * it goes on to the next source row: 64 steps of a panel are at most 8 KB, which stay in L1 while every row
     * of the panel passes over them. Copying whole rows at once scattered each row over all of the panel (MR x KC
     * floats: 48 KB at KC = 1024, NR x KC: 128 KB), so at large KC every row's pass fetched the panel's lines again
     * from L2. Measured one thread, Xeon family 6 model 167 (median of 15-20 alternating runs): a B^T panel at
     * KC = 1024 1.37 -> 0.34 ns per float (256 bits: 1.03 -> 0.32), at KC = 256 0.31 -> 0.33; an A block of
     * 192 x 1024 0.65 -> 0.37, at 32 x 256 0.36 either way. Same copies, same results.
     */
    private static final int COPY_STEPS = 64;

    private GemmPacking() {
    }

    /** Floats needed for the A panels of an mc x kc block. */
    static int aPanelsSize(int mc, int kc) {
        return ceilDiv(mc, MR) * MR * kc;
    }

    /** Floats needed for the B panels of a kc x nc block. */
    static int bPanelsSize(int kc, int nc) {
        return ceilDiv(nc, NR) * NR * kc;
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * Packs the mc x kc block of op(A) whose element (i, p) is {@code a[aOffset + i * lda + p]}, or with
     * {@code transA} {@code a[aOffset + p * lda + i]}, into MR-row panels at {@code dst[0..]}.
     */
    static void packA(boolean transA, float[] a, int aOffset, int lda, int mc, int kc, float[] dst) {
        if (transA) {
            // Stored row p holds op(A)[i][p] for consecutive i: copy it whole, a run of up to MR floats into each
            // panel, so A is read sequentially. Filling one panel at a time instead walks down a column of A with
            // stride lda, fetching a cache line per MR floats, and at lda = 1024 every line maps to the same L1
            // set, so the next panel fetches them all again (async-profiler: 8% of an LSTM train step, the dW
            // products' packing of dGates^T).
            // A full run moves as whole vectors (RUN_VECTORS of them, unmasked): the floats past MR land in the
            // next step's slot of the same panel, which step p + 1 writes afterwards. The last step, a short last
            // panel and a run ending within a vector of A's end copy float by float. (Per float, a scalar loop
            // cost as much as 1/8 of the product's FMAs over it; masked vectors, with their lane checks, more.)
            for (int p = 0; p < kc; p++) {
                int src = aOffset + p * lda;
                boolean spillIsOverwritten = p < kc - 1 && RUN_SPILL_FITS;
                for (int i0 = 0, d = p * MR; i0 < mc; i0 += MR, d += MR * kc) {
                    int rows = Math.min(MR, mc - i0);
                    if (rows == MR && spillIsOverwritten && src + i0 + RUN_VECTORS * L <= a.length) {
                        for (int j = 0; j < RUN_VECTORS * L; j += L) {
                            FloatVector.fromArray(S, a, src + i0 + j).intoArray(dst, d + j);
                        }
                    } else {
                        for (int r = 0; r < rows; r++) {
                            dst[d + r] = a[src + i0 + r];
                        }
                        for (int r = rows; r < MR; r++) {
                            dst[d + r] = 0f;
                        }
                    }
                }
            }
            return;
        }
        for (int i0 = 0, panel = 0; i0 < mc; i0 += MR, panel += MR * kc) {
            int rows = Math.min(MR, mc - i0);
            int p0 = 0;
            if (rows == MR && MR <= L) {
                // L steps at a time, the panel's MR rows transposed in registers (the rows past MR read as zero);
                // each step's vector spills L - MR lanes into the next step's slot, which the next store overwrites.
                // At least one step is left to the copy below, which writes the slot the last vector spilled into.
                int src = aOffset + i0 * lda;
                for (; p0 + L < kc; p0 += L) {
                    LaneTranspose.transpose(a, src + p0, lda, MR, dst, panel + p0 * MR, MR);
                }
            }
            // Read each row of op(A) sequentially and scatter it with stride MR into the panel, COPY_STEPS steps at
            // a time, so that the part of the panel being written stays in L1 while all MR rows pass over it.
            for (; p0 < kc; p0 += COPY_STEPS) {
                int p1 = Math.min(kc, p0 + COPY_STEPS);
                for (int r = 0; r < rows; r++) {
                    int src = aOffset + (i0 + r) * lda;
                    for (int p = p0; p < p1; p++) {
                        dst[panel + p * MR + r] = a[src + p];
                    }
                }
            }
            for (int r = rows; r < MR; r++) {
                for (int p = 0; p < kc; p++) {
                    dst[panel + p * MR + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs the kc x nc block of op(B) whose element (p, j) is {@code b[bOffset + p * ldb + j]}, or with
     * {@code transB} {@code b[bOffset + j * ldb + p]}, into NR-column panels from float index {@code dstOffset}
     * of {@code dst}.
     */
    static void packB(boolean transB, float[] b, int bOffset, int ldb, int kc, int nc, MemorySegment dst,
                      long dstOffset) {
        long panel = dstOffset;
        for (int j0 = 0; j0 < nc; j0 += NR, panel += (long) NR * kc) {
            int cols = Math.min(NR, nc - j0);
            if (transB) {
                packTransposedPanel(b, bOffset + j0 * ldb, ldb, kc, cols, dst, panel);
            } else if (cols == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOffset + p * ldb + j0;
                    long d = (panel + (long) p * NR) * Float.BYTES;
                    FloatVector.fromArray(S, b, src).intoMemorySegment(dst, d, ORDER);
                    FloatVector.fromArray(S, b, src + L).intoMemorySegment(dst, d + L * Float.BYTES, ORDER);
                }
            } else {
                // Edge panel: masked loads read the missing columns as zero, full stores write the padding.
                VectorMask<Float> maskLo = S.indexInRange(0, cols);
                VectorMask<Float> maskHi = S.indexInRange(L, cols);
                for (int p = 0; p < kc; p++) {
                    int src = bOffset + p * ldb + j0;
                    long d = (panel + (long) p * NR) * Float.BYTES;
                    FloatVector.fromArray(S, b, src, maskLo).intoMemorySegment(dst, d, ORDER);
                    FloatVector.fromArray(S, b, src + L, maskHi).intoMemorySegment(dst, d + L * Float.BYTES, ORDER);
                }
            }
        }
    }

    /**
     * One panel of B^T: op(B)[p][j] = {@code b[rowsOffset + j * ldb + p]} for j < cols. Each stored row j of b is
     * read sequentially and scattered into panel column j (stride NR), {@link #COPY_STEPS} steps at a time;
     * missing columns are zeroed.
     */
    private static void packTransposedPanel(float[] b, int rowsOffset, int ldb, int kc, int cols, MemorySegment dst,
                                            long panel) {
        int p0 = 0;
        if (cols == NR) {
            // L steps at a time: each half of the panel's columns (L stored rows) transposed in registers into the
            // thread's staging block, whose L x NR floats are then the panel's next L rows, copied in one piece.
            float[] stage = GemmScratch.current().transposeStage();
            for (; p0 + L <= kc; p0 += L) {
                LaneTranspose.transpose(b, rowsOffset + p0, ldb, L, stage, 0, NR);
                LaneTranspose.transpose(b, rowsOffset + L * ldb + p0, ldb, L, stage, L, NR);
                MemorySegment.copy(stage, 0, dst, ValueLayout.JAVA_FLOAT, (panel + (long) p0 * NR) * Float.BYTES,
                        L * NR);
            }
        }
        for (; p0 < kc; p0 += COPY_STEPS) {
            int p1 = Math.min(kc, p0 + COPY_STEPS);
            for (int j = 0; j < cols; j++) {
                int src = rowsOffset + j * ldb;
                for (int p = p0; p < p1; p++) {
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, panel + (long) p * NR + j, b[src + p]);
                }
            }
        }
        for (int j = cols; j < NR; j++) {
            for (int p = 0; p < kc; p++) {
                dst.setAtIndex(ValueLayout.JAVA_FLOAT, panel + (long) p * NR + j, 0f);
            }
        }
    }
}
