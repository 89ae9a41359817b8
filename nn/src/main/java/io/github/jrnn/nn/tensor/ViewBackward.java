package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradNode;

/**
 * Backward of operations that keep every element in place in row-major order (reshape, view, unsqueeze, squeeze,
 * copy): the input's gradient is the output's gradient unchanged.
 */
final class ViewBackward extends GradNode {

    ViewBackward(Tensor input) {
        super(1, input);
    }

    @Override
    protected float[][] backward(float[][] outputGrads) {
        return new float[][] {outputGrads[0]};
    }
}
