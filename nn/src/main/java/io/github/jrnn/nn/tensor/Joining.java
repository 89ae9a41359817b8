package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Joining and splitting along a dimension: {@link Tensors#cat}, {@link Tensors#stack}, {@link Tensor#split(int, int)},
 * {@link Tensor#split(int[], int)}, {@link Tensor#chunk}. Every tensor involved is seen as {@code (outer, n, inner)}
 * around the joined dimension; input k occupies rows {@code [start_k, start_k + n_k)} of the output's middle axis,
 * moved by one {@code copyStrided} kernel call per piece. Checks and texts are PyTorch 1.13's, with a hint.
 */
final class Joining {

    private Joining() {
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors; hint: nothing to"
                    + " concatenate");
        }
        // as PyTorch 1.13, 1-D empty tensors (shape [0]) are skipped: the legacy way to start a loop of cats
        Tensor reference = null;
        for (Tensor t : tensors) {
            if (t == null) {
                throw new IllegalArgumentException("torch.cat(): the list holds a null tensor");
            }
            if (reference == null && !(t.dim() == 1 && t.numel() == 0)) {
                reference = t;
            }
        }
        if (reference == null) {
            return tensors.get(0).copy();
        }
        int[] refShape = reference.shape();
        if (refShape.length == 0) {
            throw new IllegalArgumentException("zero-dimensional tensor (at position " + tensors.indexOf(reference)
                    + ") cannot be concatenated; hint: stack() joins scalars, or reshape(1) them first");
        }
        int d = Strided.wrapDim(dim, refShape.length);
        List<int[]> shapes = new ArrayList<>();
        for (int k = 0; k < tensors.size(); k++) {
            int[] s = tensors.get(k).shape();
            if (s.length == 1 && s[0] == 0) {
                shapes.add(null);
                continue;
            }
            if (s.length != refShape.length) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got "
                        + refShape.length + " and " + s.length + "; hint: tensor number " + k + " has shape "
                        + Strided.shape(s) + ", the first " + Strided.shape(refShape));
            }
            for (int i = 0; i < s.length; i++) {
                if (i != d && s[i] != refShape[i]) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + refShape[i] + " but got size " + s[i] + " for tensor number " + k
                            + " in the list.; hint: shapes " + Strided.shape(refShape) + " and "
                            + Strided.shape(s) + " differ in dimension " + i);
                }
            }
            shapes.add(s);
        }
        return join(tensors, shapes, refShape, d, "CatBackward0");
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("stack expects a non-empty TensorList; hint: nothing to stack");
        }
        int[] first = tensors.get(0).shape();
        for (int k = 1; k < tensors.size(); k++) {
            int[] s = tensors.get(k).shape();
            if (!java.util.Arrays.equals(s, first)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
                        + Strided.shape(first) + " at entry 0 and " + Strided.shape(s) + " at entry " + k
                        + "; hint: cat() joins tensors whose sizes differ along the joined dimension");
            }
        }
        int d = Strided.wrapDim(dim, first.length + 1);
        int[] unsqueezed = new int[first.length + 1];
        System.arraycopy(first, 0, unsqueezed, 0, d);
        unsqueezed[d] = 1;
        System.arraycopy(first, d, unsqueezed, d + 1, first.length - d);
        List<int[]> shapes = new ArrayList<>();
        for (int k = 0; k < tensors.size(); k++) {
            shapes.add(unsqueezed);
        }
        return join(tensors, shapes, unsqueezed, d, "StackBackward0");
    }

    /** Joins inputs of the given shapes (null: skipped) along d; the other dimensions are those of refShape. */
    private static Tensor join(List<Tensor> tensors, List<int[]> shapes, int[] refShape, int d, String node) {
        int outer = Tensor.checkedNumel(java.util.Arrays.copyOfRange(refShape, 0, d));
        int inner = Tensor.checkedNumel(java.util.Arrays.copyOfRange(refShape, d + 1, refShape.length));
        int[] starts = new int[tensors.size()];
        int[] lengths = new int[tensors.size()];
        long total = 0;
        for (int k = 0; k < tensors.size(); k++) {
            starts[k] = (int) Math.min(total, Integer.MAX_VALUE);
            lengths[k] = shapes.get(k) == null ? 0 : shapes.get(k)[d];
            total += lengths[k];
        }
        int[] outShape = refShape.clone();
        outShape[d] = (int) Math.min(total, Integer.MAX_VALUE);
        Tensor out = Tensor.zeros(outShape);
        for (int k = 0; k < tensors.size(); k++) {
            if (shapes.get(k) != null) {
                Strided.copyInto(new int[] {outer, lengths[k], inner}, tensors.get(k).data(), out.data(),
                        starts[k] * inner, new int[] {outShape[d] * inner, inner, 1});
            }
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        return GradNode.shouldRecord(inputs)
                ? new JoinBackward(inputs, node, outer, outShape[d], inner, starts, lengths).output(0, out) : out;
    }

    /** Backward of cat and stack: input k's gradient is its block of rows of the output's gradient. */
    private static final class JoinBackward extends GradNode {
        private final String name;
        private final int outer;
        private final int total;
        private final int inner;
        private final int[] starts;
        private final int[] lengths;

        JoinBackward(Tensor[] inputs, String name, int outer, int total, int inner, int[] starts, int[] lengths) {
            super(1, inputs);
            this.name = name;
            this.outer = outer;
            this.total = total;
            this.inner = inner;
            this.starts = starts;
            this.lengths = lengths;
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            float[][] grads = new float[starts.length][];
            for (int k = 0; k < starts.length; k++) {
                grads[k] = outputGrads[0] == null ? new float[outer * lengths[k] * inner]
                        : Strided.copy(new int[] {outer, lengths[k], inner}, outputGrads[0], starts[k] * inner,
                                new int[] {total * inner, inner, 1});
            }
            return grads;
        }

        @Override
        public String name() {
            return name;
        }
    }

    static List<Tensor> split(Tensor x, int splitSize, int dim) {
        int d = checkSplittable(x, dim);
        int size = x.size(d);
        if (splitSize < 0) {
            throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size="
                    + splitSize + "; hint: split_size is the length of each piece");
        }
        if (splitSize == 0 && size != 0) {
            throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension"
                    + " size of " + size + "; hint: split_size is the length of each piece, chunk(n) makes n"
                    + " pieces");
        }
        int pieces = splitSize == 0 ? 1 : Math.max((size + splitSize - 1) / splitSize, 1);
        int[] sizes = new int[pieces];
        for (int p = 0; p < pieces; p++) {
            sizes[p] = Math.min(splitSize, size - p * splitSize);
        }
        return pieces(x, d, sizes, "SplitBackward0");
    }

    static List<Tensor> splitWithSizes(Tensor x, int[] splitSizes, int dim) {
        int d = checkSplittable(x, dim);
        long sum = 0;
        for (int s : splitSizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split_with_sizes expects split_sizes have only non-negative"
                        + " entries, but got split_sizes=" + Strided.shape(splitSizes)
                        + "; hint: a piece cannot have a negative size");
            }
            sum += s;
        }
        if (sum != x.size(d)) {
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + x.size(d)
                    + " (input tensor's size at dimension " + d + "), but got split_sizes="
                    + Strided.shape(splitSizes) + "; hint: their sum is " + sum);
        }
        return pieces(x, d, splitSizes.clone(), "SplitWithSizesBackward0");
    }

    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks
                    + "; hint: chunks is the number of pieces");
        }
        int d = checkSplittable(x, dim);
        int size = x.size(d);
        int splitSize = (int) (((long) size + chunks - 1) / chunks);
        if (splitSize == 0 && size == 0) {
            // PyTorch: an empty dimension gives `chunks` empty pieces
            return pieces(x, d, new int[chunks], "SplitWithSizesBackward0");
        }
        return split(x, splitSize, d);
    }

    private static int checkSplittable(Tensor x, int dim) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException("split/chunk expects at least a 1-dimensional tensor; hint: reshape(1) a"
                    + " scalar first");
        }
        return Strided.wrapDim(dim, x.dim());
    }

    /** Consecutive pieces of dimension d with the given sizes, all outputs of one node. */
    private static List<Tensor> pieces(Tensor x, int d, int[] sizes, String node) {
        int[] shape = x.shape();
        int outer = Tensor.checkedNumel(java.util.Arrays.copyOfRange(shape, 0, d));
        int inner = Tensor.checkedNumel(java.util.Arrays.copyOfRange(shape, d + 1, shape.length));
        int[] starts = new int[sizes.length];
        for (int p = 1; p < sizes.length; p++) {
            starts[p] = starts[p - 1] + sizes[p - 1];
        }
        boolean record = GradNode.shouldRecord(x);
        SplitBackward backward = record ? new SplitBackward(x, node, outer, shape[d], inner, starts, sizes) : null;
        List<Tensor> out = new ArrayList<>();
        for (int p = 0; p < sizes.length; p++) {
            int[] pieceShape = shape.clone();
            pieceShape[d] = sizes[p];
            Tensor piece = Tensor.of(Strided.copy(new int[] {outer, sizes[p], inner}, x.data(), starts[p] * inner,
                    new int[] {shape[d] * inner, inner, 1}), pieceShape);
            out.add(record ? backward.output(p, piece) : piece);
        }
        return List.copyOf(out);
    }

    /** Backward of split and chunk: each piece's gradient goes back to its rows; unused pieces contribute zero. */
    private static final class SplitBackward extends GradNode {
        private final String name;
        private final int inputSize;
        private final int outer;
        private final int total;
        private final int inner;
        private final int[] starts;
        private final int[] sizes;

        SplitBackward(Tensor input, String name, int outer, int total, int inner, int[] starts, int[] sizes) {
            super(sizes.length, input);
            this.name = name;
            this.inputSize = input.numel();
            this.outer = outer;
            this.total = total;
            this.inner = inner;
            this.starts = starts;
            this.sizes = sizes;
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            float[] g = new float[inputSize];
            for (int p = 0; p < sizes.length; p++) {
                if (outputGrads[p] != null) {
                    Strided.copyInto(new int[] {outer, sizes[p], inner}, outputGrads[p], g, starts[p] * inner,
                            new int[] {total * inner, inner, 1});
                }
            }
            return new float[][] {g};
        }

        @Override
        public String name() {
            return name;
        }
    }
}
