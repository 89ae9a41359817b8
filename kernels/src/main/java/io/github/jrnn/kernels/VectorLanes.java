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

    private VectorLanes() {
    }

    /**
     * The lanes of the vector starting at element i that lie below n: all of them for a full vector, a prefix for
     * the tail. Loops that use it step over n in vectors of L and let the last one be masked ({@code maskAll} is a
     * constant, so the full vectors cost no mask computation).
     */
    static VectorMask<Float> tailMask(int i, int n) {
        return i + L <= n ? S.maskAll(true) : S.indexInRange(i, n);
    }
}
