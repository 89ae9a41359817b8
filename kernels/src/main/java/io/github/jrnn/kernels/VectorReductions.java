package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * Lane reductions in one fixed order, so that a kernel gives bit-identical results however the JVM runs it.
 *
 * <p>Why not {@code reduceLanes(VectorOperators.ADD)}: its summation order is unspecified, and in practice the
 * interpreter and C1 add the lanes left to right while C2's intrinsic adds them as a tree. The same call then
 * returns different last bits before and after the JIT compiles it, and a service would see two identical
 * requests answered differently. Here every step is a lane-wise add of the vector and a rotated copy of it
 * (rotation by L/2, then L/4, ..., 1), so the additions and their order are the same in every execution mode:
 * lane 0 ends up holding {@code ((x0 + x8) + (x4 + x12)) + ...}, the same pairwise tree every time.
 */
final class VectorReductions {


    // Rotations by a fixed number of lanes; constants, so C2 emits a single permute for each.
    private static final VectorShuffle<Float> ROTATE_32 = rotation(32);
    private static final VectorShuffle<Float> ROTATE_16 = rotation(16);
    private static final VectorShuffle<Float> ROTATE_8 = rotation(8);
    private static final VectorShuffle<Float> ROTATE_4 = rotation(4);
    private static final VectorShuffle<Float> ROTATE_2 = rotation(2);
    private static final VectorShuffle<Float> ROTATE_1 = rotation(1);

    private VectorReductions() {
    }

    private static VectorShuffle<Float> rotation(int lanes) {
        return VectorShuffle.fromOp(S, i -> (i + lanes) % L);
    }

    /** The sum of all lanes, added in a fixed pairwise order (see the class comment). */
    static float sum(FloatVector v) {
        // L is a constant: the JIT removes the steps a narrower species does not need.
        if (L >= 64) {
            v = v.add(v.rearrange(ROTATE_32));
        }
        if (L >= 32) {
            v = v.add(v.rearrange(ROTATE_16));
        }
        if (L >= 16) {
            v = v.add(v.rearrange(ROTATE_8));
        }
        if (L >= 8) {
            v = v.add(v.rearrange(ROTATE_4));
        }
        if (L >= 4) {
            v = v.add(v.rearrange(ROTATE_2));
        }
        if (L >= 2) {
            v = v.add(v.rearrange(ROTATE_1));
        }
        return v.lane(0);
    }
}
