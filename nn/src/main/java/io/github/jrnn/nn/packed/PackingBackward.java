package io.github.jrnn.nn.packed;

import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * Backward of {@link PackedSequences#packPaddedSequence} and {@link PackedSequences#padPackedSequence}. Both move
 * whole rows (one per step and sequence, {@code rowSize} features) between a padded tensor and the packed data
 * along one row map, packed row r &lt;-&gt; padded row {@code paddedRow[r]}; so the gradient moves the same rows
 * back: packing scatters the packed gradient into a zero padded gradient (padding positions get none), unpacking
 * gathers the packed rows out of the padded gradient (the padding value has no input, so its gradient is dropped).
 */
final class PackingBackward extends GradNode {

    private final int[] paddedRow;  // (sum(batch_sizes)): the padded row of every packed row
    private final int rowSize;
    private final int inputSize;
    private final boolean packing;  // true: input padded, output packed; false: input packed, output padded

    /**
     * @param input     the padded tensor (packing) or the packed data (unpacking)
     * @param paddedRow the padded row of each packed row
     */
    PackingBackward(Tensor input, int[] paddedRow, int rowSize, boolean packing) {
        super(1, input);
        this.paddedRow = paddedRow;
        this.rowSize = rowSize;
        this.inputSize = input.numel();
        this.packing = packing;
    }

    @Override
    public String name() {
        return packing ? "PackPaddedSequenceBackward" : "PadPackedSequenceBackward";
    }

    @Override
    protected float[][] backward(float[][] outputGrads) {
        float[] g = outputGrads[0];
        float[] d = new float[inputSize];
        for (int r = 0; r < paddedRow.length; r++) {
            if (packing) {
                System.arraycopy(g, r * rowSize, d, paddedRow[r] * rowSize, rowSize);
            } else {
                System.arraycopy(g, paddedRow[r] * rowSize, d, r * rowSize, rowSize);
            }
        }
        return new float[][] {d};
    }
}
