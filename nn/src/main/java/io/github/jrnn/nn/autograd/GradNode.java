package io.github.jrnn.nn.autograd;

import java.util.Arrays;

/**
 * One recorded operation of the backward graph (PyTorch's {@code grad_fn}): it knows the tensors it read and how to
 * turn the gradients of its outputs into gradients of those inputs.
 *
 * <p>jrnn records coarse operations (a whole recurrent layer stack, a linear layer, a loss), not single
 * multiply-adds, so the graph of a training step has a handful of nodes and each backward is one fused pass.
 *
 * <p>Subclasses save what their backward needs in fields, create their outputs with {@link #output}, and implement
 * {@link #backward}. {@link #release} drops saved state after the backward pass has used it, so a second backward
 * through the same graph fails clearly instead of reading freed buffers.
 */
public abstract class GradNode {

    private final Differentiable[] inputs;
    private final int outputCount;
    private boolean released;

    /**
     * A node for an operation with {@code outputCount} outputs that read {@code inputs}.
     *
     * @param outputCount how many tensors the operation produced
     * @param inputs      the tensors it read, in the order {@link #backward} returns their gradients (null entries
     *                    are allowed for optional inputs that were not given)
     */
    protected GradNode(int outputCount, Differentiable... inputs) {
        this.outputCount = outputCount;
        this.inputs = inputs.clone();
    }

    /**
     * True when recording is on and at least one of the tensors needs a gradient: the test before building a node.
     *
     * @param tensors the operation's inputs; null entries are ignored
     * @return whether to record a node
     */
    public static boolean shouldRecord(Differentiable... tensors) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Differentiable t : tensors) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Wraps {@code data} as output number {@code index} of this node: the tensor's {@code gradFn} is this node.
     *
     * @param <T> the value's class
     * @param index the output's position, from 0
     * @param value the output
     * @return {@code value}
     */
    public final <T extends Differentiable> T output(int index, T value) {
        if (index < 0 || index >= outputCount) {
            throw new IllegalArgumentException("output index " + index + " out of range for " + name() + " with "
                    + outputCount + " outputs");
        }
        value.setGradFn(this, index);
        return value;
    }

    /**
     * Computes the gradients of the inputs from the gradients of the outputs.
     *
     * @param outputGrads one entry per output, each with the output's element count; null where the output did not
     *                    contribute to the value being differentiated (its gradient is zero)
     * @return one entry per input (as given to the constructor), each with that input's element count, or null
     *         where the input needs no gradient; the engine adds these into the inputs' gradients
     */
    protected abstract float[][] backward(float[][] outputGrads);

    /** Drops saved state once the backward pass has run; override to null large buffers. */
    protected void release() {
    }

    /**
     * The operation's name in messages, like PyTorch's {@code GruBackward}.
     *
     * @return the name, by default the class's simple name
     */
    public String name() {
        return getClass().getSimpleName();
    }

    final Differentiable[] inputs() {
        return inputs;
    }

    final int outputCount() {
        return outputCount;
    }

    final float[][] runBackward(float[][] outputGrads) {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (" + name()
                    + "): the saved intermediate values were already freed after the first backward; run the"
                    + " forward pass again for a new graph");
        }
        float[][] grads = backward(outputGrads);
        if (grads.length != inputs.length) {
            throw new IllegalStateException(name() + " returned " + grads.length + " gradients for "
                    + inputs.length + " inputs");
        }
        released = true;
        release();
        return grads;
    }

    @Override
    public String toString() {
        return name() + Arrays.toString(new int[] {outputCount});
    }
}
