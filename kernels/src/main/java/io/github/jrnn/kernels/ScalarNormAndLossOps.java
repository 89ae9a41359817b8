package io.github.jrnn.kernels;

import java.util.function.Function;

/**
 * The scalar reference of the layer-normalisation and element-wise loss kernels: plain loops in the order of each
 * formula in {@link Kernels}, float arithmetic rounded at every step (sums left to right), exp, log and sigmoid in
 * double rounded once, as the rest of {@link ScalarKernels}. Split from that class by family only.
 */
abstract class ScalarNormAndLossOps extends ScalarTensorOps {

    /** See {@link Kernels#Kernels(Function)}. */
    ScalarNormAndLossOps(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    ScalarNormAndLossOps(Kernels checkedTwin) {
        super(checkedTwin);
    }

    @Override
    protected final void layerNormImpl(int rows, int cols, float eps, float[] x, int xOffset, float[] gamma,
                                       int gammaOffset, float[] beta, int betaOffset, float[] y, int yOffset,
                                       float[] mean, int meanOffset, float[] rstd, int rstdOffset) {
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += x[xOffset + row + j];
            }
            float mu = sum / cols;
            float squares = 0f;
            for (int j = 0; j < cols; j++) {
                float d = x[xOffset + row + j] - mu;
                squares += d * d;
            }
            float r = 1f / (float) Math.sqrt(squares / cols + eps);
            mean[meanOffset + i] = mu;
            rstd[rstdOffset + i] = r;
            for (int j = 0; j < cols; j++) {
                float v = (x[xOffset + row + j] - mu) * r;
                if (gamma != null) {
                    v *= gamma[gammaOffset + j];
                }
                if (beta != null) {
                    v += beta[betaOffset + j];
                }
                y[yOffset + row + j] = v;
            }
        }
    }

    @Override
    protected final void layerNormBackwardImpl(int rows, int cols, float[] dy, int dyOffset, float[] x, int xOffset,
                                               float[] mean, int meanOffset, float[] rstd, int rstdOffset,
                                               float[] gamma, int gammaOffset, float[] dx, int dxOffset,
                                               float[] dgamma, int dgammaOffset, float[] dbeta, int dbetaOffset) {
        for (int j = 0; j < cols; j++) {
            if (dgamma != null) {
                dgamma[dgammaOffset + j] = 0f;
            }
            if (dbeta != null) {
                dbeta[dbetaOffset + j] = 0f;
            }
        }
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            float mu = mean[meanOffset + i];
            float r = rstd[rstdOffset + i];
            float sumG = 0f;
            float sumGXhat = 0f;
            for (int j = 0; j < cols; j++) {
                float xhat = (x[xOffset + row + j] - mu) * r;
                float g = gamma == null ? dy[dyOffset + row + j] : dy[dyOffset + row + j] * gamma[gammaOffset + j];
                sumG += g;
                sumGXhat += g * xhat;
            }
            float a = sumG / cols;
            float b = sumGXhat / cols;
            for (int j = 0; j < cols; j++) {
                float d = dy[dyOffset + row + j]; // read before dx, which may be dy's slice, is written
                float xhat = (x[xOffset + row + j] - mu) * r;
                if (dgamma != null) {
                    dgamma[dgammaOffset + j] += d * xhat;
                }
                if (dbeta != null) {
                    dbeta[dbetaOffset + j] += d;
                }
                if (dx != null) {
                    float g = gamma == null ? d : d * gamma[gammaOffset + j];
                    dx[dxOffset + row + j] = ((g - a) - xhat * b) * r;
                }
            }
        }
    }

    @Override
    protected final void bceWithLogitsImpl(int n, float[] x, int xOffset, float[] t, int tOffset, float[] weight,
                                           int weightOffset, float[] posWeight, int posWeightOffset, float[] out,
                                           int outOffset) {
        for (int i = 0; i < n; i++) {
            float xi = x[xOffset + i];
            float ti = t[tOffset + i];
            float m = Math.max(-xi, 0f);
            float expSum = (float) Math.exp(-m) + (float) Math.exp(-xi - m);
            float softplus = (float) Math.log(expSum) + m;
            float positive = posWeight == null ? softplus
                    : ((posWeight[posWeightOffset + i] - 1f) * ti + 1f) * softplus;
            float loss = (1f - ti) * xi + positive;
            out[outOffset + i] = weight == null ? loss : loss * weight[weightOffset + i];
        }
    }

    @Override
    protected final void bceWithLogitsBackwardImpl(int n, float[] dy, int dyOffset, float[] x, int xOffset,
                                                   float[] t, int tOffset, float[] weight, int weightOffset,
                                                   float[] posWeight, int posWeightOffset, float[] dx,
                                                   int dxOffset) {
        for (int i = 0; i < n; i++) {
            float sigmoid = (float) (1.0 / (1.0 + Math.exp(-(double) x[xOffset + i])));
            float ti = t[tOffset + i];
            float factor;
            if (posWeight == null) {
                factor = sigmoid - ti;
            } else {
                float pt = posWeight[posWeightOffset + i] * ti;
                factor = (pt + 1f - ti) * sigmoid - pt;
            }
            float g = factor * dy[dyOffset + i];
            dx[dxOffset + i] = weight == null ? g : g * weight[weightOffset + i];
        }
    }

    @Override
    protected final void smoothL1Impl(int n, float beta, float[] x, int xOffset, float[] t, int tOffset, float[] out,
                                      int outOffset) {
        for (int i = 0; i < n; i++) {
            float z = Math.abs(x[xOffset + i] - t[tOffset + i]);
            out[outOffset + i] = z < beta ? 0.5f * z * z / beta : z - 0.5f * beta;
        }
    }

    @Override
    protected final void smoothL1BackwardImpl(int n, float beta, float[] dy, int dyOffset, float[] x, int xOffset,
                                              float[] t, int tOffset, float[] dx, int dxOffset) {
        for (int i = 0; i < n; i++) {
            float d = x[xOffset + i] - t[tOffset + i];
            float g = dy[dyOffset + i];
            dx[dxOffset + i] = d <= -beta ? -g : d >= beta ? g : d * g / beta;
        }
    }
}
