package io.github.jrnn.nn;

import java.util.Arrays;

/**
 * A trainable tensor of a {@link Module}: its value and, allocated on first use, a gradient of the same shape.
 *
 * <p>The value tensor is owned by the module and keeps its identity for the module's lifetime:
 * {@link Module#loadStateDict} copies new numbers into it instead of replacing it, so references held by an
 * optimizer stay valid. Modules only read parameters in {@code forward}.
 *
 * <p>Thread safety: reading the value from many threads is safe; writing it (loading, optimizer steps) while a
 * forward pass runs is not. The gradient is meant for one training thread.
 */
public final class Parameter {

    private final Tensor value;
    private Tensor grad;

    /** Wraps {@code value} (not copied). */
    public Parameter(Tensor value) {
        if (value == null) {
            throw new IllegalArgumentException("a Parameter needs a value tensor, got null");
        }
        this.value = value;
    }

    /** A parameter of zeros with the given shape. */
    public static Parameter zeros(int... shape) {
        return new Parameter(Tensor.zeros(shape));
    }

    /** The value tensor (live, not a copy). */
    public Tensor value() {
        return value;
    }

    /** The value's backing array (live, not a copy). */
    public float[] data() {
        return value.data();
    }

    /** A copy of the value's shape. */
    public int[] shape() {
        return value.shape();
    }

    /** Number of elements. */
    public int numel() {
        return value.numel();
    }

    /** The gradient, allocated as zeros of the value's shape on the first call. */
    public Tensor grad() {
        if (grad == null) {
            grad = Tensor.zeros(value.shape());
        }
        return grad;
    }

    /** True once {@link #grad()} has allocated the gradient. */
    public boolean hasGrad() {
        return grad != null;
    }

    /** Sets an allocated gradient back to zeros (nothing to do when none was allocated). */
    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad.data(), 0f);
        }
    }

    @Override
    public String toString() {
        return "Parameter" + Tensor.shapeString(value.shape());
    }
}
