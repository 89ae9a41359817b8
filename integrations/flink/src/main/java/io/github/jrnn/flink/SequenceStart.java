package io.github.jrnn.flink;

import java.io.Serializable;

/**
 * Says whether an event begins a new sequence for its key (a session start, a device reboot): the key's state is
 * then set to zeros before the event is stepped, as for a key seen for the first time. Serialisable: it travels
 * with the job.
 *
 * @param <I> the event type
 */
@FunctionalInterface
public interface SequenceStart<I> extends Serializable {

    /**
     * Whether {@code event} starts a new sequence.
     *
     * @param event the event about to be stepped
     * @return true to step it from zero state
     * @throws Exception when the event cannot be inspected (the task fails)
     */
    boolean startsSequence(I event) throws Exception;
}
