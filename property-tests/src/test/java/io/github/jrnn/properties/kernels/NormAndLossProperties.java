package io.github.jrnn.properties.kernels;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Dimension;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import io.github.jrnn.properties.kernels.KernelShapes.Length;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Layer normalisation and the element-wise losses: every implementation within a rigorous float error bound of
 * the kernel's documented formula evaluated in double ({@link Tracked}: each float operation of the formula in
 * the order its Javadoc writes it, sums in any order, FMA allowed, exp / log / sigmoid at the vector
 * implementation's documented ulps), each output slice written only in its region and every input left unchanged.
 *
 * <p>Layer norm's bound follows the two-pass formula: the mean's sum and division, the deviations' subtraction,
 * the sum of squares, the division by n, sqrt and reciprocal, then one multiplication by rstd, gamma and one
 * addition of beta; rows centred at 1000 make the subtraction of the mean cancel. The loss bounds follow PyTorch's
 * overflow-free BCE form (logits up to +-100, subnormal exponentials) and the smooth-L1 branches; the branch of
 * smooth L1 is decided by {@code x - t}, one correctly rounded float subtraction whose value every IEEE
 * implementation computes exactly alike, so the property decides it the same way (ties at d = 0 and |d| = beta
 * are generated on purpose).
 */
class NormAndLossProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;
    private static final Tracked ONE = Tracked.exact(1f);

    @Provide
    Arbitrary<Float> epsilons() {
        return Arbitraries.of(1e-5f, 1e-3f, 0.5f);
    }

    @Provide
    Arbitrary<Float> betas() {
        return Arbitraries.of(0f, 0.5f, 1f, 4f, 0.1f);
    }

    private static List<Tracked> row(StridedMatrix m, int row, int cols) {
        List<Tracked> out = new ArrayList<>(cols);
        for (int j = 0; j < cols; j++) {
            out.add(Tracked.exact(m.get(row * cols + j)));
        }
        return out;
    }

    private static StridedMatrix optionalInput(boolean present, int n, Layout layout, DoubleSupplier values) {
        return present ? StridedMatrix.inputVector(n, layout, values) : null;
    }

    private static float[] data(StridedMatrix m) {
        return m == null ? null : m.data;
    }

    private static int offset(StridedMatrix m) {
        return m == null ? 0 : m.offset;
    }

    private static StridedMatrix copy(StridedMatrix m) {
        return m == null ? null : m.copy();
    }

    private static void unchanged(StridedMatrix run, StridedMatrix before, String what) {
        if (run != null) {
            run.assertUnchanged(before, what);
        }
    }

    @Property(tries = 250)
    @Compares("layerNorm")
    void layerNormIsWithinTheTwoPassFormulasBound(
            @ForAll @IntRange(min = 0, max = 4) int rows, @ForAll(supplier = Dimension.class) int cols,
            @ForAll("epsilons") float eps, @ForAll boolean withGamma, @ForAll boolean withBeta,
            @ForAll boolean centredAt1000, @ForAll boolean inPlace, @ForAll(supplier = Layouts.class) Layout layout,
            @ForAll long seed) {
        FloatData data = new FloatData(seed);
        DoubleSupplier entries = data.matrixEntries();
        int n = rows * cols;
        StridedMatrix x = StridedMatrix.inputVector(n, layout, centredAt1000
                ? () -> 1000 + entries.getAsDouble() : entries);
        StridedMatrix gamma = optionalInput(withGamma, cols, layout, data.uniform(-2, 2));
        StridedMatrix beta = optionalInput(withBeta, cols, layout, data.uniform(-2, 2));
        StridedMatrix y = StridedMatrix.outputVector(n, layout, UNWRITTEN);
        StridedMatrix mean = StridedMatrix.outputVector(rows, layout, UNWRITTEN);
        StridedMatrix rstd = StridedMatrix.outputVector(rows, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix xRun = x.copy();
            StridedMatrix yRun = inPlace ? xRun : y.copy();
            StridedMatrix gammaRun = copy(gamma);
            StridedMatrix betaRun = copy(beta);
            StridedMatrix meanRun = mean.copy();
            StridedMatrix rstdRun = rstd.copy();
            impl.layerNorm(rows, cols, eps, xRun.data, xRun.offset, data(gammaRun), offset(gammaRun), data(betaRun),
                    offset(betaRun), yRun.data, yRun.offset, meanRun.data, meanRun.offset, rstdRun.data,
                    rstdRun.offset);
            String name = impl.name() + " layerNorm";
            if (!inPlace) {
                xRun.assertUnchanged(x, name + " x");
            }
            yRun.assertOnlyRegionChanged(inPlace ? x : y, name + " y");
            unchanged(gammaRun, gamma, name + " gamma");
            unchanged(betaRun, beta, name + " beta");
            meanRun.assertOnlyRegionChanged(mean, name + " mean");
            rstdRun.assertOnlyRegionChanged(rstd, name + " rstd");
            Tracked width = Tracked.exact(cols);
            for (int i = 0; i < rows; i++) {
                List<Tracked> xs = row(x, i, cols);
                Tracked mu = Tracked.sum(xs).dividedBy(width);
                List<Tracked> deviations = xs.stream().map(v -> v.minus(mu)).toList();
                Tracked variance = Tracked.sum(deviations.stream().map(d -> d.times(d)).toList()).dividedBy(width);
                Tracked r = ONE.dividedBy(variance.plus(Tracked.exact(eps)).sqrt());
                int row = i;
                Expect.within(() -> name + " mean[" + row + "]", meanRun.get(i), mu);
                Expect.within(() -> name + " rstd[" + row + "]", rstdRun.get(i), r);
                for (int j = 0; j < cols; j++) {
                    Tracked v = deviations.get(j).times(r);
                    if (withGamma) {
                        v = v.times(Tracked.exact(gamma.get(j)));
                    }
                    if (withBeta) {
                        v = v.plus(Tracked.exact(beta.get(j)));
                    }
                    int e = i * cols + j;
                    Expect.within(() -> name + " y[" + e + "]", yRun.get(e), v);
                }
            }
        }
    }

    @Property(tries = 250)
    @Compares("layerNormBackward")
    void layerNormBackwardIsWithinItsFormulasBound(
            @ForAll @IntRange(min = 0, max = 4) int rows, @ForAll(supplier = Dimension.class) int cols,
            @ForAll boolean withGamma, @ForAll boolean parameterGradients, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layout, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        int n = rows * cols;
        StridedMatrix dy = StridedMatrix.inputVector(n, layout, data.uniform(-1, 1));
        StridedMatrix x = StridedMatrix.inputVector(n, layout, data.matrixEntries());
        StridedMatrix mean = StridedMatrix.inputVector(rows, layout, data.uniform(-0.5, 0.5));
        StridedMatrix rstd = StridedMatrix.inputVector(rows, layout, data.uniform(0.25, 4));
        StridedMatrix gamma = optionalInput(withGamma, cols, layout, data.uniform(-2, 2));
        StridedMatrix dx = StridedMatrix.outputVector(n, layout, UNWRITTEN);
        StridedMatrix dgamma = StridedMatrix.outputVector(cols, layout, UNWRITTEN);
        StridedMatrix dbeta = StridedMatrix.outputVector(cols, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            String name = impl.name() + " layerNormBackward";
            StridedMatrix dyRun = dy.copy();
            StridedMatrix xRun = x.copy();
            StridedMatrix dxRun = inPlace ? dyRun : dx.copy();
            StridedMatrix dgammaRun = parameterGradients ? dgamma.copy() : null;
            StridedMatrix dbetaRun = parameterGradients ? dbeta.copy() : null;
            impl.layerNormBackward(rows, cols, dyRun.data, dyRun.offset, xRun.data, xRun.offset, mean.data,
                    mean.offset, rstd.data, rstd.offset, data(gamma), offset(gamma), dxRun.data, dxRun.offset,
                    data(dgammaRun), offset(dgammaRun), data(dbetaRun), offset(dbetaRun));
            xRun.assertUnchanged(x, name + " x");
            dxRun.assertOnlyRegionChanged(inPlace ? dy : dx, name + " dx");
            if (!inPlace) {
                dyRun.assertUnchanged(dy, name + " dy");
            }
            List<List<Tracked>> dgammaTerms = new ArrayList<>();
            List<List<Tracked>> dbetaTerms = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                dgammaTerms.add(new ArrayList<>());
                dbetaTerms.add(new ArrayList<>());
            }
            Tracked width = Tracked.exact(cols);
            for (int i = 0; i < rows; i++) {
                Tracked mu = Tracked.exact(mean.get(i));
                Tracked r = Tracked.exact(rstd.get(i));
                List<Tracked> xhat = new ArrayList<>();
                List<Tracked> g = new ArrayList<>();
                for (int j = 0; j < cols; j++) {
                    Tracked d = Tracked.exact(dy.get(i * cols + j));
                    xhat.add(Tracked.exact(x.get(i * cols + j)).minus(mu).times(r));
                    g.add(withGamma ? d.times(Tracked.exact(gamma.get(j))) : d);
                    dgammaTerms.get(j).add(d.times(xhat.get(j)));
                    dbetaTerms.get(j).add(d);
                }
                Tracked a = Tracked.sum(g).dividedBy(width);
                List<Tracked> gx = new ArrayList<>();
                for (int j = 0; j < cols; j++) {
                    gx.add(g.get(j).times(xhat.get(j)));
                }
                Tracked b = Tracked.sum(gx).dividedBy(width);
                for (int j = 0; j < cols; j++) {
                    Tracked expected = g.get(j).minus(a).minus(xhat.get(j).times(b)).times(r);
                    int e = i * cols + j;
                    Expect.within(() -> name + " dx[" + e + "]", dxRun.get(e), expected);
                }
            }
            if (parameterGradients) {
                dgammaRun.assertOnlyRegionChanged(dgamma, name + " dgamma");
                dbetaRun.assertOnlyRegionChanged(dbeta, name + " dbeta");
                for (int j = 0; j < cols; j++) {
                    int col = j;
                    Expect.within(() -> name + " dgamma[" + col + "]", dgammaRun.get(j),
                            Tracked.sum(dgammaTerms.get(j)));
                    Expect.within(() -> name + " dbeta[" + col + "]", dbetaRun.get(j), Tracked.sum(dbetaTerms.get(j)));
                }
            }
        }
    }

    /** Targets of a binary loss: exactly 0 or 1 mostly (labels), otherwise a probability. */
    private static DoubleSupplier targets(FloatData data) {
        DoubleSupplier p = data.probability();
        DoubleSupplier pick = data.uniform(0, 3);
        return () -> switch ((int) pick.getAsDouble()) {
            case 0 -> 0;
            case 1 -> 1;
            default -> p.getAsDouble();
        };
    }

    @Property(tries = 300)
    @Compares("bceWithLogits")
    void bceWithLogitsIsWithinTheOverflowFreeFormulasBound(
            @ForAll(supplier = Length.class) int n, @ForAll boolean withWeight, @ForAll boolean withPosWeight,
            @ForAll boolean inPlace, @ForAll(supplier = Layouts.class) Layout layout, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix x = StridedMatrix.inputVector(n, layout, data.gatePreActivations());
        StridedMatrix t = StridedMatrix.inputVector(n, layout, targets(data));
        StridedMatrix w = optionalInput(withWeight, n, layout, data.uniform(0, 2));
        StridedMatrix pw = optionalInput(withPosWeight, n, layout, data.uniform(0.25, 4));
        StridedMatrix out = StridedMatrix.outputVector(n, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] got = ElementwiseRuns.binary(impl, "bceWithLogits", (k, m, xs, xo, ts, to, os, oo) ->
                    k.bceWithLogits(m, xs, xo, ts, to, data(w), offset(w), data(pw), offset(pw), os, oo),
                    x, t, out, inPlace);
            for (int i = 0; i < n; i++) {
                Tracked xi = Tracked.exact(x.get(i));
                Tracked ti = Tracked.exact(t.get(i));
                float mf = Math.max(-x.get(i), 0f); // a negation and a max: exact
                Tracked m = Tracked.exact(mf);
                Tracked softplus = Tracked.exact(-mf).exp().plus(Tracked.exact(-x.get(i)).minus(m).exp()).log().plus(m);
                Tracked positive = withPosWeight
                        ? Tracked.exact(pw.get(i)).minus(ONE).times(ti).plus(ONE).times(softplus) : softplus;
                Tracked loss = ONE.minus(ti).times(xi).plus(positive);
                Tracked expected = withWeight ? loss.times(Tracked.exact(w.get(i))) : loss;
                int e = i;
                Expect.within(() -> impl.name() + " bceWithLogits out[" + e + "]", got[i], expected);
            }
        }
    }

    @Property(tries = 300)
    @Compares("bceWithLogitsBackward")
    void bceWithLogitsBackwardIsWithinTorchsFormulasBound(
            @ForAll(supplier = Length.class) int n, @ForAll boolean withWeight, @ForAll boolean withPosWeight,
            @ForAll boolean inPlace, @ForAll(supplier = Layouts.class) Layout layout, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix dy = StridedMatrix.inputVector(n, layout, data.uniform(-1, 1));
        StridedMatrix x = StridedMatrix.inputVector(n, layout, data.gatePreActivations());
        StridedMatrix t = StridedMatrix.inputVector(n, layout, targets(data));
        StridedMatrix w = optionalInput(withWeight, n, layout, data.uniform(0, 2));
        StridedMatrix pw = optionalInput(withPosWeight, n, layout, data.uniform(0.25, 4));
        StridedMatrix dx = StridedMatrix.outputVector(n, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix xRun = x.copy();
            float[] got = ElementwiseRuns.binary(impl, "bceWithLogitsBackward", (k, m, g, go, ts, to, d, doff) ->
                    k.bceWithLogitsBackward(m, g, go, xRun.data, xRun.offset, ts, to, data(w), offset(w), data(pw),
                            offset(pw), d, doff), dy, t, dx, inPlace);
            xRun.assertUnchanged(x, impl.name() + " bceWithLogitsBackward x");
            for (int i = 0; i < n; i++) {
                Tracked sigmoid = Tracked.exact(x.get(i)).sigmoid();
                Tracked ti = Tracked.exact(t.get(i));
                Tracked factor;
                if (withPosWeight) {
                    Tracked pt = Tracked.exact(pw.get(i)).times(ti);
                    factor = pt.plus(ONE).minus(ti).times(sigmoid).minus(pt);
                } else {
                    factor = sigmoid.minus(ti);
                }
                Tracked g = factor.times(Tracked.exact(dy.get(i)));
                Tracked expected = withWeight ? g.times(Tracked.exact(w.get(i))) : g;
                int e = i;
                Expect.within(() -> impl.name() + " bceWithLogitsBackward dx[" + e + "]", got[i], expected);
            }
        }
    }

    /** x and t for smooth L1, with ties d = 0 and |d| = beta one time in four each. */
    private static StridedMatrix[] smoothL1Operands(int n, float beta, Layout layout, long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix x = StridedMatrix.inputVector(n, layout, data.uniform(-3, 3));
        DoubleSupplier noise = data.uniform(-3, 3);
        DoubleSupplier pick = data.uniform(0, 4);
        int[] next = {0};
        StridedMatrix t = StridedMatrix.inputVector(n, layout, () -> {
            float xi = x.get(next[0]++);
            return switch ((int) pick.getAsDouble()) {
                case 0 -> xi;
                case 1 -> xi - beta;
                default -> noise.getAsDouble();
            };
        });
        return new StridedMatrix[] {x, t};
    }

    @Property(tries = 300)
    @Compares("smoothL1")
    void smoothL1IsWithinItsBranchesBound(
            @ForAll(supplier = Length.class) int n, @ForAll("betas") float beta, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layout, @ForAll long seed) {
        StridedMatrix[] xt = smoothL1Operands(n, beta, layout, seed);
        StridedMatrix out = StridedMatrix.outputVector(n, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] got = ElementwiseRuns.binary(impl, "smoothL1", (k, m, xs, xo, ts, to, os, oo) ->
                    k.smoothL1(m, beta, xs, xo, ts, to, os, oo), xt[0], xt[1], out, inPlace);
            for (int i = 0; i < n; i++) {
                float z = Math.abs(xt[0].get(i) - xt[1].get(i)); // one correctly rounded subtraction: exact
                Tracked zt = Tracked.exact(z);
                Tracked expected = z < beta
                        ? Tracked.exact(0.5f).times(zt).times(zt).dividedBy(Tracked.exact(beta))
                        : zt.minus(Tracked.exact(0.5f * beta));
                int e = i;
                Expect.within(() -> impl.name() + " smoothL1 out[" + e + "]", got[i], expected);
            }
        }
    }

    @Property(tries = 300)
    @Compares("smoothL1Backward")
    void smoothL1BackwardFollowsTorchsBranches(
            @ForAll(supplier = Length.class) int n, @ForAll("betas") float beta, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layout, @ForAll long seed) {
        StridedMatrix[] xt = smoothL1Operands(n, beta, layout, seed);
        StridedMatrix dy = StridedMatrix.inputVector(n, layout, new FloatData(~seed).uniform(-2, 2));
        StridedMatrix dx = StridedMatrix.outputVector(n, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix tRun = xt[1].copy();
            float[] got = ElementwiseRuns.binary(impl, "smoothL1Backward", (k, m, g, go, xs, xo, d, doff) ->
                    k.smoothL1Backward(m, beta, g, go, xs, xo, tRun.data, tRun.offset, d, doff), dy, xt[0], dx,
                    inPlace);
            tRun.assertUnchanged(xt[1], impl.name() + " smoothL1Backward t");
            for (int i = 0; i < n; i++) {
                float d = xt[0].get(i) - xt[1].get(i); // one correctly rounded subtraction: exact
                float g = dy.get(i);
                int e = i;
                if (d <= -beta || d >= beta) {
                    Expect.same(() -> impl.name() + " smoothL1Backward dx[" + e + "] (linear)", got[i],
                            d <= -beta ? -g : g);
                } else {
                    Tracked expected = Tracked.exact(d).times(Tracked.exact(g)).dividedBy(Tracked.exact(beta));
                    Expect.within(() -> impl.name() + " smoothL1Backward dx[" + e + "]", got[i], expected);
                }
            }
        }
    }
}
