package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradNode;

/**
 * Backward of every operation whose output is a strided view of its input copied out,
 * {@code out[i] = in[offset + sum_d i_d strides_d]} over the index space {@code sizes} (slice, narrow, select,
 * permute, expand, repeat): {@code grad_in[offset + sum_d i_d strides_d] += grad_out[i]}, so elements read many
 * times (a stride of 0) sum their gradients, in row-major order.
 */
final class StridedBackward extends GradNode {

    private final String name;
    private final int inputSize;
    private final int[] sizes;
    private final int offset;
    private final int[] strides;

    /**
     * @param name PyTorch's name of the node ({@code SliceBackward0}, ...), for {@link Tensor#toString()}
     * @param sizes the index space of the output (its shape, or a finer one with the same row-major order)
     */
    StridedBackward(Tensor input, String name, int[] sizes, int offset, int[] strides) {
        super(1, input);
        this.name = name;
        this.inputSize = input.numel();
        this.sizes = sizes;
        this.offset = offset;
        this.strides = strides;
    }

    @Override
    protected float[][] backward(float[][] outputGrads) {
        float[] g = new float[inputSize];
        if (outputGrads[0] != null) {
            Strided.addInto(sizes, outputGrads[0], g, offset, strides);
        }
        return new float[][] {g};
    }

    @Override
    public String name() {
        return name;
    }
}
