package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.INT_S;
import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * An L x L block transpose in registers (L = the vector lane count: 4, 8 or 16), for the copies that turn rows of
 * a matrix into the column-interleaved layout of a packed panel ({@link GemmPacking}): row j of the block, L
 * consecutive floats from {@code a[src + j * ld]}, becomes lane j of the L output vectors, output vector q
 * (element q of every row) going to {@code out[outOffset + q * outStride]}.
 *
 * <p>The transpose is log2(L) stages; stage s swaps the off-diagonal 2^s x 2^s blocks of each 2^(s+1) x 2^(s+1)
 * block, which for each pair of rows (r, r + 2^s) is one two-source lane selection per output row
 * ({@link IntVector#selectFrom(jdk.incubator.vector.Vector, jdk.incubator.vector.Vector)} on the lanes' bits, one
 * permute instruction on AVX-512; with a float index vector C2 converted the indices lane by lane, with checks, at
 * every call). Rows from {@code rows} on read as zero. Every output vector is stored whole, all L lanes: a caller
 * whose output stride is below L (an A panel of MR = 12 rows at L = 16) lets each vector's extra lanes fall into
 * the next slot, which the next vector overwrites, and writes the slot after the last vector itself. (A masked
 * store of the last vector, with a mask made in a method this long, left C2 a mask object to allocate: 48 bytes
 * per product.)
 *
 * <p>Written out once per lane count, with every vector in a local: vectors kept in an array are boxed (measured
 * 3-14x slower than the scalar copy). Measured against the scalar scatter it replaces, blocked as in
 * {@link GemmPacking} (a B^T panel, one thread, Xeon family 6 model 167, float index vectors then): 0.17 against
 * 0.34 ns per float at 512 bits, 0.20 against 0.34 at 256, 0.16 against 0.27 at 128.
 */
final class LaneTranspose {

    // Stage s of a pair of rows (r, r + 2^s): LOW_s makes output row r (lanes l with bit s clear from row r, set from
    // row r + 2^s at l - 2^s), HIGH_s output row r + 2^s (clear from row r at l + 2^s, set from row r + 2^s). In
    // fields, not an array: C2 knows a constant field's exact vector class and keeps its lanes in a register. Stages
    // past log2(L) are not used at that width.
    private static final IntVector LOW_0 = selection(0, false);
    private static final IntVector LOW_1 = selection(1, false);
    private static final IntVector LOW_2 = selection(2, false);
    private static final IntVector LOW_3 = selection(3, false);
    private static final IntVector HIGH_0 = selection(0, true);
    private static final IntVector HIGH_1 = selection(1, true);
    private static final IntVector HIGH_2 = selection(2, true);
    private static final IntVector HIGH_3 = selection(3, true);

    private LaneTranspose() {
    }

    /**
     * Transposes the L x L block whose row j is {@code a[src + j * ld ..]} (rows from {@code rows} on as zero)
     * into L vectors at {@code out[outOffset + q * outStride]}, each stored whole.
     */
    static void transpose(float[] a, int src, int ld, int rows, float[] out, int outOffset, int outStride) {
        if (L == 16) {
            lanes16(a, src, ld, rows, out, outOffset, outStride);
        } else if (L == 8) {
            lanes8(a, src, ld, rows, out, outOffset, outStride);
        } else {
            lanes4(a, src, ld, rows, out, outOffset, outStride);
        }
    }

    /** The index vector of one stage and output row (lane values index the two sources side by side, 0 .. 2L - 1). */
    private static IntVector selection(int stage, boolean high) {
        int w = 1 << stage;
        int[] index = new int[L];
        for (int l = 0; l < L; l++) {
            boolean fromSecond = (l & w) != 0;
            index[l] = (high ? (fromSecond ? L + l : l + w) : (fromSecond ? L + l - w : l)) % (2 * L);
        }
        return IntVector.fromArray(INT_S, index, 0);
    }

    /** 16 lanes: 4 stages of two-source selections. */
    private static void lanes16(float[] a, int src, int ld, int rows, float[] out, int outOffset,
                                int outStride) {
        IntVector r0 = 0 < rows ? FloatVector.fromArray(S, a, src + 0 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r1 = 1 < rows ? FloatVector.fromArray(S, a, src + 1 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r2 = 2 < rows ? FloatVector.fromArray(S, a, src + 2 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r3 = 3 < rows ? FloatVector.fromArray(S, a, src + 3 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r4 = 4 < rows ? FloatVector.fromArray(S, a, src + 4 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r5 = 5 < rows ? FloatVector.fromArray(S, a, src + 5 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r6 = 6 < rows ? FloatVector.fromArray(S, a, src + 6 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r7 = 7 < rows ? FloatVector.fromArray(S, a, src + 7 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r8 = 8 < rows ? FloatVector.fromArray(S, a, src + 8 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r9 = 9 < rows ? FloatVector.fromArray(S, a, src + 9 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r10 = 10 < rows ? FloatVector.fromArray(S, a, src + 10 * ld).reinterpretAsInts()
                : IntVector.zero(INT_S);
        IntVector r11 = 11 < rows ? FloatVector.fromArray(S, a, src + 11 * ld).reinterpretAsInts()
                : IntVector.zero(INT_S);
        IntVector r12 = 12 < rows ? FloatVector.fromArray(S, a, src + 12 * ld).reinterpretAsInts()
                : IntVector.zero(INT_S);
        IntVector r13 = 13 < rows ? FloatVector.fromArray(S, a, src + 13 * ld).reinterpretAsInts()
                : IntVector.zero(INT_S);
        IntVector r14 = 14 < rows ? FloatVector.fromArray(S, a, src + 14 * ld).reinterpretAsInts()
                : IntVector.zero(INT_S);
        IntVector r15 = 15 < rows ? FloatVector.fromArray(S, a, src + 15 * ld).reinterpretAsInts()
                : IntVector.zero(INT_S);
        IntVector s0_0 = LOW_0.selectFrom(r0, r1);
        IntVector s0_1 = HIGH_0.selectFrom(r0, r1);
        IntVector s0_2 = LOW_0.selectFrom(r2, r3);
        IntVector s0_3 = HIGH_0.selectFrom(r2, r3);
        IntVector s0_4 = LOW_0.selectFrom(r4, r5);
        IntVector s0_5 = HIGH_0.selectFrom(r4, r5);
        IntVector s0_6 = LOW_0.selectFrom(r6, r7);
        IntVector s0_7 = HIGH_0.selectFrom(r6, r7);
        IntVector s0_8 = LOW_0.selectFrom(r8, r9);
        IntVector s0_9 = HIGH_0.selectFrom(r8, r9);
        IntVector s0_10 = LOW_0.selectFrom(r10, r11);
        IntVector s0_11 = HIGH_0.selectFrom(r10, r11);
        IntVector s0_12 = LOW_0.selectFrom(r12, r13);
        IntVector s0_13 = HIGH_0.selectFrom(r12, r13);
        IntVector s0_14 = LOW_0.selectFrom(r14, r15);
        IntVector s0_15 = HIGH_0.selectFrom(r14, r15);
        IntVector s1_0 = LOW_1.selectFrom(s0_0, s0_2);
        IntVector s1_2 = HIGH_1.selectFrom(s0_0, s0_2);
        IntVector s1_1 = LOW_1.selectFrom(s0_1, s0_3);
        IntVector s1_3 = HIGH_1.selectFrom(s0_1, s0_3);
        IntVector s1_4 = LOW_1.selectFrom(s0_4, s0_6);
        IntVector s1_6 = HIGH_1.selectFrom(s0_4, s0_6);
        IntVector s1_5 = LOW_1.selectFrom(s0_5, s0_7);
        IntVector s1_7 = HIGH_1.selectFrom(s0_5, s0_7);
        IntVector s1_8 = LOW_1.selectFrom(s0_8, s0_10);
        IntVector s1_10 = HIGH_1.selectFrom(s0_8, s0_10);
        IntVector s1_9 = LOW_1.selectFrom(s0_9, s0_11);
        IntVector s1_11 = HIGH_1.selectFrom(s0_9, s0_11);
        IntVector s1_12 = LOW_1.selectFrom(s0_12, s0_14);
        IntVector s1_14 = HIGH_1.selectFrom(s0_12, s0_14);
        IntVector s1_13 = LOW_1.selectFrom(s0_13, s0_15);
        IntVector s1_15 = HIGH_1.selectFrom(s0_13, s0_15);
        IntVector s2_0 = LOW_2.selectFrom(s1_0, s1_4);
        IntVector s2_4 = HIGH_2.selectFrom(s1_0, s1_4);
        IntVector s2_1 = LOW_2.selectFrom(s1_1, s1_5);
        IntVector s2_5 = HIGH_2.selectFrom(s1_1, s1_5);
        IntVector s2_2 = LOW_2.selectFrom(s1_2, s1_6);
        IntVector s2_6 = HIGH_2.selectFrom(s1_2, s1_6);
        IntVector s2_3 = LOW_2.selectFrom(s1_3, s1_7);
        IntVector s2_7 = HIGH_2.selectFrom(s1_3, s1_7);
        IntVector s2_8 = LOW_2.selectFrom(s1_8, s1_12);
        IntVector s2_12 = HIGH_2.selectFrom(s1_8, s1_12);
        IntVector s2_9 = LOW_2.selectFrom(s1_9, s1_13);
        IntVector s2_13 = HIGH_2.selectFrom(s1_9, s1_13);
        IntVector s2_10 = LOW_2.selectFrom(s1_10, s1_14);
        IntVector s2_14 = HIGH_2.selectFrom(s1_10, s1_14);
        IntVector s2_11 = LOW_2.selectFrom(s1_11, s1_15);
        IntVector s2_15 = HIGH_2.selectFrom(s1_11, s1_15);
        IntVector s3_0 = LOW_3.selectFrom(s2_0, s2_8);
        IntVector s3_8 = HIGH_3.selectFrom(s2_0, s2_8);
        IntVector s3_1 = LOW_3.selectFrom(s2_1, s2_9);
        IntVector s3_9 = HIGH_3.selectFrom(s2_1, s2_9);
        IntVector s3_2 = LOW_3.selectFrom(s2_2, s2_10);
        IntVector s3_10 = HIGH_3.selectFrom(s2_2, s2_10);
        IntVector s3_3 = LOW_3.selectFrom(s2_3, s2_11);
        IntVector s3_11 = HIGH_3.selectFrom(s2_3, s2_11);
        IntVector s3_4 = LOW_3.selectFrom(s2_4, s2_12);
        IntVector s3_12 = HIGH_3.selectFrom(s2_4, s2_12);
        IntVector s3_5 = LOW_3.selectFrom(s2_5, s2_13);
        IntVector s3_13 = HIGH_3.selectFrom(s2_5, s2_13);
        IntVector s3_6 = LOW_3.selectFrom(s2_6, s2_14);
        IntVector s3_14 = HIGH_3.selectFrom(s2_6, s2_14);
        IntVector s3_7 = LOW_3.selectFrom(s2_7, s2_15);
        IntVector s3_15 = HIGH_3.selectFrom(s2_7, s2_15);
        s3_0.reinterpretAsFloats().intoArray(out, outOffset + 0 * outStride);
        s3_1.reinterpretAsFloats().intoArray(out, outOffset + 1 * outStride);
        s3_2.reinterpretAsFloats().intoArray(out, outOffset + 2 * outStride);
        s3_3.reinterpretAsFloats().intoArray(out, outOffset + 3 * outStride);
        s3_4.reinterpretAsFloats().intoArray(out, outOffset + 4 * outStride);
        s3_5.reinterpretAsFloats().intoArray(out, outOffset + 5 * outStride);
        s3_6.reinterpretAsFloats().intoArray(out, outOffset + 6 * outStride);
        s3_7.reinterpretAsFloats().intoArray(out, outOffset + 7 * outStride);
        s3_8.reinterpretAsFloats().intoArray(out, outOffset + 8 * outStride);
        s3_9.reinterpretAsFloats().intoArray(out, outOffset + 9 * outStride);
        s3_10.reinterpretAsFloats().intoArray(out, outOffset + 10 * outStride);
        s3_11.reinterpretAsFloats().intoArray(out, outOffset + 11 * outStride);
        s3_12.reinterpretAsFloats().intoArray(out, outOffset + 12 * outStride);
        s3_13.reinterpretAsFloats().intoArray(out, outOffset + 13 * outStride);
        s3_14.reinterpretAsFloats().intoArray(out, outOffset + 14 * outStride);
        s3_15.reinterpretAsFloats().intoArray(out, outOffset + 15 * outStride);
    }

    /** 8 lanes: 3 stages of two-source selections. */
    private static void lanes8(float[] a, int src, int ld, int rows, float[] out, int outOffset,
                                int outStride) {
        IntVector r0 = 0 < rows ? FloatVector.fromArray(S, a, src + 0 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r1 = 1 < rows ? FloatVector.fromArray(S, a, src + 1 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r2 = 2 < rows ? FloatVector.fromArray(S, a, src + 2 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r3 = 3 < rows ? FloatVector.fromArray(S, a, src + 3 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r4 = 4 < rows ? FloatVector.fromArray(S, a, src + 4 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r5 = 5 < rows ? FloatVector.fromArray(S, a, src + 5 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r6 = 6 < rows ? FloatVector.fromArray(S, a, src + 6 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r7 = 7 < rows ? FloatVector.fromArray(S, a, src + 7 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector s0_0 = LOW_0.selectFrom(r0, r1);
        IntVector s0_1 = HIGH_0.selectFrom(r0, r1);
        IntVector s0_2 = LOW_0.selectFrom(r2, r3);
        IntVector s0_3 = HIGH_0.selectFrom(r2, r3);
        IntVector s0_4 = LOW_0.selectFrom(r4, r5);
        IntVector s0_5 = HIGH_0.selectFrom(r4, r5);
        IntVector s0_6 = LOW_0.selectFrom(r6, r7);
        IntVector s0_7 = HIGH_0.selectFrom(r6, r7);
        IntVector s1_0 = LOW_1.selectFrom(s0_0, s0_2);
        IntVector s1_2 = HIGH_1.selectFrom(s0_0, s0_2);
        IntVector s1_1 = LOW_1.selectFrom(s0_1, s0_3);
        IntVector s1_3 = HIGH_1.selectFrom(s0_1, s0_3);
        IntVector s1_4 = LOW_1.selectFrom(s0_4, s0_6);
        IntVector s1_6 = HIGH_1.selectFrom(s0_4, s0_6);
        IntVector s1_5 = LOW_1.selectFrom(s0_5, s0_7);
        IntVector s1_7 = HIGH_1.selectFrom(s0_5, s0_7);
        IntVector s2_0 = LOW_2.selectFrom(s1_0, s1_4);
        IntVector s2_4 = HIGH_2.selectFrom(s1_0, s1_4);
        IntVector s2_1 = LOW_2.selectFrom(s1_1, s1_5);
        IntVector s2_5 = HIGH_2.selectFrom(s1_1, s1_5);
        IntVector s2_2 = LOW_2.selectFrom(s1_2, s1_6);
        IntVector s2_6 = HIGH_2.selectFrom(s1_2, s1_6);
        IntVector s2_3 = LOW_2.selectFrom(s1_3, s1_7);
        IntVector s2_7 = HIGH_2.selectFrom(s1_3, s1_7);
        s2_0.reinterpretAsFloats().intoArray(out, outOffset + 0 * outStride);
        s2_1.reinterpretAsFloats().intoArray(out, outOffset + 1 * outStride);
        s2_2.reinterpretAsFloats().intoArray(out, outOffset + 2 * outStride);
        s2_3.reinterpretAsFloats().intoArray(out, outOffset + 3 * outStride);
        s2_4.reinterpretAsFloats().intoArray(out, outOffset + 4 * outStride);
        s2_5.reinterpretAsFloats().intoArray(out, outOffset + 5 * outStride);
        s2_6.reinterpretAsFloats().intoArray(out, outOffset + 6 * outStride);
        s2_7.reinterpretAsFloats().intoArray(out, outOffset + 7 * outStride);
    }

    /** 4 lanes: 2 stages of two-source selections. */
    private static void lanes4(float[] a, int src, int ld, int rows, float[] out, int outOffset,
                                int outStride) {
        IntVector r0 = 0 < rows ? FloatVector.fromArray(S, a, src + 0 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r1 = 1 < rows ? FloatVector.fromArray(S, a, src + 1 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r2 = 2 < rows ? FloatVector.fromArray(S, a, src + 2 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector r3 = 3 < rows ? FloatVector.fromArray(S, a, src + 3 * ld).reinterpretAsInts() : IntVector.zero(INT_S);
        IntVector s0_0 = LOW_0.selectFrom(r0, r1);
        IntVector s0_1 = HIGH_0.selectFrom(r0, r1);
        IntVector s0_2 = LOW_0.selectFrom(r2, r3);
        IntVector s0_3 = HIGH_0.selectFrom(r2, r3);
        IntVector s1_0 = LOW_1.selectFrom(s0_0, s0_2);
        IntVector s1_2 = HIGH_1.selectFrom(s0_0, s0_2);
        IntVector s1_1 = LOW_1.selectFrom(s0_1, s0_3);
        IntVector s1_3 = HIGH_1.selectFrom(s0_1, s0_3);
        s1_0.reinterpretAsFloats().intoArray(out, outOffset + 0 * outStride);
        s1_1.reinterpretAsFloats().intoArray(out, outOffset + 1 * outStride);
        s1_2.reinterpretAsFloats().intoArray(out, outOffset + 2 * outStride);
        s1_3.reinterpretAsFloats().intoArray(out, outOffset + 3 * outStride);
    }
}
