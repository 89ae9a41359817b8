package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Dimension;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import io.github.jrnn.properties.kernels.KernelShapes.Length;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * logSumExp, softmax and logSoftmax against PyTorch's algorithm in double ({@link SoftmaxReference}) within the
 * {@link Tracked} bounds, for rows of moderate logits, logits around +-1000 and +-1e30 (where a naive exp
 * overflows), -Inf entries, all -Inf rows and rows containing +Inf; out of place and in place.
 */
class SoftmaxProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;

    @Property(tries = 300)
    @Compares("logSumExp")
    void logSumExpMatchesPyTorchForAnyShape(
            @ForAll(supplier = Dimension.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutOut,
            @ForAll long seed) {
        StridedMatrix x = StridedMatrix.input(rows, cols, layoutX, new FloatData(seed).logitRows(cols));
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
                        SoftmaxReference.ofRow(x, i).logSumExp());
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

    @Property(tries = 300)
    @Compares("softmax")
    @Compares("logSoftmax")
    void softmaxAndLogSoftmaxMatchPyTorchForAnyShape(
            @ForAll(supplier = Dimension.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        StridedMatrix x = StridedMatrix.input(rows, cols, layoutX, new FloatData(seed).logitRows(cols));
        StridedMatrix y = StridedMatrix.output(rows, cols, layoutY, UNWRITTEN);
        SoftmaxReference[] expected = new SoftmaxReference[rows];
        for (int i = 0; i < rows; i++) {
            expected[i] = SoftmaxReference.ofRow(x, i);
        }
        for (Kernels impl : BOTH) {
            StridedMatrix softmax = run(impl, "softmax", Kernels::softmax, x, y, inPlace);
            StridedMatrix logSoftmax = run(impl, "logSoftmax", Kernels::logSoftmax, x, y, inPlace);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    String at = "[" + i + "][" + j + "] (x = " + x.get(i, j) + ")";
                    Expect.within(() -> impl.name() + " softmax y" + at, softmax.get(i, j),
                            expected[i].softmax()[j]);
                    Expect.within(() -> impl.name() + " logSoftmax y" + at, logSoftmax.get(i, j),
                            expected[i].logSoftmax()[j]);
                }
            }
        }
    }
}
