package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Dimension;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import io.github.jrnn.properties.kernels.KernelShapes.Length;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * logSumExp, softmax and logSoftmax: within the {@link Tracked} bounds of their documented formulas
 * ({@link SoftmaxReference#documented}) and in agreement with PyTorch ({@link SoftmaxReference#pyTorch}, project
 * tolerance), for rows of moderate logits, logits around +-1000 and +-1e30 (where a naive exp overflows), -Inf
 * entries, all -Inf rows and rows containing +Inf; out of place and in place. Also logSoftmaxBackward within the
 * bound of its formula.
 */
class SoftmaxProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;

    @Property(tries = 300)
    @Compares("logSumExp")
    void logSumExpMatchesPyTorchForAnyShapeAndLogits(
            @ForAll(supplier = Dimension.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutOut,
            @ForAll long seed) {
        StridedMatrix x = StridedMatrix.input(rows, cols, layoutX,
                new FloatData(seed).logitRows(cols, FloatData.LARGE_CENTRES, true));
        StridedMatrix out = StridedMatrix.outputVector(rows, layoutOut, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix xRun = x.copy();
            StridedMatrix outRun = out.copy();
            impl.logSumExp(rows, cols, xRun.data, xRun.offset, xRun.ld, outRun.data, outRun.offset);
            xRun.assertUnchanged(x, impl.name() + " logSumExp x");
            outRun.assertOnlyRegionChanged(out, impl.name() + " logSumExp out");
            for (int i = 0; i < rows; i++) {
                int row = i;
                Expect.within(() -> impl.name() + " logSumExp out[" + row + "]", outRun.get(i),
                        SoftmaxReference.documented(x, i).logSumExp());
            }
        }
    }

    /** Runs softmax or logSoftmax (their signatures agree) on x into y, or into x itself when in place. */
    private interface RowWise {
        void apply(Kernels impl, int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset,
                   int ldy);
    }

    private static StridedMatrix run(Kernels impl, String name, RowWise op, StridedMatrix x, StridedMatrix y,
                                     boolean inPlace) {
        StridedMatrix xRun = x.copy();
        if (inPlace) {
            op.apply(impl, x.rows, x.cols, xRun.data, xRun.offset, xRun.ld, xRun.data, xRun.offset, xRun.ld);
            xRun.assertOnlyRegionChanged(x, impl.name() + " " + name + " in place");
            return xRun;
        }
        StridedMatrix yRun = y.copy();
        op.apply(impl, x.rows, x.cols, xRun.data, xRun.offset, xRun.ld, yRun.data, yRun.offset, yRun.ld);
        xRun.assertUnchanged(x, impl.name() + " " + name + " x");
        yRun.assertOnlyRegionChanged(y, impl.name() + " " + name + " y");
        return yRun;
    }

    /** How an expected element is turned into a bound: its own Tracked error, or the PyTorch agreement. */
    private enum Check {
        DOCUMENTED_FORMULA(SoftmaxReference::documented) {
            @Override
            double bound(Tracked expected) {
                return expected.error();
            }
        },
        PYTORCH_AGREEMENT(SoftmaxReference::pyTorch) {
            @Override
            double bound(Tracked expected) {
                return Tolerances.pyTorchAgreement(expected.value());
            }
        };

        final BiFunction<StridedMatrix, Integer, SoftmaxReference> reference;

        Check(BiFunction<StridedMatrix, Integer, SoftmaxReference> reference) {
            this.reference = reference;
        }

        abstract double bound(Tracked expected);
    }

    private static void softmaxAndLogSoftmax(Check check, int rows, int cols, boolean inPlace, Layout layoutX,
                                             Layout layoutY, DoubleSupplier logits) {
        StridedMatrix x = StridedMatrix.input(rows, cols, layoutX, logits);
        StridedMatrix y = StridedMatrix.output(rows, cols, layoutY, UNWRITTEN);
        SoftmaxReference[] expected = new SoftmaxReference[rows];
        for (int i = 0; i < rows; i++) {
            expected[i] = check.reference.apply(x, i);
        }
        for (Kernels impl : BOTH) {
            StridedMatrix softmax = run(impl, "softmax", Kernels::softmax, x, y, inPlace);
            StridedMatrix logSoftmax = run(impl, "logSoftmax", Kernels::logSoftmax, x, y, inPlace);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    String at = "[" + i + "][" + j + "] (x = " + x.get(i, j) + ", " + check + ")";
                    Tracked s = expected[i].softmax()[j];
                    Tracked l = expected[i].logSoftmax()[j];
                    Expect.within(() -> impl.name() + " softmax y" + at, softmax.get(i, j), s.value(), check.bound(s));
                    Expect.within(() -> impl.name() + " logSoftmax y" + at, logSoftmax.get(i, j), l.value(),
                            check.bound(l));
                }
            }
        }
    }

    /** All kinds of rows (moderate, +-1000, +-1e30, -Inf entries, all -Inf, +Inf entries). */
    @Property(tries = 300)
    @Compares("softmax")
    @Compares("logSoftmax")
    void softmaxAndLogSoftmaxAreWithinTheBoundsOfTheirFormulas(
            @ForAll(supplier = Dimension.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        softmaxAndLogSoftmax(Check.DOCUMENTED_FORMULA, rows, cols, inPlace, layoutX, layoutY,
                new FloatData(seed).logitRows(cols, FloatData.LARGE_CENTRES, true));
    }

    /** Logits in [-10, 10) with -Inf entries and all -Inf rows. */
    @Property(tries = 300)
    @Compares("softmax")
    @Compares("logSoftmax")
    void softmaxAndLogSoftmaxAgreeWithPyTorchForModerateLogits(
            @ForAll(supplier = Dimension.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        softmaxAndLogSoftmax(Check.PYTORCH_AGREEMENT, rows, cols, inPlace, layoutX, layoutY,
                new FloatData(seed).logitRows(cols, FloatData.MODERATE_CENTRES, false));
    }

    /**
     * Rows centred at +-1000 and +-1e30: PyTorch shifts by the row maximum, so softmax([1e30, 1e30]) = [0.5, 0.5]
     * and logSoftmax = [-ln 2, -ln 2]; {@code exp(x - lse)} with a float lse is off by up to
     * {@code u |lse|} in the exponent (all of ln 2 at 1e30, 3e-5 at 1000).
     */
    @Property(tries = 200)
    @Compares("softmax")
    @Compares("logSoftmax")
    void softmaxAndLogSoftmaxAgreeWithPyTorchForLargeLogits(
            @ForAll(supplier = Dimension.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        softmaxAndLogSoftmax(Check.PYTORCH_AGREEMENT, rows, cols, inPlace, layoutX, layoutY,
                new FloatData(seed).logitRows(cols, FloatData.LARGE_CENTRES, false));
    }

    /** A row containing +Inf: PyTorch's softmax and log_softmax are NaN in every column (inf - inf in the shift). */
    @Property(tries = 100)
    @Compares("softmax")
    @Compares("logSoftmax")
    void softmaxAndLogSoftmaxOfRowsWithPlusInfinityAreNaNLikePyTorch(
            @ForAll(supplier = Dimension.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        softmaxAndLogSoftmax(Check.PYTORCH_AGREEMENT, rows, cols, inPlace, layoutX, layoutY,
                new FloatData(seed).logitRows(cols, FloatData.MODERATE_CENTRES, true));
    }

    @Property(tries = 300)
    @Compares("logSoftmaxBackward")
    void logSoftmaxBackwardIsWithinTheBoundOfItsFormula(
            @ForAll(supplier = Dimension.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutDy, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll(supplier = Layouts.class) Layout layoutDx, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix dy = StridedMatrix.input(rows, cols, layoutDy, data.matrixEntries());
        // log-softmax outputs: <= 0, one in sixteen -Inf (a probability of exactly 0)
        DoubleSupplier logProbabilities = data.uniform(-20, 0);
        StridedMatrix y = StridedMatrix.input(rows, cols, layoutY,
                () -> data.nextInt(16) == 0 ? Double.NEGATIVE_INFINITY : logProbabilities.getAsDouble());
        StridedMatrix dx = StridedMatrix.output(rows, cols, layoutDx, UNWRITTEN);
        for (Kernels impl : BOTH) {
            String name = impl.name() + " logSoftmaxBackward";
            StridedMatrix dyRun = dy.copy();
            StridedMatrix yRun = y.copy();
            StridedMatrix dxRun = inPlace ? dyRun : dx.copy();
            impl.logSoftmaxBackward(rows, cols, dyRun.data, dyRun.offset, dyRun.ld, yRun.data, yRun.offset, yRun.ld,
                    dxRun.data, dxRun.offset, dxRun.ld);
            yRun.assertUnchanged(y, name + " y");
            if (inPlace) {
                dxRun.assertOnlyRegionChanged(dy, name + " dx over dy");
            } else {
                dyRun.assertUnchanged(dy, name + " dy");
                dxRun.assertOnlyRegionChanged(dx, name + " dx");
            }
            for (int i = 0; i < rows; i++) {
                List<Tracked> gradients = new ArrayList<>();
                for (int j = 0; j < cols; j++) {
                    gradients.add(Tracked.exact(dy.get(i, j)));
                }
                Tracked sum = Tracked.sum(gradients);
                for (int j = 0; j < cols; j++) {
                    Tracked expected = Tracked.exact(dy.get(i, j)).minus(Tracked.exact(y.get(i, j)).exp().times(sum));
                    String at = "[" + i + "][" + j + "]";
                    Expect.within(() -> name + " dx" + at, dxRun.get(i, j), expected);
                }
            }
        }
    }
}
