package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * A trainable tensor of a {@link Module}: a leaf {@link Tensor} that requires a gradient, so every recorded
 * operation that reads it sends its share of the gradient back into {@link #grad()} during
 * {@link Tensor#backward()}, accumulating across backward calls until {@link #zeroGrad()}.
 *
 * <p>The value tensor is owned by the module and keeps its identity for the module's lifetime:
 * {@link Module#loadStateDict} and optimizer steps change its numbers in place instead of replacing it, so
 * references held by an optimizer stay valid, and move its {@link #version()} on. Modules only read parameters in
 * {@code forward}; the recurrent ones keep packed copies of their weights, refreshed when the version moved.
 *
 * <p>Thread safety: reading the value from many threads is safe; writing it (loading, optimizer steps) while a
 * forward pass runs is not. The gradient is meant for one training thread.
 */
public final class Parameter {

    private final Tensor value;

    /**
     * Wraps {@code value} (not copied) and marks it as requiring a gradient.
     *
     * @param value the tensor, which becomes a leaf requiring a gradient
     */
    public Parameter(Tensor value) {
        if (value == null) {
            throw new IllegalArgumentException("a Parameter needs a value tensor, got null");
        }
        if (!value.isLeaf()) {
            throw new IllegalArgumentException("a Parameter must wrap a leaf tensor, got the output of "
                    + value.gradFn().name() + " (use detach())");
        }
        this.value = value.requiresGrad(true);
    }

    /**
     * A parameter of zeros with the given shape.
     *
     * @param shape the dimensions
     * @return a new parameter of zeros
     */
    public static Parameter zeros(int... shape) {
        return new Parameter(Tensor.zeros(shape));
    }

    /**
     * The value tensor (live, not a copy).
     *
     * @return the tensor, live
     */
    public Tensor value() {
        return value;
    }

    /**
     * The value's backing array (live, not a copy). After writing into it directly, call {@link #markModified()}:
     * modules keep prepared (packed) copies of their weights between calls and refresh them only when the
     * parameter's {@link #version()} moves on.
     *
     * @return the live data array
     */
    public float[] data() {
        return value.data();
    }

    /**
     * The value's version ({@link Tensor#version()}): it moves on with every in-place change jrnn makes or is told of.
     *
     * @return the number of in-place changes seen so far
     */
    public long version() {
        return value.version();
    }

    /** Records a change made by writing {@link #data()} directly ({@link Tensor#markModified()}). */
    public void markModified() {
        value.markModified();
    }

    /**
     * A copy of the value's shape.
     *
     * @return the sizes of the dimensions, a copy
     */
    public int[] shape() {
        return value.shape();
    }

    /**
     * Number of elements.
     *
     * @return the number of elements
     */
    public int numel() {
        return value.numel();
    }

    /**
     * The accumulated gradient, or null when no backward has reached this parameter since the last zeroing.
     *
     * @return the accumulated gradient, or null
     */
    public Tensor grad() {
        return value.grad();
    }

    /**
     * True when a gradient has been accumulated.
     *
     * @return whether a gradient has been accumulated
     */
    public boolean hasGrad() {
        return value.grad() != null;
    }

    /**
     * Forgets the accumulated gradient, like PyTorch's {@code zero_grad(set_to_none=True)}: the next backward
     * starts from zero, and optimizers skip the parameter until then.
     */
    public void zeroGrad() {
        value.clearGrad();
    }

    @Override
    public String toString() {
        return "Parameter" + Tensor.shapeString(value.shape());
    }
}
