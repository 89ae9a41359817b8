package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A tensor as a checkpoint stores it, with its dtype kept: a view of a {@link TensorStorage} by shape, strides and
 * storage offset, as in PyTorch. Element {@code (i_0, ..., i_{n-1})} is storage element
 * {@code storageOffset + sum_k i_k * strides[k]}; a saved {@code w.t()}, {@code w[:, ::3]} or {@code x.expand(...)}
 * keeps its strides (0 for an expanded dimension), and tied weights are two tensors with the same storage.
 *
 * <p>Every view was checked when the file was read: each dimension in {@code [0, 2^31 - 1]}, each stride and the
 * offset non-negative, and for a non-empty tensor the last element it reaches,
 * {@code storageOffset + sum_k (shape[k] - 1) * strides[k]} (computed in 64 bits without wrapping), inside the
 * storage. BOOL tensors hold only 0 and 1.
 *
 * <p>Conversions (each returns fresh row-major arrays):
 * <ul>
 *   <li>{@link #toTensor()}: floating dtypes as float32, F16 and BF16 exactly, F64 rounded to nearest once. Integer
 *   dtypes are refused: a loader that wants floats from an integer tensor is reading the wrong tensor.</li>
 *   <li>{@link #toLongs()} / {@link #toLongTensor()}: integer dtypes (I64, I32, I16, I8 signed; U8 unsigned; BOOL 0
 *   or 1), exactly. Floating dtypes are refused.</li>
 *   <li>{@link #toBytes()}: the elements in row-major order in the stored dtype, little-endian: exactly the data a
 *   safetensors file holds for this tensor.</li>
 * </ul>
 * Each refuses, with a {@link CheckpointFormatException}, a result larger than one Java array or the JVM's maximum
 * heap.
 *
 * <p>Thread safety: immutable.
 */
public final class StoredTensor {
    private final Path file;
    private final String name;
    private final TensorStorage storage;
    private final long storageOffset;
    private final int[] shape;
    private final long[] strides;
    private final long numel;

    /** A view already checked against its storage (see {@link TensorLayout#check}). */
    StoredTensor(Path file, String name, TensorStorage storage, long storageOffset, int[] shape, long[] strides,
                 long numel) {
        this.file = file;
        this.name = name;
        this.storage = storage;
        this.storageOffset = storageOffset;
        this.shape = shape;
        this.strides = strides;
        this.numel = numel;
    }

    /**
     * The tensor's name in the state dict (e.g. {@code encoder.rnn.weight_ih_l0}).
     *
     * @return the tensor's name in the state dict
     */
    public String name() {
        return name;
    }

    /**
     * The dtype it is stored with.
     *
     * @return the stored element type
     */
    public DType dtype() {
        return storage.dtype();
    }

    /**
     * A copy of the shape ({@code []} for a 0-dim scalar).
     *
     * @return the sizes of the dimensions, a copy
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Number of elements, the product of the shape (1 for a 0-dim tensor); may exceed one Java array.
     *
     * @return the number of elements
     */
    public long numel() {
        return numel;
    }

    /**
     * A copy of the strides, in elements of the storage, one per dimension.
     *
     * @return the strides in elements, one per dimension, a copy
     */
    public long[] strides() {
        return strides.clone();
    }

    /**
     * Index of the tensor's first element in its storage.
     *
     * @return the offset of the first element in its storage, in elements
     */
    public long storageOffset() {
        return storageOffset;
    }

    /**
     * The storage this tensor views; the same object for every tensor of the file that views it.
     *
     * @return the storage, the same object for tensors that share one
     */
    public TensorStorage storage() {
        return storage;
    }

    /**
     * True when the elements are the storage's elements from the offset on in row-major order (no gather).
     *
     * @return true when the elements are stored row-major without gaps
     */
    public boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * The elements in row-major order in the stored dtype, little-endian ({@code numel() * dtype().byteSize()}
     * bytes).
     *
     * @return the elements in row-major order, little-endian, in the stored dtype
     * @throws CheckpointFormatException when that is more than one Java array holds
     */
    public byte[] toBytes() throws CheckpointFormatException {
        int size = dtype().byteSize();
        long length = numel * size;
        if (numel > SafeTensors.MAX_TENSOR_ELEMENTS || length > SafeTensors.MAX_TENSOR_ELEMENTS) {
            throw tooLarge(length + " bytes");
        }
        checkHeap(length);
        byte[] out = new byte[(int) length];
        ByteBuffer in = storage.buffer();
        if (isContiguous()) {
            in.get((int) (storageOffset * size), out);
            return out;
        }
        forEachElement((i, at) -> in.get((int) (at * size), out, i * size, size));
        return out;
    }

    /**
     * The values as a new float32 tensor of this shape.
     *
     * @return a new float32 tensor of this shape
     * @throws CheckpointFormatException when the dtype is an integer type, or there are more elements than one
     *                                   tensor holds
     */
    public Tensor toTensor() throws CheckpointFormatException {
        if (!dtype().isFloatingPoint()) {
            throw new CheckpointFormatException(file, name, "expected a floating-point tensor (F32, F64, F16 or BF16),"
                    + " got " + dtype() + "; read integer tensors with toLongs() or toLongTensor()");
        }
        float[] out = new float[checkedNumel(Float.BYTES)];
        ByteBuffer in = storage.buffer();
        DType dtype = dtype();
        int size = dtype.byteSize();
        if (dtype == DType.F32 && isContiguous()) {
            in.position((int) (storageOffset * size)).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        } else {
            forEachElement((i, at) -> out[i] = ElementCodec.floatAt(dtype, in, (int) (at * size)));
        }
        return Tensor.of(out, shape);
    }

    /**
     * The values, row-major, as longs (exact for every integer dtype).
     *
     * @return the elements in row-major order
     * @throws CheckpointFormatException when the dtype is a floating-point type, or there are more elements than
     *                                   one array holds
     */
    public long[] toLongs() throws CheckpointFormatException {
        if (dtype().isFloatingPoint()) {
            throw new CheckpointFormatException(file, name, "expected an integer tensor (I64, I32, I16, I8, U8 or"
                    + " BOOL), got " + dtype() + "; read floating-point tensors with toTensor()");
        }
        long[] out = new long[checkedNumel(Long.BYTES)];
        ByteBuffer in = storage.buffer();
        DType dtype = dtype();
        int size = dtype.byteSize();
        forEachElement((i, at) -> out[i] = ElementCodec.longAt(dtype, in, (int) (at * size)));
        return out;
    }

    /**
     * {@link #toLongs()} with this tensor's shape.
     *
     * @return a new int64 tensor of this shape
     * @throws CheckpointFormatException when the dtype is a floating one or the tensor is too large for one array
     */
    public LongTensor toLongTensor() throws CheckpointFormatException {
        return LongTensor.of(toLongs(), shape);
    }

    /** E.g. {@code weight: F16 [4, 3] (storage '0', offset 2, strides [1, 4])}. */
    @Override
    public String toString() {
        return name + ": " + dtype() + " " + Arrays.toString(shape) + " (storage '" + storage.key() + "', offset "
                + storageOffset + ", strides " + Arrays.toString(strides) + ")";
    }

    /** The element count as an int, refused when the result array cannot be held. */
    private int checkedNumel(int bytesPerElement) throws CheckpointFormatException {
        if (numel > SafeTensors.MAX_TENSOR_ELEMENTS) {
            throw tooLarge(numel + " elements");
        }
        checkHeap(numel * bytesPerElement);
        return (int) numel;
    }

    /**
     * A view can describe far more elements than its file holds (a stride of 0 repeats one element): a result
     * larger than the JVM's maximum heap is refused rather than left to fail with an {@link OutOfMemoryError}.
     */
    private void checkHeap(long bytes) throws CheckpointFormatException {
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new CheckpointFormatException(file, name, dtype() + " shape " + Arrays.toString(shape) + " needs "
                    + bytes + " bytes as an array, more than the JVM's maximum heap of " + heap + " bytes (-Xmx)");
        }
    }

    private CheckpointFormatException tooLarge(String what) {
        return new CheckpointFormatException(file, name, dtype() + " shape " + Arrays.toString(shape) + " has "
                + what + ", more than one Java array (" + SafeTensors.MAX_TENSOR_ELEMENTS + ") holds");
    }

    /** Receives each element's row-major index and storage element index. */
    @FunctionalInterface
    interface ElementVisitor {
        void visit(int index, long storageElement);
    }

    /**
     * Calls {@code visitor} for every element in row-major order (an odometer over the shape). Only for tensors
     * whose element count fits an int, as every caller has checked.
     */
    void forEachElement(ElementVisitor visitor) {
        int n = (int) numel;
        if (n == 0) {
            return;
        }
        int[] index = new int[shape.length];
        long at = storageOffset;
        for (int i = 0; i < n; i++) {
            visitor.visit(i, at);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    at += strides[d];
                    break;
                }
                at -= (long) (shape[d] - 1) * strides[d];
                index[d] = 0;
            }
        }
    }
}
