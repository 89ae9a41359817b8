package io.github.jrnn.bench.peers;

/**
 * What a recurrent layer returns, copied to Java arrays: output (steps * batch * hidden), h_n and (LSTM only,
 * else null) c_n (batch * hidden each). For a stream, output holds every step's h one after another.
 */
public record Outputs(float[] output, float[] hN, float[] cN) {
}
