package io.github.jrnn.kernels;

import java.util.function.Function;

/**
 * The scalar reference of the strided data movement, {@code allClose} and {@code arange}
 * ({@link Kernels#copyStrided}, {@link Kernels#addStrided}, {@link Kernels#gather}, {@link Kernels#scatterAdd},
 * {@link Kernels#allClose}, {@link Kernels#arange}): the outer dimensions walked by {@link StridedWalk}, each inner
 * run a plain loop; the twin of {@link VectorMovement}. Split from {@link ScalarKernels} by family only, so each
 * file stays readable.
 */
abstract class ScalarMovement extends Kernels {

    /** See {@link Kernels#Kernels(Function)}. */
    ScalarMovement(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    ScalarMovement(Kernels checkedTwin) {
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
            for (int j = 0; j < sizes[last]; j++) {
                dst[walk.offset(1) + j * dstStrides[last]] = src[walk.offset(0) + j * srcStrides[last]];
            }
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
            for (int j = 0; j < sizes[last]; j++) {
                dst[walk.offset(1) + j * dstStrides[last]] += src[walk.offset(0) + j * srcStrides[last]];
            }
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
        do {
            for (int j = 0; j < sizes[last]; j++) {
                int at = (int) index[walk.offset(0) + j * indexStrides[last]];
                dst[walk.offset(2) + j * dstStrides[last]] = src[walk.offset(1) + j * walked[last]
                        + at * srcStrides[dim]];
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
        do {
            for (int j = 0; j < sizes[last]; j++) {
                int at = (int) index[walk.offset(0) + j * indexStrides[last]];
                dst[walk.offset(2) + j * walked[last] + at * dstStrides[dim]] += src[walk.offset(1)
                        + j * srcStrides[last]];
            }
        } while (walk.next());
    }

    @Override
    protected final boolean allCloseImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float rtol,
                                         float atol) {
        for (int i = 0; i < n; i++) {
            float x = a[aOffset + i];
            float y = b[bOffset + i];
            float error = Math.abs(x - y);
            boolean close = x == y || Float.isFinite(error) && error <= atol + Math.abs(rtol * y);
            if (!close) {
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
