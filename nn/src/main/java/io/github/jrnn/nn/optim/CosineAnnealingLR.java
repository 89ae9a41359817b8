package io.github.jrnn.nn.optim;

import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min=0)}: the learning rate follows
 * <pre>
 * lr(epoch) = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2
 * </pre>
 * down to {@code eta_min} at {@code T_max} and back up over the next {@code T_max} epochs, computed with PyTorch
 * 1.13's recursive form (which is what makes its values, and these, differ from the closed form in the last bits):
 * <pre>
 * epoch 0:                                   lr unchanged
 * (epoch - 1 - T_max) mod 2 T_max == 0:      lr + (base_lr - eta_min) * (1 - cos(pi / T_max)) / 2
 * otherwise:                                 (1 + cos(pi * epoch / T_max)) / (1 + cos(pi * (epoch - 1) / T_max))
 *                                              * (lr - eta_min) + eta_min
 * </pre>
 * (and the closed form above on a first step at an epoch past 0, PyTorch's resume case). {@code cos} is
 * {@link Math#cos} (HotSpot's intrinsic), which gave the C library's results bit for bit on every argument of
 * the golden schedules, where {@link StrictMath#cos} (fdlibm) differed in the last bit for 3 of 124 and the
 * recursion carried the difference on. Both are specified within one unit in the last place, so on another JVM
 * a rate can differ from PyTorch's by about that much.
 */
public final class CosineAnnealingLR extends LRScheduler {

    private final int tMax;
    private final double etaMin;

    /**
     * {@code CosineAnnealingLR(optimizer, T_max)} with {@code eta_min = 0}.
     *
     * @param optimizer the optimizer
     * @param tMax the half period in epochs, at least 1
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    /**
     * {@code CosineAnnealingLR(optimizer, T_max, eta_min)}.
     *
     * @param optimizer the optimizer
     * @param tMax the half period in epochs, at least 1
     * @param etaMin the smallest learning rate
     * @throws IllegalArgumentException when {@code tMax < 1}
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super("CosineAnnealingLR", optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR T_max must be at least 1, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        int epoch = lastEpoch();
        double[] lr = new double[groupCount()];
        for (int i = 0; i < lr.length; i++) {
            double current = groupLr(i);
            double base = baseLr(i);
            if (epoch == 0) {
                lr[i] = current;
            } else if (stepCount() == 1 && epoch > 0) {
                lr[i] = etaMin + (base - etaMin) * (1 + Math.cos(epoch * Math.PI / tMax)) / 2;
            } else if (Math.floorMod(epoch - 1 - tMax, 2 * tMax) == 0) {
                lr[i] = current + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                double ratio = (1 + Math.cos(Math.PI * epoch / tMax))
                        / (1 + Math.cos(Math.PI * (epoch - 1) / tMax));
                lr[i] = ratio * (current - etaMin) + etaMin;
            }
        }
        return lr;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("T_max", String.valueOf(tMax), "eta_min", String.valueOf(etaMin));
    }
}
