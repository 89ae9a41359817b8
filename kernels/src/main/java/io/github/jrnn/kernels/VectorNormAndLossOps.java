package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;
import static io.github.jrnn.kernels.VectorLanes.tailMask;

import java.util.function.Function;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The layer-normalisation and element-wise loss kernels of the vector implementation; one link of the chain that
 * makes up {@link VectorKernels}.
 *
 * <p>Layer norm works row by row with the lanes across the row: the two row sums (mean, then squared deviations
 * from it: two passes, as the formula, so no cancellation of a one-pass {@code E[x^2] - mean^2}) accumulate lane
 * partial sums and reduce them in {@link VectorReductions}' fixed order; the per-column gradients of gamma and
 * beta accumulate across rows lane by lane, in row order. The losses are one masked element-wise loop each, with
 * {@link VectorMath}'s exp, log and sigmoid.
 */
abstract class VectorNormAndLossOps extends VectorTensorOps {

    VectorNormAndLossOps(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    VectorNormAndLossOps(Kernels checkedTwin) {
        super(checkedTwin);
    }

    @Override
    protected final void layerNormImpl(int rows, int cols, float eps, float[] x, int xOffset, float[] gamma,
                                       int gammaOffset, float[] beta, int betaOffset, float[] y, int yOffset,
                                       float[] mean, int meanOffset, float[] rstd, int rstdOffset) {
        for (int i = 0; i < rows; i++) {
            int row = xOffset + i * cols;
            FloatVector sum = FloatVector.zero(S);
            for (int j = 0; j < cols; j += L) {
                sum = sum.add(FloatVector.fromArray(S, x, row + j, tailMask(j, cols)));
            }
            float mu = VectorReductions.sum(sum) / cols;
            FloatVector squares = FloatVector.zero(S);
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = tailMask(j, cols);
                // lanes outside the mask stay 0 (not 0 - mu), so they add nothing
                FloatVector d = FloatVector.fromArray(S, x, row + j, mask).sub(mu, mask);
                squares = d.fma(d, squares);
            }
            float r = 1f / (float) Math.sqrt(VectorReductions.sum(squares) / cols + eps);
            mean[meanOffset + i] = mu;
            rstd[rstdOffset + i] = r;
            int out = yOffset + i * cols;
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = tailMask(j, cols);
                FloatVector v = FloatVector.fromArray(S, x, row + j, mask).sub(mu).mul(r);
                if (gamma != null) {
                    v = v.mul(FloatVector.fromArray(S, gamma, gammaOffset + j, mask));
                }
                if (beta != null) {
                    v = v.add(FloatVector.fromArray(S, beta, betaOffset + j, mask));
                }
                v.intoArray(y, out + j, mask);
            }
        }
    }

    /**
     * The loops here call no helper of this package, not even {@link VectorLanes#tailMask}: this method is large
     * enough for C2's inlining budget to run out inside it (NodeCountInliningCutoff, see {@link VectorCells}), and
     * a helper that takes or returns a vector left as a real call boxes that vector on every iteration (with
     * tailMask and a gamma-or-ones loader as calls: 19 KB allocated per call at 8 rows of 256). For the same
     * reason the two row sums reach their reductions through memory ({@link VectorReductions#sum(float[], int)}):
     * passed as vectors, one of them was boxed per row at hidden 250.
     */
    @Override
    protected final void layerNormBackwardImpl(int rows, int cols, float[] dy, int dyOffset, float[] x, int xOffset,
                                               float[] mean, int meanOffset, float[] rstd, int rstdOffset,
                                               float[] gamma, int gammaOffset, float[] dx, int dxOffset,
                                               float[] dgamma, int dgammaOffset, float[] dbeta, int dbetaOffset) {
        if (dgamma != null) {
            fillImpl(cols, 0f, dgamma, dgammaOffset);
        }
        if (dbeta != null) {
            fillImpl(cols, 0f, dbeta, dbetaOffset);
        }
        float[] lanes = VectorReductions.laneBuffer();
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            float mu = mean[meanOffset + i];
            float r = rstd[rstdOffset + i];
            // one method per pass over the row: C1 runs out of virtual registers on both loops in one method, and
            // a failed C1 compilation can leave a method in C1 code (boxing every vector) for good
            layerNormGradientSums(cols, dy, dyOffset + row, x, xOffset + row, mu, r, gamma, gammaOffset, lanes);
            float a = VectorReductions.sum(lanes, 0) / cols;
            float b = VectorReductions.sum(lanes, L) / cols;
            layerNormRowGradients(cols, dy, dyOffset + row, x, xOffset + row, mu, r, a, b, gamma, gammaOffset, dx,
                    dxOffset + row, dgamma, dgammaOffset, dbeta, dbetaOffset);
        }
    }

    /**
     * The lane sums of one row's {@code g = dy * gamma} (into {@code lanes[0, L)}) and {@code g * xhat} (into
     * {@code lanes[L, 2L)}), {@code xhat = (x - mu) * r}.
     */
    private static void layerNormGradientSums(int cols, float[] dy, int dyRow, float[] x, int xRow, float mu, float r,
                                              float[] gamma, int gammaOffset, float[] lanes) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector sumG = FloatVector.zero(S);
        FloatVector sumGXhat = FloatVector.zero(S);
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> mask = j + L <= cols ? S.maskAll(true) : S.indexInRange(j, cols);
            FloatVector xhat = FloatVector.fromArray(S, x, xRow + j, mask).sub(mu).mul(r);
            // dy's lanes outside the mask load as 0, so g is 0 there and adds nothing
            FloatVector g = FloatVector.fromArray(S, dy, dyRow + j, mask)
                    .mul(gamma == null ? one : FloatVector.fromArray(S, gamma, gammaOffset + j, mask));
            sumG = sumG.add(g);
            sumGXhat = g.fma(xhat, sumGXhat);
        }
        sumG.intoArray(lanes, 0);
        sumGXhat.intoArray(lanes, L);
    }

    /**
     * One row's {@code dgamma += dy * xhat}, {@code dbeta += dy} and {@code dx = (dy * gamma - a - xhat * b) * r}
     * (each when its array is given), a and b the row's means of g and g * xhat.
     */
    private static void layerNormRowGradients(int cols, float[] dy, int dyRow, float[] x, int xRow, float mu, float r,
                                              float a, float b, float[] gamma, int gammaOffset, float[] dx, int dxRow,
                                              float[] dgamma, int dgammaOffset, float[] dbeta, int dbetaOffset) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> mask = j + L <= cols ? S.maskAll(true) : S.indexInRange(j, cols);
            FloatVector d = FloatVector.fromArray(S, dy, dyRow + j, mask);
            FloatVector xhat = FloatVector.fromArray(S, x, xRow + j, mask).sub(mu).mul(r);
            if (dgamma != null) {
                d.fma(xhat, FloatVector.fromArray(S, dgamma, dgammaOffset + j, mask))
                        .intoArray(dgamma, dgammaOffset + j, mask);
            }
            if (dbeta != null) {
                d.add(FloatVector.fromArray(S, dbeta, dbetaOffset + j, mask))
                        .intoArray(dbeta, dbetaOffset + j, mask);
            }
            if (dx != null) {
                FloatVector scale = gamma == null ? one : FloatVector.fromArray(S, gamma, gammaOffset + j, mask);
                d.mul(scale).sub(a).sub(xhat.mul(b)).mul(r).intoArray(dx, dxRow + j, mask);
            }
        }
    }

    @Override
    protected final void bceWithLogitsImpl(int n, float[] x, int xOffset, float[] t, int tOffset, float[] weight,
                                           int weightOffset, float[] posWeight, int posWeightOffset, float[] out,
                                           int outOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector xv = FloatVector.fromArray(S, x, xOffset + i, mask);
            FloatVector tv = FloatVector.fromArray(S, t, tOffset + i, mask);
            FloatVector m = xv.neg().max(0f); // NaN stays NaN, as Math.max
            FloatVector expSum = VectorMath.exp(m.neg()).add(VectorMath.exp(xv.neg().sub(m)));
            FloatVector positive = VectorMath.log(expSum).add(m);
            if (posWeight != null) {
                FloatVector logWeight = FloatVector.fromArray(S, posWeight, posWeightOffset + i, mask).sub(1f)
                        .mul(tv).add(1f);
                positive = logWeight.mul(positive);
            }
            FloatVector loss = tv.neg().add(1f).mul(xv).add(positive);
            if (weight != null) {
                loss = loss.mul(FloatVector.fromArray(S, weight, weightOffset + i, mask));
            }
            loss.intoArray(out, outOffset + i, mask);
        }
    }

    @Override
    protected final void bceWithLogitsBackwardImpl(int n, float[] dy, int dyOffset, float[] x, int xOffset,
                                                   float[] t, int tOffset, float[] weight, int weightOffset,
                                                   float[] posWeight, int posWeightOffset, float[] dx,
                                                   int dxOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector sigmoid = VectorMath.sigmoid(FloatVector.fromArray(S, x, xOffset + i, mask));
            FloatVector tv = FloatVector.fromArray(S, t, tOffset + i, mask);
            FloatVector factor;
            if (posWeight == null) {
                factor = sigmoid.sub(tv);
            } else {
                FloatVector pt = FloatVector.fromArray(S, posWeight, posWeightOffset + i, mask).mul(tv);
                factor = pt.add(1f).sub(tv).mul(sigmoid).sub(pt);
            }
            FloatVector g = factor.mul(FloatVector.fromArray(S, dy, dyOffset + i, mask));
            if (weight != null) {
                g = g.mul(FloatVector.fromArray(S, weight, weightOffset + i, mask));
            }
            g.intoArray(dx, dxOffset + i, mask);
        }
    }

    @Override
    protected final void smoothL1Impl(int n, float beta, float[] x, int xOffset, float[] t, int tOffset, float[] out,
                                      int outOffset) {
        float halfBeta = 0.5f * beta;
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector z = FloatVector.fromArray(S, x, xOffset + i, mask)
                    .sub(FloatVector.fromArray(S, t, tOffset + i, mask)).abs();
            FloatVector quadratic = z.mul(0.5f).mul(z).div(beta);
            z.sub(halfBeta).blend(quadratic, z.lt(beta)).intoArray(out, outOffset + i, mask);
        }
    }

    @Override
    protected final void smoothL1BackwardImpl(int n, float beta, float[] dy, int dyOffset, float[] x, int xOffset,
                                              float[] t, int tOffset, float[] dx, int dxOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector d = FloatVector.fromArray(S, x, xOffset + i, mask)
                    .sub(FloatVector.fromArray(S, t, tOffset + i, mask));
            FloatVector g = FloatVector.fromArray(S, dy, dyOffset + i, mask);
            // the scalar's tests in reverse, so that d <= -beta wins where both hold (beta = 0, d = 0)
            d.mul(g).div(beta)
                    .blend(g, d.compare(VectorOperators.GE, beta))
                    .blend(g.neg(), d.compare(VectorOperators.LE, -beta))
                    .intoArray(dx, dxOffset + i, mask);
        }
    }
}
