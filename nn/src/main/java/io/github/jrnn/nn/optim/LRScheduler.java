package io.github.jrnn.nn.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Base of the epoch-based schedulers, PyTorch 1.13's {@code torch.optim.lr_scheduler._LRScheduler}: each
 * {@link #step()} advances {@code last_epoch} by one and sets every parameter group's {@code lr} to the rule's
 * value for that epoch.
 *
 * <p>Construction does what PyTorch's does: every group gets {@code initial_lr = lr} unless it already has one
 * (a second scheduler on the same optimizer starts from the same rates), {@code base_lrs} are the groups'
 * {@code initial_lr}, {@code last_epoch = -1}, and one first {@link #step()} (to epoch 0) is taken. Call
 * {@link #step()} after {@code optimizer.step()}, once per epoch (or per batch, as the schedule means).
 *
 * <p>The rules are PyTorch's recursive ("chainable") forms, which read the groups' current {@code lr}; the
 * arithmetic is the same double operations in the same order as PyTorch's Python, so the rates equal PyTorch's
 * bit for bit (where the rule calls {@code cos}, as far as {@link Math#cos} agrees with the C library's).
 *
 * <p>State ({@link #stateDict()}): {@code scheduler}, the subclass's settings, {@code last_epoch},
 * {@code _step_count}, {@code base_lrs} and {@code _last_lr}. Thread safety: none; a scheduler belongs to its
 * optimizer's training thread.
 */
public abstract class LRScheduler implements LearningRateScheduler {

    private final String kind;
    private final Optimizer optimizer;
    private double[] baseLrs;
    private int lastEpoch = -1;
    private int stepCount;
    private double[] lastLr;

    /**
     * Records the base learning rates; the subclass constructor ends with {@link #initialStep()}.
     *
     * @param kind the scheduler's name, e.g. {@code "StepLR"}
     * @param optimizer the optimizer whose groups' learning rates this scheduler sets
     */
    protected LRScheduler(String kind, Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer must not be null");
        }
        this.kind = kind;
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        groups.forEach(g -> g.setDefault(ParamGroup.INITIAL_LR, g.lr()));
        this.baseLrs = groups.stream().mapToDouble(g -> g.get(ParamGroup.INITIAL_LR)).toArray();
    }

    /** PyTorch's {@code _initial_step}: the step counter starts at 0 and one step sets the epoch-0 rates. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** {@code scheduler.step()}: the next epoch; sets every group's {@code lr}. */
    public final void step() {
        checkGroupCount();
        stepCount++;
        lastEpoch++;
        double[] values = computeLr();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < values.length; i++) {
            groups.get(i).setLr(values[i]);
        }
        lastLr = groups.stream().mapToDouble(ParamGroup::lr).toArray();
    }

    /**
     * The rule, PyTorch's {@code get_lr()}: every group's learning rate for epoch {@link #lastEpoch()}, which
     * {@link #step()} has just advanced.
     *
     * @return one learning rate per group
     */
    protected abstract double[] computeLr();

    /**
     * The subclass's settings, written into the state and required equal when restoring.
     *
     * @return setting name to value
     */
    protected abstract Map<String, String> settings();

    /**
     * The current learning rate of group i ({@code group['lr']}).
     *
     * @param i the group's index
     * @return its learning rate
     */
    protected final double groupLr(int i) {
        return optimizer.paramGroups().get(i).lr();
    }

    /**
     * The number of parameter groups.
     *
     * @return how many groups the optimizer has
     */
    protected final int groupCount() {
        return baseLrs.length;
    }

    /**
     * {@code scheduler.last_epoch}: -1 before the first step, then the epoch of the last step.
     *
     * @return the epoch
     */
    public final int lastEpoch() {
        return lastEpoch;
    }

    /**
     * {@code scheduler._step_count}: how many steps have been taken, the constructor's included.
     *
     * @return the count
     */
    protected final int stepCount() {
        return stepCount;
    }

    /**
     * {@code scheduler.base_lrs}: the groups' {@code initial_lr}.
     *
     * @return one rate per group
     */
    public final List<Double> baseLrs() {
        return Arrays.stream(baseLrs).boxed().toList();
    }

    /**
     * The base rate of group i.
     *
     * @param i the group's index
     * @return its {@code initial_lr}
     */
    protected final double baseLr(int i) {
        return baseLrs[i];
    }

    @Override
    public final List<Double> getLastLr() {
        return Arrays.stream(lastLr).boxed().toList();
    }

    @Override
    public final Map<String, String> stateDict() {
        Map<String, String> out = SchedulerState.write(kind, settings());
        out.put("last_epoch", String.valueOf(lastEpoch));
        out.put("_step_count", String.valueOf(stepCount));
        out.put("base_lrs", SchedulerState.doubles(baseLrs));
        out.put("_last_lr", SchedulerState.doubles(lastLr));
        return out;
    }

    @Override
    public final void loadStateDict(Map<String, String> state) {
        SchedulerState s = SchedulerState.read(state, kind, settings());
        int epoch = s.integer("last_epoch");
        int steps = s.integer("_step_count");
        double[] bases = s.numbers("base_lrs", baseLrs.length, false);
        double[] last = s.numbers("_last_lr", baseLrs.length, false);
        s.check();
        lastEpoch = epoch;
        stepCount = steps;
        baseLrs = bases;
        lastLr = last;
    }

    private void checkGroupCount() {
        int groups = optimizer.paramGroups().size();
        if (groups != baseLrs.length) {
            throw new IllegalStateException(kind + " was built for " + baseLrs.length + " parameter groups, the"
                    + " optimizer now has " + groups + " (build the scheduler after adding every group)");
        }
    }
}
