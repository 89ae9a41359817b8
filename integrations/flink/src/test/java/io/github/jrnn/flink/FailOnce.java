package io.github.jrnn.flink;

import java.io.Serial;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes scores through and, once per test run, throws after a checkpoint has completed and this instance has
 * seen {@code after} scores: the injected task failure from which Flink recovers by restoring that checkpoint.
 */
final class FailOnce implements MapFunction<Score, Score>, CheckpointListener {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    private final String run;
    private final int after;
    private transient boolean checkpointed;
    private transient int seen;

    FailOnce(String run, int after) {
        this.run = run;
        this.after = after;
    }

    static boolean failed(String run) {
        return FAILED.contains(run);
    }

    @Override
    public Score map(Score score) {
        seen++;
        if (checkpointed && seen >= after && FAILED.add(run)) {
            throw new IllegalStateException("injected task failure (test run " + run + ")");
        }
        return score;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
