package io.github.jrnn.kernels;

/**
 * Per-thread packing buffers of {@link BlockedGemm}, reused by every product the thread computes so that the
 * hot path allocates nothing once a thread has seen its largest blocks. Each buffer grows to the largest block
 * asked for and never beyond what the blocking bounds: A panels hold at most MC x KC floats (288 KB), B panels
 * at most KC x NC floats (6 MB, reached only by products with a packed-per-call B of n >= NC columns; a B read in
 * place needs one panel, KC x NR).
 *
 * <p>Thread confinement makes concurrent products safe: each calling thread and each pool worker packs into its
 * own buffers.
 */
final class GemmScratch {

    private static final ThreadLocal<GemmScratch> CURRENT = ThreadLocal.withInitial(GemmScratch::new);

    private float[] aPanels = new float[0];
    private float[] bPanels = new float[0];
    private final float[] tile = new float[GemmMicroKernel.MR * GemmMicroKernel.NR];

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

    /** The MR x NR buffer the micro-kernel hands its sums over in. */
    float[] tile() {
        return tile;
    }

    /** A buffer of at least {@code size} floats for B panels (contents undefined). */
    float[] bPanels(int size) {
        if (bPanels.length < size) {
            bPanels = new float[size];
        }
        return bPanels;
    }
}
