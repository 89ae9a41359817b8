package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.size;
import static io.github.jrnn.kernels.ArgumentChecks.vector;

/**
 * The front-door checks of the layer-normalisation and element-wise loss kernels, built from
 * {@link ArgumentChecks}' primitives (kept apart so that each file stays focused): sizes non-negative, the
 * scalars in their documented range, every required array present and long enough, an optional array (gamma,
 * beta, weight, posWeight, the optional outputs) long enough when given.
 */
final class NormAndLossChecks {

    private NormAndLossChecks() {
    }

    /** rows x cols contiguous elements, refused when the product does not fit an int. */
    private static int elements(String kernel, int rows, int cols) {
        ArgumentChecks.rowsAndCols(kernel, rows, cols);
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": rows * cols = " + rows + " * " + cols
                    + " elements do not fit a Java array");
        }
        return (int) n;
    }

    private static void optionalVector(String kernel, String name, float[] array, int offset, int n) {
        if (array != null) {
            vector(kernel, name, array, offset, n);
        }
    }

    private static void nonNegativeFinite(String kernel, String name, float value) {
        if (!(value >= 0 && value < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(kernel + ": " + name + " must be >= 0 and finite, got " + value);
        }
    }

    static void checkLayerNorm(int rows, int cols, float eps, float[] x, int xOffset, float[] gamma, int gammaOffset,
                               float[] beta, int betaOffset, float[] y, int yOffset, float[] mean, int meanOffset,
                               float[] rstd, int rstdOffset) {
        String kernel = "layerNorm";
        int n = elements(kernel, rows, cols);
        nonNegativeFinite(kernel, "eps", eps);
        vector(kernel, "x", x, xOffset, n);
        optionalVector(kernel, "gamma", gamma, gammaOffset, cols);
        optionalVector(kernel, "beta", beta, betaOffset, cols);
        vector(kernel, "y", y, yOffset, n);
        vector(kernel, "mean", mean, meanOffset, rows);
        vector(kernel, "rstd", rstd, rstdOffset, rows);
    }

    static void checkLayerNormBackward(int rows, int cols, float[] dy, int dyOffset, float[] x, int xOffset,
                                       float[] mean, int meanOffset, float[] rstd, int rstdOffset, float[] gamma,
                                       int gammaOffset, float[] dx, int dxOffset, float[] dgamma, int dgammaOffset,
                                       float[] dbeta, int dbetaOffset) {
        String kernel = "layerNormBackward";
        int n = elements(kernel, rows, cols);
        vector(kernel, "dy", dy, dyOffset, n);
        vector(kernel, "x", x, xOffset, n);
        vector(kernel, "mean", mean, meanOffset, rows);
        vector(kernel, "rstd", rstd, rstdOffset, rows);
        optionalVector(kernel, "gamma", gamma, gammaOffset, cols);
        optionalVector(kernel, "dx", dx, dxOffset, n);
        optionalVector(kernel, "dgamma", dgamma, dgammaOffset, cols);
        optionalVector(kernel, "dbeta", dbeta, dbetaOffset, cols);
    }

    static void checkBceWithLogits(int n, float[] x, int xOffset, float[] t, int tOffset, float[] weight,
                                   int weightOffset, float[] posWeight, int posWeightOffset, float[] out,
                                   int outOffset) {
        String kernel = "bceWithLogits";
        size(kernel, "n", n);
        vector(kernel, "x", x, xOffset, n);
        vector(kernel, "t", t, tOffset, n);
        optionalVector(kernel, "weight", weight, weightOffset, n);
        optionalVector(kernel, "posWeight", posWeight, posWeightOffset, n);
        vector(kernel, "out", out, outOffset, n);
    }

    static void checkBceWithLogitsBackward(int n, float[] dy, int dyOffset, float[] x, int xOffset, float[] t,
                                           int tOffset, float[] weight, int weightOffset, float[] posWeight,
                                           int posWeightOffset, float[] dx, int dxOffset) {
        String kernel = "bceWithLogitsBackward";
        size(kernel, "n", n);
        vector(kernel, "dy", dy, dyOffset, n);
        vector(kernel, "x", x, xOffset, n);
        vector(kernel, "t", t, tOffset, n);
        optionalVector(kernel, "weight", weight, weightOffset, n);
        optionalVector(kernel, "posWeight", posWeight, posWeightOffset, n);
        vector(kernel, "dx", dx, dxOffset, n);
    }

    static void checkSmoothL1(int n, float beta, float[] x, int xOffset, float[] t, int tOffset, float[] out,
                              int outOffset) {
        String kernel = "smoothL1";
        size(kernel, "n", n);
        nonNegativeFinite(kernel, "beta", beta);
        vector(kernel, "x", x, xOffset, n);
        vector(kernel, "t", t, tOffset, n);
        vector(kernel, "out", out, outOffset, n);
    }

    static void checkSmoothL1Backward(int n, float beta, float[] dy, int dyOffset, float[] x, int xOffset, float[] t,
                                      int tOffset, float[] dx, int dxOffset) {
        String kernel = "smoothL1Backward";
        size(kernel, "n", n);
        nonNegativeFinite(kernel, "beta", beta);
        vector(kernel, "dy", dy, dyOffset, n);
        vector(kernel, "x", x, xOffset, n);
        vector(kernel, "t", t, tOffset, n);
        vector(kernel, "dx", dx, dxOffset, n);
    }
}
