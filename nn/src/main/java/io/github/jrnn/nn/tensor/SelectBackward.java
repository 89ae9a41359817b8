package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradNode;

/**
 * Backward of {@link Tensor#select}: the output's gradient goes to entry {@code index} of dimension 0, zeros
 * elsewhere.
 */
final class SelectBackward extends GradNode {

    private final int index;
    private final int block;
    private final int inputSize;

    SelectBackward(Tensor input, int index, int block) {
        super(1, input);
        this.index = index;
        this.block = block;
        this.inputSize = input.numel();
    }

    @Override
    protected float[][] backward(float[][] outputGrads) {
        float[] g = new float[inputSize];
        if (outputGrads[0] != null) {
            System.arraycopy(outputGrads[0], 0, g, index * block, block);
        }
        return new float[][] {g};
    }
}
