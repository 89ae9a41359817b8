package io.github.jrnn.nn.rnn;

/**
 * Reusable buffers of an inference forward pass, so that a steady-state {@code forward} allocates little beyond
 * its outputs: the input gates of a whole sequence ({@code (rows, G * H)}, the largest buffer) or the work
 * scratch of a whole-sequence pass's {@code recurrentLayer} calls, the hidden gates of one step, the projection
 * input, the outputs of the layers below the top (two, used in turn) and zero initial states. Each buffer grows
 * to the largest size asked for and is then reused; contents are not cleared between uses except where
 * {@link #zeros} says so.
 *
 * <p>A scratch belongs to one forward call at a time: a {@link ScratchPool} hands one to each concurrent call, so a
 * module serving k threads at once keeps k of them.
 */
final class ForwardScratch {

    private float[] inputGates = new float[0];
    private float[] hiddenGates = new float[0];
    private float[] projection = new float[0];
    private final float[][] layers = {new float[0], new float[0]};
    private float[] zeros = new float[0];

    float[] inputGates(int n) {
        if (inputGates.length < n) {
            inputGates = new float[n];
        }
        return inputGates;
    }

    float[] hiddenGates(int n) {
        if (hiddenGates.length < n) {
            hiddenGates = new float[n];
        }
        return hiddenGates;
    }

    float[] projection(int n) {
        if (projection.length < n) {
            projection = new float[n];
        }
        return projection;
    }

    /** Buffer {@code slot} (0 or 1) for an intermediate layer's output of n floats. */
    float[] layer(int slot, int n) {
        if (layers[slot].length < n) {
            layers[slot] = new float[n];
        }
        return layers[slot];
    }

    /** n zeros (the first n elements are set to 0 on every call). */
    float[] zeros(int n) {
        if (zeros.length < n) {
            zeros = new float[n];
        } else {
            java.util.Arrays.fill(zeros, 0, n, 0f);
        }
        return zeros;
    }
}
