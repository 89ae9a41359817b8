package io.github.jrnn.nn.optim;

import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma)}: every epoch each group's learning rate is
 * multiplied by {@code gamma} ({@code lr = lr * gamma} for epochs {@code > 0}), so
 * {@code lr(epoch) = base_lr * gamma^epoch} up to the rounding of the repeated products, which is PyTorch's.
 */
public final class ExponentialLR extends LRScheduler {

    private final double gamma;

    /**
     * {@code ExponentialLR(optimizer, gamma)}.
     *
     * @param optimizer the optimizer
     * @param gamma the factor applied each epoch
     */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super("ExponentialLR", optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = new double[groupCount()];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = lastEpoch() == 0 ? groupLr(i) : groupLr(i) * gamma;
        }
        return lr;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("gamma", String.valueOf(gamma));
    }
}
