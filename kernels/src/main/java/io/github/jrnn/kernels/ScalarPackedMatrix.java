package io.github.jrnn.kernels;

/**
 * The scalar reference's {@link PackedMatrix}: op(B) copied into a contiguous k x n row-major array, so that
 * {@link ScalarKernels#sgemmPacked} is {@code sgemm} with {@code transB = false} on the copy.
 */
final class ScalarPackedMatrix implements PackedMatrix {

    private final int rows;
    private final int cols;
    /** op(B) row-major: element (p, j) at {@code p * cols + j}; never exposed, so the matrix stays immutable. */
    private final float[] data;

    ScalarPackedMatrix(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        this.rows = k;
        this.cols = n;
        this.data = new float[Math.multiplyExact(k, n)];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                data[p * n + j] = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
            }
        }
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

    /** The argument as this class, or an IllegalArgumentException saying which implementation packed it. */
    static ScalarPackedMatrix of(PackedMatrix b) {
        if (b instanceof ScalarPackedMatrix scalar) {
            return scalar;
        }
        throw new IllegalArgumentException("sgemmPacked: b was packed by another Kernels implementation ("
                + b.getClass().getSimpleName() + "); pack it with the scalar kernels' packB");
    }

    @Override
    public String toString() {
        return "ScalarPackedMatrix[" + rows + " x " + cols + "]";
    }
}
