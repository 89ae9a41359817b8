package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import io.github.jrnn.properties.kernels.KernelShapes.Length;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;
import static io.github.jrnn.properties.kernels.Implementations.SCALAR;

/**
 * tanh, sigmoid and exp within their ulp bounds ({@link Tolerances}) of the function computed in double, for
 * random arguments over all binades, special values and the thresholds of polynomial approximations, and with
 * PyTorch's behaviour at the edges: NaN propagates, tanh(+-Inf) = +-1, sigmoid(-Inf) = 0, sigmoid(+Inf) = 1,
 * exp(-Inf) = 0, exp(+Inf) = +Inf, no NaN from a non-NaN argument, tanh odd (bitwise), |tanh| <= 1,
 * 0 <= sigmoid <= 1, exp >= 0. Also the tanh and sigmoid backward forms within their {@link Tracked} bounds.
 */
class ActivationProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;

    /** One activation: its kernel, the double-precision function and the vector implementation's ulp bound. */
    private record Activation(String name, ElementwiseRuns.Unary kernel, DoubleUnaryOperator exact,
                              double vectorUlps) {
        double ulpsFor(Kernels impl) {
            return impl == SCALAR ? Tolerances.SCALAR_ACTIVATION_ULPS : vectorUlps;
        }
    }

    private static final Activation TANH = new Activation("tanh", Kernels::tanh, Math::tanh,
            Tolerances.VECTOR_TANH_ULPS);
    private static final Activation SIGMOID = new Activation("sigmoid", Kernels::sigmoid,
            x -> 1.0 / (1.0 + Math.exp(-x)), Tolerances.VECTOR_SIGMOID_ULPS);
    private static final Activation EXP = new Activation("exp", Kernels::exp, Math::exp,
            Tolerances.VECTOR_EXP_ULPS);

    private static void assertWithinUlps(Activation f, Kernels impl, StridedMatrix x, float[] got) {
        double ulps = f.ulpsFor(impl);
        for (int i = 0; i < got.length; i++) {
            float xi = x.get(i);
            int index = i;
            Expect.ulps(() -> impl.name() + " " + f.name() + "(" + xi + " = 0x"
                    + Integer.toHexString(Float.floatToRawIntBits(xi)) + ") at " + index, got[i],
                    f.exact().applyAsDouble(xi), ulps);
        }
    }

    private static void activationWithinUlps(Activation f, int n, boolean inPlace, Layout layoutX, Layout layoutY,
                                             long seed) {
        StridedMatrix x = StridedMatrix.inputVector(n, layoutX, new FloatData(seed).activationArguments());
        StridedMatrix y = StridedMatrix.outputVector(n, layoutY, UNWRITTEN);
        for (Kernels impl : BOTH) {
            assertWithinUlps(f, impl, x, ElementwiseRuns.unary(impl, f.name(), f.kernel(), x, y, inPlace));
        }
    }

    @Property(tries = 300)
    @Compares("tanh")
    void tanhIsWithinItsUlpBound(
            @ForAll(supplier = Length.class) int n, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        activationWithinUlps(TANH, n, inPlace, layoutX, layoutY, seed);
    }

    @Property(tries = 300)
    @Compares("sigmoid")
    void sigmoidIsWithinItsUlpBound(
            @ForAll(supplier = Length.class) int n, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        activationWithinUlps(SIGMOID, n, inPlace, layoutX, layoutY, seed);
    }

    @Property(tries = 300)
    @Compares("exp")
    void expIsWithinItsUlpBound(
            @ForAll(supplier = Length.class) int n, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        activationWithinUlps(EXP, n, inPlace, layoutX, layoutY, seed);
    }

    /**
     * Every float bit pattern with a stride of 4093 (a prime, so all low-bit patterns occur), about a million
     * arguments covering every binade of both signs, NaNs and infinities: within the ulp bounds.
     */
    @Example
    @Compares("tanh")
    @Compares("sigmoid")
    @Compares("exp")
    void activationsAreWithinTheirUlpBoundsOnASweepOfAllFloats() {
        int count = (int) ((1L << 32) / 4093) + 1;
        StridedMatrix x = StridedMatrix.inputVector(count, Layout.CONTIGUOUS, new DoubleSupplier() {
            private long bits;

            @Override
            public double getAsDouble() {
                float f = Float.intBitsToFloat((int) bits);
                bits += 4093;
                return f;
            }
        });
        StridedMatrix y = StridedMatrix.outputVector(count, Layout.CONTIGUOUS, UNWRITTEN);
        for (Activation f : new Activation[] {TANH, SIGMOID, EXP}) {
            for (Kernels impl : BOTH) {
                assertWithinUlps(f, impl, x, ElementwiseRuns.unary(impl, f.name(), f.kernel(), x, y, false));
            }
        }
    }

    /** The special values and every threshold with its neighbours (both signs), in a seed-shuffled order. */
    private static StridedMatrix specialArguments(int copies, Layout layout, long seed) {
        int perCopy = FloatData.SPECIALS.length + FloatData.THRESHOLDS.length * 2 * 9;
        float[] values = new float[perCopy * copies];
        int next = 0;
        for (int copy = 0; copy < copies; copy++) {
            for (float s : FloatData.SPECIALS) {
                values[next++] = s;
            }
            for (float t : FloatData.THRESHOLDS) {
                for (int step = -4; step <= 4; step++) {
                    float v = Float.intBitsToFloat(Float.floatToRawIntBits(t) + step);
                    values[next++] = v;
                    values[next++] = -v;
                }
            }
        }
        FloatData data = new FloatData(seed);
        for (int i = values.length - 1; i > 0; i--) {
            int j = data.nextInt(i + 1);
            float swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        int[] position = {0};
        return StridedMatrix.inputVector(values.length, layout, () -> values[position[0]++]);
    }

    @Property(tries = 100)
    @Compares("tanh")
    @Compares("sigmoid")
    @Compares("exp")
    void activationsBehaveLikePyTorchOnSpecialValuesAndThresholds(
            @ForAll(supplier = Layouts.class) Layout layout, @ForAll boolean twoCopies, @ForAll long seed) {
        StridedMatrix x = specialArguments(twoCopies ? 2 : 1, layout, seed);
        int n = x.cols;
        StridedMatrix negated = StridedMatrix.inputVector(n, layout, new DoubleSupplier() {
            private int i;

            @Override
            public double getAsDouble() {
                return -x.get(i++);
            }
        });
        StridedMatrix y = StridedMatrix.outputVector(n, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] tanh = ElementwiseRuns.unary(impl, "tanh", Kernels::tanh, x, y, false);
            float[] tanhOfNegated = ElementwiseRuns.unary(impl, "tanh", Kernels::tanh, negated, y, false);
            float[] sigmoid = ElementwiseRuns.unary(impl, "sigmoid", Kernels::sigmoid, x, y, false);
            float[] exp = ElementwiseRuns.unary(impl, "exp", Kernels::exp, x, y, true);
            assertWithinUlps(TANH, impl, x, tanh);
            assertWithinUlps(SIGMOID, impl, x, sigmoid);
            assertWithinUlps(EXP, impl, x, exp);
            for (int i = 0; i < n; i++) {
                float xi = x.get(i);
                String at = impl.name() + " at x = " + xi + " (0x" + Integer.toHexString(Float.floatToRawIntBits(xi))
                        + "): ";
                PyTorchEdges.tanh(at, xi, tanh[i], tanhOfNegated[i]);
                PyTorchEdges.sigmoid(at, xi, sigmoid[i]);
                PyTorchEdges.exp(at, xi, exp[i]);
            }
        }
    }

    @Property(tries = 300)
    @Compares("tanh")
    @Compares("sigmoid")
    @Compares("exp")
    void activationsBehaveLikePyTorchOnRandomArguments(
            @ForAll(supplier = Length.class) int n, @ForAll(supplier = Layouts.class) Layout layout,
            @ForAll long seed) {
        StridedMatrix x = StridedMatrix.inputVector(n, layout, new FloatData(seed).activationArguments());
        StridedMatrix negated = x.copy();
        for (int i = 0; i < n; i++) {
            negated.data[negated.index(0, i)] = -x.get(i);
        }
        StridedMatrix y = StridedMatrix.outputVector(n, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] tanh = ElementwiseRuns.unary(impl, "tanh", Kernels::tanh, x, y, false);
            float[] tanhOfNegated = ElementwiseRuns.unary(impl, "tanh", Kernels::tanh, negated, y, false);
            float[] sigmoid = ElementwiseRuns.unary(impl, "sigmoid", Kernels::sigmoid, x, y, false);
            float[] exp = ElementwiseRuns.unary(impl, "exp", Kernels::exp, x, y, false);
            for (int i = 0; i < n; i++) {
                float xi = x.get(i);
                String at = impl.name() + " at x = " + xi + ": ";
                PyTorchEdges.tanh(at, xi, tanh[i], tanhOfNegated[i]);
                PyTorchEdges.sigmoid(at, xi, sigmoid[i]);
                PyTorchEdges.exp(at, xi, exp[i]);
            }
        }
    }

    // ---------------------------------------------------------------- backward forms

    /** Backward inputs: an output y uniform in [lo, hi) (with exact endpoints and NaN now and then) and any dy. */
    private static DoubleSupplier activationOutputs(FloatData data, double lo, double hi) {
        DoubleSupplier inside = data.uniform(lo, hi);
        return () -> switch (data.nextInt(40)) {
            case 0 -> lo;
            case 1 -> hi;
            case 2 -> Double.NaN;
            default -> inside.getAsDouble();
        };
    }

    /** Incoming gradients: matrix entries, one in forty a special value (NaN, +-Inf, +-0, huge, subnormal). */
    private static DoubleSupplier gradients(FloatData data) {
        DoubleSupplier entries = data.matrixEntries();
        return () -> data.nextInt(40) == 0 ? FloatData.SPECIALS[data.nextInt(FloatData.SPECIALS.length)]
                : entries.getAsDouble();
    }

    @Property(tries = 300)
    @Compares("tanhBackward")
    void tanhBackwardIsWithinItsRoundingBound(
            @ForAll(supplier = Length.class) int n, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutDy, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll(supplier = Layouts.class) Layout layoutDx, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix dy = StridedMatrix.inputVector(n, layoutDy, gradients(data));
        StridedMatrix y = StridedMatrix.inputVector(n, layoutY, activationOutputs(data, -1, 1));
        StridedMatrix dx = StridedMatrix.outputVector(n, layoutDx, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] got = ElementwiseRuns.binary(impl, "tanhBackward", Kernels::tanhBackward, dy, y, dx, inPlace);
            for (int i = 0; i < n; i++) {
                Tracked yi = Tracked.exact(y.get(i));
                Tracked expected = Tracked.exact(dy.get(i)).times(yi.times(yi).oneMinus());
                int index = i;
                Expect.within(() -> impl.name() + " tanhBackward(dy " + dy.get(index) + ", y " + y.get(index)
                        + ") at " + index, got[i], expected);
            }
        }
    }

    @Property(tries = 300)
    @Compares("sigmoidBackward")
    void sigmoidBackwardIsWithinItsRoundingBound(
            @ForAll(supplier = Length.class) int n, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutDy, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll(supplier = Layouts.class) Layout layoutDx, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix dy = StridedMatrix.inputVector(n, layoutDy, gradients(data));
        StridedMatrix y = StridedMatrix.inputVector(n, layoutY, activationOutputs(data, 0, 1));
        StridedMatrix dx = StridedMatrix.outputVector(n, layoutDx, UNWRITTEN);
        for (Kernels impl : BOTH) {
            float[] got = ElementwiseRuns.binary(impl, "sigmoidBackward", Kernels::sigmoidBackward, dy, y, dx,
                    inPlace);
            for (int i = 0; i < n; i++) {
                Tracked yi = Tracked.exact(y.get(i));
                Tracked expected = Tracked.exact(dy.get(i)).times(yi).times(yi.oneMinus());
                int index = i;
                Expect.within(() -> impl.name() + " sigmoidBackward(dy " + dy.get(index) + ", y " + y.get(index)
                        + ") at " + index, got[i], expected);
            }
        }
    }
}
