package io.github.jrnn.nn.loss;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;

/**
 * {@code torch.nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)}: sigmoid and binary
 * cross-entropy in one numerically stable step. Per element, with logit x, target t (a probability), weight w and
 * positive weight pw (1 when absent):
 * <pre>
 * l = w * ((1 - t) x + (1 + (pw - 1) t) * log(1 + e^-x))      = w * -(pw t log s(x) + (1 - t) log(1 - s(x)))
 * </pre>
 * with {@code log(1 + e^-x)} evaluated as PyTorch does, {@code m + log(e^-m + e^(-x-m))}, {@code m = max(-x, 0)},
 * so logits of any size give finite losses ({@link Kernels#bceWithLogits}). Then the reduction.
 *
 * <p>Shapes: target has the input's shape (PyTorch's rule); {@code weight} broadcasts to the input's shape,
 * {@code pos_weight} with the target (typically one weight per class, the last dimension).
 *
 * <p>Gradients: to the input, {@code w ((1 + (pw - 1) t) s(x) - pw t) g}; to the target, when it requires one,
 * {@code w ((pw - 1) log(1 + e^-x) - x) g}; g the upstream gradient (divided by the count for 'mean'). weight and
 * pos_weight get none (PyTorch's too).
 *
 * <p>Thread safety: stateless after construction (the weights are copied in); one instance may be used from many
 * threads at once.
 */
public final class BCEWithLogitsLoss {

    private final Tensor weight;    // any shape broadcastable to the input's, or null
    private final Tensor posWeight; // any shape broadcastable with the target's, or null
    private final Reduction reduction;

    /** {@code BCEWithLogitsLoss()}: no weights, reduction 'mean'. */
    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    /**
     * {@code BCEWithLogitsLoss(weight, reduction, pos_weight)}.
     *
     * @param weight    a weight per element, broadcast to the input's shape, or null
     * @param reduction how the per-element losses are combined
     * @param posWeight the weight of the positive term, broadcast with the target (e.g. one per class), or null
     * @throws IllegalArgumentException when reduction is null
     */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        this.reduction = LossReduction.checked("BCEWithLogitsLoss", reduction);
        this.weight = weight == null ? null : weight.detach().copy();
        this.posWeight = posWeight == null ? null : posWeight.detach().copy();
    }

    /**
     * The loss of logits {@code input} against probabilities {@code target}.
     *
     * @param input  logits, any shape
     * @param target probabilities in [0, 1], the input's shape
     * @return a scalar, or the input's shape with reduction NONE
     * @throws IllegalArgumentException when either is null, the shapes differ, or a weight does not broadcast
     */
    public Tensor forward(Tensor input, Tensor target) {
        if (input == null || target == null) {
            throw new IllegalArgumentException("BCEWithLogitsLoss: input and target must not be null");
        }
        int[] shape = input.shape();
        if (!Arrays.equals(shape, target.shape())) {
            throw new IllegalArgumentException("Target size (" + torchSize(target.shape()) + ") must be the same as"
                    + " input size (" + torchSize(shape) + ")");
        }
        // torch: loss.mul_(weight), in place, so weight broadcasts into the loss (tensor a) ...
        float[] w = weight == null ? null : broadcast(shape, weight, false);
        // ... and (pos_weight - 1).mul(target): pos_weight is tensor a
        float[] pw = posWeight == null ? null : broadcast(shape, posWeight, true);
        Kernels k = KernelProvider.kernels();
        int n = input.numel();
        float[] perElement = new float[n];
        k.bceWithLogits(n, input.data(), 0, target.data(), 0, w, 0, pw, 0, perElement, 0);
        Tensor result = LossReduction.reduce(k, reduction, perElement, shape);
        return GradNode.shouldRecord(input, target) ? new Backward(input, target, w, pw).output(0, result) : result;
    }

    /** torch.Size's repr: {@code torch.Size([3, 4])}. */
    private static String torchSize(int[] shape) {
        return "torch.Size(" + Arrays.toString(shape) + ")";
    }

    /**
     * {@code operand} broadcast to {@code shape}, contiguous; refused in PyTorch's words when it does not broadcast
     * (tensor a is the operand when {@code operandFirst}, else the loss) or would grow the input's shape.
     */
    private static float[] broadcast(int[] shape, Tensor operand, boolean operandFirst) {
        int[] own = operand.shape();
        int rank = Math.max(shape.length, own.length);
        boolean grows = own.length > shape.length;
        for (int d = rank - 1; d >= 0; d--) {
            int size = sizeAt(shape, d, rank);
            int ownSize = sizeAt(own, d, rank);
            if (size != ownSize && size != 1 && ownSize != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + (operandFirst ? ownSize : size)
                        + ") must match the size of tensor b (" + (operandFirst ? size : ownSize)
                        + ") at non-singleton dimension " + d + "; hint: BCEWithLogitsLoss's "
                        + (operandFirst ? "pos_weight" : "weight") + " of shape " + Tensor.shapeString(own)
                        + " must broadcast to the input's shape " + Tensor.shapeString(shape));
            }
            grows |= size == 1 && ownSize != 1;
        }
        if (grows) {
            throw new IllegalArgumentException("BCEWithLogitsLoss: " + (operandFirst ? "pos_weight" : "weight")
                    + " of shape " + Tensor.shapeString(own) + " would broadcast the input's shape "
                    + Tensor.shapeString(shape) + " to a larger one; give it at most the input's sizes");
        }
        return operand.expand(shape).contiguous().data();
    }

    private static int sizeAt(int[] shape, int d, int rank) {
        int i = d - (rank - shape.length);
        return i < 0 ? 1 : shape[i];
    }

    /** d loss / d input and, when required, d loss / d target, from {@link Kernels#bceWithLogitsBackward}. */
    private final class Backward extends GradNode {
        private final Tensor input;
        private final Tensor target;
        private final float[] w;  // broadcast weight or null
        private final float[] pw; // broadcast pos_weight or null

        Backward(Tensor input, Tensor target, float[] w, float[] pw) {
            super(1, input, target);
            this.input = input;
            this.target = target;
            this.w = w;
            this.pw = pw;
        }

        @Override
        public String name() {
            return "BinaryCrossEntropyWithLogitsBackward";
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            Kernels k = KernelProvider.kernels();
            int n = input.numel();
            float[] dy = LossReduction.perElementGradient(k, reduction, outputGrads[0], n);
            float[] dInput = null;
            if (input.requiresGrad()) {
                dInput = new float[n];
                k.bceWithLogitsBackward(n, dy, 0, input.data(), 0, target.data(), 0, w, 0, pw, 0, dInput, 0);
            }
            return new float[][] {dInput, target.requiresGrad() ? targetGradient(k, dy, n) : null};
        }

        /** {@code w ((pw - 1) softplus(-x) - x) dy}, composed of kernels (softplus(-x) is bceWithLogits at t = 1). */
        private float[] targetGradient(Kernels k, float[] dy, int n) {
            float[] dTarget = input.data().clone();
            k.scale(n, -1f, dTarget, 0);
            if (pw != null) {
                float[] ones = new float[n];
                k.fill(n, 1f, ones, 0);
                float[] softplus = new float[n];
                k.bceWithLogits(n, input.data(), 0, ones, 0, null, 0, null, 0, softplus, 0);
                float[] pwMinusOne = pw.clone();
                k.axpy(n, -1f, ones, 0, pwMinusOne, 0);
                k.mul(n, pwMinusOne, 0, softplus, 0, softplus, 0);
                k.add(n, dTarget, 0, softplus, 0, dTarget, 0);
            }
            k.mul(n, dTarget, 0, dy, 0, dTarget, 0);
            if (w != null) {
                k.mul(n, dTarget, 0, w, 0, dTarget, 0);
            }
            return dTarget;
        }
    }
}
