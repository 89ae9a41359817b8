package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;
import static io.github.jrnn.kernels.VectorLanes.tailMask;

import java.util.function.Function;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The strided data movement, {@code allClose} and {@code arange} of the vector implementation
 * ({@link Kernels#copyStrided}, {@link Kernels#addStrided}, {@link Kernels#gather}, {@link Kernels#scatterAdd},
 * {@link Kernels#allClose}, {@link Kernels#arange}); one link of the chain that makes up {@link VectorKernels} (see
 * {@link VectorGemm}).
 *
 * <p>The outer dimensions are walked by {@link StridedWalk} as in the scalar reference; only an inner run that is
 * contiguous in both operands (or a broadcast source) is vectorised: a copy with {@link System#arraycopy} (the
 * JIT's own vectorised copy), an addition lane by lane. Other runs (a transposing permutation, a step, an index per
 * element, a sum into one element) keep the reference's scalar loop, whose additions happen in the same order, so
 * every result is bitwise the reference's.
 */
abstract class VectorMovement extends Kernels {

    VectorMovement(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    VectorMovement(Kernels checkedTwin) {
        super(checkedTwin);
    }

    @Override
    protected final void copyStridedImpl(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                         int dstOffset, int[] dstStrides) {
        if (StridedWalk.isEmpty(sizes)) {
            return;
        }
        int last = sizes.length - 1;
        StridedWalk walk = new StridedWalk(sizes, new int[] {srcOffset, dstOffset}, srcStrides, dstStrides);
        do {
            copyRun(sizes[last], src, walk.offset(0), srcStrides[last], dst, walk.offset(1), dstStrides[last]);
        } while (walk.next());
    }

    @Override
    protected final void addStridedImpl(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                        int dstOffset, int[] dstStrides) {
        if (StridedWalk.isEmpty(sizes)) {
            return;
        }
        int last = sizes.length - 1;
        StridedWalk walk = new StridedWalk(sizes, new int[] {srcOffset, dstOffset}, srcStrides, dstStrides);
        do {
            addRun(sizes[last], src, walk.offset(0), srcStrides[last], dst, walk.offset(1), dstStrides[last]);
        } while (walk.next());
    }

    @Override
    protected final void gatherImpl(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
                                    int srcDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                    int dstOffset, int[] dstStrides) {
        if (StridedWalk.isEmpty(sizes)) {
            return;
        }
        int last = sizes.length - 1;
        int[] walked = StridedWalk.alongIndex(srcStrides, dim);
        StridedWalk walk = new StridedWalk(sizes, new int[] {indexOffset, srcOffset, dstOffset}, indexStrides,
                walked, dstStrides);
        int n = sizes[last];
        do {
            int io = walk.offset(0);
            if (dim != last && indexStrides[last] == 0) { // one index value for the run (index_select)
                copyRun(n, src, walk.offset(1) + (int) index[io] * srcStrides[dim], walked[last], dst,
                        walk.offset(2), dstStrides[last]);
            } else {
                for (int j = 0; j < n; j++) {
                    int at = (int) index[io + j * indexStrides[last]];
                    dst[walk.offset(2) + j * dstStrides[last]] = src[walk.offset(1) + j * walked[last]
                            + at * srcStrides[dim]];
                }
            }
        } while (walk.next());
    }

    @Override
    protected final void scatterAddImpl(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
                                        int dstDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                        int dstOffset, int[] dstStrides) {
        if (StridedWalk.isEmpty(sizes)) {
            return;
        }
        int last = sizes.length - 1;
        int[] walked = StridedWalk.alongIndex(dstStrides, dim);
        StridedWalk walk = new StridedWalk(sizes, new int[] {indexOffset, srcOffset, dstOffset}, indexStrides,
                srcStrides, walked);
        int n = sizes[last];
        do {
            int io = walk.offset(0);
            if (dim != last && indexStrides[last] == 0) { // one index value for the run (index_select backward)
                addRun(n, src, walk.offset(1), srcStrides[last], dst,
                        walk.offset(2) + (int) index[io] * dstStrides[dim], walked[last]);
            } else {
                for (int j = 0; j < n; j++) {
                    int at = (int) index[io + j * indexStrides[last]];
                    dst[walk.offset(2) + j * walked[last] + at * dstStrides[dim]] += src[walk.offset(1)
                            + j * srcStrides[last]];
                }
            }
        } while (walk.next());
    }

    /** {@code dst[d + j dStride] = src[s + j sStride]} for j below n. */
    private static void copyRun(int n, float[] src, int s, int sStride, float[] dst, int d, int dStride) {
        if (sStride == 1 && dStride == 1) {
            System.arraycopy(src, s, dst, d, n);
        } else if (sStride == 0 && dStride == 1) {
            FloatVector value = FloatVector.broadcast(S, src[s]);
            for (int j = 0; j < n; j += L) {
                value.intoArray(dst, d + j, tailMask(j, n));
            }
        } else {
            for (int j = 0; j < n; j++) {
                dst[d + j * dStride] = src[s + j * sStride];
            }
        }
    }

    /** {@code dst[d + j dStride] += src[s + j sStride]} for j below n, in the order of j. */
    private static void addRun(int n, float[] src, int s, int sStride, float[] dst, int d, int dStride) {
        if (dStride == 1 && (sStride == 1 || sStride == 0)) { // element-wise: any lane order rounds the same
            FloatVector broadcast = FloatVector.broadcast(S, sStride == 0 ? src[s] : 0f);
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> mask = tailMask(j, n);
                FloatVector add = sStride == 0 ? broadcast : FloatVector.fromArray(S, src, s + j, mask);
                FloatVector.fromArray(S, dst, d + j, mask).add(add).intoArray(dst, d + j, mask);
            }
        } else {
            for (int j = 0; j < n; j++) {
                dst[d + j * dStride] += src[s + j * sStride];
            }
        }
    }

    @Override
    protected final boolean allCloseImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float rtol,
                                         float atol) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector x = FloatVector.fromArray(S, a, aOffset + i, mask);
            FloatVector y = FloatVector.fromArray(S, b, bOffset + i, mask);
            FloatVector error = x.sub(y).abs();
            FloatVector allowed = y.mul(rtol).abs().add(atol);
            VectorMask<Float> close = x.compare(VectorOperators.EQ, y)
                    .or(error.test(VectorOperators.IS_FINITE).and(error.compare(VectorOperators.LE, allowed)));
            if (mask.andNot(close).anyTrue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected final void arangeImpl(int n, double start, double step, float[] x, int xOffset) {
        TorchArange.fill(n, start, step, x, xOffset);
    }
}
