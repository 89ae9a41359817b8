package io.github.jrnn.nn.tensor;

import io.github.jrnn.kernels.KernelProvider;

/**
 * The creation functions of {@link Torch} that need more than a fill: shape checks in PyTorch's words,
 * {@code arange} (sizes by PyTorch's rule, values by the {@code arange} kernel) and {@code eye} (one strided copy of
 * a 1 onto the diagonal).
 */
final class Creation {

    private Creation() {
    }

    /** The shape itself, or PyTorch's error for a negative dimension. */
    static int[] checkShape(int[] shape) {
        for (int size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException("Trying to create tensor with negative dimension " + size + ": "
                        + Strided.shape(shape) + "; hint: every dimension must be >= 0");
            }
        }
        return shape;
    }

    static Tensor arange(double start, double end, double step) {
        if (step == 0) {
            throw new IllegalArgumentException("step must be nonzero; hint: arange(start, end, step) needs a step"
                    + " towards end");
        }
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("unsupported range: " + start + " -> " + end + "; hint: both bounds must"
                    + " be finite");
        }
        if (step > 0 && end < start || step < 0 && end > start) {
            throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign; hint: got"
                    + " start " + start + ", end " + end + ", step " + step);
        }
        double count = Math.ceil((end - start) / step); // PyTorch's size rule, in double
        if (count > Tensor.MAX_ELEMENTS) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + ") would hold "
                    + count + " elements, more than a Java array can");
        }
        Tensor out = Tensor.zeros((int) count);
        KernelProvider.kernels().arange(out.numel(), start, step, out.data(), 0);
        return out;
    }

    static Tensor eye(int n, int m) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be greater or equal to 0, got " + n + "; hint: eye(n, m) has n"
                    + " rows");
        }
        if (m < 0) {
            throw new IllegalArgumentException("m must be greater or equal to 0, got " + m + "; hint: eye(n, m) has m"
                    + " columns");
        }
        Tensor out = Tensor.zeros(n, m);
        KernelProvider.kernels().copyStrided(new int[] {Math.min(n, m)}, new float[] {1f}, 0, new int[] {0},
                out.data(), 0, new int[] {m + 1});
        return out;
    }
}
