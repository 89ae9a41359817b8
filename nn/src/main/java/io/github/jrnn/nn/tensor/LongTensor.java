package io.github.jrnn.nn.tensor;

import java.util.Arrays;

/**
 * A dense int64 tensor (PyTorch's {@code torch.long}): a shape and a row-major {@code long[]}, laid out like
 * {@link Tensor}. It is what {@link Torch#randint} returns, since {@code torch.randint} produces int64 values, e.g.
 * class indices for a loss or token ids for an embedding.
 *
 * <p>Thread safety: as {@link Tensor}, a mutable array with an immutable shape.
 */
public final class LongTensor {

    private final int[] shape;
    private final long[] data;

    private LongTensor(long[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /**
     * Wraps {@code data} (not copied) as a tensor of the given shape.
     *
     * @param data the elements in row-major order; wrapped, not copied
     * @param shape the dimensions
     * @return the tensor over {@code data}
     * @throws IllegalArgumentException when the shape is invalid or does not hold exactly {@code data.length}
     *                                  elements
     */
    public static LongTensor of(long[] data, int... shape) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        int[] s = shape.clone();
        int numel = Tensor.checkedNumel(s);
        if (numel != data.length) {
            throw new IllegalArgumentException("shape " + Tensor.shapeString(s) + " holds " + numel
                    + " elements, but data has " + data.length);
        }
        return new LongTensor(data, s);
    }

    /**
     * A copy of the shape.
     *
     * @return the sizes of the dimensions, a copy
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Number of elements.
     *
     * @return the number of elements
     */
    public int numel() {
        return data.length;
    }

    /**
     * The backing array (not a copy), row-major.
     *
     * @return the live data array
     */
    public long[] data() {
        return data;
    }

    /**
     * {@code item()}: the one value of a one-element tensor, e.g. of {@code logits.argmax()} or
     * {@code probs.multinomial(1, true)}.
     *
     * @return the value
     * @throws IllegalStateException when the tensor does not hold exactly one element
     */
    public long item() {
        if (data.length != 1) {
            throw new IllegalStateException("only one element tensors can be converted to Python scalars; hint: this"
                    + " tensor has shape " + Strided.shape(shape) + " (" + data.length + " elements); reduce it"
                    + " or select one element first");
        }
        return data[0];
    }

    /** True when both have the same shape and elements. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LongTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /**
     * PyTorch's {@code repr} of an int64 tensor, character for character: {@code tensor([[3, 1],\n        [0, 2]])},
     * summarised with {@code ...} past 1000 elements, {@code tensor([], dtype=torch.int64)} when empty.
     */
    @Override
    public String toString() {
        return TensorFormat.reprLong(shape, data);
    }
}
