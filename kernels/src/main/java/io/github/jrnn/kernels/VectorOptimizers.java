package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;
import static io.github.jrnn.kernels.VectorLanes.tailMask;

import java.util.function.Function;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The optimizer updates of the vector implementation ({@link Kernels#sgdStep}, {@link Kernels#adamStep}); one link
 * of the chain that makes up {@link VectorKernels} (see {@link VectorGemm}). One pass over the parameter and its
 * state, the same operations as the scalar formula lane by lane (no FMA contraction, so the results round exactly
 * like the scalar reference), masked tail.
 */
abstract class VectorOptimizers extends VectorLayers {

    VectorOptimizers(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    VectorOptimizers(Kernels checkedTwin) {
        super(checkedTwin);
    }

    @Override
    protected final void sgdStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
                                     float[] momentumBuffer, int momentumOffset, float lr, float momentum,
                                     float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        float keep = 1f - dampening;
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector p = FloatVector.fromArray(S, param, paramOffset + i, mask);
            FloatVector d = FloatVector.fromArray(S, grad, gradOffset + i, mask);
            if (weightDecay != 0f) {
                d = d.add(p.mul(weightDecay));
            }
            if (momentum != 0f) {
                FloatVector buf = firstStep ? d
                        : FloatVector.fromArray(S, momentumBuffer, momentumOffset + i, mask).mul(momentum)
                                .add(d.mul(keep));
                buf.intoArray(momentumBuffer, momentumOffset + i, mask);
                d = nesterov ? d.add(buf.mul(momentum)) : buf;
            }
            p.sub(d.mul(lr)).intoArray(param, paramOffset + i, mask);
        }
    }

    @Override
    protected final void adamStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
                                      float[] expAvg, int expAvgOffset, float[] expAvgSq, int expAvgSqOffset,
                                      float[] maxExpAvgSq, int maxExpAvgSqOffset, float beta1, float beta2, float eps,
                                      float paramScale, float gradDecay, float stepSize, float biasCorrection2Sqrt) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector p = FloatVector.fromArray(S, param, paramOffset + i, mask).mul(paramScale);
            FloatVector g = FloatVector.fromArray(S, grad, gradOffset + i, mask).add(p.mul(gradDecay));
            FloatVector m = FloatVector.fromArray(S, expAvg, expAvgOffset + i, mask).mul(beta1)
                    .add(g.mul(oneMinusBeta1));
            FloatVector v = FloatVector.fromArray(S, expAvgSq, expAvgSqOffset + i, mask).mul(beta2)
                    .add(g.mul(oneMinusBeta2).mul(g));
            m.intoArray(expAvg, expAvgOffset + i, mask);
            v.intoArray(expAvgSq, expAvgSqOffset + i, mask);
            if (maxExpAvgSq != null) {
                v = FloatVector.fromArray(S, maxExpAvgSq, maxExpAvgSqOffset + i, mask).max(v);
                v.intoArray(maxExpAvgSq, maxExpAvgSqOffset + i, mask);
            }
            FloatVector denom = v.sqrt().div(biasCorrection2Sqrt).add(eps);
            p.sub(m.mul(stepSize).div(denom)).intoArray(param, paramOffset + i, mask);
        }
    }
}
