package io.github.jrnn.nn.loss;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * PyTorch's {@code apply_loss_reduction} for the element-wise losses ({@link BCEWithLogitsLoss}, {@link L1Loss},
 * {@link SmoothL1Loss}), forward and backward: 'none' keeps the per-element losses in the input's shape, 'sum'
 * adds them into a scalar, 'mean' divides that sum by the element count (0 / 0 = NaN for an empty input, as
 * PyTorch). Backward spreads the upstream gradient back to one gradient per element.
 */
final class LossReduction {

    private LossReduction() {
    }

    /** The reduced loss of {@code perElement} (laid out in {@code shape}). */
    static Tensor reduce(Kernels k, Reduction reduction, float[] perElement, int[] shape) {
        if (reduction == Reduction.NONE) {
            return Tensor.of(perElement, shape);
        }
        int n = perElement.length;
        float[] total = new float[1];
        k.sumRows(n, 1, perElement, 0, 1, total, 0);
        if (reduction == Reduction.MEAN) {
            total[0] /= n;
        }
        return Tensor.of(total);
    }

    /**
     * The gradient of each of the {@code n} per-element losses given the upstream gradient {@code g} of the
     * reduced result: g itself for 'none', g[0] everywhere for 'sum', g[0] / n for 'mean'.
     */
    static float[] perElementGradient(Kernels k, Reduction reduction, float[] g, int n) {
        if (reduction == Reduction.NONE) {
            return g;
        }
        float[] dy = new float[n];
        k.fill(n, reduction == Reduction.MEAN ? g[0] / n : g[0], dy, 0);
        return dy;
    }

    /** A null reduction refused in the loss's words. */
    static Reduction checked(String loss, Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException(loss + ": reduction must not be null (use Reduction.MEAN, the default)");
        }
        return reduction;
    }
}
