package io.github.jrnn.nn.optim;

import java.util.List;
import java.util.Map;

/**
 * What every learning-rate scheduler offers besides its {@code step}: the learning rates it last set and its state
 * as strings, for {@code TrainingCheckpoint} ({@code scheduler.state_dict()} / {@code load_state_dict}).
 *
 * <p>The state holds the scheduler's kind ({@code scheduler}), its settings (which a restoring scheduler must
 * share, as an optimizer must share its defaults) and its counters ({@code last_epoch}, {@code base_lrs},
 * plateau counters, ...). Doubles are written with {@link Double#toString(double)}, which reads back exactly.
 */
public interface LearningRateScheduler {

    /**
     * {@code scheduler.get_last_lr()}: the learning rate of every parameter group as the last step set it.
     *
     * @return one learning rate per group
     * @throws IllegalStateException when no step has been taken yet (only {@link ReduceLROnPlateau}, whose first
     *                               step is the first {@code step(metric)})
     */
    List<Double> getLastLr();

    /**
     * The scheduler's kind, settings and counters.
     *
     * @return name to value, in a fixed order
     */
    Map<String, String> stateDict();

    /**
     * Restores counters saved by {@link #stateDict()} from a scheduler of the same kind and settings; changes
     * nothing when it refuses. The optimizer's learning rates are restored by the optimizer's own state.
     *
     * @param state the saved state
     * @throws IllegalArgumentException naming every mismatching setting and missing or malformed counter
     */
    void loadStateDict(Map<String, String> state);
}
