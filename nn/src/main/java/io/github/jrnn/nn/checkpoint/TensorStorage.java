package io.github.jrnn.nn.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One storage of a checkpoint: a flat run of {@link #numel()} elements of one {@link DType}, as PyTorch keeps it
 * ({@code tensor.untyped_storage()}). Several {@link StoredTensor}s may view one storage (tied weights, a saved
 * slice and its base); {@link StoredTensor#storage()} returns the same object for all of them, so sharing is
 * {@code a.storage() == b.storage()}.
 *
 * <p>The bytes are held little-endian whatever the file's byte order (a file written on a big-endian machine is
 * converted when read).
 *
 * <p>Thread safety: immutable.
 */
public final class TensorStorage {
    private final String key;
    private final DType dtype;
    private final byte[] bytes; // numel * dtype.byteSize() bytes, little-endian

    TensorStorage(String key, DType dtype, byte[] bytes) {
        if (bytes.length % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("storage '" + key + "': " + bytes.length + " bytes is not a whole number"
                    + " of " + dtype + " elements");
        }
        this.key = key;
        this.dtype = dtype;
        this.bytes = bytes;
    }

    /**
     * The storage's key in the file: the record name under {@code data/} of a torch zip file (e.g. {@code "0"}),
     * the storage key of a legacy file, or the tensor's name for a safetensors file (one storage per tensor).
     *
     * @return the storage's key in the file
     */
    public String key() {
        return key;
    }

    /**
     * The element type.
     *
     * @return the element type of the storage
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * Number of elements.
     *
     * @return the number of elements the storage holds
     */
    public long numel() {
        return bytes.length / dtype.byteSize();
    }

    /**
     * Number of bytes ({@code numel() * dtype().byteSize()}).
     *
     * @return the storage's size in bytes
     */
    public long byteSize() {
        return bytes.length;
    }

    /** A read-only little-endian view of the bytes (no copy). */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** E.g. {@code storage '0': F32 x 12}. */
    @Override
    public String toString() {
        return "storage '" + key + "': " + dtype + " x " + numel();
    }
}
