package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * Sums, log-sum-exp, softmax and log-softmax (and their backward) along the middle dimension of an
 * (outer, size, inner) view: every implementation within a float error bound of the formula evaluated in double,
 * for inner = 1 (the reduced elements contiguous) and inner around the lane count (lanes across inner), with -Inf
 * entries, all -Inf lines and +Inf lines in the softmax family.
 *
 * <p>Bounds: a sum of n terms is within {@link Tolerances#sumBound}. The softmax family is bounded per element by
 * {@code (|x - m| + n + 8) * 2u} relative (the shifted argument's rounding moves exp by |x - m| u, exp and log add
 * 2 ulp each, the sum of n exponentials gamma(n)); log-sum-exp and log-softmax by the same terms in absolute form
 * plus the final additions' rounding. Backward: the sum of n products within gamma(n + 2) of its magnitudes, one
 * multiply and one subtract after it.
 */
class AlongDimProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;
    private static final double U = Tolerances.U;

    @Provide
    Arbitrary<Integer> inners() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.integers().between(0, 2 * KernelShapes.LANES + 3)));
    }

    private static double at(StridedMatrix x, int size, int inner, int o, int k, int i) {
        return x.get((o * size + k) * inner + i);
    }

    @Property(tries = 300)
    @Compares("sumAlong")
    void sumAlongIsTheSumWithinTheFloatSummationBound(
            @ForAll @IntRange(min = 0, max = 3) int outer, @ForAll @IntRange(min = 0, max = 70) int size,
            @ForAll("inners") int inner, @ForAll(supplier = Layouts.class) Layout layoutX,
            @ForAll(supplier = Layouts.class) Layout layoutOut, @ForAll long seed) {
        StridedMatrix x = StridedMatrix.inputVector(outer * size * inner, layoutX, new FloatData(seed).matrixEntries());
        StridedMatrix out = StridedMatrix.outputVector(outer * inner, layoutOut, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix xRun = x.copy();
            StridedMatrix run = out.copy();
            impl.sumAlong(outer, size, inner, xRun.data, xRun.offset, run.data, run.offset);
            xRun.assertUnchanged(x, impl.name() + " sumAlong x");
            run.assertOnlyRegionChanged(out, impl.name() + " sumAlong out");
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double sum = 0;
                    double magnitude = 0;
                    for (int k = 0; k < size; k++) {
                        sum += at(x, size, inner, o, k, i);
                        magnitude += Math.abs(at(x, size, inner, o, k, i));
                    }
                    int e = o * inner + i;
                    Expect.within(() -> impl.name() + " sumAlong out[" + e + "]", run.get(e), sum,
                            Tolerances.sumBound(size, magnitude));
                }
            }
        }
    }

    /** Max, log of the shifted sum and the sum of one line, in double. */
    private record Line(double max, double sum) {
        static Line of(StridedMatrix x, int size, int inner, int o, int i) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < size; k++) {
                max = Math.max(max, at(x, size, inner, o, k, i));
            }
            double sum = 0;
            for (int k = 0; k < size; k++) {
                sum += Math.exp(at(x, size, inner, o, k, i) - max);
            }
            return new Line(max, sum);
        }

        /** The largest |x - m| of the line's finite entries. */
        static double spread(StridedMatrix x, int size, int inner, int o, int i, double max) {
            double spread = 0;
            for (int k = 0; k < size; k++) {
                double d = Math.abs(at(x, size, inner, o, k, i) - max);
                if (Double.isFinite(d)) {
                    spread = Math.max(spread, d);
                }
            }
            return spread;
        }
    }

    private static StridedMatrix logits(int n, Layout layout, long seed, int size) {
        return StridedMatrix.inputVector(n, layout,
                new FloatData(seed).logitRows(Math.max(size, 1), FloatData.MODERATE_CENTRES, true));
    }

    @Property(tries = 300)
    @Compares("logSumExpAlong")
    void logSumExpAlongIsWithinItsBound(
            @ForAll @IntRange(min = 0, max = 3) int outer, @ForAll @IntRange(min = 0, max = 40) int size,
            @ForAll("inners") int inner, @ForAll(supplier = Layouts.class) Layout layoutX,
            @ForAll(supplier = Layouts.class) Layout layoutOut, @ForAll long seed) {
        StridedMatrix x = logits(outer * size * inner, layoutX, seed, size);
        StridedMatrix out = StridedMatrix.outputVector(outer * inner, layoutOut, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix xRun = x.copy();
            StridedMatrix run = out.copy();
            impl.logSumExpAlong(outer, size, inner, xRun.data, xRun.offset, run.data, run.offset);
            xRun.assertUnchanged(x, impl.name() + " logSumExpAlong x");
            run.assertOnlyRegionChanged(out, impl.name() + " logSumExpAlong out");
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    Line line = Line.of(x, size, inner, o, i);
                    boolean special = Double.isInfinite(line.max) || Double.isNaN(line.max);
                    double exact = special ? line.max : line.max + Math.log(line.sum);
                    double spread = Line.spread(x, size, inner, o, i, line.max);
                    double bound = (spread + size + 8 + Math.abs(exact) + Math.abs(line.max)) * 2 * U;
                    int e = o * inner + i;
                    Expect.within(() -> impl.name() + " logSumExpAlong out[" + e + "]", run.get(e), exact, bound);
                }
            }
        }
    }

    @Property(tries = 300)
    @Compares("softmaxAlong")
    void softmaxAndLogSoftmaxAlongAreWithinTheirBounds(
            @ForAll boolean log, @ForAll boolean inPlace, @ForAll @IntRange(min = 0, max = 3) int outer,
            @ForAll @IntRange(min = 0, max = 40) int size, @ForAll("inners") int inner,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        int n = outer * size * inner;
        StridedMatrix x = logits(n, layoutX, seed, size);
        StridedMatrix y = StridedMatrix.outputVector(n, layoutY, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] got = ElementwiseRuns.unary(impl, "softmaxAlong", (k, m, xs, xo, ys, yo) ->
                    k.softmaxAlong(log, outer, size, inner, xs, xo, ys, yo), x, y, inPlace);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    Line line = Line.of(x, size, inner, o, i);
                    for (int k = 0; k < size; k++) {
                        double shifted = at(x, size, inner, o, k, i) - line.max;
                        double exact = log ? shifted - Math.log(line.sum) : Math.exp(shifted) / line.sum;
                        double spread = Double.isFinite(shifted) ? Math.abs(shifted) : 0;
                        double relative = (spread + size + 8) * 2 * U;
                        double bound = log ? relative + (Math.abs(exact) + Math.log(line.sum)) * 2 * U
                                : relative * Math.abs(exact) + Tolerances.UNDERFLOW;
                        int e = (o * size + k) * inner + i;
                        Expect.within(() -> impl.name() + (log ? " logSoftmax" : " softmax") + "Along y[" + e + "]",
                                got[e], exact, bound);
                    }
                }
            }
        }
    }

    @Property(tries = 300)
    @Compares("softmaxBackwardAlong")
    void softmaxBackwardAlongIsWithinItsBound(
            @ForAll boolean log, @ForAll boolean inPlace, @ForAll @IntRange(min = 0, max = 3) int outer,
            @ForAll @IntRange(min = 0, max = 40) int size, @ForAll("inners") int inner,
            @ForAll(supplier = Layouts.class) Layout layoutDy, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll(supplier = Layouts.class) Layout layoutDx, @ForAll long seed) {
        int n = outer * size * inner;
        FloatData data = new FloatData(seed);
        StridedMatrix dy = StridedMatrix.inputVector(n, layoutDy, data.uniform(-1, 1));
        DoubleSupplier probability = data.probability();
        StridedMatrix y = StridedMatrix.inputVector(n, layoutY,
                log ? () -> Math.log(probability.getAsDouble()) : probability);
        StridedMatrix dx = StridedMatrix.outputVector(n, layoutDx, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix yRun = y.copy();
            float[] got = ElementwiseRuns.binary(impl, "softmaxBackwardAlong", (k, m, g, go, ys, yo, d, doff) ->
                    k.softmaxBackwardAlong(log, outer, size, inner, g, go, ys, yo, d, doff), dy, yRun, dx, inPlace);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double sum = 0;
                    double magnitude = 0;
                    for (int k = 0; k < size; k++) {
                        double term = at(dy, size, inner, o, k, i) * (log ? 1 : at(y, size, inner, o, k, i));
                        sum += term;
                        magnitude += Math.abs(term);
                    }
                    double sumError = Tolerances.gamma(size + 2) * magnitude;
                    for (int k = 0; k < size; k++) {
                        double g = at(dy, size, inner, o, k, i);
                        double yk = at(y, size, inner, o, k, i);
                        double scale = log ? Math.exp(yk) : yk;
                        double exact = log ? g - scale * sum : yk * (g - sum);
                        double bound = (scale * (magnitude + sumError) + Math.abs(g) * (log ? 1 : yk)) * 8 * U
                                + scale * sumError + Tolerances.UNDERFLOW;
                        int e = (o * size + k) * inner + i;
                        Expect.within(() -> impl.name() + " softmaxBackwardAlong dx[" + e + "]", got[e], exact,
                                bound);
                    }
                }
            }
        }
    }
}
