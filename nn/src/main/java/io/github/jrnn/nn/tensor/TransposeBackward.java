package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradNode;

/** Backward of {@link Tensor#transpose}: the output's gradient transposed back along the same two dimensions. */
final class TransposeBackward extends GradNode {

    private final int[] outputShape;
    private final int d0;
    private final int d1;

    TransposeBackward(Tensor input, int d0, int d1) {
        super(1, input);
        int[] s = input.shape();
        int t = s[d0];
        s[d0] = s[d1];
        s[d1] = t;
        this.outputShape = s;
        this.d0 = d0;
        this.d1 = d1;
    }

    @Override
    protected float[][] backward(float[][] outputGrads) {
        Tensor g = Tensor.of(outputGrads[0], outputShape).transpose(d0, d1);
        return new float[][] {g.data()};
    }
}
