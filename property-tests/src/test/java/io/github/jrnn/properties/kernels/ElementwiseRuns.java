package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;

/**
 * Runs an element-wise kernel of one implementation on copies of prepared slices, out of place or in place (the
 * output being the first operand's exact slice, which the interface allows for element-wise methods), checks that
 * it modified no input and wrote nothing outside its output, and returns the n results.
 */
final class ElementwiseRuns {

    /** {@code y = f(x)} over n elements, e.g. {@link Kernels#tanh}. */
    @FunctionalInterface
    interface Unary {
        void apply(Kernels impl, int n, float[] x, int xOffset, float[] y, int yOffset);
    }

    /** {@code out = f(a, b)} over n elements, e.g. {@link Kernels#add} or {@link Kernels#tanhBackward}. */
    @FunctionalInterface
    interface Binary {
        void apply(Kernels impl, int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset);
    }

    private ElementwiseRuns() {
    }

    /** Runs {@code kernel} on x into y (or into x itself when {@code inPlace}); returns the outputs. */
    static float[] unary(Kernels impl, String kernel, Unary op, StridedMatrix x, StridedMatrix y, boolean inPlace) {
        int n = x.cols;
        StridedMatrix xRun = x.copy();
        if (inPlace) {
            op.apply(impl, n, xRun.data, xRun.offset, xRun.data, xRun.offset);
            xRun.assertOnlyRegionChanged(x, impl.name() + " " + kernel + " in place");
            return values(xRun);
        }
        StridedMatrix yRun = y.copy();
        op.apply(impl, n, xRun.data, xRun.offset, yRun.data, yRun.offset);
        xRun.assertUnchanged(x, impl.name() + " " + kernel + " x");
        yRun.assertOnlyRegionChanged(y, impl.name() + " " + kernel + " y");
        return values(yRun);
    }

    /** Runs {@code kernel} on a, b into out (or into a itself when {@code inPlace}); returns the outputs. */
    static float[] binary(Kernels impl, String kernel, Binary op, StridedMatrix a, StridedMatrix b,
                          StridedMatrix out, boolean inPlace) {
        int n = a.cols;
        StridedMatrix aRun = a.copy();
        StridedMatrix bRun = b.copy();
        if (inPlace) {
            op.apply(impl, n, aRun.data, aRun.offset, bRun.data, bRun.offset, aRun.data, aRun.offset);
            aRun.assertOnlyRegionChanged(a, impl.name() + " " + kernel + " in place");
            bRun.assertUnchanged(b, impl.name() + " " + kernel + " second operand");
            return values(aRun);
        }
        StridedMatrix outRun = out.copy();
        op.apply(impl, n, aRun.data, aRun.offset, bRun.data, bRun.offset, outRun.data, outRun.offset);
        aRun.assertUnchanged(a, impl.name() + " " + kernel + " first operand");
        bRun.assertUnchanged(b, impl.name() + " " + kernel + " second operand");
        outRun.assertOnlyRegionChanged(out, impl.name() + " " + kernel + " out");
        return values(outRun);
    }

    private static float[] values(StridedMatrix vector) {
        float[] values = new float[vector.cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = vector.get(i);
        }
        return values;
    }
}
