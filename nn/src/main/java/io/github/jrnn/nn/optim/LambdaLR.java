package io.github.jrnn.nn.optim;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/**
 * {@code torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)}: group i's learning rate at an epoch is
 * {@code base_lr[i] * lr_lambda[i](epoch)}, with one function for every group or one per group.
 *
 * <p>As in PyTorch, the functions are not part of the saved state (PyTorch keeps only callable objects, never
 * plain functions): a restored scheduler must be built with the same functions.
 */
public final class LambdaLR extends LRScheduler {

    private final List<IntToDoubleFunction> lambdas;

    /**
     * {@code LambdaLR(optimizer, lr_lambda)}: the same factor function for every group.
     *
     * @param optimizer the optimizer
     * @param lrLambda the factor of the base learning rate for an epoch
     */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, Collections.nCopies(optimizer == null ? 0 : optimizer.paramGroups().size(), lrLambda));
    }

    /**
     * {@code LambdaLR(optimizer, [lr_lambda, ...])}: one factor function per group.
     *
     * @param optimizer the optimizer
     * @param lrLambdas one function per parameter group
     * @throws IllegalArgumentException when the count differs from the optimizer's groups, or one is null
     */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas) {
        super("LambdaLR", optimizer);
        if (lrLambdas == null || lrLambdas.size() != groupCount()) {
            throw new IllegalArgumentException("Expected " + groupCount() + " lr_lambdas, but got "
                    + (lrLambdas == null ? "null" : lrLambdas.size()));
        }
        if (lrLambdas.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("lr_lambdas must not hold null");
        }
        this.lambdas = List.copyOf(lrLambdas);
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = new double[groupCount()];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = baseLr(i) * lambdas.get(i).applyAsDouble(lastEpoch());
        }
        return lr;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of();
    }
}
