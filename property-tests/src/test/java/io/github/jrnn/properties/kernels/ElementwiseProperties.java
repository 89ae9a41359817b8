package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Coefficient;
import io.github.jrnn.properties.kernels.KernelShapes.Dimension;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import io.github.jrnn.properties.kernels.KernelShapes.Length;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * Element-wise kernels made of one IEEE operation or a copy (scale, fill, add, mul, broadcastRows, relu,
 * reluBackward): every implementation must produce exactly the float the formula gives in Java float arithmetic,
 * including for NaN, infinities and signed zeros in the inputs, out of place and in place.
 */
class ElementwiseProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;

    @Property(tries = 300)
    @Compares("scale")
    void scaleIsTheExactFloatProduct(
            @ForAll(supplier = Length.class) int n, @ForAll(supplier = Coefficient.class) float alpha,
            @ForAll(supplier = Layouts.class) Layout layout, @ForAll long seed) {
        StridedMatrix x = StridedMatrix.outputVector(n, layout, new FloatData(seed).activationArguments());
        for (Kernels impl : BOTH) {
            StridedMatrix run = x.copy();
            impl.scale(n, alpha, run.data, run.offset);
            run.assertOnlyRegionChanged(x, impl.name() + " scale");
            for (int i = 0; i < n; i++) {
                int index = i;
                Expect.same(() -> impl.name() + " scale x[" + index + "]", run.get(i), x.get(i) * alpha);
            }
        }
    }

    @Property(tries = 300)
    @Compares("fill")
    void fillWritesTheValueExactlyIntoTheSlice(
            @ForAll(supplier = Length.class) int n, @ForAll float value,
            @ForAll(supplier = Layouts.class) Layout layout) {
        StridedMatrix x = StridedMatrix.outputVector(n, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix run = x.copy();
            impl.fill(n, value, run.data, run.offset);
            run.assertOnlyRegionChanged(x, impl.name() + " fill");
            for (int i = 0; i < n; i++) {
                int index = i;
                Expect.same(() -> impl.name() + " fill x[" + index + "]", run.get(i), value);
            }
        }
    }

    @Property(tries = 300)
    @Compares("add")
    @Compares("mul")
    void addAndMulAreTheExactFloatOperation(
            @ForAll(supplier = Length.class) int n, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutA, @ForAll(supplier = Layouts.class) Layout layoutB,
            @ForAll(supplier = Layouts.class) Layout layoutOut, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix a = StridedMatrix.inputVector(n, layoutA, data.activationArguments());
        StridedMatrix b = StridedMatrix.inputVector(n, layoutB, data.activationArguments());
        StridedMatrix out = StridedMatrix.outputVector(n, layoutOut, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] sums = ElementwiseRuns.binary(impl, "add", Kernels::add, a, b, out, inPlace);
            float[] products = ElementwiseRuns.binary(impl, "mul", Kernels::mul, a, b, out, inPlace);
            for (int i = 0; i < n; i++) {
                int index = i;
                Expect.same(() -> impl.name() + " add out[" + index + "]", sums[i], a.get(i) + b.get(i));
                Expect.same(() -> impl.name() + " mul out[" + index + "]", products[i], a.get(i) * b.get(i));
            }
        }
    }

    @Property(tries = 300)
    @Compares("broadcastRows")
    void broadcastRowsCopiesTheRowIntoEveryRowOfTheSlice(
            @ForAll(supplier = Dimension.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll(supplier = Layouts.class) Layout layoutRow, @ForAll(supplier = Layouts.class) Layout layoutC,
            @ForAll long seed) {
        StridedMatrix row = StridedMatrix.inputVector(cols, layoutRow, new FloatData(seed).activationArguments());
        StridedMatrix c = StridedMatrix.output(rows, cols, layoutC, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix rowRun = row.copy();
            StridedMatrix cRun = c.copy();
            impl.broadcastRows(rows, cols, rowRun.data, rowRun.offset, cRun.data, cRun.offset, cRun.ld);
            rowRun.assertUnchanged(row, impl.name() + " broadcastRows row");
            cRun.assertOnlyRegionChanged(c, impl.name() + " broadcastRows c");
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int r = i;
                    int col = j;
                    Expect.same(() -> impl.name() + " broadcastRows C[" + r + "][" + col + "]", cRun.get(i, j),
                            row.get(j));
                }
            }
        }
    }

    @Property(tries = 300)
    @Compares("relu")
    void reluIsMaxWithZeroAndPropagatesNaN(
            @ForAll(supplier = Length.class) int n, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        StridedMatrix x = StridedMatrix.inputVector(n, layoutX, new FloatData(seed).activationArguments());
        StridedMatrix y = StridedMatrix.outputVector(n, layoutY, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] got = ElementwiseRuns.unary(impl, "relu", Kernels::relu, x, y, inPlace);
            for (int i = 0; i < n; i++) {
                int index = i;
                float xi = x.get(i);
                float expected = xi > 0 || Float.isNaN(xi) ? xi : 0f;
                // documented: relu(-0) may be +0 or -0
                float accepted = Float.floatToRawIntBits(xi) == Float.floatToRawIntBits(-0f) && got[i] == 0f
                        ? got[i] : expected;
                Expect.same(() -> impl.name() + " relu(" + xi + ") at " + index, got[i], accepted);
            }
        }
    }

    @Property(tries = 300)
    @Compares("reluBackward")
    void reluBackwardPassesTheGradientWhereTheOutputIsPositive(
            @ForAll(supplier = Length.class) int n, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutDy, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll(supplier = Layouts.class) Layout layoutDx, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix dy = StridedMatrix.inputVector(n, layoutDy, data.activationArguments());
        StridedMatrix y = StridedMatrix.inputVector(n, layoutY, data.activationArguments());
        StridedMatrix dx = StridedMatrix.outputVector(n, layoutDx, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] got = ElementwiseRuns.binary(impl, "reluBackward", Kernels::reluBackward, dy, y, dx, inPlace);
            for (int i = 0; i < n; i++) {
                int index = i;
                Expect.same(() -> impl.name() + " reluBackward(dy " + dy.get(index) + ", y " + y.get(index)
                        + ") at " + index, got[i], y.get(i) <= 0f ? 0f : dy.get(i)); // NaN passes
            }
        }
    }

    @Property(tries = 300)
    @Compares("clamp")
    void clampIsMinOfMaxInPlaceAndKeepsNaN(
            @ForAll(supplier = Length.class) int n, @ForAll(supplier = Coefficient.class) float bound1,
            @ForAll(supplier = Coefficient.class) float bound2, @ForAll(supplier = Layouts.class) Layout layout,
            @ForAll long seed) {
        float lo = Math.min(bound1, bound2);
        float hi = Math.max(bound1, bound2);
        StridedMatrix x = StridedMatrix.outputVector(n, layout, new FloatData(seed).activationArguments());
        for (Kernels impl : BOTH) {
            StridedMatrix run = x.copy();
            impl.clamp(n, lo, hi, run.data, run.offset);
            run.assertOnlyRegionChanged(x, impl.name() + " clamp");
            for (int i = 0; i < n; i++) {
                int index = i;
                Expect.same(() -> impl.name() + " clamp(" + x.get(index) + ", " + lo + ", " + hi + ")", run.get(i),
                        Math.min(Math.max(x.get(i), lo), hi));
            }
        }
    }

    @Property(tries = 300)
    @Compares("maxAbs")
    void maxAbsIsTheLargestMagnitudeAndNaNIfAnyIsNaN(
            @ForAll(supplier = Length.class) int n, @ForAll(supplier = Layouts.class) Layout layout,
            @ForAll long seed) {
        StridedMatrix x = StridedMatrix.inputVector(n, layout, new FloatData(seed).activationArguments());
        float expected = 0f;
        for (int i = 0; i < n; i++) {
            expected = Math.max(expected, Math.abs(x.get(i)));
        }
        for (Kernels impl : BOTH) {
            StridedMatrix run = x.copy();
            float got = impl.maxAbs(n, run.data, run.offset);
            run.assertUnchanged(x, impl.name() + " maxAbs x");
            float want = expected;
            Expect.same(() -> impl.name() + " maxAbs over " + n + " elements", got, want);
        }
    }
}
