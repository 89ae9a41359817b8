package io.github.jrnn.nn.tensor;

import java.util.Arrays;

/**
 * An immutable boolean tensor (PyTorch's {@code torch.bool}): what the comparisons {@link Tensor#eq},
 * {@link Tensor#gt}, ... return and what {@link Tensor#maskedFill} and {@link Torch#where} take. Laid out like
 * {@link Tensor} (row-major); it takes no part in autograd.
 *
 * <p>The elements are held as floats 1 and 0, the form the broadcast kernels read a condition in, and never
 * change after construction, so a mask can be shared between threads freely.
 */
public final class BoolTensor {

    private final int[] shape;
    private final float[] mask; // 1f true, 0f false; never written after construction

    BoolTensor(float[] mask, int[] shape) {
        this.mask = mask;
        this.shape = shape;
    }

    /**
     * A mask with the given elements (copied) and shape.
     *
     * @param values the elements in row-major order
     * @param shape the dimensions
     * @return a new mask
     * @throws IllegalArgumentException when values is null or the shape does not hold exactly values.length elements
     */
    public static BoolTensor of(boolean[] values, int... shape) {
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        int[] s = shape.clone();
        int numel = Tensor.checkedNumel(s);
        if (numel != values.length) {
            throw new IllegalArgumentException("shape " + Tensor.shapeString(s) + " holds " + numel
                    + " elements, but values has " + values.length);
        }
        float[] mask = new float[numel];
        for (int i = 0; i < numel; i++) {
            mask[i] = values[i] ? 1f : 0f;
        }
        return new BoolTensor(mask, s);
    }

    /** The 1/0 elements, for the kernels; never to be written. */
    float[] mask() {
        return mask;
    }

    /**
     * A copy of the shape.
     *
     * @return the sizes of the dimensions
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Number of elements.
     *
     * @return the product of the dimensions
     */
    public int numel() {
        return mask.length;
    }

    /**
     * The element at a flat (row-major) position.
     *
     * @param flatIndex from 0 to {@code numel() - 1}
     * @return the element
     */
    public boolean get(int flatIndex) {
        return mask[flatIndex] != 0f;
    }

    /**
     * The elements in row-major order.
     *
     * @return a new array
     */
    public boolean[] toBooleanArray() {
        boolean[] values = new boolean[mask.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = mask[i] != 0f;
        }
        return values;
    }

    /** True when both have the same shape and elements. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BoolTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(mask, t.mask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(mask);
    }

    /** The shape and the elements, e.g. {@code BoolTensor(shape=[2], data=[true, false])}. */
    @Override
    public String toString() {
        return "BoolTensor(shape=" + Tensor.shapeString(shape) + ", data=" + Arrays.toString(toBooleanArray()) + ")";
    }
}
