package io.github.jrnn.bench.peers;

import java.util.Map;

/**
 * One engine's training step on the exported H = 256 model: {@code zero_grad}, forward over the reference input
 * (steps 50, batch 32) from zero states, MSELoss (mean) against the reference target, backward, Adam (lr 1e-3,
 * betas 0.9 / 0.999, eps 1e-8). Implementations: {@link JrnnTrainStep}, {@link DjlTrainStep}.
 */
public interface TrainEngine extends AutoCloseable {

    /** The name the report and the agreement check use, e.g. {@code djl-1t}. */
    String name();

    /** One whole training step; returns the loss for a sink. */
    Object step();

    /**
     * Zero grad, forward, loss and backward without the optimizer step, for the agreement check; gradients are
     * zeroed again afterwards.
     *
     * @return the loss and every parameter's gradient by PyTorch name
     */
    Gradients forwardBackward();

    @Override
    void close();

    /** A loss and the gradients it gave, by PyTorch parameter name. */
    record Gradients(float loss, Map<String, float[]> grads) {
    }

    /**
     * Checks {@code engine}'s first forward and backward against torch's: the loss and every parameter's gradient.
     * The optimizer step is not compared: DJL's Adam adds eps to the square root of the uncorrected second moment
     * (MXNet's form) where PyTorch adds it after the bias correction, so parameters with tiny gradients legitimately
     * move differently; the step's work is the same.
     *
     * @throws IllegalStateException naming the engine and the first value out of bounds
     */
    static void check(TrainEngine engine, PeerModels.TrainReference reference) {
        Gradients got = engine.forwardBackward();
        Agreement.check(engine.name(), "loss", new float[] {got.loss()}, new float[] {reference.loss()});
        if (!got.grads().keySet().equals(reference.grads().keySet())) {
            throw new IllegalStateException(engine.name() + " has parameters " + got.grads().keySet() + ", torch "
                    + reference.grads().keySet() + "; it is refused, not timed");
        }
        reference.grads().forEach((name, expected) ->
                Agreement.check(engine.name(), "grad of " + name, got.grads().get(name), expected));
    }
}
