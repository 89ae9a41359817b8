package io.github.jrnn.nn.loss;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.SmoothL1Loss(reduction='mean', beta=1.0)}: with {@code z = |input_i - target_i|},
 * {@code l_i = z < beta ? 0.5 z^2 / beta : z - 0.5 beta}, reduced by {@code reduction}; beta = 0 gives
 * {@link L1Loss}'s values. Input and target must have the same shape (jrnn does not broadcast here). Gradients
 * flow to both, PyTorch's: with {@code d = input - target},
 * {@code d/d input = (d <= -beta ? -1 : d >= beta ? 1 : d / beta) * g} (so at beta = 0 a tie gives -g, where
 * L1Loss gives 0), {@code d/d target} the same with input and target swapped (its negative, but at such a tie).
 *
 * <p>Thread safety: stateless after construction; one instance may be used from many threads at once.
 */
public final class SmoothL1Loss {

    /** PyTorch's default {@code beta}. */
    public static final double DEFAULT_BETA = 1.0;

    private final PointwiseLoss loss;

    /** {@code SmoothL1Loss()}: reduction 'mean', beta = 1. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, DEFAULT_BETA);
    }

    /**
     * {@code SmoothL1Loss(reduction, beta)}.
     *
     * @param reduction how the per-element losses are combined
     * @param beta      where the quadratic part turns linear, >= 0 (0 gives L1Loss)
     * @throws IllegalArgumentException when reduction is null or beta is negative or not finite
     */
    public SmoothL1Loss(Reduction reduction, double beta) {
        if (beta < 0) {
            throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta. Got beta="
                    + beta + "; hint: beta = 0 is L1Loss");
        }
        if (!(beta < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must be finite, got " + beta);
        }
        this.loss = PointwiseLoss.smoothL1(beta, reduction);
    }

    /**
     * The mean (or sum, or per-element) smooth L1 error.
     *
     * @param input any shape
     * @param target the same shape
     * @return a scalar, or the input's shape with reduction NONE
     * @throws IllegalArgumentException when either is null or the shapes differ
     */
    public Tensor forward(Tensor input, Tensor target) {
        return loss.forward(input, target);
    }
}
