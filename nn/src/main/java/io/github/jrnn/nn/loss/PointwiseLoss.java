package io.github.jrnn.nn.loss;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;

/**
 * The shared computation of {@link L1Loss} and {@link SmoothL1Loss}, one kernel pair for both
 * ({@link Kernels#smoothL1}, {@link Kernels#smoothL1Backward}; beta = 0 is L1): per element
 * {@code z = |input - target|}, {@code l = z < beta ? 0.5 z^2 / beta : z - 0.5 beta}, then the reduction.
 * Gradients flow to input and target when they require them, {@code d/d target = -d/d input}.
 */
final class PointwiseLoss {

    private final String name;
    private final String backwardName;
    private final float beta;
    private final Reduction reduction;

    PointwiseLoss(String name, String backwardName, double beta, Reduction reduction) {
        this.name = name;
        this.backwardName = backwardName;
        this.beta = (float) beta;
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
            k.smoothL1Backward(n, beta, dy, 0, input.data(), 0, target.data(), 0, dInput, 0);
            float[] dTarget = null;
            if (target.requiresGrad()) {
                dTarget = dInput.clone();
                k.scale(n, -1f, dTarget, 0);
            }
            return new float[][] {dInput, dTarget};
        }
    }
}
