package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.*; // the check* methods of the front door

import java.util.function.Function;

/**
 * The optimizer updates of {@link Kernels}: one step of {@code torch.optim.SGD} and of Adam / AdamW on a
 * parameter's elements, each in one pass. One family of the chain that {@link KernelBase} describes; what every
 * kernel promises is in {@link Kernels}' class comment.
 *
 * <p>Public with package-private constructors, for the reasons in {@link KernelBase}: only {@link Kernels}
 * extends it, and {@code Kernels} is the type to hold an instance by.
 */
public abstract class OptimizerKernels extends NormAndLossKernels {

    /** See {@link Kernels#Kernels(Function)}. */
    OptimizerKernels(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    OptimizerKernels(Kernels checkedTwin) {
        super(checkedTwin);
    }

    // ---------------------------------------------------------------- optimizer updates (one pass per parameter)

    /**
     * One step of {@code torch.optim.SGD} on n elements, in PyTorch's order:
     * <pre>
     * d = g + weightDecay * p                                  (when weightDecay != 0)
     * if momentum != 0:
     *     buf = firstStep ? d : momentum * buf + (1 - dampening) * d
     *     d   = nesterov ? d + momentum * buf : buf
     * p = p - lr * d
     * </pre>
     * The gradient is left unchanged; {@code momentumBuffer} (n elements, updated in place) is only read or written
     * when momentum != 0 and may be null otherwise.
     *
     * @param n number of elements, >= 0
     * @param param the parameters p, updated in place
     * @param paramOffset index in {@code param} of param[0]
     * @param grad their gradient g, only read
     * @param gradOffset index in {@code grad} of grad[0]
     * @param momentumBuffer the momentum buffer, updated in place; read only when momentum != 0, may be null otherwise
     * @param momentumOffset index in {@code momentumBuffer} of its first element
     * @param lr the learning rate
     * @param momentum the momentum factor, 0 for none
     * @param dampening the dampening of the momentum
     * @param weightDecay the L2 penalty added to the gradient, 0 for none
     * @param nesterov whether to use Nesterov momentum
     * @param firstStep whether this is the buffer's first step (it is then set to d, not updated)
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n (momentumBuffer when momentum != 0)
     */
    public final void sgdStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
                              float[] momentumBuffer, int momentumOffset, float lr, float momentum, float dampening,
                              float weightDecay, boolean nesterov, boolean firstStep) {
        if (checked) checkSgdStep(n, param, paramOffset, grad, gradOffset, momentum, momentumBuffer, momentumOffset);
        sgdStepImpl(n, param, paramOffset, grad, gradOffset, momentumBuffer, momentumOffset, lr, momentum, dampening,
                weightDecay, nesterov, firstStep);
    }

    /** {@link #sgdStep} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sgdStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
            float[] momentumBuffer, int momentumOffset, float lr, float momentum, float dampening, float weightDecay,
            boolean nesterov, boolean firstStep);

    /**
     * One step of {@code torch.optim.Adam} / {@code AdamW} on n elements, in PyTorch's order:
     * <pre>
     * p = paramScale * p                     (AdamW's decoupled decay: paramScale = 1 - lr * weight_decay, else 1)
     * g' = g + gradDecay * p                 (Adam's L2 decay: gradDecay = weight_decay, else 0)
     * m = beta1 * m + (1 - beta1) * g'
     * v = beta2 * v + (1 - beta2) * g' * g'
     * vmax = max(vmax, v), and vmax replaces v below   (amsgrad: only when maxExpAvgSq is not null)
     * p = p - stepSize * m / (sqrt(v) / biasCorrection2Sqrt + eps)
     * </pre>
     * The caller computes, in double as PyTorch does, {@code stepSize = lr / (1 - beta1^t)} and
     * {@code biasCorrection2Sqrt = sqrt(1 - beta2^t)} for step t (1-based). m, v and vmax are updated in place;
     * the gradient is left unchanged.
     *
     * @param n number of elements, >= 0
     * @param param the parameters p, updated in place
     * @param paramOffset index in {@code param} of param[0]
     * @param grad their gradient g, only read
     * @param gradOffset index in {@code grad} of grad[0]
     * @param expAvg the first moment m, updated in place
     * @param expAvgOffset index in {@code expAvg} of expAvg[0]
     * @param expAvgSq the second moment v, updated in place
     * @param expAvgSqOffset index in {@code expAvgSq} of expAvgSq[0]
     * @param maxExpAvgSq the running maximum vmax of v for amsgrad, updated in place; null without amsgrad
     * @param maxExpAvgSqOffset index in {@code maxExpAvgSq} of its first element; unused when it is null
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps the term added to the denominator
     * @param paramScale factor applied to p first: 1 - lr * weight_decay for AdamW, else 1
     * @param gradDecay the L2 penalty added to the gradient: weight_decay for Adam, else 0
     * @param stepSize lr / (1 - beta1^t), computed by the caller in double
     * @param biasCorrection2Sqrt sqrt(1 - beta2^t), computed by the caller in double
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n (maxExpAvgSq when not null)
     */
    public final void adamStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] expAvg,
                               int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
                               int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale,
                               float gradDecay, float stepSize, float biasCorrection2Sqrt) {
        if (checked) {
            checkAdamStep(n, param, paramOffset, grad, gradOffset, expAvg, expAvgOffset, expAvgSq,
                    expAvgSqOffset, maxExpAvgSq, maxExpAvgSqOffset);
        }
        adamStepImpl(n, param, paramOffset, grad, gradOffset, expAvg, expAvgOffset, expAvgSq, expAvgSqOffset,
                maxExpAvgSq, maxExpAvgSqOffset, beta1, beta2, eps, paramScale, gradDecay, stepSize,
                biasCorrection2Sqrt);
    }

    /** {@link #adamStep} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void adamStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
            float[] expAvg, int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
            int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale, float gradDecay,
            float stepSize, float biasCorrection2Sqrt);
}
