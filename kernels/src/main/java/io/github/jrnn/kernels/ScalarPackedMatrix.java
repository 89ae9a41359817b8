package io.github.jrnn.kernels;

/**
 * The scalar reference's {@link PackedMatrix}: op(B) copied into a contiguous k x n row-major array, so that
 * the scalar {@link Kernels#sgemmPacked} is {@code sgemm} with {@code transB = false} on the copy.
 */
final class ScalarPackedMatrix implements PackedMatrix {

    private int rows;
    private int cols;
    /** op(B) row-major: element (p, j) at {@code p * cols + j}; never exposed: only {@link #refill} changes it. */
    private float[] data;

    ScalarPackedMatrix(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        this.data = new float[0];
        refill(transB, k, n, b, bOffset, ldb);
    }

    /** Copies op(B) into this matrix, growing its storage only when it is too small. */
    ScalarPackedMatrix refill(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        this.rows = k;
        this.cols = n;
        int size = Math.multiplyExact(k, n);
        if (data.length < size) {
            data = new float[size];
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                data[p * n + j] = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
            }
        }
        return this;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    float[] data() {
        return data;
    }

    /**
     * The argument {@code argument} of {@code kernel} as this class, or an IllegalArgumentException naming both and
     * the implementation that packed it.
     */
    static ScalarPackedMatrix of(PackedMatrix packed, String kernel, String argument) {
        if (packed instanceof ScalarPackedMatrix scalar) {
            return scalar;
        }
        throw new IllegalArgumentException(kernel + ": " + argument + " was packed by another Kernels implementation ("
                + packed.getClass().getSimpleName() + "); pack it with the scalar kernels' packB");
    }

    @Override
    public String toString() {
        return "ScalarPackedMatrix[" + rows + " x " + cols + "]";
    }
}
