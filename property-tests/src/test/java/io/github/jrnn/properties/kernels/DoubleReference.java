package io.github.jrnn.properties.kernels;

/**
 * Double-precision references for the BLAS-style kernels, computed from the float inputs: for every output element
 * the exact-up-to-double value and the magnitude {@code |alpha| sum |a||b| + |beta||c|} the float error bound of
 * {@link Tolerances#dotProductBound} scales with.
 *
 * @param value     per output element, the formula in double
 * @param magnitude per output element, the same formula on absolute values
 */
record DoubleReference(double[] value, double[] magnitude) {

    /** {@code C = alpha op(A) op(B) + beta C} for the m x n output (row-major, contiguous). */
    static DoubleReference gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                StridedMatrix a, StridedMatrix b, float beta, StridedMatrix c) {
        double[] value = new double[m * n];
        double[] magnitude = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                if (alpha != 0) {
                    for (int p = 0; p < k; p++) {
                        double product = (double) (transA ? a.get(p, i) : a.get(i, p))
                                * (transB ? b.get(j, p) : b.get(p, j));
                        sum += product;
                        abs += Math.abs(product);
                    }
                }
                value[i * n + j] = alpha * sum + (beta == 0 ? 0 : (double) beta * c.get(i, j));
                magnitude[i * n + j] = Math.abs(alpha) * abs + (beta == 0 ? 0 : Math.abs((double) beta * c.get(i, j)));
            }
        }
        return new DoubleReference(value, magnitude);
    }

    /** {@code y = alpha op(A) x + beta y}: A stored m x n, y of length (transA ? n : m). */
    static DoubleReference gemv(boolean transA, int m, int n, float alpha, StridedMatrix a, StridedMatrix x,
                                float beta, StridedMatrix y) {
        int outLength = transA ? n : m;
        int inner = transA ? m : n;
        double[] value = new double[outLength];
        double[] magnitude = new double[outLength];
        for (int i = 0; i < outLength; i++) {
            double sum = 0;
            double abs = 0;
            if (alpha != 0) {
                for (int p = 0; p < inner; p++) {
                    double product = (double) (transA ? a.get(p, i) : a.get(i, p)) * x.get(p);
                    sum += product;
                    abs += Math.abs(product);
                }
            }
            value[i] = alpha * sum + (beta == 0 ? 0 : (double) beta * y.get(i));
            magnitude[i] = Math.abs(alpha) * abs + (beta == 0 ? 0 : Math.abs((double) beta * y.get(i)));
        }
        return new DoubleReference(value, magnitude);
    }

    /** {@code sum_i x[i] y[i]} as a single-element reference. */
    static DoubleReference dot(int n, StridedMatrix x, StridedMatrix y) {
        double sum = 0;
        double abs = 0;
        for (int i = 0; i < n; i++) {
            double product = (double) x.get(i) * y.get(i);
            sum += product;
            abs += Math.abs(product);
        }
        return new DoubleReference(new double[] {sum}, new double[] {abs});
    }

    /** {@code out[j] + sum_i A[i][j]} for each column j. */
    static DoubleReference sumRows(int rows, int cols, StridedMatrix a, StridedMatrix out) {
        double[] value = new double[cols];
        double[] magnitude = new double[cols];
        for (int j = 0; j < cols; j++) {
            double sum = out.get(j);
            double abs = Math.abs(sum);
            for (int i = 0; i < rows; i++) {
                sum += a.get(i, j);
                abs += Math.abs(a.get(i, j));
            }
            value[j] = sum;
            magnitude[j] = abs;
        }
        return new DoubleReference(value, magnitude);
    }
}
