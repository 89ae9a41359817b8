package io.github.jrnn.nn.loss;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.L1Loss(reduction='mean')}: {@code l_i = |input_i - target_i|}, reduced by {@code reduction}.
 * Input and target must have the same shape (PyTorch broadcasts with a warning; jrnn refuses, as
 * {@link MSELoss}). Gradients flow to both: {@code d/d input = sign(input - target) * g} (0 where they are
 * equal, as PyTorch's), {@code d/d target} its negative, g the upstream gradient (divided by the count for 'mean').
 *
 * <p>Thread safety: stateless after construction; one instance may be used from many threads at once.
 */
public final class L1Loss {

    private final PointwiseLoss loss;

    /** {@code L1Loss()} with reduction 'mean'. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /**
     * {@code L1Loss(reduction)}.
     *
     * @param reduction how the absolute errors are combined
     * @throws IllegalArgumentException when reduction is null
     */
    public L1Loss(Reduction reduction) {
        this.loss = PointwiseLoss.l1(reduction);
    }

    /**
     * The mean (or sum, or per-element) absolute error.
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
