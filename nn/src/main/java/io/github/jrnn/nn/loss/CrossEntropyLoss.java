package io.github.jrnn.nn.loss;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.CrossEntropyLoss} for class-index targets: log_softmax over the class dimension followed by the
 * weighted negative log-likelihood, with optional label smoothing (formulas on {@link ClassificationLoss}'s
 * summary: {@code loss_i = (1 - eps) * -w[t_i] lp[i][t_i] + (eps / C) * -sum_c w[c] lp[i][c]}).
 *
 * <p>Shapes: input (C) with one target, (N, C) with N targets, or (N, C, d1, ..., dK) with N*d1*...*dK targets in
 * row-major order of (N, d1, ..., dK). Result: a one-element tensor (shape []) for 'mean' and 'sum', the target's
 * shape for 'none'. Computed stably (log-sum-exp with the row maximum subtracted).
 *
 * <p>Constructor arguments map one-to-one to PyTorch's: {@code weight} (per-class, or null), {@code ignore_index}
 * (default -100), {@code reduction} (default mean), {@code label_smoothing} (default 0).
 *
 * <p>Thread safety: stateless after construction (the class weights are copied in); one instance may be used from
 * many threads at once. A returned loss tensor and its backward graph belong to the calling thread.
 */
public final class CrossEntropyLoss {

    /** PyTorch's default {@code ignore_index}. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private final ClassificationLoss loss;

    /** {@code CrossEntropyLoss()}: no class weights, ignore_index = -100, mean, no label smoothing. */
    public CrossEntropyLoss() {
        this(null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /**
     * {@code CrossEntropyLoss(weight, ignore_index, reduction, label_smoothing)}.
     *
     * @param weight one weight per class, or null for equal weights
     * @param ignoreIndex a target value that contributes nothing
     * @param reduction how the per-element losses are combined
     * @param labelSmoothing the share of the target's probability spread over all classes, in [0, 1]
     */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, double labelSmoothing) {
        this.loss = new ClassificationLoss("CrossEntropyLoss", true, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /**
     * The loss of logits {@code input} against class indices {@code target}; see the class comment for shapes.
     *
     * @param input logits (N, C), (C) or (N, C, d1, ...)
     * @param target class indices, one per row: N, 1, or N * d1 * ...
     * @return a scalar, or per element with reduction NONE
     */
    public Tensor forward(Tensor input, int... target) {
        return loss.forward(input, target);
    }
}
