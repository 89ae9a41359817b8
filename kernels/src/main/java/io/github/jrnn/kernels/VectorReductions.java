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

    /** Room for two vectors of lane partial sums per thread: see {@link #sum(float[], int)}. */
    private static final ThreadLocal<float[]> LANE_BUFFERS = ThreadLocal.withInitial(() -> new float[2 * L]);

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

    /**
     * The sum of the L floats at {@code lanes[offset..offset + L)} in {@link #sum(FloatVector)}'s order, for a loop
     * that stored its accumulator there ({@code acc.intoArray(lanes, offset)}) because it cannot pass it on; the L
     * floats are overwritten. The same additions of the same operands: each rotation step adds lane {@code i + d} to
     * lane i ({@code d = L/2, ..., 1}), and lane 0 of the result depends only on lanes {@code i < d} of each step,
     * which this computes one float at a time.
     *
     * <p>Why through memory, and with no vector here: a method whose loop inlines an activation has used most of
     * C2's inlining budget (NodeCountInliningCutoff, see {@link VectorCells}: one {@link VectorMath#exp} nearly fills
     * it), so a call after the loop may stay a real call, and a vector passed to a real call is boxed. This call
     * passes an array. A wrapper that loaded the vector and called {@link #sum(FloatVector)} was no answer: C2 left
     * that inner call a real call ("too big", its limit for call sites it does not find hot), boxing the vector.
     */
    static float sum(float[] lanes, int offset) {
        for (int d = L / 2; d >= 1; d /= 2) {
            for (int i = offset; i < offset + d; i++) {
                lanes[i] += lanes[i + d];
            }
        }
        return lanes[offset];
    }

    /** The calling thread's buffer of 2 L floats for {@link #sum(float[], int)} (contents undefined). */
    static float[] laneBuffer() {
        return LANE_BUFFERS.get();
    }
}
