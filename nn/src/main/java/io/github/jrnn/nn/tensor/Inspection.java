package io.github.jrnn.nn.tensor;

import io.github.jrnn.kernels.KernelProvider;
import java.util.Arrays;

/** {@link Tensor#item()}, {@link Tensor#allclose} and {@link Tensor#equal}, with PyTorch 1.13's rules and texts. */
final class Inspection {

    private Inspection() {
    }

    static float item(Tensor x) {
        if (x.numel() != 1) {
            throw new IllegalStateException("only one element tensors can be converted to Python scalars; hint: this"
                    + " tensor has shape " + Strided.shape(x.shape()) + " (" + x.numel() + " elements); reduce it"
                    + " or select one element first");
        }
        return x.data()[0];
    }

    static boolean allclose(Tensor a, Tensor b, double rtol, double atol) {
        if (b == null) {
            throw new IllegalArgumentException("allclose(): other must not be null");
        }
        int[] shape = broadcastShape(a.shape(), b.shape());
        Tensor x = Arrays.equals(shape, a.shape()) ? a : ShapeOps.expand(a.detach(), shape);
        Tensor y = Arrays.equals(shape, b.shape()) ? b : ShapeOps.expand(b.detach(), shape);
        return KernelProvider.kernels().allClose(x.numel(), x.data(), 0, y.data(), 0, (float) rtol, (float) atol);
    }

    static boolean equal(Tensor a, Tensor b) {
        return b != null && Arrays.equals(a.shape(), b.shape())
                && KernelProvider.kernels().allClose(a.numel(), a.data(), 0, b.data(), 0, 0f, 0f);
    }

    /** PyTorch's broadcasting of two shapes, aligned at the last dimension. */
    private static int[] broadcastShape(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int sa = i < n - a.length ? 1 : a[i - (n - a.length)];
            int sb = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + sa + ") must match the size of tensor"
                        + " b (" + sb + ") at non-singleton dimension " + i + "; hint: shapes " + Strided.shape(a)
                        + " and " + Strided.shape(b) + " do not broadcast");
            }
            out[i] = sa == 1 ? sb : sa;
        }
        return out;
    }
}
