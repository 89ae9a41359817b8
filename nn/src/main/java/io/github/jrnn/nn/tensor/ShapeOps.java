package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradNode;
import java.util.Arrays;

/**
 * The shape operations that copy a strided view of one tensor: {@link Tensor#slice}, {@link Tensor#narrow},
 * {@link Tensor#select(int, int)}, {@link Tensor#expand}, {@link Tensor#repeat}, {@link Tensor#permute},
 * {@link Tensor#flatten}. Each describes its output as a view {@code (sizes, offset, strides)} of the input's
 * contiguous array, copies it with one {@code copyStrided} kernel call and records a {@link StridedBackward}. Checks
 * and error texts are PyTorch 1.13's, each followed by a hint.
 */
final class ShapeOps {

    private ShapeOps() {
    }

    /** The output {@code out[i] = x[offset + sum i_d strides_d]} over {@code sizes}, shaped {@code outShape}. */
    private static Tensor view(Tensor x, String node, int[] outShape, int[] sizes, int offset, int[] strides) {
        Tensor out = Tensor.of(Strided.copy(sizes, x.data(), offset, strides), outShape);
        return GradNode.shouldRecord(x) ? new StridedBackward(x, node, sizes, offset, strides).output(0, out) : out;
    }

    static Tensor slice(Tensor x, int dim, long start, long end, long step) {
        int[] shape = x.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor; hint: a scalar has no"
                    + " dimension to slice, reshape(1) it first");
        }
        int d = Strided.wrapDim(dim, shape.length);
        if (step == 0) {
            throw new IllegalArgumentException("slice step cannot be zero; hint: step 1 takes every element");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be greater than zero, got " + step + "; hint: PyTorch"
                    + " slices forwards only (x[::-1] is not allowed either)");
        }
        long size = shape[d];
        // PyTorch's clamping: negative bounds count from the end, then both are clamped into [0, size], end >= start
        long from = start < 0 ? start + size : start;
        long to = end < 0 ? end + size : end;
        from = Math.min(Math.max(from, 0), size);
        to = Math.min(Math.max(to, from), size);
        int[] strides = Strided.contiguous(shape);
        int offset = (int) from * strides[d];
        shape[d] = (int) ((to - from + step - 1) / step);
        strides[d] = (int) Math.min(Integer.MAX_VALUE, strides[d] * step); // a step past the end reads one element
        return view(x, "SliceBackward0", shape, shape, offset, strides);
    }

    static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = Strided.wrapDim(dim, x.dim());
        if (x.dim() == 0) {
            throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        }
        int size = x.size(d);
        int r = Math.max(size, 1);
        if (start < -r || start >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-r) + ", "
                    + (r - 1) + "], but got " + start + "); hint: this is narrow's start, which PyTorch checks like a"
                    + " dimension: it must be an index into dimension " + d + " of size " + size);
        }
        int from = start < 0 ? start + size : start;
        if (length < 0 || (long) from + length > size) {
            throw new IndexOutOfBoundsException("start (" + from + ") + length (" + length + ") exceeds dimension"
                    + " size (" + size + "). hint: narrow takes elements start to start + length - 1 of dimension "
                    + d + " of shape " + Strided.shape(x.shape()));
        }
        return slice(x, d, from, (long) from + length, 1);
    }

    static Tensor select(Tensor x, int dim, int index) {
        int[] shape = x.shape();
        if (shape.length == 0) {
            throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.; hint: item() reads"
                    + " its one value");
        }
        int d = Strided.wrapDim(dim, shape.length);
        if (index < -shape[d] || index >= shape[d]) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Strided.shape(shape) + " at dimension " + d + "; hint: valid indices are " + (-shape[d])
                    + " to " + (shape[d] - 1));
        }
        int i = index < 0 ? index + shape[d] : index;
        int[] strides = Strided.contiguous(shape);
        int offset = i * strides[d];
        int[] outShape = remove(shape, d);
        return view(x, "SelectBackward0", outShape, outShape, offset, remove(strides, d));
    }

    static Tensor expand(Tensor x, int[] sizes) {
        int[] shape = x.shape();
        int n = sizes.length;
        if (n < shape.length) {
            throw new IllegalArgumentException("expand(torch.FloatTensor{" + Strided.shape(shape) + "}, size="
                    + Strided.shape(sizes) + "): the number of sizes provided (" + n + ") must be greater or equal"
                    + " to the number of dimensions in the tensor (" + shape.length + "); hint: expand adds"
                    + " leading dimensions, it never removes one");
        }
        int[] xs = Strided.contiguous(shape);
        int[] out = new int[n];
        int[] strides = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            int j = i - (n - shape.length);
            if (j < 0) {
                if (sizes[i] < 0) {
                    throw new IllegalArgumentException("The expanded size of the tensor (" + sizes[i] + ") isn't"
                            + " allowed in a leading, non-existing dimension " + i + "; hint: -1 keeps an"
                            + " existing size, a new leading dimension needs its size");
                }
                out[i] = sizes[i];
            } else {
                int target = sizes[i] == -1 ? shape[j] : sizes[i];
                if (target != shape[j] && (shape[j] != 1 || target < 0)) {
                    throw new IllegalArgumentException("The expanded size of the tensor (" + sizes[i] + ") must"
                            + " match the existing size (" + shape[j] + ") at non-singleton dimension " + i
                            + ".  Target sizes: " + Strided.shape(sizes) + ".  Tensor sizes: "
                            + Strided.shape(shape) + "; hint: only dimensions of size 1 can be expanded (repeat"
                            + " copies larger ones)");
                }
                out[i] = target;
                strides[i] = target == shape[j] ? xs[j] : 0;
            }
        }
        Tensor.checkedNumel(out);
        return view(x, "ExpandBackward0", out, out, 0, strides);
    }

    static Tensor repeat(Tensor x, int[] repeats) {
        int[] shape = x.shape();
        int n = repeats.length;
        if (n < shape.length) {
            throw new IllegalArgumentException("Number of dimensions of repeat dims can not be smaller than number"
                    + " of dimensions of tensor; hint: give one count per dimension (" + shape.length + " for shape "
                    + Strided.shape(shape) + "), extra leading counts add dimensions");
        }
        int[] padded = new int[n];
        Arrays.fill(padded, 1);
        System.arraycopy(shape, 0, padded, n - shape.length, shape.length);
        int[] paddedStrides = Strided.contiguous(padded);
        int[] out = new int[n];
        int[] sizes = new int[2 * n];     // (repeats[0], padded[0], repeats[1], padded[1], ...): out's row-major order
        int[] strides = new int[2 * n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) Math.min(Integer.MAX_VALUE, (long) padded[i] * repeats[i]);
            sizes[2 * i] = repeats[i];
            sizes[2 * i + 1] = padded[i];
            strides[2 * i + 1] = paddedStrides[i];
        }
        for (int size : out) {
            if (size < 0) {
                throw new IllegalArgumentException("Trying to create tensor with negative dimension " + size + ": "
                        + Strided.shape(out) + "; hint: repeat counts must be >= 0, got " + Strided.shape(repeats));
            }
        }
        Tensor.checkedNumel(out);
        return view(x, "RepeatBackward0", out, sizes, 0, strides);
    }

    static Tensor permute(Tensor x, int[] dims) {
        int[] shape = x.shape();
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute(): number of dimensions in the tensor input does not match"
                    + " the length of the desired ordering of dimensions i.e. input.dim() = " + shape.length
                    + " is not equal to len(dims) = " + dims.length + "; hint: name every dimension once");
        }
        int[] xs = Strided.contiguous(shape);
        boolean[] seen = new boolean[shape.length];
        int[] out = new int[shape.length];
        int[] strides = new int[shape.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Strided.wrapDim(dims[i], shape.length);
            if (seen[d]) {
                throw new IllegalArgumentException("permute(): duplicate dims are not allowed.; hint: got "
                        + Strided.shape(dims) + ", which names dimension " + d + " twice");
            }
            seen[d] = true;
            out[i] = shape[d];
            strides[i] = xs[d];
        }
        return view(x, "PermuteBackward0", out, out, 0, strides);
    }

    static Tensor flatten(Tensor x, int startDim, int endDim) {
        if (x.dim() == 0) {
            return x.reshape(1);
        }
        int start = Strided.wrapDim(startDim, x.dim());
        int end = Strided.wrapDim(endDim, x.dim());
        if (start > end) {
            throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim;"
                    + " hint: got start_dim " + startDim + " (" + start + ") and end_dim " + endDim + " (" + end
                    + ")");
        }
        if (start == end) {
            return x;
        }
        int[] shape = x.shape();
        int[] out = new int[shape.length - (end - start)];
        System.arraycopy(shape, 0, out, 0, start);
        out[start] = Tensor.checkedNumel(Arrays.copyOfRange(shape, start, end + 1));
        System.arraycopy(shape, end + 1, out, start + 1, shape.length - end - 1);
        return x.reshape(out);
    }

    static int[] remove(int[] a, int index) {
        int[] out = new int[a.length - 1];
        System.arraycopy(a, 0, out, 0, index);
        System.arraycopy(a, index + 1, out, index, a.length - index - 1);
        return out;
    }
}
