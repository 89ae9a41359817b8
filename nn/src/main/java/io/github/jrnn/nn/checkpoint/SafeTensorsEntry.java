package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.Tensor;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a {@link SafeTensorsFile}: its name, its dtype in the file, its shape, and its values, already read
 * and checked.
 *
 * <p>Float dtypes (F32, F64, F16, BF16) are read as float32 ({@link #toTensor()}; F64 rounds to nearest, F16 and
 * BF16 are exact); integer dtypes (I64, I32, U8, BOOL) as {@code long} ({@link #toLongs()}, {@link #toInts()}). Asking
 * a float tensor for integers or an integer tensor for floats is refused with a {@link CheckpointFormatException},
 * since it means the file does not hold what the reader expects.
 *
 * <p>Immutable: every accessor returns a fresh copy.
 */
public final class SafeTensorsEntry {
    private final Path file;
    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final float[] floats; // numel values, row-major, for float dtypes; null otherwise
    private final long[] longs;   // numel values, row-major, for integer dtypes; null otherwise

    SafeTensorsEntry(Path file, String name, DType dtype, int[] shape, float[] floats, long[] longs) {
        this.file = file;
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.floats = floats;
        this.longs = longs;
    }

    /** The tensor's name in the file (e.g. {@code weight_ih_l0}). */
    public String name() {
        return name;
    }

    /** The dtype the tensor is stored with. */
    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements (the product of the shape; 1 for a 0-dim tensor). */
    public int numel() {
        return floats != null ? floats.length : longs.length;
    }

    /**
     * The values as a new float32 tensor of this entry's shape.
     *
     * @throws CheckpointFormatException when the dtype is an integer type
     */
    public Tensor toTensor() throws CheckpointFormatException {
        if (floats == null) {
            throw new CheckpointFormatException(file, name, "expected a floating-point tensor (F32, F64, F16 or"
                    + " BF16), got " + dtype + "; read integer tensors with toLongs() or toInts()");
        }
        return Tensor.of(floats.clone(), shape);
    }

    /**
     * The values, row-major, as longs (exact for every integer dtype).
     *
     * @throws CheckpointFormatException when the dtype is a floating-point type
     */
    public long[] toLongs() throws CheckpointFormatException {
        requireInteger();
        return longs.clone();
    }

    /**
     * The values, row-major, as ints.
     *
     * @throws CheckpointFormatException when the dtype is a floating-point type, or (I64) a value does not fit an int
     */
    public int[] toInts() throws CheckpointFormatException {
        requireInteger();
        int[] out = new int[longs.length];
        for (int i = 0; i < out.length; i++) {
            if (longs[i] != (int) longs[i]) {
                throw new CheckpointFormatException(file, name, "element " + i + " is " + longs[i]
                        + ", outside the int range [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]");
            }
            out[i] = (int) longs[i];
        }
        return out;
    }

    private void requireInteger() throws CheckpointFormatException {
        if (longs == null) {
            throw new CheckpointFormatException(file, name, "expected an integer tensor (I64, I32, U8 or BOOL), got "
                    + dtype);
        }
    }

    /** E.g. {@code weight_ih_l0: F32 [12, 5]}. */
    @Override
    public String toString() {
        return name + ": " + dtype + " " + Arrays.toString(shape);
    }
}
