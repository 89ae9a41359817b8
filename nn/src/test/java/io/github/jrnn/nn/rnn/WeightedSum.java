package io.github.jrnn.nn.rnn;

import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * A test loss {@code L = sum_i sum(values_i * weights_i)} over several tensors at once, recorded as one node, so
 * that a single backward hands every value its upstream gradient {@code weights_i} (as PyTorch's
 * {@code (out * g_out).sum() + (h_n * g_h).sum()} does) and a module node receives all its output gradients in
 * one call.
 */
final class WeightedSum extends GradNode {

    private final float[][] weights;

    private WeightedSum(Tensor[] values, float[][] weights) {
        super(1, values);
        this.weights = weights;
    }

    /** The loss as a 0-dim tensor whose backward reaches every value; the sum itself is computed in double. */
    static Tensor of(Tensor[] values, float[][] weights) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            float[] v = values[i].data();
            for (int j = 0; j < v.length; j++) {
                sum += (double) v[j] * weights[i][j];
            }
        }
        return new WeightedSum(values, weights).output(0, Tensor.of(new float[] {(float) sum}));
    }

    @Override
    protected float[][] backward(float[][] outputGrads) {
        float seed = outputGrads[0][0];
        float[][] grads = new float[weights.length][];
        for (int i = 0; i < weights.length; i++) {
            grads[i] = weights[i].clone();
            for (int j = 0; j < grads[i].length; j++) {
                grads[i][j] *= seed;
            }
        }
        return grads;
    }
}
