package io.github.jrnn.flink;

import java.io.Serializable;

/**
 * Turns an event and the model's new top-layer hidden state into the function's output (a score, an alert, the
 * state itself). Serialisable: it travels with the job.
 *
 * @param <I> the event type
 * @param <O> the output type
 */
@FunctionalInterface
public interface OutputMapper<I, O> extends Serializable {

    /**
     * Maps one scored event. {@code h} is a buffer the function reuses for the next event: copy what the result
     * keeps ({@code h.clone()}), read the rest now.
     *
     * @param event the event just stepped
     * @param h     the top layer's new hidden state after this event, H_out floats (proj_size for an LSTM with a
     *              projection, hidden_size otherwise)
     * @return the output to emit, or null to emit nothing for this event
     * @throws Exception when the output cannot be made (the task fails)
     */
    O map(I event, float[] h) throws Exception;
}
