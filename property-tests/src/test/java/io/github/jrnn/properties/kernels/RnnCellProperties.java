package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.MatrixSlice;
import io.github.jrnn.properties.kernels.KernelShapes.Batch;
import io.github.jrnn.properties.kernels.KernelShapes.Hidden;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * The Elman RNN cells and their backwards: tanh forms within their {@link Tracked} bounds of the double formula,
 * relu forms exact (one rounded addition, then a comparison), for any batch, hidden size, offsets and leading
 * dimensions of the hidden-state slices.
 */
class RnnCellProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;

    /** Runs one implementation's forward cell; returns its h. */
    private interface Cell {
        void apply(Kernels impl, int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                   float[] h, int hOffset, int ldh);
    }

    private static StridedMatrix runCell(Kernels impl, String name, Cell cell, StridedMatrix ig, StridedMatrix hg,
                                         StridedMatrix h) {
        StridedMatrix igRun = ig.copy();
        StridedMatrix hgRun = hg.copy();
        StridedMatrix hRun = h.copy();
        cell.apply(impl, h.rows, h.cols, igRun.data, igRun.offset, hgRun.data, hgRun.offset, hRun.data, hRun.offset,
                hRun.ld);
        igRun.assertUnchanged(ig, impl.name() + " " + name + " ig");
        hgRun.assertUnchanged(hg, impl.name() + " " + name + " hg");
        hRun.assertOnlyRegionChanged(h, impl.name() + " " + name + " h");
        return hRun;
    }

    @Property(tries = 300)
    @Compares("rnnTanhCell")
    @Compares("rnnReluCell")
    void rnnCellsMatchTheirFormulaForAnyShape(
            @ForAll(supplier = Batch.class) int batch, @ForAll(supplier = Hidden.class) int hidden,
            @ForAll(supplier = Layouts.class) Layout layoutIg, @ForAll(supplier = Layouts.class) Layout layoutHg,
            @ForAll(supplier = Layouts.class) Layout layoutH, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix ig = StridedMatrix.input(batch, hidden, layoutIg.contiguous(), data.gatePreActivations());
        StridedMatrix hg = StridedMatrix.input(batch, hidden, layoutHg.contiguous(), data.gatePreActivations());
        StridedMatrix h = StridedMatrix.output(batch, hidden, layoutH, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix tanh = runCell(impl, "rnnTanhCell", Kernels::rnnTanhCell, ig, hg, h);
            StridedMatrix relu = runCell(impl, "rnnReluCell", Kernels::rnnReluCell, ig, hg, h);
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    int row = b;
                    int col = j;
                    Tracked pre = Tracked.exact(ig.get(b, j)).plus(Tracked.exact(hg.get(b, j)));
                    Expect.within(() -> impl.name() + " rnnTanhCell h[" + row + "][" + col + "]", tanh.get(b, j),
                            pre.tanh());
                    float sum = ig.get(b, j) + hg.get(b, j);
                    Expect.same(() -> impl.name() + " rnnReluCell h[" + row + "][" + col + "]", relu.get(b, j),
                            sum > 0 ? sum : 0f);
                }
            }
        }
    }

    @Property(tries = 300)
    @Compares("rnnTanhCellBackward")
    @Compares("rnnReluCellBackward")
    void rnnCellBackwardsMatchTheirFormulaForAnyShape(
            @ForAll(supplier = Batch.class) int batch, @ForAll(supplier = Hidden.class) int hidden,
            @ForAll(supplier = Layouts.class) Layout layoutDh, @ForAll(supplier = Layouts.class) Layout layoutH,
            @ForAll(supplier = Layouts.class) Layout layoutDGates, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix dh = StridedMatrix.input(batch, hidden, layoutDh, data.matrixEntries());
        DoubleSupplier outputs = data.uniform(-1, 1);
        // relu outputs are >= 0; about a third of them exactly 0 (inactive units)
        StridedMatrix hTanh = StridedMatrix.input(batch, hidden, layoutH, outputs);
        StridedMatrix hRelu = StridedMatrix.input(batch, hidden, layoutH,
                () -> Math.max(0, 1.5 * outputs.getAsDouble() + 0.5));
        StridedMatrix dGates = StridedMatrix.output(batch, hidden, layoutDGates, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix tanh = runBackward(impl, "rnnTanhCellBackward", Kernels::rnnTanhCellBackward, dh, hTanh,
                    dGates);
            StridedMatrix relu = runBackward(impl, "rnnReluCellBackward", Kernels::rnnReluCellBackward, dh, hRelu,
                    dGates);
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    int row = b;
                    int col = j;
                    Tracked hj = Tracked.exact(hTanh.get(b, j));
                    Tracked expected = Tracked.exact(dh.get(b, j)).times(hj.times(hj).oneMinus());
                    Expect.within(() -> impl.name() + " rnnTanhCellBackward dGates[" + row + "][" + col + "]",
                            tanh.get(b, j), expected);
                    Expect.same(() -> impl.name() + " rnnReluCellBackward dGates[" + row + "][" + col + "]",
                            relu.get(b, j), hRelu.get(b, j) > 0 ? dh.get(b, j) : 0f);
                }
            }
        }
    }

    /** Runs one implementation's backward cell; returns its dGates. */
    private interface Backward {
        void apply(Kernels impl, int batch, int hidden, MatrixSlice dh, MatrixSlice h, MatrixSlice dGates);
    }

    private static StridedMatrix runBackward(Kernels impl, String name, Backward backward, StridedMatrix dh,
                                             StridedMatrix h, StridedMatrix dGates) {
        StridedMatrix dhRun = dh.copy();
        StridedMatrix hRun = h.copy();
        StridedMatrix dGatesRun = dGates.copy();
        backward.apply(impl, dh.rows, dh.cols, dhRun.slice(), hRun.slice(), dGatesRun.slice());
        dhRun.assertUnchanged(dh, impl.name() + " " + name + " dh");
        hRun.assertUnchanged(h, impl.name() + " " + name + " h");
        dGatesRun.assertOnlyRegionChanged(dGates, impl.name() + " " + name + " dGates");
        return dGatesRun;
    }
}
