package io.github.jrnn.nn.tensor;

import io.github.jrnn.kernels.BinaryOp;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.UnaryOp;

/**
 * Reductions along one dimension (with {@code keepdim}) and over all elements, and softmax / log-softmax along any
 * dimension, with PyTorch's results, ties, error texts and backward formulas. A contiguous tensor is seen as
 * (outer, size, inner) around the dimension ({@link Along}), which is what the along-a-dimension kernels take.
 */
final class Reductions {

    private Reductions() {
    }

    private static Kernels kernels() {
        return KernelProvider.kernels();
    }

    /** A tensor's shape seen around one dimension: (outer, size, inner), and the reduced output shape. */
    record Along(int outer, int size, int inner, int[] reducedShape) {

        /** Around {@code dim} (negative counts from the end; a 0-dim tensor has the one dimension 0 or -1). */
        static Along of(int[] shape, int dim, boolean keepdim) {
            if (shape.length == 0) {
                Tensor.normalizeDim(dim, 1);
                return new Along(1, 1, 1, new int[0]);
            }
            int d = Tensor.normalizeDim(dim, shape.length);
            int[] reduced;
            if (keepdim) {
                reduced = shape.clone();
                reduced[d] = 1;
            } else {
                reduced = new int[shape.length - 1];
                System.arraycopy(shape, 0, reduced, 0, d);
                System.arraycopy(shape, d + 1, reduced, d, shape.length - d - 1);
            }
            return new Along(Broadcast.prod(shape, 0, d), shape[d], Broadcast.prod(shape, d + 1, shape.length),
                    reduced);
        }

        /** All elements as one line, reduced to a 0-dim result. */
        static Along all(int numel) {
            return new Along(1, numel, 1, new int[0]);
        }

        /** The reduced shape with the dimension kept as 1, for broadcasting a result back over the input. */
        int[] keptShape() {
            return new int[] {outer, 1, inner};
        }

        int[] lineShape() {
            return new int[] {outer, size, inner};
        }
    }

    /** The sum along (a plain float array). */
    private static float[] sum(float[] x, Along a) {
        float[] out = new float[a.outer * a.inner];
        kernels().sumAlong(a.outer, a.size, a.inner, x, 0, out, 0);
        return out;
    }

    /** g (reduced) repeated over the line: broadcast back to the input, each times {@code scale}. */
    private static float[] spread(float[] g, Along a, BinaryOp op, float s) {
        return ElementwiseOps.apply(BinaryOp.MUL, ElementwiseOps.withScalar(op, g, a.keptShape(), s), a.keptShape(),
                new float[] {1f}, new int[0], a.lineShape());
    }

    /** {@code sum} along a (or over all elements); backward repeats the gradient. */
    static Tensor sum(Tensor x, Along a) {
        Tensor result = Tensor.of(sum(x.data(), a), a.reducedShape);
        return OpBackward.record(result, "SumBackward" + (a.reducedShape.length == 0 && x.dim() > 0 ? "0" : "1"),
                g -> new float[][] {spread(g, a, BinaryOp.MUL, 1f)}, x);
    }

    /** {@code mean}: the sum divided by the count (NaN for an empty line, as PyTorch). */
    static Tensor mean(Tensor x, Along a) {
        float count = a.size;
        Tensor result = Tensor.of(ElementwiseOps.withScalar(BinaryOp.DIV, sum(x.data(), a), a.reducedShape, count),
                a.reducedShape);
        return OpBackward.record(result, "MeanBackward" + (a.reducedShape.length == 0 && x.dim() > 0 ? "0" : "1"),
                g -> new float[][] {spread(g, a, BinaryOp.DIV, count)}, x);
    }

    /**
     * {@code sum(dims, keepdim)} / {@code mean(dims, keepdim)} over several dimensions at once: the reduced dimensions
     * are moved last ({@code permute}), so each kept position's elements form one line that one {@code sumAlong}
     * call adds in row-major order of the reduced dimensions; the backward spreads the gradient over the lines and
     * moves it back. An empty {@code dims} reduces every dimension, as PyTorch's {@code dim=[]}.
     */
    static Tensor overDims(Tensor x, int[] dims, boolean keepdim, boolean mean) {
        int rank = x.dim();
        boolean[] reduced = new boolean[rank];
        for (int d : dims) {
            int n = Tensor.normalizeDim(d, Math.max(rank, 1));
            if (rank > 0 && reduced[n]) {
                throw new IllegalArgumentException("dim " + n + " appears multiple times in the list of dims;"
                        + " name each dimension once, e.g. sum(new int[] {0, 2}, false)");
            }
            if (rank > 0) {
                reduced[n] = true;
            }
        }
        int[] shape = x.shape();
        int[] order = new int[rank];
        int[] kept = new int[rank]; // the output shape with keepdim
        int[] dropped = new int[rank];
        int k = 0;
        int r = 0;
        for (int d = 0; d < rank; d++) {
            boolean all = dims.length == 0 || reduced[d];
            kept[d] = all ? 1 : shape[d];
            if (!all) {
                order[k++] = d;
                dropped[r++] = shape[d];
            }
        }
        int lines = 1;
        for (int d = 0; d < k; d++) {
            lines *= shape[order[d]];
        }
        for (int d = 0; d < rank; d++) {
            if (dims.length == 0 || reduced[d]) {
                order[k++] = d;
            }
        }
        int size = x.numel() == 0 ? 0 : x.numel() / lines;
        int[] outShape = keepdim ? kept : java.util.Arrays.copyOf(dropped, r);
        Along a = new Along(lines, size, 1, outShape);
        float[] moved = Tensor.of(x.data(), shape).permute(order).data();
        float[] sums = sum(moved, a);
        float count = size;
        float[] values = mean ? ElementwiseOps.withScalar(BinaryOp.DIV, sums, outShape, count) : sums;
        int[] movedShape = new int[rank];
        int[] inverse = new int[rank];
        for (int d = 0; d < rank; d++) {
            movedShape[d] = shape[order[d]];
            inverse[order[d]] = d;
        }
        String name = (mean ? "MeanBackward" : "SumBackward") + (outShape.length == 0 && rank > 0 ? "0" : "1");
        return OpBackward.record(Tensor.of(values, outShape), name, g -> new float[][] {
                Tensor.of(spread(g, a, mean ? BinaryOp.DIV : BinaryOp.MUL, mean ? count : 1f), movedShape)
                        .permute(inverse).data()}, x);
    }

    /** Values and positions of the extremes along a (first among equals; NaN wins), as float and int arrays. */
    private record Extremes(float[] values, int[] indices) {
    }

    private static Extremes extremes(String op, Tensor x, Along a, boolean largest, int dim) {
        if (a.size == 0 && a.outer * a.inner > 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim " + dim + " to have non-zero size.");
        }
        float[] values = new float[a.outer * a.inner];
        int[] indices = new int[values.length];
        kernels().maxAlong(largest, a.outer, a.size, a.inner, x.data(), 0, values, 0, indices, 0);
        return new Extremes(values, indices);
    }

    /** {@code max(dim)} / {@code min(dim)}: values with backward to the chosen positions, and the positions. */
    static ValuesAndIndices extremeAlong(Tensor x, int dim, boolean keepdim, boolean largest) {
        String op = largest ? "max" : "min";
        Along a = Along.of(x.shape(), dim, keepdim);
        Extremes e = extremes(op, x, a, largest, x.dim() == 0 ? 0 : Tensor.normalizeDim(dim, x.dim()));
        Tensor values = OpBackward.record(Tensor.of(e.values, a.reducedShape), largest ? "MaxBackward0"
                : "MinBackward0", g -> {
                    float[] dx = new float[x.numel()];
                    kernels().scatterAddAlong(a.outer, 1, a.size, a.inner, g, 0, e.indices, 0, dx, 0);
                    return new float[][] {dx};
                }, x);
        return new ValuesAndIndices(values, LongTensor.of(longs(e.indices), a.reducedShape));
    }

    /** {@code max()} / {@code min()} over all elements; the gradient is shared evenly among equal extremes. */
    static Tensor extremeAll(Tensor x, boolean largest) {
        String op = largest ? "max" : "min";
        if (x.numel() == 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim to be specified for input.numel()"
                    + " == 0. Specify the reduction dim with the 'dim' argument.");
        }
        Along a = Along.all(x.numel());
        Extremes e = extremes(op, x, a, largest, 0);
        int[] shape = x.shape();
        return OpBackward.record(Tensor.of(e.values, new int[0]), largest ? "MaxBackward1" : "MinBackward1", g -> {
            float[] hit = ElementwiseOps.withScalar(BinaryOp.EQ, x.data(), shape, e.values[0]);
            float[] count = sum(hit, a);
            float[] share = ElementwiseOps.withScalar(BinaryOp.DIV, g, new int[0], count[0]);
            return new float[][] {ElementwiseOps.withScalar(BinaryOp.MUL, hit, shape, share[0])};
        }, x);
    }

    /** {@code argmax(dim)} / {@code argmin(dim)}, or over the flattened tensor when {@code all}. */
    static LongTensor argExtreme(Tensor x, int dim, boolean keepdim, boolean all, boolean largest) {
        String op = largest ? "argmax" : "argmin";
        if (all) {
            if (x.numel() == 0) {
                throw new IllegalArgumentException(op + "(): Expected reduction dim to be specified for"
                        + " input.numel() == 0.");
            }
            return LongTensor.of(longs(extremes(op, x, Along.all(x.numel()), largest, 0).indices));
        }
        Along a = Along.of(x.shape(), dim, keepdim);
        Extremes e = extremes(op, x, a, largest, x.dim() == 0 ? 0 : Tensor.normalizeDim(dim, x.dim()));
        return LongTensor.of(longs(e.indices), a.reducedShape);
    }

    /** {@code topk(k, dim, largest, sorted)}: always sorted (PyTorch leaves the order open when sorted=False). */
    static ValuesAndIndices topk(Tensor x, int k, int dim, boolean largest) {
        Along a = Along.of(x.shape(), dim, true);
        if (k < 0 || k > a.size) {
            throw new IllegalArgumentException("selected index k out of range; k = " + k + " must be between 0 and"
                    + " the size " + a.size + " of dimension " + dim);
        }
        int[] outShape = x.dim() == 0 ? new int[0] : x.shape();
        if (x.dim() > 0) {
            outShape[Tensor.normalizeDim(dim, x.dim())] = k;
        }
        float[] values = new float[a.outer * k * a.inner];
        int[] indices = new int[values.length];
        kernels().topkAlong(largest, a.outer, a.size, a.inner, k, x.data(), 0, values, 0, indices, 0);
        Tensor v = OpBackward.record(Tensor.of(values, outShape), "TopkBackward0", g -> {
            float[] dx = new float[x.numel()];
            kernels().scatterAddAlong(a.outer, k, a.size, a.inner, g, 0, indices, 0, dx, 0);
            return new float[][] {dx};
        }, x);
        return new ValuesAndIndices(v, LongTensor.of(longs(indices), outShape));
    }

    /** {@code logsumexp(dim)}; backward {@code grad * exp(x - result)}. */
    static Tensor logSumExp(Tensor x, Along a) {
        float[] out = new float[a.outer * a.inner];
        kernels().logSumExpAlong(a.outer, a.size, a.inner, x.data(), 0, out, 0);
        return OpBackward.record(Tensor.of(out, a.reducedShape), "LogsumexpBackward0", g -> {
            float[] shifted = ElementwiseOps.apply(BinaryOp.SUB, x.data(), a.lineShape(), out, a.keptShape(),
                    a.lineShape());
            kernels().exp(shifted.length, shifted, 0, shifted, 0);
            return new float[][] {ElementwiseOps.apply(BinaryOp.MUL, shifted, a.lineShape(), g, a.keptShape(),
                    a.lineShape())};
        }, x);
    }

    /** {@code softmax(dim)} or {@code log_softmax(dim)}; the row-wise kernels serve the last dimension. */
    static Tensor softmax(Tensor x, int dim, boolean log) {
        Along a = Along.of(x.shape(), dim, true);
        float[] y = new float[x.numel()];
        Kernels k = kernels();
        if (a.inner == 1 && log) {
            k.logSoftmax(a.outer, a.size, x.data(), 0, a.size, y, 0, a.size);
        } else if (a.inner == 1) {
            k.softmax(a.outer, a.size, x.data(), 0, a.size, y, 0, a.size);
        } else {
            k.softmaxAlong(log, a.outer, a.size, a.inner, x.data(), 0, y, 0);
        }
        return OpBackward.record(Tensor.of(y, x.shape()), log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", g -> {
            float[] dx = new float[g.length];
            k.softmaxBackwardAlong(log, a.outer, a.size, a.inner, g, 0, y, 0, dx, 0);
            return new float[][] {dx};
        }, x);
    }

    /**
     * {@code norm(p, dim)}: p = 2 is {@code sqrt(sum x^2)}, p = 1 {@code sum |x|}, p = +-Inf the largest
     * (smallest) |x|, any other p > 0 {@code (sum |x|^p)^(1/p)}. Backward as PyTorch's {@code norm_backward}: zero
     * where the norm is 0 (p >= 1), and for Inf the gradient shared among the elements equal to the norm.
     */
    static Tensor norm(Tensor x, float p, Along a) {
        if (!(p > 0 || p == Float.NEGATIVE_INFINITY)) {
            throw new IllegalArgumentException("norm: p must be > 0 or +-Infinity here, got " + p);
        }
        int[] line = a.lineShape();
        int[] kept = a.keptShape();
        float[] abs = new float[x.numel()];
        kernels().unary(UnaryOp.ABS, abs.length, x.data(), 0, abs, 0);
        float[] norm;
        boolean infinite = Float.isInfinite(p);
        if (infinite) {
            Extremes e = extremes("norm", Tensor.of(abs, line), a, p > 0, 0);
            norm = e.values;
        } else if (p == 1f) {
            norm = sum(abs, a);
        } else if (p == 2f) {
            norm = sum(ElementwiseOps.apply(BinaryOp.MUL, x.data(), line, x.data(), line, line), a);
            kernels().unary(UnaryOp.SQRT, norm.length, norm, 0, norm, 0);
        } else {
            float[] powered = new float[abs.length];
            kernels().powScalar(abs.length, p, abs, 0, powered, 0);
            norm = sum(powered, a);
            kernels().powScalar(norm.length, 1f / p, norm, 0, norm, 0);
        }
        float[] result = norm;
        return OpBackward.record(Tensor.of(norm, a.reducedShape), "NormBackward1", g -> {
            float[] sign = new float[abs.length];
            kernels().unary(UnaryOp.SIGN, sign.length, x.data(), 0, sign, 0);
            float[] scale;
            if (infinite) {
                float[] hit = ElementwiseOps.apply(BinaryOp.EQ, abs, line, result, kept, line);
                float[] perLine = ElementwiseOps.apply(BinaryOp.DIV, g, kept, sum(hit, a), kept, kept);
                scale = ElementwiseOps.apply(BinaryOp.MUL, hit, line, perLine, kept, line);
            } else if (p == 1f) {
                scale = ElementwiseOps.apply(BinaryOp.MUL, new float[] {1f}, new int[0], g, kept, line);
            } else {
                // |x|^(p-1) * g / norm^(p-1), 0 where the norm is 0
                float[] absPower = new float[abs.length];
                kernels().powScalar(abs.length, p - 1f, abs, 0, absPower, 0);
                float[] normPower = new float[result.length];
                kernels().powScalar(result.length, p - 1f, result, 0, normPower, 0);
                float[] ratio = ElementwiseOps.apply(BinaryOp.DIV, g, kept, normPower, kept, kept);
                float[] zero = ElementwiseOps.withScalar(BinaryOp.EQ, result, kept, 0f);
                ratio = ElementwiseOps.where(zero, kept, new float[] {0f}, new int[0], ratio, kept, kept);
                scale = ElementwiseOps.apply(BinaryOp.MUL, absPower, line, ratio, kept, line);
            }
            return new float[][] {ElementwiseOps.apply(BinaryOp.MUL, sign, line, scale, line, line)};
        }, x);
    }

    private static long[] longs(int[] indices) {
        long[] out = new long[indices.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = indices[i];
        }
        return out;
    }
}
