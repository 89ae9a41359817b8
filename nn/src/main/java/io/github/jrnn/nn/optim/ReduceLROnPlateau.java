package io.github.jrnn.nn.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}: lowers the learning rates when a metric stops improving.
 * Each {@link #step(double)} with the epoch's metric (e.g. the validation loss):
 * <pre>
 * better = mode min, rel: metric &lt; best * (1 - threshold)      mode max, rel: metric &gt; best * (1 + threshold)
 *          mode min, abs: metric &lt; best - threshold            mode max, abs: metric &gt; best + threshold
 * if better: best = metric, num_bad_epochs = 0   else num_bad_epochs += 1
 * if cooldown_counter &gt; 0: cooldown_counter -= 1, num_bad_epochs = 0
 * if num_bad_epochs &gt; patience: for each group i, new = max(lr * factor, min_lr[i]), taken when lr - new &gt; eps;
 *                                then cooldown_counter = cooldown, num_bad_epochs = 0
 * </pre>
 * with {@code best} starting at +Inf (min) or -Inf (max), exactly PyTorch 1.13's arithmetic in double. Defaults
 * as PyTorch's: {@code mode = "min"}, {@code factor = 0.1}, {@code patience = 10}, {@code threshold = 1e-4},
 * {@code threshold_mode = "rel"}, {@code cooldown = 0}, {@code min_lr = 0}, {@code eps = 1e-8}.
 *
 * <p>State ({@link #stateDict()}): the settings, {@code best}, {@code num_bad_epochs}, {@code cooldown_counter},
 * {@code last_epoch} and (after a step) {@code _last_lr}. Thread safety: none; it belongs to the training thread.
 */
public final class ReduceLROnPlateau implements LearningRateScheduler {

    private static final String KIND = "ReduceLROnPlateau";

    private final Optimizer optimizer;
    private final String mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final String thresholdMode;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private double[] lastLr; // null until the first step, as PyTorch's _last_lr

    /**
     * {@code ReduceLROnPlateau(optimizer)} with PyTorch's defaults.
     *
     * @param optimizer the optimizer
     */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, "min", 0.1, 10, 1e-4, "rel", 0, 0.0, 1e-8);
    }

    /**
     * {@code ReduceLROnPlateau(optimizer, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps)}
     * with one {@code min_lr} for every group.
     *
     * @param optimizer the optimizer
     * @param mode {@code "min"} (the metric should fall) or {@code "max"}
     * @param factor the factor applied to the learning rates, below 1
     * @param patience how many epochs without improvement are tolerated
     * @param threshold the least change that counts as an improvement
     * @param thresholdMode {@code "rel"} (relative to best) or {@code "abs"}
     * @param cooldown epochs to wait after a reduction before counting bad epochs again
     * @param minLr the lower bound of every group's learning rate
     * @param eps the smallest change of a learning rate that is applied
     */
    public ReduceLROnPlateau(Optimizer optimizer, String mode, double factor, int patience, double threshold,
                             String thresholdMode, int cooldown, double minLr, double eps) {
        this(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown,
                filled(optimizer, minLr), eps);
    }

    /**
     * As the other constructor with one {@code min_lr} per group.
     *
     * @param optimizer the optimizer
     * @param mode {@code "min"} or {@code "max"}
     * @param factor the factor applied to the learning rates, below 1
     * @param patience how many epochs without improvement are tolerated
     * @param threshold the least change that counts as an improvement
     * @param thresholdMode {@code "rel"} or {@code "abs"}
     * @param cooldown epochs to wait after a reduction
     * @param minLrs the lower bound of each group's learning rate
     * @param eps the smallest change of a learning rate that is applied
     * @throws IllegalArgumentException in PyTorch's words: {@code Factor should be < 1.0.},
     *                                  {@code expected 2 min_lrs, got 1}, {@code mode x is unknown!},
     *                                  {@code threshold mode x is unknown!}
     */
    public ReduceLROnPlateau(Optimizer optimizer, String mode, double factor, int patience, double threshold,
                             String thresholdMode, int cooldown, double[] minLrs, double eps) {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer must not be null");
        }
        if (!(factor < 1.0)) {
            throw new IllegalArgumentException("Factor should be < 1.0.");
        }
        int groups = optimizer.paramGroups().size();
        if (minLrs == null || minLrs.length != groups) {
            throw new IllegalArgumentException("expected " + groups + " min_lrs, got "
                    + (minLrs == null ? "null" : minLrs.length));
        }
        if (!"min".equals(mode) && !"max".equals(mode)) {
            throw new IllegalArgumentException("mode " + mode + " is unknown!");
        }
        if (!"rel".equals(thresholdMode) && !"abs".equals(thresholdMode)) {
            throw new IllegalArgumentException("threshold mode " + thresholdMode + " is unknown!");
        }
        this.optimizer = optimizer;
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.cooldown = cooldown;
        this.minLrs = minLrs.clone();
        this.eps = eps;
        this.best = worst();
    }

    private static double[] filled(Optimizer optimizer, double minLr) {
        double[] out = new double[optimizer == null ? 0 : optimizer.paramGroups().size()];
        Arrays.fill(out, minLr);
        return out;
    }

    /**
     * {@code scheduler.step(metrics)}: one epoch with this metric; may lower the learning rates.
     *
     * @param metric the epoch's metric (e.g. validation loss)
     */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0; // bad epochs in cooldown do not count
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double old = groups.get(i).lr();
            double reduced = Math.max(old * factor, minLrs[i]);
            if (old - reduced > eps) {
                groups.get(i).setLr(reduced);
            }
        }
    }

    private boolean isBetter(double metric) {
        boolean min = mode.equals("min");
        if (thresholdMode.equals("rel")) {
            return min ? metric < best * (1. - threshold) : metric > best * (threshold + 1.);
        }
        return min ? metric < best - threshold : metric > best + threshold;
    }

    private double worst() {
        return mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /**
     * The best metric so far (+Inf or -Inf before the first step).
     *
     * @return {@code scheduler.best}
     */
    public double best() {
        return best;
    }

    /**
     * Epochs since the last improvement (reset by a reduction and during cooldown).
     *
     * @return {@code scheduler.num_bad_epochs}
     */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /**
     * Epochs of cooldown left.
     *
     * @return {@code scheduler.cooldown_counter}
     */
    public int cooldownCounter() {
        return cooldownCounter;
    }

    @Override
    public List<Double> getLastLr() {
        if (lastLr == null) {
            throw new IllegalStateException("ReduceLROnPlateau has no last learning rates before its first"
                    + " step(metric) (PyTorch: no attribute '_last_lr')");
        }
        return Arrays.stream(lastLr).boxed().toList();
    }

    @Override
    public Map<String, String> stateDict() {
        Map<String, String> out = SchedulerState.write(KIND, settings());
        out.put("best", Double.toString(best));
        out.put("num_bad_epochs", String.valueOf(numBadEpochs));
        out.put("cooldown_counter", String.valueOf(cooldownCounter));
        out.put("last_epoch", String.valueOf(lastEpoch));
        if (lastLr != null) {
            out.put("_last_lr", SchedulerState.doubles(lastLr));
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        SchedulerState s = SchedulerState.read(state, KIND, settings());
        double savedBest = s.number("best");
        int bad = s.integer("num_bad_epochs");
        int cool = s.integer("cooldown_counter");
        int epoch = s.integer("last_epoch");
        double[] last = s.numbers("_last_lr", minLrs.length, true);
        s.check();
        best = savedBest;
        numBadEpochs = bad;
        cooldownCounter = cool;
        lastEpoch = epoch;
        lastLr = last;
    }

    private Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("mode", mode);
        out.put("factor", Double.toString(factor));
        out.put("patience", String.valueOf(patience));
        out.put("threshold", Double.toString(threshold));
        out.put("threshold_mode", thresholdMode);
        out.put("cooldown", String.valueOf(cooldown));
        out.put("min_lrs", SchedulerState.doubles(minLrs));
        out.put("eps", Double.toString(eps));
        return out;
    }
}
