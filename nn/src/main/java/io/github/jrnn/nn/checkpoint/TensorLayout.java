package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.checkpoint.PickleValues.StorageRef;
import io.github.jrnn.nn.checkpoint.PickleValues.TensorRef;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a tensor view (size, stride, storage offset) against its storage before anything is built from it: the
 * arguments of {@code _rebuild_tensor_v2} come from an untrusted pickle.
 *
 * <p>At most {@value #MAX_DIMS} dimensions; each size in {@code [0, 2^31 - 1]}; each stride and the offset
 * non-negative; the element count {@code prod size} within a {@code long}. For a non-empty view the last element
 * it reaches, {@code offset + sum_k (size_k - 1) * stride_k}, is computed with overflow checks and must be less
 * than the storage's element count; an empty view's offset must not pass the storage's end.
 */
final class TensorLayout {
    /** PyTorch's own limit on a tensor's dimensions. */
    static final int MAX_DIMS = 64;

    private TensorLayout() {
    }

    /**
     * The checked view; {@code size} and {@code stride} hold {@link Long}s (the caller checked their types).
     * {@code what} names the pickle in messages.
     */
    static TensorRef check(Path file, String what, StorageRef storage, long offset, List<Long> size, List<Long> stride)
            throws CheckpointFormatException {
        String where = "tensor on storage '" + storage.key() + "': ";
        if (size.size() > MAX_DIMS) {
            throw new CheckpointFormatException(file, null, what + ": " + where + size.size()
                    + " dimensions, more than the " + MAX_DIMS + " PyTorch allows");
        }
        if (size.size() != stride.size()) {
            throw new CheckpointFormatException(file, null, what + ": " + where + size.size() + " sizes but "
                    + stride.size() + " strides " + stride);
        }
        if (offset < 0) {
            throw new CheckpointFormatException(file, null, what + ": " + where + "storage offset " + offset
                    + " is negative");
        }
        int[] shape = new int[size.size()];
        long[] strides = new long[size.size()];
        boolean empty = false;
        for (int d = 0; d < shape.length; d++) {
            long s = size.get(d);
            if (s < 0 || s > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(file, null, what + ": " + where + "dimension " + d + " is " + s
                        + ", expected 0 to " + Integer.MAX_VALUE);
            }
            if (stride.get(d) < 0) {
                throw new CheckpointFormatException(file, null, what + ": " + where + "dimension " + d + ": stride "
                        + stride.get(d) + " is negative");
            }
            shape[d] = (int) s;
            strides[d] = stride.get(d);
            empty |= s == 0;
        }
        String view = "size " + Arrays.toString(shape) + " with strides " + Arrays.toString(strides) + " at offset "
                + offset;
        if (empty) {
            if (offset > storage.numel()) {
                throw new CheckpointFormatException(file, null, what + ": " + where + view + " starts past the end"
                        + " of storage '" + storage.key() + "', which holds " + storage.numel() + " elements");
            }
            return new TensorRef(storage, offset, shape, strides, 0);
        }
        long numel = 1;
        long last = offset;
        try {
            for (int d = 0; d < shape.length; d++) {
                numel = Math.multiplyExact(numel, shape[d]);
            }
        } catch (ArithmeticException overflow) {
            throw new CheckpointFormatException(file, null, what + ": " + where + view
                    + " has more than 2^63 - 1 elements");
        }
        try {
            for (int d = 0; d < shape.length; d++) {
                last = Math.addExact(last, Math.multiplyExact(shape[d] - 1L, strides[d]));
            }
        } catch (ArithmeticException overflow) {
            throw new CheckpointFormatException(file, null, what + ": " + where + view
                    + " reaches an element beyond 2^63 - 1");
        }
        if (last >= storage.numel()) {
            throw new CheckpointFormatException(file, null, what + ": " + where + view + " reaches element " + last
                    + " of storage '" + storage.key() + "', which holds " + storage.numel() + " elements");
        }
        return new TensorRef(storage, offset, shape, strides, numel);
    }
}
