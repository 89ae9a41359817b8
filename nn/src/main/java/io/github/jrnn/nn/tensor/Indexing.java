package io.github.jrnn.nn.tensor;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.autograd.GradNode;

/**
 * Reading by integer index along a dimension: {@link Tensor#indexSelect} and {@link Tensor#gather}, both one
 * {@code gather} kernel call (index_select's index has stride 0 in every dimension but {@code dim}); their backward
 * is one {@code scatterAdd} into zeros of the input's shape, so duplicate indices accumulate. Index values are
 * checked here, with PyTorch 1.13's texts and a hint, before any kernel runs.
 */
final class Indexing {

    private Indexing() {
    }

    static Tensor indexSelect(Tensor x, int dim, LongTensor index) {
        if (index == null) {
            throw new IllegalArgumentException("index_select(): index must not be null");
        }
        int[] shape = x.dim() == 0 ? new int[] {1} : x.shape();
        int d = Strided.wrapDim(dim, x.dim());
        if (index.shape().length > 1) {
            throw new IllegalArgumentException("index_select(): Index is supposed to be a vector; hint: got index"
                    + " shape " + Strided.shape(index.shape()) + ", flatten it or use gather()");
        }
        long[] values = index.data();
        for (long v : values) {
            if (v < 0 || v >= shape[d]) {
                throw new IndexOutOfBoundsException("INDICES element is out of DATA bounds, id=" + v + " axis_dim="
                        + shape[d] + "; hint: index_select takes indices 0 to " + (shape[d] - 1) + " of dimension "
                        + d + " (no negative indices)");
            }
        }
        int[] sizes = shape.clone();
        sizes[d] = values.length;
        int[] indexStrides = new int[sizes.length];
        indexStrides[d] = 1;
        int[] outShape = x.dim() == 0 ? index.shape() : sizes;
        return gathered(x, d, sizes, outShape, index, indexStrides, "IndexSelectBackward0");
    }

    static Tensor gather(Tensor x, int dim, LongTensor index) {
        if (index == null) {
            throw new IllegalArgumentException("gather(): index must not be null");
        }
        int[] shape = x.dim() == 0 ? new int[] {1} : x.shape();
        int[] indexShape = index.shape().length == 0 ? new int[] {1} : index.shape();
        int d = Strided.wrapDim(dim, x.dim());
        if (index.shape().length != x.dim() && !(x.dim() <= 1 && index.shape().length <= 1)) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input"
                    + " tensor; hint: input shape " + Strided.shape(x.shape()) + ", index shape "
                    + Strided.shape(index.shape()));
        }
        for (int i = 0; i < shape.length; i++) {
            if (i != d && indexShape[i] > shape[i]) {
                throw new IllegalArgumentException("Size does not match at dimension " + i + " expected index "
                        + Strided.shape(index.shape()) + " to be smaller than self " + Strided.shape(x.shape())
                        + " apart from dimension " + d);
            }
        }
        for (long v : index.data()) {
            if (v < 0 || v >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + d
                        + " with size " + shape[d] + "; hint: gather takes indices 0 to " + (shape[d] - 1)
                        + " (no negative indices)");
            }
        }
        return gathered(x, d, indexShape, index.shape(), index, Strided.contiguous(indexShape), "GatherBackward0");
    }

    private static Tensor gathered(Tensor x, int d, int[] sizes, int[] outShape, LongTensor index,
                                   int[] indexStrides, String node) {
        int[] srcShape = sizes.clone();
        srcShape[d] = x.dim() == 0 ? 1 : x.size(d);
        int[] xStrides = Strided.contiguous(x.dim() == 0 ? new int[] {1} : x.shape());
        float[] out = new float[Tensor.checkedNumel(sizes)];
        KernelProvider.kernels().gather(sizes, d, index.data(), 0, indexStrides, srcShape[d], x.data(), 0, xStrides,
                out, 0, Strided.contiguous(sizes));
        Tensor result = Tensor.of(out, outShape);
        return GradNode.shouldRecord(x)
                ? new IndexBackward(x, node, sizes, d, index.data(), indexStrides, srcShape[d], xStrides)
                        .output(0, result)
                : result;
    }

    /** Backward of index_select and gather: the output's gradient scatter-added at the index values. */
    private static final class IndexBackward extends GradNode {
        private final String name;
        private final int inputSize;
        private final int[] sizes;
        private final int dim;
        private final long[] index;
        private final int[] indexStrides;
        private final int dimSize;
        private final int[] inputStrides;

        IndexBackward(Tensor input, String name, int[] sizes, int dim, long[] index, int[] indexStrides, int dimSize,
                      int[] inputStrides) {
            super(1, input);
            this.name = name;
            this.inputSize = input.numel();
            this.sizes = sizes;
            this.dim = dim;
            this.index = index.clone(); // the caller may change its index tensor before backward
            this.indexStrides = indexStrides;
            this.dimSize = dimSize;
            this.inputStrides = inputStrides;
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            float[] g = new float[inputSize];
            if (outputGrads[0] != null) {
                KernelProvider.kernels().scatterAdd(sizes, dim, index, 0, indexStrides, dimSize, outputGrads[0], 0,
                        Strided.contiguous(sizes), g, 0, inputStrides);
            }
            return new float[][] {g};
        }

        @Override
        public String name() {
            return name;
        }
    }
}
