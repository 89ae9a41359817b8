package io.github.jrnn.nn.loss;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;

/**
 * {@code torch.nn.MSELoss}: {@code l_i = (input_i - target_i)^2}, reduced by {@code reduction} ('mean' divides by
 * the element count). Input and target must have the same shape (PyTorch broadcasts with a warning; jrnn refuses,
 * since a silent broadcast is nearly always a bug). Gradients flow to both input and target when they require them:
 * {@code d/d input = 2 (input - target) * g}, {@code d/d target = -2 (input - target) * g}, with g the upstream
 * gradient divided by the count for 'mean'.
 *
 * <p>Thread safety: stateless after construction; one instance may be used from many threads at once.
 */
public final class MSELoss {

    private final Reduction reduction;

    /** {@code MSELoss()} with reduction 'mean'. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /**
     * {@code MSELoss(reduction)}.
     *
     * @param reduction how the squared errors are combined
     */
    public MSELoss(Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException("MSELoss: reduction must not be null (use Reduction.MEAN, the default)");
        }
        this.reduction = reduction;
    }

    /**
     * The mean (or sum, or per-element) squared error {@code (input - target)^2}.
     *
     * @param input any shape
     * @param target the same shape
     * @return a scalar, or the input's shape with reduction NONE
     */
    public Tensor forward(Tensor input, Tensor target) {
        if (input == null || target == null) {
            throw new IllegalArgumentException("MSELoss: input and target must not be null");
        }
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("MSELoss: target size " + Tensor.shapeString(target.shape())
                    + " must be the same as input size " + Tensor.shapeString(input.shape())
                    + " (jrnn does not broadcast here; reshape one of them, e.g. target.view(input's shape))");
        }
        Kernels k = KernelProvider.kernels();
        int n = input.numel();
        float[] diff = target.data().clone();
        k.scale(n, -1f, diff, 0);
        k.axpy(n, 1f, input.data(), 0, diff, 0);
        Tensor result;
        if (reduction == Reduction.NONE) {
            float[] squares = new float[n];
            k.mul(n, diff, 0, diff, 0, squares, 0);
            result = Tensor.of(squares, input.shape());
        } else {
            float total = k.dot(n, diff, 0, diff, 0);
            result = Tensor.of(new float[] {reduction == Reduction.MEAN ? total / n : total});
        }
        if (!GradNode.shouldRecord(input, target)) {
            return result;
        }
        return new Backward(input, target, diff).output(0, result);
    }

    private final class Backward extends GradNode {
        private final float[] diff;

        Backward(Tensor input, Tensor target, float[] diff) {
            super(1, input, target);
            this.diff = diff;
        }

        @Override
        public String name() {
            return "MseLossBackward";
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            Kernels k = KernelProvider.kernels();
            int n = diff.length;
            float[] g = outputGrads[0];
            float[] dInput = new float[n];
            if (reduction == Reduction.NONE) {
                k.mul(n, diff, 0, g, 0, dInput, 0);
                k.scale(n, 2f, dInput, 0);
            } else {
                k.axpy(n, 2f * g[0] / (reduction == Reduction.MEAN ? n : 1), diff, 0, dInput, 0);
            }
            float[] dTarget = dInput.clone();
            k.scale(n, -1f, dTarget, 0);
            return new float[][] {dInput, dTarget};
        }
    }
}
