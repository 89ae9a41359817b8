package io.github.jrnn.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Per-thread packing buffers of {@link BlockedGemm}, the jobs that split a product over threads and the slices of a
 * recurrent backward's steps, reused by every product the thread computes so that the hot path allocates nothing
 * once a thread has seen its largest blocks. Each buffer grows to the largest block asked for and never beyond
 * what the blocking bounds: A panels hold at most MC x KC floats (288 KB), B panels at most KC x NC floats (6 MB,
 * reached only by products of n >= NC columns). B panels are 64-byte-aligned native memory like a
 * {@link VectorPackedMatrix}'s, so that {@link GemmMicroKernel} reads one kind of storage.
 *
 * <p>Thread confinement makes concurrent products safe: each calling thread and each pool worker packs into its
 * own buffers.
 */
final class GemmScratch {

    private static final ThreadLocal<GemmScratch> CURRENT = ThreadLocal.withInitial(GemmScratch::new);

    private float[] aPanels = new float[0];
    private MemorySegment bPanels = MemorySegment.NULL;
    private final float[] tile = new float[GemmMicroKernel.MR * GemmMicroKernel.NR];
    private final float[] transposeStage = new float[VectorLanes.L * GemmMicroKernel.NR];
    private VectorGemv.RowSplit rowSplit;
    private ProductSplit productSplit;
    private GateMajorLayer gateMajorLayer;
    /** The operand slices of one backward step: dh, h, workspace, cPrev, c, dc, dIg, dHg, the GRU's direct dh. */
    static final int BACKWARD_SLICES = 9;
    private MatrixSlice[] backwardSlices;

    private GemmScratch() {
    }

    /** The calling thread's buffers. */
    static GemmScratch current() {
        return CURRENT.get();
    }

    /** A buffer of at least {@code size} floats for A panels (contents undefined). */
    float[] aPanels(int size) {
        if (aPanels.length < size) {
            aPanels = new float[size];
        }
        return aPanels;
    }

    /** L x NR floats: L rows of a B panel, transposed from B^T in registers before they are copied in. */
    float[] transposeStage() {
        return transposeStage;
    }

    /** The MR x NR buffer the micro-kernel hands its sums over in. */
    float[] tile() {
        return tile;
    }

    /**
     * This thread's {@link LayerLoops#backwardRows} operand slices (created on first use), pointed at each
     * step's rows in turn, so that a backward pass allocates none. That loop calls no kernel that uses them.
     */
    MatrixSlice[] backwardSlices() {
        if (backwardSlices == null) {
            backwardSlices = new MatrixSlice[BACKWARD_SLICES];
            for (int i = 0; i < BACKWARD_SLICES; i++) {
                backwardSlices[i] = new MatrixSlice();
            }
        }
        return backwardSlices;
    }

    /** This thread's reusable split of one-row packed products (created on first use). */
    VectorGemv.RowSplit rowSplit() {
        if (rowSplit == null) {
            rowSplit = new VectorGemv.RowSplit();
        }
        return rowSplit;
    }

    /** This thread's reusable split of blocked products (created on first use). */
    ProductSplit productSplit() {
        if (productSplit == null) {
            productSplit = new ProductSplit();
        }
        return productSplit;
    }

    /** This thread's reusable gate-major layer: its state buffers (created on first use). */
    GateMajorLayer gateMajorLayer() {
        if (gateMajorLayer == null) {
            gateMajorLayer = new GateMajorLayer();
        }
        return gateMajorLayer;
    }

    /** A buffer of at least {@code size} floats for B panels (contents undefined). */
    MemorySegment bPanels(int size) {
        if (bPanels.byteSize() < (long) size * Float.BYTES) {
            bPanels = VectorLanes.alignedFloats(size);
        }
        return bPanels;
    }
}
