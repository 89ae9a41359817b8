package io.github.jrnn.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The vector kernels' {@link PackedMatrix}: op(B) (k x n) cut into k-blocks of {@link GemmBlocking#KC} rows (the
 * last one shorter), each block stored as the zero-padded NR-column panels of {@link GemmPacking#packB}, blocks
 * one after the other. Block {@code pc} (its first row) starts at {@code pc * paddedCols} and the panel holding
 * column {@code j} (a multiple of NR) of that block at {@code pc * paddedCols + j * kc}, exactly where
 * {@link BlockedGemm} would have packed it for one product, so a packed product skips B packing and nothing else
 * changes.
 *
 * <p>The panels live in 64-byte-aligned native memory ({@link VectorLanes#alignedFloats}, freed by the garbage
 * collector with this object), so every vector load of a panel row is one cache line: the batch-1 recurrence
 * ({@link VectorGemv#packedRow}) is bound by those loads.
 */
final class VectorPackedMatrix implements PackedMatrix {

    private int rows;
    private int cols;
    /** n rounded up to a whole number of panels. */
    private int paddedCols;
    /** The panels; read by the products, changed only by {@link #refill} (through {@code repackB}). */
    private MemorySegment panels;

    VectorPackedMatrix(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        this.panels = MemorySegment.NULL;
        refill(transB, k, n, b, bOffset, ldb);
    }

    /** Packs op(B) into this matrix, growing its storage only when it is too small. */
    VectorPackedMatrix refill(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        this.rows = k;
        this.cols = n;
        this.paddedCols = GemmPacking.ceilDiv(n, GemmMicroKernel.NR) * GemmMicroKernel.NR;
        int size = Math.multiplyExact(k, paddedCols);
        if (panels.byteSize() < (long) size * Float.BYTES) {
            panels = VectorLanes.alignedFloats(size);
        }
        for (int pc = 0; pc < k; pc += GemmBlocking.KC) {
            int kc = Math.min(GemmBlocking.KC, k - pc);
            int first = transB ? bOffset + pc : bOffset + pc * ldb;
            GemmPacking.packB(transB, b, first, ldb, kc, n, panels, pc * paddedCols);
        }
        return this;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    int paddedCols() {
        return paddedCols;
    }

    MemorySegment panels() {
        return panels;
    }

    /**
     * The argument {@code argument} of {@code kernel} as this class, or an IllegalArgumentException naming both and
     * the implementation that packed it.
     */
    static VectorPackedMatrix of(PackedMatrix packed, String kernel, String argument) {
        if (packed instanceof VectorPackedMatrix vector) {
            return vector;
        }
        throw new IllegalArgumentException(kernel + ": " + argument + " was packed by another Kernels implementation ("
                + packed.getClass().getSimpleName() + "); pack it with the vector kernels' packB");
    }

    @Override
    public String toString() {
        return "VectorPackedMatrix[" + rows + " x " + cols + "]";
    }
}
