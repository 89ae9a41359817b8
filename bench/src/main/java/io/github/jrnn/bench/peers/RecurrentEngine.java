package io.github.jrnn.bench.peers;

/**
 * One engine running one exported recurrent model (mode, hidden size, input = hidden, one layer) on a fixed number
 * of threads, in the two ways the benchmarks time: a whole sequence from zero states, and a stream of single steps
 * at batch 1 whose state carries over. Implementations: {@link JrnnEngine}, {@link OrtEngine}, {@link DjlEngine}.
 * Not thread-safe: one benchmark thread owns it.
 */
public interface RecurrentEngine extends AutoCloseable {

    /** The name the report and the agreement check use, e.g. {@code ort-2t}. */
    String name();

    /**
     * Prepares {@link #forward()} on {@code input} (steps, batch, hidden), zero initial states (buffers, tensors
     * and native handles are made here, once).
     */
    void prepareSequence(float[] input, int steps, int batch);

    /** One forward over the prepared sequence, outputs readable from Java afterwards; returns them for a sink. */
    Object forward();

    /** Output, h_n and c_n of the last {@link #forward()}, copied. */
    Outputs outputs();

    /** Starts a stream at batch 1 from zero states. */
    void openStream();

    /** One streaming step: reads hidden floats of {@code x} at {@code xOffset}, writes the new h into {@code out}. */
    void step(float[] x, int xOffset, float[] out, int outOffset);

    /** The stream's state now: h and (LSTM) c, with no output. */
    Outputs streamState();

    @Override
    void close();
}
