package io.github.jrnn.flink;

/**
 * A test event: sensor {@code sensor}'s {@code seq}-th reading (seq counts from 0 per sensor) of input_size values;
 * {@code sessionStart} marks a reading that begins a new sequence. A record, so Flink serialises it as a POJO.
 *
 * @param sensor       the key
 * @param seq          the reading's position in its sensor's stream
 * @param values       the features, input_size floats
 * @param sessionStart whether the model restarts from zero state here
 */
public record Reading(int sensor, long seq, float[] values, boolean sessionStart) {
}
