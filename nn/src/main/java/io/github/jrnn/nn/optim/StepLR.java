package io.github.jrnn.nn.optim;

import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma=0.1)}: every {@code step_size} epochs each
 * group's learning rate is multiplied by {@code gamma}, so {@code lr(epoch) = base_lr * gamma^floor(epoch /
 * step_size)}, computed PyTorch's recursive way: {@code lr = lr * gamma} at epochs {@code > 0} divisible by
 * {@code step_size}, unchanged otherwise.
 */
public final class StepLR extends LRScheduler {

    private final int stepSize;
    private final double gamma;

    /**
     * {@code StepLR(optimizer, step_size)} with {@code gamma = 0.1}.
     *
     * @param optimizer the optimizer
     * @param stepSize the period in epochs, at least 1
     */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /**
     * {@code StepLR(optimizer, step_size, gamma)}.
     *
     * @param optimizer the optimizer
     * @param stepSize the period in epochs, at least 1
     * @param gamma the factor applied each period
     * @throws IllegalArgumentException when {@code stepSize < 1}
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super("StepLR", optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR step_size must be at least 1, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = new double[groupCount()];
        boolean decay = lastEpoch() != 0 && lastEpoch() % stepSize == 0;
        for (int i = 0; i < lr.length; i++) {
            lr[i] = decay ? groupLr(i) * gamma : groupLr(i);
        }
        return lr;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("step_size", String.valueOf(stepSize), "gamma", String.valueOf(gamma));
    }
}
