package io.github.jrnn.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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
 *
 * <p>A matrix of recurrent weights also has a second, gate-major form built from the panels on first use
 * ({@link #gateRowPanels}) for the products of {@link GateMajorLayer}; it doubles the memory the weights take and
 * is dropped whenever the matrix is repacked.
 */
final class VectorPackedMatrix implements PackedMatrix {

    private int rows;
    private int cols;
    /** n rounded up to a whole number of panels. */
    private int paddedCols;
    /** The panels; read by the products, changed only by {@link #refill} (through {@code repackB}). */
    private MemorySegment panels;
    /**
     * The direction of the last one-row product's pass over the panels ({@link #nextRowOrder}). Plain: threads that
     * share the matrix may see each other's flips late or lose one, which changes only the order of a pass.
     */
    private boolean rowsDescending;
    /** {@link #gateRowPanels}' copy, or null until asked for (and after a refill). */
    private volatile GateRows gateRows;

    /** The gate-major form of this matrix for {@code gates} gates. */
    private record GateRows(int gates, float[] panels) {
    }

    VectorPackedMatrix(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        this.panels = MemorySegment.NULL;
        refill(transB, k, n, b, bOffset, ldb);
    }

    /** Packs op(B) into this matrix, growing its storage only when it is too small. */
    VectorPackedMatrix refill(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        this.gateRows = null;
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
     * This matrix as the A operand of a product with its rows and columns swapped: {@code W = op(B)^T} (n x k, row j
     * of W being column j of op(B)), whose n rows are taken as {@code gates} blocks of {@code hidden = n / gates}
     * rows (W_ih or W_hh of a recurrent layer: one block per gate), each block packed like {@link GemmPacking#packA}
     * packs A: {@code hp = ceil(hidden / MR)} panels of MR rows, the last zero-padded, so that no panel holds two
     * gates. Per k-block {@code pc} of {@link GemmBlocking#KC} rows (kc rows, the last block shorter) the panels
     * follow each other, panel {@code g * hp + up} (gate g, units from {@code up * MR}) at float index
     * {@code pc * gates * hp * MR + (g * hp + up) * kc * MR}, its element (r, p) at {@code p * MR + r}. Built on
     * first use from the panels (so it has their values exactly) and kept until the next {@link #refill}; threads
     * racing on the first use may each build it, with the same contents.
     *
     * @param gates the gate blocks, dividing the columns
     * @return the panels (not to be written)
     */
    float[] gateRowPanels(int gates) {
        GateRows built = gateRows;
        if (built == null || built.gates() != gates) {
            built = new GateRows(gates, buildGateRows(gates));
            gateRows = built;
        }
        return built.panels();
    }

    /**
     * Flips the direction in which the next one-row product passes over the panels and returns it (true:
     * descending): see {@link VectorGemv#packedRow(float, float[], int, int, VectorPackedMatrix, int, int, float,
     * float[], int, float[], int, boolean)}. The sums do not depend on it.
     */
    boolean nextRowOrder() {
        rowsDescending = !rowsDescending;
        return rowsDescending;
    }

    /** Whether {@link #gateRowPanels} has been built since the last packing (for tests: which path a call took). */
    boolean hasGateRowPanels() {
        return gateRows != null;
    }

    private float[] buildGateRows(int gates) {
        int mr = GemmMicroKernel.MR;
        int nr = GemmMicroKernel.NR;
        int hidden = cols / gates;
        int hp = GemmPacking.ceilDiv(hidden, mr);
        float[] out = new float[Math.multiplyExact(rows, gates * hp * mr)];
        for (int pc = 0; pc < rows; pc += GemmBlocking.KC) {
            int kc = Math.min(GemmBlocking.KC, rows - pc);
            long block = (long) pc * paddedCols;
            for (int j = 0; j < cols; j++) {
                int g = j / hidden;
                int u = j - g * hidden;
                int panel = pc * gates * hp * mr + (g * hp + u / mr) * kc * mr + u % mr;
                long source = block + (long) (j / nr) * nr * kc + j % nr; // op(B)[pc][j] in its panel
                for (int p = 0; p < kc; p++) {
                    out[panel + p * mr] = panels.getAtIndex(ValueLayout.JAVA_FLOAT,
                            source + (long) p * nr);
                }
            }
        }
        return out;
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
