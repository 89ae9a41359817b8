package io.github.jrnn.flink;

import java.io.Serializable;

/**
 * Writes an event's model input, the frame x of shape (input_size), into a buffer the function reuses for every
 * event, so that extracting allocates nothing. Serialisable: it travels with the job (a lambda or method reference
 * assigned to this type is serialisable).
 *
 * @param <I> the event type
 */
@FunctionalInterface
public interface InputExtractor<I> extends Serializable {

    /**
     * Writes the event's input_size features to {@code x[0 .. input_size)}.
     *
     * @param event the event being scored
     * @param x     the frame, exactly input_size floats; its earlier content is the previous event's
     * @throws Exception when the event cannot be turned into features (the task fails, as for any user function)
     */
    void extract(I event, float[] x) throws Exception;
}
