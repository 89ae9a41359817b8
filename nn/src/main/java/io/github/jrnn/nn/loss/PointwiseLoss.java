package io.github.jrnn.nn.loss;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.UnaryOp;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;

/**
 * The shared computation of {@link L1Loss} and {@link SmoothL1Loss}: per element {@code z = |input - target|},
 * {@code l = z < beta ? 0.5 z^2 / beta : z - 0.5 beta} ({@link Kernels#smoothL1}; beta = 0 is L1's |d| exactly),
 * then the reduction. Gradients flow to input and target when they require them. For SmoothL1Loss both come from
 * {@link Kernels#smoothL1Backward}, the target's with input and target swapped (PyTorch's definition). For L1Loss
 * d/d input is {@code sign(input - target) * g}, PyTorch's gradient of {@code abs} (0 at a tie, where
 * SmoothL1Loss(beta=0) gives -g), and d/d target its negative.
 */
final class PointwiseLoss {

    private final String name;
    private final String backwardName;
    private final float beta;
    private final boolean l1; // L1Loss: the gradient of |d|, sign(d) g
    private final Reduction reduction;

    /** L1Loss. */
    static PointwiseLoss l1(Reduction reduction) {
        return new PointwiseLoss("L1Loss", "L1LossBackward", 0.0, true, reduction);
    }

    /** SmoothL1Loss(beta). */
    static PointwiseLoss smoothL1(double beta, Reduction reduction) {
        return new PointwiseLoss("SmoothL1Loss", "SmoothL1LossBackward", beta, false, reduction);
    }

    private PointwiseLoss(String name, String backwardName, double beta, boolean l1, Reduction reduction) {
        this.name = name;
        this.backwardName = backwardName;
        this.beta = (float) beta;
        this.l1 = l1;
        this.reduction = LossReduction.checked(name, reduction);
    }

    Tensor forward(Tensor input, Tensor target) {
        if (input == null || target == null) {
            throw new IllegalArgumentException(name + ": input and target must not be null");
        }
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(name + ": target size " + Tensor.shapeString(target.shape())
                    + " must be the same as input size " + Tensor.shapeString(input.shape()) + " (PyTorch would"
                    + " broadcast them with a warning; jrnn refuses, since that is nearly always a bug: reshape one"
                    + " of them)");
        }
        Kernels k = KernelProvider.kernels();
        int n = input.numel();
        float[] perElement = new float[n];
        k.smoothL1(n, beta, input.data(), 0, target.data(), 0, perElement, 0);
        Tensor result = LossReduction.reduce(k, reduction, perElement, input.shape());
        return GradNode.shouldRecord(input, target) ? new Backward(input, target).output(0, result) : result;
    }

    private final class Backward extends GradNode {
        private final Tensor input;
        private final Tensor target;

        Backward(Tensor input, Tensor target) {
            super(1, input, target);
            this.input = input;
            this.target = target;
        }

        @Override
        public String name() {
            return backwardName;
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            Kernels k = KernelProvider.kernels();
            int n = input.numel();
            float[] dy = LossReduction.perElementGradient(k, reduction, outputGrads[0], n);
            float[] dInput = new float[n];
            if (l1) {
                float[] sign = input.data().clone();
                k.axpy(n, -1f, target.data(), 0, sign, 0);
                k.unary(UnaryOp.SIGN, n, sign, 0, sign, 0);
                k.mul(n, sign, 0, dy, 0, dInput, 0);
            } else {
                k.smoothL1Backward(n, beta, dy, 0, input.data(), 0, target.data(), 0, dInput, 0);
            }
            float[] dTarget = null;
            if (target.requiresGrad() && l1) {
                dTarget = dInput.clone();
                k.scale(n, -1f, dTarget, 0);
            } else if (target.requiresGrad()) {
                // PyTorch's rule: the same backward with input and target swapped, which is -dInput except at a
                // tie with beta = 0 (both then get -g)
                dTarget = new float[n];
                k.smoothL1Backward(n, beta, dy, 0, target.data(), 0, input.data(), 0, dTarget, 0);
            }
            return new float[][] {dInput, dTarget};
        }
    }
}
