package io.github.jrnn.kernels;

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

    private VectorLanes() {
    }

    /**
     * The lanes of the vector starting at element i that lie below n: all of them for a full vector, a prefix for
     * the tail. Loops that use it step over n in vectors of L and let the last one be masked.
     *
     * <h2>Masked tails and {@code loopBound} bodies: what each loop uses and why</h2>
     * <ul>
     *   <li>Element-wise, activation, softmax, cell and optimizer loops ({@link VectorKernels}, {@link VectorCells},
     *       {@link VectorOptimizers}) and the unpacked small products ({@link DirectGemm}) run one loop body for
     *       every vector, the last one masked. The reason is correctness and size, not speed: every element goes
     *       through the same vector arithmetic (the activation polynomials have no scalar twin that rounds the
     *       same), and each cell pass stays one short body, which its inlining budget needs (see
     *       {@link VectorCells}). This form was not measured against a {@code loopBound} body plus a scalar
     *       tail.</li>
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
