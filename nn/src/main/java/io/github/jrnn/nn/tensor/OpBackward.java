package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradNode;

/**
 * The backward node of one tensor operation with one differentiable output, named like PyTorch's {@code grad_fn}
 * ({@code MulBackward0}, {@code SoftmaxBackward0}, ...): its rule maps the output's gradient to one gradient per
 * input (null where an input needs none). Rules capture what they need from the forward pass; {@link #release}
 * drops them after the backward pass.
 */
final class OpBackward extends GradNode {

    /** The gradients of the inputs (in the node's input order) from the output's gradient. */
    @FunctionalInterface
    interface Rule {
        float[][] apply(float[] outputGrad);
    }

    private final String name;
    private Rule rule;

    private OpBackward(String name, Rule rule, Tensor... inputs) {
        super(1, inputs);
        this.name = name;
        this.rule = rule;
    }

    /**
     * {@code out} as the output of a recorded {@code name} when recording is on and an input requires grad,
     * otherwise {@code out} unchanged.
     */
    static Tensor record(Tensor out, String name, Rule rule, Tensor... inputs) {
        return shouldRecord(inputs) ? new OpBackward(name, rule, inputs).output(0, out) : out;
    }

    @Override
    protected float[][] backward(float[][] outputGrads) {
        return rule.apply(outputGrads[0]);
    }

    @Override
    protected void release() {
        rule = null;
    }

    @Override
    public String name() {
        return name;
    }
}
