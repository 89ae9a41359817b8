package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.ORDER;
import static io.github.jrnn.kernels.VectorLanes.S;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The register-blocked inner loop of {@link BlockedGemm}: one tile of C of up to MR x NR elements,
 * {@code C_tile = alpha * A_panel B_panel + beta * C_tile}, from an MR-row panel of packed A and an NR-column
 * panel of packed B (layouts in {@link GemmPacking}; both zero padded, so the loop over p needs no masks).
 *
 * <p>Shape: NR = 2 vectors (32 floats with AVX-512) and MR = 12 rows, i.e. 24 vector accumulators held in
 * registers for the whole loop over p. Per step of p the kernel loads two vectors of B, broadcasts 12 elements of
 * A and issues 24 FMAs: 14 loads per 24 FMAs is well inside what two load ports deliver, and 24 independent
 * accumulator chains cover the FMA latency (4 cycles) of both FMA pipes (8 chains would be the minimum).
 * Measured in isolation on AVX-512 (Zen 5, packed operands hot in cache, best of 20): 12x2, 8x3 and 6x4 vectors
 * all reach ~255 GFLOP/s, about the FMA peak, 8x2 ~255, 4x4 ~250, and 14x2 (28 accumulators plus temporaries,
 * so it spills) 160-240. Among the equals 12x2 has the narrowest NR, which wastes least on column edges
 * (n = 4 * hidden is often a multiple of 32 but not of 64) and keeps the B micro-panel smallest. Machines with
 * 16 vector registers (AVX2) use a 6 x 2 tile (12 accumulators + 2 B + 1 broadcast) instead.
 *
 * <p>Row edges (fewer than MR valid rows) run a shorter kernel over the same panel (rows 1-4: 4 x NR, 5-8:
 * 8 x NR); fewer than 8 accumulators would leave FMA pipes idle, so a 1-row edge costs what a 4-row one does.
 * Only the store is masked: columns beyond {@code cols} and rows beyond {@code rows} are computed on the zero
 * padding and never written.
 *
 * <p>Checking the machine code: with the hsdis disassembler plugin in the JDK's {@code lib/} (not installed on the
 * development machine), {@code -XX:+UnlockDiagnosticVMOptions -XX:+PrintAssembly
 * -XX:CompileCommand=print,io.github.jrnn.kernels.GemmMicroKernel::rows12} shows the loop body, which should be
 * 24 {@code vfmadd231ps zmm} (ymm on AVX2) per step of p next to 12 {@code vbroadcastss}, with no stack spills
 * ({@code vmovups} to or from {@code [rsp+...]}); JMH's
 * {@code -prof perfasm} shows the same with hardware counters where {@code perf} has them (not in this VM). Without
 * either, {@code -XX:+PrintInlining} must show no {@code NodeCountInliningCutoff} or {@code too big} for vector
 * methods inside the kernels, and {@code -prof gc} about 0 bytes per product: a vector that is not inlined is
 * boxed, which shows up as allocation and a 10x slowdown.
 */
final class GemmMicroKernel {

    /** Rows of a full tile and of a packed A panel. */
    static final int MR = GemmBlocking.microTileRows(L);
    /** Columns of a tile and of a packed B panel. */
    static final int NR = GemmBlocking.microTileCols(L);

    private GemmMicroKernel() {
    }

    /**
     * {@code C[r][j] = alpha * sum_p A[r][p] B[p][j] + beta * C[r][j]} for {@code r < rows <= MR},
     * {@code j < cols <= NR}, where A[r][p] = {@code a[aOffset + p * MR + r]} and
     * B[p][j] = the float at index {@code bOffset + p * NR + j} of the packed panel segment b (aligned native
     * memory, see {@link VectorLanes#alignedFloats}); C is not read when beta = 0. With a {@code bias} (else null)
     * beta is ignored and {@code C[r][j] = alpha * sum + bias[biasOffset + j]}, C not read: the bits of beta = 1
     * over C filled with the bias, since {@code fma(1, bias, x)} rounds {@code x + bias} once, as the add does.
     * {@code tile} (MR x NR floats, the calling thread's) receives the raw sums first: writing them out is a
     * separate small loop because C2 stops inlining vector code into a method of this size
     * (NodeCountInliningCutoff), and a vector passed to a method that is not inlined is boxed; the round trip
     * through L1 costs 2 x 24 vector moves per tile, against 24 x kc FMAs.
     */
    static void tile(int rows, int cols, int kc, float[] a, int aOffset, MemorySegment b, long bOffset,
                     float[] tile, float alpha, float beta, float[] bias, int biasOffset, float[] c, int cOffset,
                     int ldc) {
        sums(rows, kc, a, aOffset, b, bOffset, tile);
        if (bias != null) {
            writeTileWithBias(tile, rows, cols, alpha, bias, biasOffset, c, cOffset, ldc);
        } else {
            writeTile(tile, rows, cols, alpha, beta, c, cOffset, ldc);
        }
    }

    /**
     * {@link #tile} with alpha = 1 for a product whose bias belongs to the rows of C, not its columns:
     * {@code C[r][j] = sum_p A[r][p] B[p][j] + bias[biasOffset + r]} with a {@code bias} (else null:
     * {@code sum + beta * C[r][j]}, C not read when beta = 0). The products of {@link GateMajorLayer}, where C's rows
     * are gates. With alpha = 1 the sums are the bits {@link #tile} writes ({@code sum * 1} is exact).
     */
    static void tileRowBias(int rows, int cols, int kc, float[] a, int aOffset, MemorySegment b, long bOffset,
                            float[] tile, float beta, float[] bias, int biasOffset, float[] c, int cOffset, int ldc) {
        sums(rows, kc, a, aOffset, b, bOffset, tile);
        if (bias != null) {
            writeTileWithRowBias(tile, rows, cols, bias, biasOffset, c, cOffset, ldc);
        } else {
            writeTile(tile, rows, cols, 1f, beta, c, cOffset, ldc);
        }
    }

    /** The raw sums of a tile into {@code tile}: the kernel for its row count. */
    private static void sums(int rows, int kc, float[] a, int aOffset, MemorySegment b, long bOffset, float[] tile) {
        if (rows <= 4) {
            rows4(kc, a, aOffset, b, bOffset * Float.BYTES, tile);
        } else if (MR == 6) {
            rows6(kc, a, aOffset, b, bOffset * Float.BYTES, tile);
        } else if (rows <= 8) {
            rows8(kc, a, aOffset, b, bOffset * Float.BYTES, tile);
        } else {
            rows12(kc, a, aOffset, b, bOffset * Float.BYTES, tile);
        }
    }

    /** {@code C[r][j] = tile[r * NR + j] + bias[biasOffset + r]}, masked to cols; C is not read. */
    private static void writeTileWithRowBias(float[] tile, int rows, int cols, float[] bias, int biasOffset,
                                             float[] c, int cOffset, int ldc) {
        VectorMask<Float> maskLo = S.indexInRange(0, cols);
        VectorMask<Float> maskHi = S.indexInRange(L, cols);
        for (int r = 0; r < rows; r++) {
            int row = cOffset + r * ldc;
            float rowBias = bias[biasOffset + r];
            FloatVector lo = FloatVector.fromArray(S, tile, r * NR).add(rowBias);
            FloatVector hi = FloatVector.fromArray(S, tile, r * NR + L).add(rowBias);
            if (cols == NR) {
                lo.intoArray(c, row);
                hi.intoArray(c, row + L);
            } else {
                lo.intoArray(c, row, maskLo);
                hi.intoArray(c, row + L, maskHi);
            }
        }
    }

    /** {@code C[r][j] = alpha * tile[r * NR + j] + bias[biasOffset + j]}, masked to cols; C is not read. */
    private static void writeTileWithBias(float[] tile, int rows, int cols, float alpha, float[] bias,
                                          int biasOffset, float[] c, int cOffset, int ldc) {
        VectorMask<Float> maskLo = S.indexInRange(0, cols);
        VectorMask<Float> maskHi = S.indexInRange(L, cols);
        FloatVector biasLo = FloatVector.fromArray(S, bias, biasOffset, maskLo);
        FloatVector biasHi = FloatVector.fromArray(S, bias, biasOffset + L, maskHi);
        for (int r = 0; r < rows; r++) {
            int row = cOffset + r * ldc;
            FloatVector lo = FloatVector.fromArray(S, tile, r * NR).mul(alpha).add(biasLo);
            FloatVector hi = FloatVector.fromArray(S, tile, r * NR + L).mul(alpha).add(biasHi);
            lo.intoArray(c, row, maskLo);
            hi.intoArray(c, row + L, maskHi);
        }
    }

    /** {@code C[r][j] = alpha * tile[r * NR + j] + beta * C[r][j]} (C not read when beta = 0), masked to cols. */
    private static void writeTile(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int cOffset,
                                  int ldc) {
        VectorMask<Float> maskLo = S.indexInRange(0, cols);
        VectorMask<Float> maskHi = S.indexInRange(L, cols);
        FloatVector betaV = FloatVector.broadcast(S, beta);
        for (int r = 0; r < rows; r++) {
            int row = cOffset + r * ldc;
            FloatVector lo = FloatVector.fromArray(S, tile, r * NR).mul(alpha);
            FloatVector hi = FloatVector.fromArray(S, tile, r * NR + L).mul(alpha);
            if (cols == NR) {
                if (beta != 0f) {
                    lo = FloatVector.fromArray(S, c, row).fma(betaV, lo);
                    hi = FloatVector.fromArray(S, c, row + L).fma(betaV, hi);
                }
                lo.intoArray(c, row);
                hi.intoArray(c, row + L);
            } else {
                if (beta != 0f) {
                    lo = FloatVector.fromArray(S, c, row, maskLo).fma(betaV, lo);
                    hi = FloatVector.fromArray(S, c, row + L, maskHi).fma(betaV, hi);
                }
                lo.intoArray(c, row, maskLo);
                hi.intoArray(c, row + L, maskHi);
            }
        }
    }

    /** 12 x NR: 24 accumulators, 2 loads of B and 12 broadcasts of A per step of p (needs 32 registers). */
    private static void rows12(int kc, float[] a, int aOffset, MemorySegment b, long bByte,
                               float[] tile) {
        FloatVector lo0 = FloatVector.zero(S), hi0 = FloatVector.zero(S);
        FloatVector lo1 = FloatVector.zero(S), hi1 = FloatVector.zero(S);
        FloatVector lo2 = FloatVector.zero(S), hi2 = FloatVector.zero(S);
        FloatVector lo3 = FloatVector.zero(S), hi3 = FloatVector.zero(S);
        FloatVector lo4 = FloatVector.zero(S), hi4 = FloatVector.zero(S);
        FloatVector lo5 = FloatVector.zero(S), hi5 = FloatVector.zero(S);
        FloatVector lo6 = FloatVector.zero(S), hi6 = FloatVector.zero(S);
        FloatVector lo7 = FloatVector.zero(S), hi7 = FloatVector.zero(S);
        FloatVector lo8 = FloatVector.zero(S), hi8 = FloatVector.zero(S);
        FloatVector lo9 = FloatVector.zero(S), hi9 = FloatVector.zero(S);
        FloatVector lo10 = FloatVector.zero(S), hi10 = FloatVector.zero(S);
        FloatVector lo11 = FloatVector.zero(S), hi11 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aOffset + p * MR;
            long bp = bByte + (long) p * (NR * Float.BYTES);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bp, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bp + L * Float.BYTES, ORDER);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            lo0 = a0.fma(b0, lo0);
            hi0 = a0.fma(b1, hi0);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1]);
            lo1 = a1.fma(b0, lo1);
            hi1 = a1.fma(b1, hi1);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2]);
            lo2 = a2.fma(b0, lo2);
            hi2 = a2.fma(b1, hi2);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3]);
            lo3 = a3.fma(b0, lo3);
            hi3 = a3.fma(b1, hi3);
            FloatVector a4 = FloatVector.broadcast(S, a[ap + 4]);
            lo4 = a4.fma(b0, lo4);
            hi4 = a4.fma(b1, hi4);
            FloatVector a5 = FloatVector.broadcast(S, a[ap + 5]);
            lo5 = a5.fma(b0, lo5);
            hi5 = a5.fma(b1, hi5);
            FloatVector a6 = FloatVector.broadcast(S, a[ap + 6]);
            lo6 = a6.fma(b0, lo6);
            hi6 = a6.fma(b1, hi6);
            FloatVector a7 = FloatVector.broadcast(S, a[ap + 7]);
            lo7 = a7.fma(b0, lo7);
            hi7 = a7.fma(b1, hi7);
            FloatVector a8 = FloatVector.broadcast(S, a[ap + 8]);
            lo8 = a8.fma(b0, lo8);
            hi8 = a8.fma(b1, hi8);
            FloatVector a9 = FloatVector.broadcast(S, a[ap + 9]);
            lo9 = a9.fma(b0, lo9);
            hi9 = a9.fma(b1, hi9);
            FloatVector a10 = FloatVector.broadcast(S, a[ap + 10]);
            lo10 = a10.fma(b0, lo10);
            hi10 = a10.fma(b1, hi10);
            FloatVector a11 = FloatVector.broadcast(S, a[ap + 11]);
            lo11 = a11.fma(b0, lo11);
            hi11 = a11.fma(b1, hi11);
        }
        lo0.intoArray(tile, 0);
        hi0.intoArray(tile, L);
        lo1.intoArray(tile, 1 * NR);
        hi1.intoArray(tile, 1 * NR + L);
        lo2.intoArray(tile, 2 * NR);
        hi2.intoArray(tile, 2 * NR + L);
        lo3.intoArray(tile, 3 * NR);
        hi3.intoArray(tile, 3 * NR + L);
        lo4.intoArray(tile, 4 * NR);
        hi4.intoArray(tile, 4 * NR + L);
        lo5.intoArray(tile, 5 * NR);
        hi5.intoArray(tile, 5 * NR + L);
        lo6.intoArray(tile, 6 * NR);
        hi6.intoArray(tile, 6 * NR + L);
        lo7.intoArray(tile, 7 * NR);
        hi7.intoArray(tile, 7 * NR + L);
        lo8.intoArray(tile, 8 * NR);
        hi8.intoArray(tile, 8 * NR + L);
        lo9.intoArray(tile, 9 * NR);
        hi9.intoArray(tile, 9 * NR + L);
        lo10.intoArray(tile, 10 * NR);
        hi10.intoArray(tile, 10 * NR + L);
        lo11.intoArray(tile, 11 * NR);
        hi11.intoArray(tile, 11 * NR + L);
    }

    /** 8 x NR for row edges of 5 to 8 rows: 16 accumulators. */
    private static void rows8(int kc, float[] a, int aOffset, MemorySegment b, long bByte,
                               float[] tile) {
        FloatVector lo0 = FloatVector.zero(S), hi0 = FloatVector.zero(S);
        FloatVector lo1 = FloatVector.zero(S), hi1 = FloatVector.zero(S);
        FloatVector lo2 = FloatVector.zero(S), hi2 = FloatVector.zero(S);
        FloatVector lo3 = FloatVector.zero(S), hi3 = FloatVector.zero(S);
        FloatVector lo4 = FloatVector.zero(S), hi4 = FloatVector.zero(S);
        FloatVector lo5 = FloatVector.zero(S), hi5 = FloatVector.zero(S);
        FloatVector lo6 = FloatVector.zero(S), hi6 = FloatVector.zero(S);
        FloatVector lo7 = FloatVector.zero(S), hi7 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aOffset + p * MR;
            long bp = bByte + (long) p * (NR * Float.BYTES);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bp, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bp + L * Float.BYTES, ORDER);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            lo0 = a0.fma(b0, lo0);
            hi0 = a0.fma(b1, hi0);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1]);
            lo1 = a1.fma(b0, lo1);
            hi1 = a1.fma(b1, hi1);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2]);
            lo2 = a2.fma(b0, lo2);
            hi2 = a2.fma(b1, hi2);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3]);
            lo3 = a3.fma(b0, lo3);
            hi3 = a3.fma(b1, hi3);
            FloatVector a4 = FloatVector.broadcast(S, a[ap + 4]);
            lo4 = a4.fma(b0, lo4);
            hi4 = a4.fma(b1, hi4);
            FloatVector a5 = FloatVector.broadcast(S, a[ap + 5]);
            lo5 = a5.fma(b0, lo5);
            hi5 = a5.fma(b1, hi5);
            FloatVector a6 = FloatVector.broadcast(S, a[ap + 6]);
            lo6 = a6.fma(b0, lo6);
            hi6 = a6.fma(b1, hi6);
            FloatVector a7 = FloatVector.broadcast(S, a[ap + 7]);
            lo7 = a7.fma(b0, lo7);
            hi7 = a7.fma(b1, hi7);
        }
        lo0.intoArray(tile, 0);
        hi0.intoArray(tile, L);
        lo1.intoArray(tile, 1 * NR);
        hi1.intoArray(tile, 1 * NR + L);
        lo2.intoArray(tile, 2 * NR);
        hi2.intoArray(tile, 2 * NR + L);
        lo3.intoArray(tile, 3 * NR);
        hi3.intoArray(tile, 3 * NR + L);
        lo4.intoArray(tile, 4 * NR);
        hi4.intoArray(tile, 4 * NR + L);
        lo5.intoArray(tile, 5 * NR);
        hi5.intoArray(tile, 5 * NR + L);
        lo6.intoArray(tile, 6 * NR);
        hi6.intoArray(tile, 6 * NR + L);
        lo7.intoArray(tile, 7 * NR);
        hi7.intoArray(tile, 7 * NR + L);
    }

    /** 6 x NR, the full tile on 16-register machines (AVX2): 12 accumulators + 2 B vectors + 1 broadcast. */
    private static void rows6(int kc, float[] a, int aOffset, MemorySegment b, long bByte,
                               float[] tile) {
        FloatVector lo0 = FloatVector.zero(S), hi0 = FloatVector.zero(S);
        FloatVector lo1 = FloatVector.zero(S), hi1 = FloatVector.zero(S);
        FloatVector lo2 = FloatVector.zero(S), hi2 = FloatVector.zero(S);
        FloatVector lo3 = FloatVector.zero(S), hi3 = FloatVector.zero(S);
        FloatVector lo4 = FloatVector.zero(S), hi4 = FloatVector.zero(S);
        FloatVector lo5 = FloatVector.zero(S), hi5 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aOffset + p * MR;
            long bp = bByte + (long) p * (NR * Float.BYTES);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bp, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bp + L * Float.BYTES, ORDER);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            lo0 = a0.fma(b0, lo0);
            hi0 = a0.fma(b1, hi0);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1]);
            lo1 = a1.fma(b0, lo1);
            hi1 = a1.fma(b1, hi1);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2]);
            lo2 = a2.fma(b0, lo2);
            hi2 = a2.fma(b1, hi2);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3]);
            lo3 = a3.fma(b0, lo3);
            hi3 = a3.fma(b1, hi3);
            FloatVector a4 = FloatVector.broadcast(S, a[ap + 4]);
            lo4 = a4.fma(b0, lo4);
            hi4 = a4.fma(b1, hi4);
            FloatVector a5 = FloatVector.broadcast(S, a[ap + 5]);
            lo5 = a5.fma(b0, lo5);
            hi5 = a5.fma(b1, hi5);
        }
        lo0.intoArray(tile, 0);
        hi0.intoArray(tile, L);
        lo1.intoArray(tile, 1 * NR);
        hi1.intoArray(tile, 1 * NR + L);
        lo2.intoArray(tile, 2 * NR);
        hi2.intoArray(tile, 2 * NR + L);
        lo3.intoArray(tile, 3 * NR);
        hi3.intoArray(tile, 3 * NR + L);
        lo4.intoArray(tile, 4 * NR);
        hi4.intoArray(tile, 4 * NR + L);
        lo5.intoArray(tile, 5 * NR);
        hi5.intoArray(tile, 5 * NR + L);
    }

    /** 4 x NR for row edges of 1 to 4 rows: 8 accumulators, the fewest that keep both FMA pipes busy. */
    private static void rows4(int kc, float[] a, int aOffset, MemorySegment b, long bByte,
                               float[] tile) {
        FloatVector lo0 = FloatVector.zero(S), hi0 = FloatVector.zero(S);
        FloatVector lo1 = FloatVector.zero(S), hi1 = FloatVector.zero(S);
        FloatVector lo2 = FloatVector.zero(S), hi2 = FloatVector.zero(S);
        FloatVector lo3 = FloatVector.zero(S), hi3 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aOffset + p * MR;
            long bp = bByte + (long) p * (NR * Float.BYTES);
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, bp, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, bp + L * Float.BYTES, ORDER);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            lo0 = a0.fma(b0, lo0);
            hi0 = a0.fma(b1, hi0);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1]);
            lo1 = a1.fma(b0, lo1);
            hi1 = a1.fma(b1, hi1);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2]);
            lo2 = a2.fma(b0, lo2);
            hi2 = a2.fma(b1, hi2);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3]);
            lo3 = a3.fma(b0, lo3);
            hi3 = a3.fma(b1, hi3);
        }
        lo0.intoArray(tile, 0);
        hi0.intoArray(tile, L);
        lo1.intoArray(tile, 1 * NR);
        hi1.intoArray(tile, 1 * NR + L);
        lo2.intoArray(tile, 2 * NR);
        hi2.intoArray(tile, 2 * NR + L);
        lo3.intoArray(tile, 3 * NR);
        hi3.intoArray(tile, 3 * NR + L);
    }
}
