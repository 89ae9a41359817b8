package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensorsHeader.TensorInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a {@link SafeTensorsFile}: its name, its dtype in the file, its shape, and its values, either
 * already read ({@link SafeTensors#read}) or read from the open file on each request ({@link SafeTensors#open}).
 *
 * <p>Float dtypes (F32, F64, F16, BF16) are read as float32 ({@link #toTensor()}; F64 rounds to nearest, F16 and
 * BF16 are exact); integer dtypes (I64, I32, I16, I8, U8, BOOL) as {@code long} ({@link #toLongs()},
 * {@link #toInts()}). Asking a float tensor for integers or an integer tensor for floats is refused with a
 * {@link CheckpointFormatException},
 * since it means the file does not hold what the reader expects.
 *
 * <p>Values that cannot be held (more than {@link SafeTensors#MAX_TENSOR_ELEMENTS} elements, or more than the
 * maximum heap) are refused with a {@link CheckpointFormatException} when asked for; the name, dtype and shape are
 * always available.
 *
 * <p>Thread safety: immutable, every accessor returns a fresh array; safe to use from many threads.
 */
public final class SafeTensorsEntry {
    private final Path file;
    private final TensorInfo info;
    private final float[] floats; // numel values, row-major, for a read float dtype; null otherwise
    private final long[] longs;   // numel values, row-major, for a read integer dtype; null otherwise
    private final SafeTensorsData data; // the open file for a tensor not read yet; null otherwise

    private SafeTensorsEntry(Path file, TensorInfo info, float[] floats, long[] longs, SafeTensorsData data) {
        this.file = file;
        this.info = info;
        this.floats = floats;
        this.longs = longs;
        this.data = data;
    }

    /** An entry whose values are read from {@code data} on each request. */
    static SafeTensorsEntry lazy(Path file, TensorInfo info, SafeTensorsData data) {
        return new SafeTensorsEntry(file, info, null, null, data);
    }

    /** This entry with its values read into memory. */
    SafeTensorsEntry loaded() throws IOException {
        if (data == null) {
            return this;
        }
        boolean isFloat = info.dtype().isFloatingPoint();
        return new SafeTensorsEntry(file, info, isFloat ? data.floats(info) : null,
                isFloat ? null : data.longs(info), null);
    }

    /** The bytes as stored (little-endian, row-major) of an entry of an open file. */
    byte[] storedBytes() throws IOException {
        if (data == null) {
            throw new IllegalStateException("the stored bytes are read from an open file only");
        }
        return data.bytes(info);
    }

    /**
     * The tensor's name in the file (e.g. {@code weight_ih_l0}).
     *
     * @return the name
     */
    public String name() {
        return info.name();
    }

    /**
     * The dtype the tensor is stored with.
     *
     * @return the dtype
     */
    public DType dtype() {
        return info.dtype();
    }

    /**
     * A copy of the shape.
     *
     * @return the dimensions
     */
    public int[] shape() {
        return info.shape().clone();
    }

    /**
     * Number of elements (the product of the shape; 1 for a 0-dim tensor). A {@code long}: a file may describe a
     * tensor larger than one Java array, which is refused only when its values are asked for.
     *
     * @return the product of the dimensions
     */
    public long numel() {
        return info.numel();
    }

    /**
     * The values as a new float32 tensor of this entry's shape.
     *
     * @return a new tensor
     * @throws CheckpointFormatException when the dtype is an integer type, or the values cannot be held
     * @throws IOException               when reading an open file fails
     */
    public Tensor toTensor() throws IOException {
        if (!info.dtype().isFloatingPoint()) {
            throw new CheckpointFormatException(file, info.name(), "expected a floating-point tensor (F32, F64, F16"
                    + " or BF16), got " + info.dtype() + "; read integer tensors with toLongs() or toInts()");
        }
        return Tensor.of(floats != null ? floats.clone() : data.floats(info), info.shape());
    }

    /**
     * The values, row-major, as longs (exact for every integer dtype).
     *
     * @return a new array
     * @throws CheckpointFormatException when the dtype is a floating-point type, or the values cannot be held
     * @throws IOException               when reading an open file fails
     */
    public long[] toLongs() throws IOException {
        requireInteger();
        return longs != null ? longs.clone() : data.longs(info);
    }

    /**
     * The values, row-major, as ints.
     *
     * @return a new array
     * @throws CheckpointFormatException when the dtype is a floating-point type, (I64) a value does not fit an int,
     *                                   or the values cannot be held
     * @throws IOException               when reading an open file fails
     */
    public int[] toInts() throws IOException {
        long[] values = toLongs();
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            if (values[i] != (int) values[i]) {
                throw new CheckpointFormatException(file, info.name(), "element " + i + " is " + values[i]
                        + ", outside the int range [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]");
            }
            out[i] = (int) values[i];
        }
        return out;
    }

    private void requireInteger() throws CheckpointFormatException {
        if (info.dtype().isFloatingPoint()) {
            throw new CheckpointFormatException(file, info.name(), "expected an integer tensor (I64, I32, I16, I8,"
                    + " U8 or BOOL), got " + info.dtype());
        }
    }

    /** E.g. {@code weight_ih_l0: F32 [12, 5]}. */
    @Override
    public String toString() {
        return info.name() + ": " + info.dtype() + " " + Arrays.toString(info.shape());
    }
}
