package io.github.jrnn.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species and lane count every vector kernel computes with, in one place. They are {@code static final} so
 * the JIT treats them as constants: a species held in a non-constant field (or passed around as an argument)
 * defeats intrinsification and boxes vectors. Only touch this class after {@link KernelProvider} has checked that
 * {@code jdk.incubator.vector} is readable.
 */
final class VectorLanes {

    /** The machine's preferred float species (512 bits with AVX-512, 256 with AVX2, 128 with SSE / NEON). */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector of {@link #S}. */
    static final int L = S.length();
    /** Int lanes of the same shape as {@link #S} (as many lanes), for positions computed next to float lanes. */
    static final VectorSpecies<Integer> INT_S = S.withLanes(int.class);

    /** Byte order of the packed panels in native memory ({@link #alignedFloats}): the machine's own. */
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Alignment of packed panels: a cache line, which is also the widest vector (512 bits). */
    static final int PANEL_ALIGNMENT = 64;

    private VectorLanes() {
    }

    /**
     * Zeroed native memory for {@code floats} floats, starting on a {@value #PANEL_ALIGNMENT}-byte boundary and
     * freed by the garbage collector once unreachable ({@link Arena#ofAuto()}): the storage of packed B panels.
     *
     * <p>Why not a {@code float[]}: the products over packed panels are bound by loading them, and a vector load
     * that straddles two cache lines costs two. A Java array's elements start 16 bytes into an object that the
     * collector may place on any 8-byte boundary and move, so a 64-byte load from it is aligned only by chance (an
     * array of a megabyte or more is a G1 humongous object at a region start: never aligned). Measured on an
     * Intel Xeon with AVX-512 (LSTM hidden 256, the 1024 x 256 packed W_hh^T, one row times the matrix): 6.4 us
     * aligned, 9.7 us from an array at any other offset, 9.8 us from native memory 16 bytes off; the same whatever
     * the JIT. Panels live only in native segments (never heap ones): a load site that sees both kinds of segment
     * measured 5x slower.
     */
    static MemorySegment alignedFloats(long floats) {
        return Arena.ofAuto().allocate(Math.max(1, floats) * Float.BYTES, PANEL_ALIGNMENT);
    }

    /**
     * The lanes of the vector starting at element i that lie below n: all of them for a full vector, a prefix for
     * the tail. Loops that use it step over n in vectors of L and let the last one be masked.
     *
     * <h2>Masked tails and {@code loopBound} bodies: what each loop uses and why</h2>
     * <ul>
     *   <li>Element-wise, softmax and optimizer loops ({@link VectorKernels}, {@link VectorOptimizers}) and the
     *       unpacked small products ({@link DirectGemm}) run one loop body for every vector, the last one masked.
     *       The reason is correctness and size: every element goes through the same vector arithmetic (the
     *       activation polynomials have no scalar twin that rounds the same), and each body stays short, which the
     *       inlining budget needs (see {@link VectorCells}).</li>
     *   <li>The activation kernels ({@code tanh}, {@code sigmoid} of {@link VectorKernels}) and the cell passes
     *       ({@link VectorCells}) keep that one body but branch on whether the vector is whole: whole vectors load
     *       and store without a mask, only the ragged last one with it. Measured (JMH, one thread, Xeon with
     *       AVX-512, 4096 floats), a mask on every access against none but on the last vector (as a separate
     *       loop tail): sigmoid 605 000 -> 875 000 calls per second, tanh 556 000 -> 804 000; in a scratch
     *       benchmark of the sigmoid the one body with the branch ran as fast as that tail (880 000 against
     *       814 000), and a mask on every access, all-true or not, 500 000-600 000.</li>
     *   <li>The matrix-vector loops ({@link VectorGemv}: the dot product's four-vector unrolled body, the eight-row
     *       gemv body up to {@code S.loopBound(n)}) run unmasked and finish with masked vectors, so the unrolled
     *       accumulator chains carry no mask. Not measured against a fully masked loop either.</li>
     *   <li>Packed products ({@link GemmMicroKernel}) need neither: packing pads the panels with zeros, and only
     *       the final store is masked.</li>
     * </ul>
     * Change a form only with a measurement (JMH, with {@code -prof gc} for boxing) and write its numbers here.
     */
    static VectorMask<Float> tailMask(int i, int n) {
        return i + L <= n ? S.maskAll(true) : S.indexInRange(i, n);
    }
}
