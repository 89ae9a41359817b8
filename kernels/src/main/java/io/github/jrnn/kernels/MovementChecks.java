package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.size;
import static io.github.jrnn.kernels.ArgumentChecks.vector;

/**
 * The front-door checks of the strided data-movement kernels ({@link Kernels#copyStrided},
 * {@link Kernels#addStrided}, {@link Kernels#gather}, {@link Kernels#scatterAdd}, {@link Kernels#allClose}), built
 * from {@link ArgumentChecks}' primitives (kept apart so that each file stays focused): an index space of at least
 * one dimension and no negative size, every strided view present, with one non-negative stride per dimension and
 * its farthest element inside its array, and every index value inside the dimension it addresses.
 */
final class MovementChecks {

    private MovementChecks() {
    }

    static void checkStridedPair(String kernel, int[] sizes, float[] src, int srcOffset, int[] srcStrides,
                                 float[] dst, int dstOffset, int[] dstStrides) {
        indexSpace(kernel, sizes);
        stridedView(kernel, "src", src == null ? -1 : src.length, srcOffset, sizes, srcStrides, -1, 0);
        stridedView(kernel, "dst", dst == null ? -1 : dst.length, dstOffset, sizes, dstStrides, -1, 0);
    }

    /**
     * The operands of gather / scatterAdd: the index view and the operand it addresses ({@code indexed}, whose size
     * along dim is {@code dimSize}) and the plain one; every index value in {@code [0, dimSize)}.
     */
    static void checkIndexed(String kernel, int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
                             int dimSize, float[] indexed, int indexedOffset, int[] indexedStrides,
                             String indexedName, float[] plain, int plainOffset, int[] plainStrides,
                             String plainName) {
        indexSpace(kernel, sizes);
        if (dim < 0 || dim >= sizes.length) {
            throw new IllegalArgumentException(kernel + ": dim must be in [0, " + sizes.length + "), got " + dim);
        }
        size(kernel, indexedName + "DimSize", dimSize);
        stridedView(kernel, "index", index == null ? -1 : index.length, indexOffset, sizes, indexStrides, -1, 0);
        stridedView(kernel, indexedName, indexed == null ? -1 : indexed.length, indexedOffset, sizes,
                indexedStrides, dim, dimSize);
        stridedView(kernel, plainName, plain == null ? -1 : plain.length, plainOffset, sizes, plainStrides, -1, 0);
        if (StridedWalk.isEmpty(sizes)) {
            return;
        }
        int[] strides = indexStrides;
        int[] counter = new int[sizes.length];
        int at = indexOffset;
        while (true) {
            long value = index[at];
            if (value < 0 || value >= dimSize) {
                throw new IllegalArgumentException(kernel + ": index value " + value + " at index position "
                        + java.util.Arrays.toString(counter) + " is out of range [0, " + dimSize + ")");
            }
            int d = sizes.length - 1;
            while (d >= 0 && ++counter[d] == sizes[d]) {
                at -= strides[d] * (sizes[d] - 1);
                counter[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
            at += strides[d];
        }
    }

    static void checkAllClose(int n, float[] a, int aOffset, float[] b, int bOffset) {
        size("allClose", "n", n);
        vector("allClose", "a", a, aOffset, n);
        vector("allClose", "b", b, bOffset, n);
    }

    private static void indexSpace(String kernel, int[] sizes) {
        if (sizes == null || sizes.length == 0) {
            throw new IllegalArgumentException(kernel + ": sizes must hold at least one dimension, got "
                    + (sizes == null ? "null" : "[]"));
        }
        for (int d = 0; d < sizes.length; d++) {
            if (sizes[d] < 0) {
                throw new IllegalArgumentException(kernel + ": sizes[" + d + "] must be >= 0, got " + sizes[d]);
            }
        }
    }

    /**
     * A strided view over an array of {@code length} elements (-1: null) with the shape {@code sizes}, except along
     * {@code dim} (when >= 0) where it has {@code dimSize} entries: strides present, one per dimension, none
     * negative, and the farthest element inside the array.
     */
    private static void stridedView(String kernel, String name, long length, int offset, int[] sizes, int[] strides,
                                    int dim, int dimSize) {
        if (length < 0) {
            throw new IllegalArgumentException(kernel + ": " + name + " must not be null");
        }
        if (strides == null || strides.length != sizes.length) {
            throw new IllegalArgumentException(kernel + ": " + name + " needs one stride per dimension ("
                    + sizes.length + "), got " + (strides == null ? "null" : strides.length));
        }
        if (offset < 0) {
            throw new IllegalArgumentException(kernel + ": offset of " + name + " must be >= 0, got " + offset);
        }
        long last = offset;
        for (int d = 0; d < sizes.length; d++) {
            if (strides[d] < 0) {
                throw new IllegalArgumentException(kernel + ": strides of " + name + " must be >= 0, got "
                        + java.util.Arrays.toString(strides));
            }
            int extent = d == dim ? dimSize : sizes[d];
            if (extent == 0) {
                return; // an empty view touches nothing
            }
            last += (extent - 1L) * strides[d];
        }
        if (last >= length) {
            throw new IllegalArgumentException(kernel + ": " + name + " is too short: the view with sizes "
                    + java.util.Arrays.toString(sizes) + ", strides " + java.util.Arrays.toString(strides)
                    + " at offset " + offset + " reaches element " + last + ", but it has " + length + " elements");
        }
    }
}
