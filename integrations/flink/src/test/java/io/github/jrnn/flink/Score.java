package io.github.jrnn.flink;

/**
 * A test output: the top layer's h after sensor {@code sensor}'s {@code seq}-th reading.
 *
 * @param sensor the key
 * @param seq    the reading's position
 * @param h      a copy of the top layer's new h
 */
public record Score(int sensor, long seq, float[] h) {

    /** The reading this score answers, as one number: {@code seq * 1_000_000 + sensor}. */
    long id() {
        return seq * 1_000_000 + sensor;
    }
}
