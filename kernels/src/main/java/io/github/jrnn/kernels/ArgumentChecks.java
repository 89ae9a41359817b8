package io.github.jrnn.kernels;

/**
 * The argument checks that {@link Kernels}' public methods run on a checked instance. Each failure is an
 * {@link IllegalArgumentException} whose message names the kernel, the argument, what was expected and what was
 * given. Extents are computed in {@code long} so that huge sizes are reported instead of wrapping around. Argument
 * names are constants (no string is built on a call that passes), because the checks run on every call.
 */
final class ArgumentChecks {

    // The operands of the backward cell kernels in parameter order, for the messages of distinct.
    private static final String[] RNN_BACKWARD_OPERANDS = {"dh", "h", "dGates"};
    private static final String[] GRU_BACKWARD_OPERANDS = {"dh", "hPrev", "workspace", "dIg", "dHg", "dhPrev"};
    private static final String[] LSTM_BACKWARD_OPERANDS = {"dh", "dc", "cPrev", "c", "workspace", "dGates"};

    private ArgumentChecks() {
    }

    // ---------------------------------------------------------------- primitives

    static void size(String kernel, String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(kernel + ": " + name + " must be >= 0, got " + value);
        }
    }

    /** A contiguous vector of n elements starting at offset. */
    static void vector(String kernel, String name, float[] array, int offset, int n) {
        matrix(kernel, name, array, offset, 1, n, n);
    }

    /**
     * A rows x cols row-major matrix with leading dimension ld starting at offset: needs
     * {@code ld >= cols} and {@code array.length >= offset + (rows - 1) * ld + cols} (nothing when empty).
     */
    static void matrix(String kernel, String name, float[] array, int offset, int rows, int cols, int ld) {
        if (array == null) {
            throw new IllegalArgumentException(kernel + ": " + name + " must not be null");
        }
        if (offset < 0) {
            throw new IllegalArgumentException(kernel + ": offset of " + name + " must be >= 0, got " + offset);
        }
        if (rows > 1 && ld < cols) {
            throw new IllegalArgumentException(kernel + ": leading dimension of " + name + " must be >= " + cols
                    + " (its row length), got " + ld
                    + (ld > 0 && ld * (long) rows == cols ? "; did you pass the transposed shape?" : ""));
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long needed = offset + (rows - 1L) * ld + cols;
        if (array.length < needed) {
            throw new IllegalArgumentException(kernel + ": " + name + " is too short: a " + rows + " x " + cols
                    + " matrix at offset " + offset + " with leading dimension " + ld + " needs " + needed
                    + " elements, got " + array.length);
        }
    }

    /** A rows x cols matrix given as a {@link MatrixSlice}: the slice present, then its array as {@link #matrix}. */
    static void slice(String kernel, String name, MatrixSlice slice, int rows, int cols) {
        if (slice == null) {
            throw new IllegalArgumentException(kernel + ": " + name + " must not be null (a MatrixSlice)");
        }
        matrix(kernel, name, slice.array(), slice.offset(), rows, cols, slice.ld());
    }

    /**
     * Each operand its own slice object ({@code names[i]} names {@code slices[i]}): one object passed for two
     * operands holds only the values set last, so the call would compute on the wrong matrix.
     */
    static void distinct(String kernel, String[] names, MatrixSlice... slices) {
        for (int i = 1; i < slices.length; i++) {
            for (int j = 0; j < i; j++) {
                if (slices[i] == slices[j]) {
                    throw new IllegalArgumentException(kernel + ": " + names[j] + " and " + names[i]
                            + " are the same MatrixSlice object; give each operand its own slice");
                }
            }
        }
    }

    static void rowsAndCols(String kernel, int rows, int cols) {
        size(kernel, "rows", rows);
        size(kernel, "cols", cols);
    }

    // ---------------------------------------------------------------- shared by a family of kernels

    /** The n elements of x, for the kernels over one vector. */
    static void checkVector(String kernel, int n, float[] x, int xOffset) {
        size(kernel, "n", n);
        vector(kernel, "x", x, xOffset, n);
    }

    /** The n elements of x and y. */
    static void checkVectors(String kernel, int n, float[] x, int xOffset, float[] y, int yOffset) {
        checkVector(kernel, n, x, xOffset);
        vector(kernel, "y", y, yOffset, n);
    }

    static void checkBinary(String kernel, int n, float[] a, int aOffset, float[] b, int bOffset, float[] out,
                       int outOffset) {
        size(kernel, "n", n);
        vector(kernel, "a", a, aOffset, n);
        vector(kernel, "b", b, bOffset, n);
        vector(kernel, "out", out, outOffset, n);
    }

    static void checkActivationBackward(String kernel, int n, float[] dy, int dyOffset, float[] y, int yOffset,
                                   float[] dx, int dxOffset) {
        size(kernel, "n", n);
        vector(kernel, "dy", dy, dyOffset, n);
        vector(kernel, "y", y, yOffset, n);
        vector(kernel, "dx", dx, dxOffset, n);
    }

    static void checkRowwise(String kernel, int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset,
                        int ldy) {
        rowsAndCols(kernel, rows, cols);
        matrix(kernel, "x", x, xOffset, rows, cols, ldx);
        matrix(kernel, "y", y, yOffset, rows, cols, ldy);
    }

    /** The op(B) operand of packB / repackB. */
    static void checkPackedOperand(String kernel, boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        size(kernel, "k", k);
        size(kernel, "n", n);
        matrix(kernel, transB ? "b (stored n x k, transB)" : "b (k x n)", b, bOffset, transB ? n : k,
                transB ? k : n, ldb);
    }

    /**
     * batch and hidden non-negative, and {@code gates * hidden}, the row width of a gate matrix, refused instead of
     * wrapped when it does not fit an {@code int}.
     */
    static int gateWidth(String kernel, int batch, int hidden, int gates) {
        size(kernel, "batch", batch);
        size(kernel, "hidden", hidden);
        long width = (long) gates * hidden;
        if (width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": hidden = " + hidden + " gives " + gates + " * hidden = "
                    + width + " gate columns, more than a Java array can index");
        }
        return (int) width;
    }

    /** The batch x 4·hidden gate workspace of the GRU and LSTM kernels. */
    static void workspace(String kernel, float[] workspace, int workspaceOffset, int batch, int hidden) {
        int g4 = gateWidth(kernel, batch, hidden, 4);
        matrix(kernel, "workspace (batch x 4*hidden)", workspace, workspaceOffset, batch, g4, g4);
    }

    // ---------------------------------------------------------------- products

    static void checkSgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                      int lda, float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc) {
        size("sgemm", "m", m);
        size("sgemm", "n", n);
        size("sgemm", "k", k);
        if (alpha != 0f) {
            matrix("sgemm", transA ? "a (stored k x m, transA)" : "a (m x k)", a, aOffset,
                    transA ? k : m, transA ? m : k, lda);
            matrix("sgemm", transB ? "b (stored n x k, transB)" : "b (k x n)", b, bOffset,
                    transB ? n : k, transB ? k : n, ldb);
        }
        matrix("sgemm", "c (m x n)", c, cOffset, m, n, ldc);
    }

    static void checkSgemv(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                      int xOffset, float[] y, int yOffset) {
        size("sgemv", "m", m);
        size("sgemv", "n", n);
        if (alpha != 0f) {
            matrix("sgemv", "a (m x n)", a, aOffset, m, n, lda);
            vector("sgemv", "x", x, xOffset, transA ? m : n);
        }
        vector("sgemv", "y", y, yOffset, transA ? n : m);
    }

    static void checkSgemmPacked(boolean transA, int m, float alpha, float[] a, int aOffset, int lda, PackedMatrix b,
                            float[] c, int cOffset, int ldc) {
        checkPackedProduct("sgemmPacked", transA, m, alpha, a, aOffset, lda, b, c, cOffset, ldc);
    }

    static void checkSgemmPackedBias(boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
                                     PackedMatrix b, float[] bias, int biasOffset, float[] c, int cOffset, int ldc) {
        checkPackedProduct("sgemmPackedBias", transA, m, alpha, a, aOffset, lda, b, c, cOffset, ldc);
        vector("sgemmPackedBias", "bias (n = b.cols())", bias, biasOffset, b.cols());
    }

    private static void checkPackedProduct(String kernel, boolean transA, int m, float alpha, float[] a, int aOffset,
                                           int lda, PackedMatrix b, float[] c, int cOffset, int ldc) {
        size(kernel, "m", m);
        if (b == null) {
            throw new IllegalArgumentException(kernel + ": b must not be null (make it with packB)");
        }
        int k = b.rows();
        int n = b.cols();
        if (alpha != 0f) {
            matrix(kernel, transA ? "a (stored k x m, transA, k = b.rows())" : "a (m x k, k = b.rows())", a,
                    aOffset, transA ? k : m, transA ? m : k, lda);
        }
        matrix(kernel, "c (m x n, n = b.cols())", c, cOffset, m, n, ldc);
    }

    // ---------------------------------------------------------------- element-wise and row-wise

    static void checkClamp(int n, float lo, float hi, float[] x, int xOffset) {
        size("clamp", "n", n);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: lo must be <= hi, got lo = " + lo + ", hi = " + hi);
        }
        vector("clamp", "x", x, xOffset, n);
    }

    static void checkBroadcastRows(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset, int ldc) {
        rowsAndCols("broadcastRows", rows, cols);
        vector("broadcastRows", "row", row, rowOffset, cols);
        matrix("broadcastRows", "c", c, cOffset, rows, cols, ldc);
    }

    static void checkSumRows(int rows, int cols, float[] a, int aOffset, int lda, float[] out, int outOffset) {
        rowsAndCols("sumRows", rows, cols);
        matrix("sumRows", "a", a, aOffset, rows, cols, lda);
        vector("sumRows", "out", out, outOffset, cols);
    }

    static void checkLogSumExp(int rows, int cols, float[] x, int xOffset, int ldx, float[] out, int outOffset) {
        rowsAndCols("logSumExp", rows, cols);
        matrix("logSumExp", "x", x, xOffset, rows, cols, ldx);
        vector("logSumExp", "out", out, outOffset, rows);
    }

    static void checkLogSoftmaxBackward(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y, int yOffset,
                                   int ldy, float[] dx, int dxOffset, int lddx) {
        String kernel = "logSoftmaxBackward";
        rowsAndCols(kernel, rows, cols);
        matrix(kernel, "dy", dy, dyOffset, rows, cols, lddy);
        matrix(kernel, "y", y, yOffset, rows, cols, ldy);
        matrix(kernel, "dx", dx, dxOffset, rows, cols, lddx);
    }

    // ---------------------------------------------------------------- recurrent cells

    static void checkRnnCell(String kernel, int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                        float[] h, int hOffset, int ldh) {
        gateWidth(kernel, batch, hidden, 1);
        matrix(kernel, "ig (batch x hidden)", ig, igOffset, batch, hidden, hidden);
        matrix(kernel, "hg (batch x hidden)", hg, hgOffset, batch, hidden, hidden);
        matrix(kernel, "h (batch x hidden)", h, hOffset, batch, hidden, ldh);
    }

    static void checkRnnCellBackward(String kernel, int batch, int hidden, MatrixSlice dh, MatrixSlice h,
                                     MatrixSlice dGates) {
        gateWidth(kernel, batch, hidden, 1);
        slice(kernel, "dh (batch x hidden)", dh, batch, hidden);
        slice(kernel, "h (batch x hidden)", h, batch, hidden);
        slice(kernel, "dGates (batch x hidden)", dGates, batch, hidden);
        distinct(kernel, RNN_BACKWARD_OPERANDS, dh, h, dGates);
    }

    static void checkGruCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] hPrev,
                        int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh, float[] workspace,
                        int workspaceOffset) {
        String kernel = "gruCell";
        int g3 = gateWidth(kernel, batch, hidden, 3);
        matrix(kernel, "ig (batch x 3*hidden)", ig, igOffset, batch, g3, g3);
        matrix(kernel, "hg (batch x 3*hidden)", hg, hgOffset, batch, g3, g3);
        matrix(kernel, "hPrev (batch x hidden)", hPrev, hPrevOffset, batch, hidden, ldhPrev);
        matrix(kernel, "h (batch x hidden)", h, hOffset, batch, hidden, ldh);
        if (workspace != null) {
            workspace(kernel, workspace, workspaceOffset, batch, hidden);
        }
    }

    static void checkGruCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice hPrev, MatrixSlice workspace,
                                     MatrixSlice dIg, MatrixSlice dHg, MatrixSlice dhPrev) {
        String kernel = "gruCellBackward";
        int g3 = gateWidth(kernel, batch, hidden, 3);
        int g4 = gateWidth(kernel, batch, hidden, 4);
        slice(kernel, "dh (batch x hidden)", dh, batch, hidden);
        slice(kernel, "hPrev (batch x hidden)", hPrev, batch, hidden);
        slice(kernel, "workspace (batch x 4*hidden)", workspace, batch, g4);
        slice(kernel, "dIg (batch x 3*hidden)", dIg, batch, g3);
        slice(kernel, "dHg (batch x 3*hidden)", dHg, batch, g3);
        slice(kernel, "dhPrev (batch x hidden)", dhPrev, batch, hidden);
        distinct(kernel, GRU_BACKWARD_OPERANDS, dh, hPrev, workspace, dIg, dHg, dhPrev);
    }

    static void checkLstmCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset, float[] cPrev,
                         int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] workspace,
                         int workspaceOffset) {
        String kernel = "lstmCell";
        int g4 = gateWidth(kernel, batch, hidden, 4);
        matrix(kernel, "ig (batch x 4*hidden)", ig, igOffset, batch, g4, g4);
        matrix(kernel, "hg (batch x 4*hidden)", hg, hgOffset, batch, g4, g4);
        matrix(kernel, "cPrev (batch x hidden)", cPrev, cPrevOffset, batch, hidden, hidden);
        matrix(kernel, "c (batch x hidden)", c, cOffset, batch, hidden, hidden);
        matrix(kernel, "h (batch x hidden)", h, hOffset, batch, hidden, ldh);
        if (workspace != null) {
            workspace(kernel, workspace, workspaceOffset, batch, hidden);
        }
    }

    static void checkLstmCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice dc, MatrixSlice cPrev,
                                      MatrixSlice c, MatrixSlice workspace, MatrixSlice dGates) {
        String kernel = "lstmCellBackward";
        int g4 = gateWidth(kernel, batch, hidden, 4);
        slice(kernel, "dh (batch x hidden)", dh, batch, hidden);
        slice(kernel, "dc (batch x hidden)", dc, batch, hidden);
        slice(kernel, "cPrev (batch x hidden)", cPrev, batch, hidden);
        slice(kernel, "c (batch x hidden)", c, batch, hidden);
        slice(kernel, "workspace (batch x 4*hidden)", workspace, batch, g4);
        slice(kernel, "dGates (batch x 4*hidden)", dGates, batch, g4);
        distinct(kernel, LSTM_BACKWARD_OPERANDS, dh, dc, cPrev, c, workspace, dGates);
    }

    // ---------------------------------------------------------------- optimizers

    static void checkSgdStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float momentum,
                        float[] momentumBuffer, int momentumOffset) {
        size("sgdStep", "n", n);
        vector("sgdStep", "param", param, paramOffset, n);
        vector("sgdStep", "grad", grad, gradOffset, n);
        if (momentum != 0f) {
            vector("sgdStep", "momentumBuffer (needed when momentum != 0)", momentumBuffer, momentumOffset, n);
        }
    }

    static void checkAdamStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] expAvg,
                         int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
                         int maxExpAvgSqOffset) {
        size("adamStep", "n", n);
        vector("adamStep", "param", param, paramOffset, n);
        vector("adamStep", "grad", grad, gradOffset, n);
        vector("adamStep", "expAvg", expAvg, expAvgOffset, n);
        vector("adamStep", "expAvgSq", expAvgSq, expAvgSqOffset, n);
        if (maxExpAvgSq != null) {
            vector("adamStep", "maxExpAvgSq", maxExpAvgSq, maxExpAvgSqOffset, n);
        }
    }

    // ---------------------------------------------------------------- tensor operations

    /** rows x cols operand rows, each starting at rowStarts[r] and either contiguous (stride 1) or repeated (0). */
    private static void broadcastOperand(String kernel, String name, float[] array, int[] rowStarts, int stride,
                                         int rows, int cols) {
        if (array == null || rowStarts == null) {
            throw new IllegalArgumentException(kernel + ": " + name + (array == null ? "" : "'s row starts")
                    + " must not be null");
        }
        if (stride != 0 && stride != 1) {
            throw new IllegalArgumentException(kernel + ": stride of " + name
                    + " must be 1 (contiguous) or 0 (broadcast), got " + stride);
        }
        if (rowStarts.length < rows) {
            throw new IllegalArgumentException(kernel + ": " + name + " needs " + rows + " row starts, got "
                    + rowStarts.length);
        }
        if (cols == 0) {
            return;
        }
        int extent = stride == 0 ? 1 : cols;
        for (int r = 0; r < rows; r++) {
            int start = rowStarts[r];
            if (start < 0 || (long) start + extent > array.length) {
                throw new IllegalArgumentException(kernel + ": row " + r + " of " + name + " starts at " + start
                        + " and needs " + extent + " elements, but " + name + " has " + array.length);
            }
        }
    }

    static void checkBroadcastBinary(BinaryOp op, int rows, int cols, float[] a, int[] aRows, int aStride,
                                     float[] b, int[] bRows, int bStride, float[] out, int outOffset) {
        String kernel = "broadcastBinary";
        if (op == null) {
            throw new IllegalArgumentException(kernel + ": op must not be null");
        }
        rowsAndCols(kernel, rows, cols);
        broadcastOperand(kernel, "a", a, aRows, aStride, rows, cols);
        broadcastOperand(kernel, "b", b, bRows, bStride, rows, cols);
        matrix(kernel, "out", out, outOffset, rows, cols, cols);
    }

    static void checkBroadcastWhere(int rows, int cols, float[] cond, int[] cRows, int cStride, float[] a,
                                    int[] aRows, int aStride, float[] b, int[] bRows, int bStride, float[] out,
                                    int outOffset) {
        String kernel = "broadcastWhere";
        rowsAndCols(kernel, rows, cols);
        broadcastOperand(kernel, "cond", cond, cRows, cStride, rows, cols);
        broadcastOperand(kernel, "a", a, aRows, aStride, rows, cols);
        broadcastOperand(kernel, "b", b, bRows, bStride, rows, cols);
        matrix(kernel, "out", out, outOffset, rows, cols, cols);
    }

    static void checkUnary(UnaryOp op, int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (op == null) {
            throw new IllegalArgumentException("unary: op must not be null");
        }
        checkVectors("unary", n, x, xOffset, y, yOffset);
    }

    /** outer * size * inner elements, refused when the product does not fit an int. */
    private static int volume(String kernel, int outer, int size, int inner) {
        return volume(kernel, outer, "size", size, inner);
    }

    /**
     * outer * middle * inner elements, the middle extent named {@code middleName} in the messages (size, or k for
     * the k positions of topkAlong and scatterAddAlong), refused when the product does not fit an int.
     */
    private static int volume(String kernel, int outer, String middleName, int middle, int inner) {
        size(kernel, "outer", outer);
        size(kernel, middleName, middle);
        size(kernel, "inner", inner);
        long n = (long) outer * middle * inner;
        if (outer != 0 && middle != 0 && inner != 0 && n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": outer * " + middleName + " * inner = " + outer + " * "
                    + middle + " * " + inner + " elements do not fit a Java array");
        }
        return (int) n;
    }

    /** An (outer, size, inner) input reduced into an (outer, inner) output. */
    static void checkAlong(String kernel, int outer, int size, int inner, float[] x, int xOffset, float[] out,
                           int outOffset) {
        vector(kernel, "x", x, xOffset, volume(kernel, outer, size, inner));
        vector(kernel, "out", out, outOffset, volume(kernel, outer, 1, inner));
    }

    /** n contiguous ints starting at offset, with the messages of {@link #matrix}. */
    private static void indexVector(String kernel, String name, int[] array, int offset, int n) {
        if (array == null) {
            throw new IllegalArgumentException(kernel + ": " + name + " must not be null");
        }
        if (offset < 0) {
            throw new IllegalArgumentException(kernel + ": offset of " + name + " must be >= 0, got " + offset);
        }
        if ((long) offset + n > array.length) {
            throw new IllegalArgumentException(kernel + ": " + name + " is too short: " + n + " elements at offset "
                    + offset + " need " + ((long) offset + n) + ", got " + array.length);
        }
    }

    static void checkMaxAlong(int outer, int size, int inner, float[] x, int xOffset, float[] values,
                              int valuesOffset, int[] indices, int indicesOffset) {
        String kernel = "maxAlong";
        vector(kernel, "x", x, xOffset, volume(kernel, outer, size, inner));
        int results = volume(kernel, outer, 1, inner);
        vector(kernel, "values", values, valuesOffset, results);
        indexVector(kernel, "indices", indices, indicesOffset, results);
        if (size == 0 && results > 0) {
            throw new IllegalArgumentException(kernel + ": size must be >= 1 for a non-empty result, got 0");
        }
    }

    static void checkTopkAlong(int outer, int size, int inner, int k, float[] x, int xOffset, float[] values,
                               int valuesOffset, int[] indices, int indicesOffset) {
        String kernel = "topkAlong";
        vector(kernel, "x", x, xOffset, volume(kernel, outer, size, inner)); // size first: k's range depends on it
        if (k < 0 || k > size) {
            throw new IllegalArgumentException(kernel + ": k must be in [0, size = " + size + "], got " + k);
        }
        int results = volume(kernel, outer, "k", k, inner);
        vector(kernel, "values", values, valuesOffset, results);
        indexVector(kernel, "indices", indices, indicesOffset, results);
    }

    static void checkScatterAddAlong(int outer, int k, int size, int inner, float[] src, int srcOffset, int[] index,
                                     int indexOffset, float[] out, int outOffset) {
        String kernel = "scatterAddAlong";
        int n = volume(kernel, outer, "k", k, inner);
        vector(kernel, "src", src, srcOffset, n);
        indexVector(kernel, "index", index, indexOffset, n);
        vector(kernel, "out", out, outOffset, volume(kernel, outer, size, inner));
        for (int e = 0; e < n; e++) {
            int position = index[indexOffset + e];
            if (position < 0 || position >= size) {
                throw new IllegalArgumentException(kernel + ": index value " + position + " at index[" + e
                        + "] is outside [0, size = " + size + ")");
            }
        }
    }

    static void checkSoftmaxAlong(int outer, int size, int inner, float[] x, int xOffset, float[] y, int yOffset) {
        String kernel = "softmaxAlong";
        int n = volume(kernel, outer, size, inner);
        vector(kernel, "x", x, xOffset, n);
        vector(kernel, "y", y, yOffset, n);
    }

    static void checkSoftmaxBackwardAlong(int outer, int size, int inner, float[] dy, int dyOffset, float[] y,
                                          int yOffset, float[] dx, int dxOffset) {
        String kernel = "softmaxBackwardAlong";
        int n = volume(kernel, outer, size, inner);
        vector(kernel, "dy", dy, dyOffset, n);
        vector(kernel, "y", y, yOffset, n);
        vector(kernel, "dx", dx, dxOffset, n);
    }

    static void checkCumsumAlong(int outer, int size, int inner, float[] x, int xOffset, float[] y, int yOffset) {
        String kernel = "cumsumAlong";
        int n = volume(kernel, outer, size, inner);
        vector(kernel, "x", x, xOffset, n);
        vector(kernel, "y", y, yOffset, n);
    }
}
