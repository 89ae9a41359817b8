package io.github.jrnn.nn.autograd;

/**
 * What the autograd engine needs from a value it differentiates: whether it takes part in recording, the
 * {@link GradNode} that produced it (PyTorch's {@code grad_fn}) and which of that node's outputs it is, and a
 * place for the gradient of a leaf. {@code io.github.jrnn.nn.tensor.Tensor} is the one subclass.
 *
 * <p>The engine lives in this package and depends on nothing above it; tensors depend on the engine, not the other
 * way round. That is why the producer link is kept here, settable only by {@link GradNode#output}, and a leaf's
 * gradient is reached through the protected {@link #accumulateGrad} hook.
 */
public abstract class Differentiable {

    private GradNode gradFn;
    private int gradOutputIndex;

    /** For subclasses. */
    protected Differentiable() {
    }

    /**
     * True for a leaf that requires grad and for every output of a recorded operation.
     *
     * @return whether gradients flow into this value
     */
    public abstract boolean requiresGrad();

    /**
     * The number of elements: the length of every gradient that flows into this value.
     *
     * @return the element count
     */
    public abstract int numel();

    /**
     * The recorded operation that produced this value, or null for a leaf.
     *
     * @return the node, or null
     */
    public final GradNode gradFn() {
        return gradFn;
    }

    /**
     * True when the value was not produced by a recorded operation.
     *
     * @return whether this is a leaf
     */
    public final boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * Adds {@code g} (one value per element, not retained) into this leaf's gradient; called by the engine only for
     * leaves that {@link #requiresGrad()}.
     *
     * @param g the gradient contribution
     */
    protected abstract void accumulateGrad(float[] g);

    /**
     * Back-propagates {@code seed} (one value per element, owned by the engine from now on) from this value into
     * every leaf it depends on; subclasses check the seed's shape and call this from their public backward.
     *
     * @param seed the gradient of the differentiated quantity with respect to this value
     */
    protected final void runBackward(float[] seed) {
        BackwardPass.run(this, seed);
    }

    final int gradOutputIndex() {
        return gradOutputIndex;
    }

    final void setGradFn(GradNode node, int outputIndex) {
        this.gradFn = node;
        this.gradOutputIndex = outputIndex;
    }
}
