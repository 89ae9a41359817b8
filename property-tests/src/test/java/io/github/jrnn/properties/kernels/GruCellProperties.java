package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Batch;
import io.github.jrnn.properties.kernels.KernelShapes.Hidden;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * The fused GRU cell and its backward: every output (h, the workspace r | z | n | hg_n, the gate gradients and
 * dhPrev) within its {@link Tracked} bound of the formula in the {@code Kernels} Javadoc evaluated in double, for
 * any batch, hidden size, offsets and leading dimensions, with and without a workspace.
 */
class GruCellProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;

    /** The forward formula for one element, in double with error bounds. */
    private record Step(Tracked r, Tracked z, Tracked n, Tracked h) {
        static Step of(float igR, float igZ, float igN, float hgR, float hgZ, float hgN, float hPrev) {
            Tracked r = Tracked.exact(igR).plus(Tracked.exact(hgR)).sigmoid();
            Tracked z = Tracked.exact(igZ).plus(Tracked.exact(hgZ)).sigmoid();
            Tracked n = Tracked.exact(igN).plus(r.times(Tracked.exact(hgN))).tanh();
            // the Javadoc gives both forms; an implementation may use either
            Tracked hp = Tracked.exact(hPrev);
            Tracked h = Tracked.eitherOf(hp.minus(n).times(z).plus(n), z.oneMinus().times(n).plus(z.times(hp)));
            return new Step(r, z, n, h);
        }
    }

    @Property(tries = 400)
    @Compares("gruCell")
    void gruCellMatchesItsFormulaForAnyShapeWithAndWithoutWorkspace(
            @ForAll(supplier = Batch.class) int batch, @ForAll(supplier = Hidden.class) int hidden,
            @ForAll boolean withWorkspace,
            @ForAll(supplier = Layouts.class) Layout layoutIg, @ForAll(supplier = Layouts.class) Layout layoutHg,
            @ForAll(supplier = Layouts.class) Layout layoutHPrev, @ForAll(supplier = Layouts.class) Layout layoutH,
            @ForAll(supplier = Layouts.class) Layout layoutWorkspace, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix ig = StridedMatrix.input(batch, 3 * hidden, layoutIg.contiguous(), data.gatePreActivations());
        StridedMatrix hg = StridedMatrix.input(batch, 3 * hidden, layoutHg.contiguous(), data.gatePreActivations());
        StridedMatrix hPrev = StridedMatrix.input(batch, hidden, layoutHPrev, data.uniform(-1, 1));
        StridedMatrix h = StridedMatrix.output(batch, hidden, layoutH, UNWRITTEN);
        StridedMatrix workspace = StridedMatrix.output(batch, 4 * hidden, layoutWorkspace.contiguous(), UNWRITTEN);

        for (Kernels impl : BOTH) {
            StridedMatrix igRun = ig.copy();
            StridedMatrix hgRun = hg.copy();
            StridedMatrix hPrevRun = hPrev.copy();
            StridedMatrix hRun = h.copy();
            StridedMatrix wsRun = workspace.copy();
            impl.gruCell(batch, hidden, igRun.data, igRun.offset, hgRun.data, hgRun.offset, hPrevRun.data,
                    hPrevRun.offset, hPrevRun.ld, hRun.data, hRun.offset, hRun.ld,
                    withWorkspace ? wsRun.data : null, wsRun.offset);
            String name = impl.name() + " gruCell";
            if (withWorkspace) {
                igRun.assertUnchanged(ig, name + " ig");
            } else {
                igRun.assertOnlyRegionChanged(ig, name + " ig (consumed without a workspace)");
            }
            hgRun.assertUnchanged(hg, name + " hg");
            hPrevRun.assertUnchanged(hPrev, name + " hPrev");
            hRun.assertOnlyRegionChanged(h, name + " h");
            if (!withWorkspace) {
                wsRun.assertUnchanged(workspace, name + " workspace (passed null)");
            } else {
                wsRun.assertOnlyRegionChanged(workspace, name + " workspace");
            }
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    Step step = Step.of(ig.get(b, j), ig.get(b, hidden + j), ig.get(b, 2 * hidden + j),
                            hg.get(b, j), hg.get(b, hidden + j), hg.get(b, 2 * hidden + j), hPrev.get(b, j));
                    String at = "[" + b + "][" + j + "]";
                    Expect.within(() -> name + " h" + at, hRun.get(b, j), step.h());
                    if (withWorkspace) {
                        Expect.within(() -> name + " workspace r" + at, wsRun.get(b, j), step.r());
                        Expect.within(() -> name + " workspace z" + at, wsRun.get(b, hidden + j), step.z());
                        Expect.within(() -> name + " workspace n" + at, wsRun.get(b, 2 * hidden + j), step.n());
                        Expect.same(() -> name + " workspace hg_n" + at, wsRun.get(b, 3 * hidden + j),
                                hg.get(b, 2 * hidden + j));
                    } else {
                        // Documented contract: without a workspace ig's r | z columns receive r and z.
                        Expect.within(() -> name + " consumed ig r" + at, igRun.get(b, j), step.r());
                        Expect.within(() -> name + " consumed ig z" + at, igRun.get(b, hidden + j), step.z());
                        Expect.same(() -> name + " ig n column" + at, igRun.get(b, 2 * hidden + j),
                                ig.get(b, 2 * hidden + j));
                    }
                }
            }
        }
    }

    @Property(tries = 400)
    @Compares("gruCellBackward")
    void gruCellBackwardMatchesItsFormulaForAnyShape(
            @ForAll(supplier = Batch.class) int batch, @ForAll(supplier = Hidden.class) int hidden,
            @ForAll(supplier = Layouts.class) Layout layoutDh, @ForAll(supplier = Layouts.class) Layout layoutHPrev,
            @ForAll(supplier = Layouts.class) Layout layoutWorkspace,
            @ForAll(supplier = Layouts.class) Layout layoutDIg, @ForAll(supplier = Layouts.class) Layout layoutDHg,
            @ForAll(supplier = Layouts.class) Layout layoutDhPrev,
            @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix dh = StridedMatrix.input(batch, hidden, layoutDh, data.matrixEntries());
        StridedMatrix hPrev = StridedMatrix.input(batch, hidden, layoutHPrev, data.uniform(-1, 1));
        DoubleSupplier gate = data.probability();
        DoubleSupplier candidate = data.uniform(-1, 1);
        DoubleSupplier hgN = data.uniform(-4, 4);
        // workspace rows r | z | n | hg_n, each block of `hidden` columns drawn from its own range
        int[] column = {0};
        StridedMatrix workspace = StridedMatrix.input(batch, 4 * hidden, layoutWorkspace, () -> {
            int block = hidden == 0 ? 0 : (column[0]++ % (4 * hidden)) / hidden;
            return switch (block) {
                case 0, 1 -> gate.getAsDouble();
                case 2 -> candidate.getAsDouble();
                default -> hgN.getAsDouble();
            };
        });
        StridedMatrix dIg = StridedMatrix.output(batch, 3 * hidden, layoutDIg, UNWRITTEN);
        StridedMatrix dHg = StridedMatrix.output(batch, 3 * hidden, layoutDHg, UNWRITTEN);
        StridedMatrix dhPrev = StridedMatrix.output(batch, hidden, layoutDhPrev, UNWRITTEN);

        for (Kernels impl : BOTH) {
            StridedMatrix dhRun = dh.copy();
            StridedMatrix hPrevRun = hPrev.copy();
            StridedMatrix wsRun = workspace.copy();
            StridedMatrix dIgRun = dIg.copy();
            StridedMatrix dHgRun = dHg.copy();
            StridedMatrix dhPrevRun = dhPrev.copy();
            impl.gruCellBackward(batch, hidden, dhRun.slice(), hPrevRun.slice(), wsRun.slice(), dIgRun.slice(),
                    dHgRun.slice(), dhPrevRun.slice());
            String name = impl.name() + " gruCellBackward";
            dhRun.assertUnchanged(dh, name + " dh");
            hPrevRun.assertUnchanged(hPrev, name + " hPrev");
            wsRun.assertUnchanged(workspace, name + " workspace");
            dIgRun.assertOnlyRegionChanged(dIg, name + " dIg");
            dHgRun.assertOnlyRegionChanged(dHg, name + " dHg");
            dhPrevRun.assertOnlyRegionChanged(dhPrev, name + " dhPrev");
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    Tracked r = Tracked.exact(workspace.get(b, j));
                    Tracked z = Tracked.exact(workspace.get(b, hidden + j));
                    Tracked n = Tracked.exact(workspace.get(b, 2 * hidden + j));
                    Tracked hgn = Tracked.exact(workspace.get(b, 3 * hidden + j));
                    Tracked g = Tracked.exact(dh.get(b, j));
                    Tracked hp = Tracked.exact(hPrev.get(b, j));
                    Tracked dn = g.times(z.oneMinus()).times(n.times(n).oneMinus());
                    Tracked dr = dn.times(hgn).times(r).times(r.oneMinus());
                    Tracked dz = g.times(hp.minus(n)).times(z).times(z.oneMinus());
                    String at = "[" + b + "][" + j + "]";
                    Expect.within(() -> name + " dIg_r" + at, dIgRun.get(b, j), dr);
                    Expect.within(() -> name + " dIg_z" + at, dIgRun.get(b, hidden + j), dz);
                    Expect.within(() -> name + " dIg_n" + at, dIgRun.get(b, 2 * hidden + j), dn);
                    Expect.within(() -> name + " dHg_r" + at, dHgRun.get(b, j), dr);
                    Expect.within(() -> name + " dHg_z" + at, dHgRun.get(b, hidden + j), dz);
                    Expect.within(() -> name + " dHg_n" + at, dHgRun.get(b, 2 * hidden + j), dn.times(r));
                    Expect.within(() -> name + " dhPrev" + at, dhPrevRun.get(b, j), g.times(z));
                }
            }
        }
    }
}
