package io.github.jrnn.nn.loss;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.NLLLoss}: the weighted negative log-likelihood of class-index targets given log-probabilities,
 * {@code loss_i = -w[t_i] * input[i][t_i]}; 'mean' divides the sum by the sum of the targets' weights. Shapes as
 * {@link CrossEntropyLoss}. Arguments: {@code weight} (per class, or null), {@code ignore_index} (default -100),
 * {@code reduction} (default mean).
 *
 * <p>Thread safety: stateless after construction; one instance may be used from many threads at once.
 */
public final class NLLLoss {

    private final ClassificationLoss loss;

    /** {@code NLLLoss()}: no class weights, ignore_index = -100, mean. */
    public NLLLoss() {
        this(null, CrossEntropyLoss.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * {@code NLLLoss(weight, ignore_index, reduction)}.
     *
     * @param weight one weight per class, or null for equal weights
     * @param ignoreIndex a target value that contributes nothing
     * @param reduction how the per-element losses are combined
     */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        this.loss = new ClassificationLoss("NLLLoss", false, weight, ignoreIndex, reduction, 0.0);
    }

    /**
     * The loss of log-probabilities {@code input} against class indices {@code target}.
     *
     * @param input log-probabilities (N, C), (C) or (N, C, d1, ...)
     * @param target class indices, one per row: N, 1, or N * d1 * ...
     * @return a scalar, or per element with reduction NONE
     */
    public Tensor forward(Tensor input, int... target) {
        return loss.forward(input, target);
    }
}
