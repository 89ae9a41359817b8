package io.github.jrnn.bench.peers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The activations written the obvious way on the JDK's own vectorised math: {@code lanewise(TANH)} and
 * {@code 1 / (1 + lanewise(EXP) of -x)}. On x86-64 HotSpot backs these operators with its SVML-derived stubs
 * (hence the {@code svml} label in the study); elsewhere they may fall back to scalar {@code Math} calls per lane.
 * This is the baseline a Java developer gets without writing their own polynomial, so jrnn's activations are
 * measured against it. The tail (fewer than one vector of elements) runs on scalar {@code Math}.
 */
public final class JdkLanewiseMath {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private JdkLanewiseMath() {
    }

    /** {@code y[yOffset + i] = tanh(x[xOffset + i])} for {@code 0 <= i < n}. */
    public static void tanh(int n, float[] x, int xOffset, float[] y, int yOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xOffset + i).lanewise(VectorOperators.TANH).intoArray(y, yOffset + i);
        }
        for (; i < n; i++) {
            y[yOffset + i] = (float) Math.tanh(x[xOffset + i]);
        }
    }

    /** {@code y[yOffset + i] = 1 / (1 + exp(-x[xOffset + i]))} for {@code 0 <= i < n}. */
    public static void sigmoid(int n, float[] x, int xOffset, float[] y, int yOffset) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector e = FloatVector.fromArray(SPECIES, x, xOffset + i).neg().lanewise(VectorOperators.EXP);
            one.div(e.add(1f)).intoArray(y, yOffset + i);
        }
        for (; i < n; i++) {
            y[yOffset + i] = (float) (1.0 / (1.0 + Math.exp(-x[xOffset + i])));
        }
    }
}
