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
 * The fused LSTM cell and its backward: c', h', the workspace i | f | g | o, the gate gradients and the new dc
 * within their {@link Tracked} bounds of the formula in the {@code Kernels} Javadoc evaluated in double, for any
 * batch, hidden size, offsets and leading dimension of h, with and without a workspace, with c written over cPrev
 * (allowed) or elsewhere.
 */
class LstmCellProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;

    @Property(tries = 400)
    @Compares("lstmCell")
    void lstmCellMatchesItsFormulaForAnyShapeWorkspaceAndInPlaceCellState(
            @ForAll(supplier = Batch.class) int batch, @ForAll(supplier = Hidden.class) int hidden,
            @ForAll boolean withWorkspace, @ForAll boolean cellStateInPlace,
            @ForAll(supplier = Layouts.class) Layout layoutIg, @ForAll(supplier = Layouts.class) Layout layoutHg,
            @ForAll(supplier = Layouts.class) Layout layoutCPrev, @ForAll(supplier = Layouts.class) Layout layoutC,
            @ForAll(supplier = Layouts.class) Layout layoutH, @ForAll(supplier = Layouts.class) Layout layoutWorkspace,
            @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix ig = StridedMatrix.input(batch, 4 * hidden, layoutIg.contiguous(), data.gatePreActivations());
        StridedMatrix hg = StridedMatrix.input(batch, 4 * hidden, layoutHg.contiguous(), data.gatePreActivations());
        StridedMatrix cPrev = cellStateInPlace
                ? StridedMatrix.output(batch, hidden, layoutCPrev.contiguous(), data.uniform(-3, 3))
                : StridedMatrix.input(batch, hidden, layoutCPrev.contiguous(), data.uniform(-3, 3));
        StridedMatrix c = StridedMatrix.output(batch, hidden, layoutC.contiguous(), UNWRITTEN);
        StridedMatrix h = StridedMatrix.output(batch, hidden, layoutH, UNWRITTEN);
        StridedMatrix workspace = StridedMatrix.output(batch, 4 * hidden, layoutWorkspace.contiguous(), UNWRITTEN);

        for (Kernels impl : BOTH) {
            StridedMatrix igRun = ig.copy();
            StridedMatrix hgRun = hg.copy();
            StridedMatrix cPrevRun = cPrev.copy();
            StridedMatrix cRun = cellStateInPlace ? cPrevRun : c.copy();
            StridedMatrix hRun = h.copy();
            StridedMatrix wsRun = workspace.copy();
            impl.lstmCell(batch, hidden, igRun.data, igRun.offset, hgRun.data, hgRun.offset, cPrevRun.data,
                    cPrevRun.offset, cRun.data, cRun.offset, hRun.data, hRun.offset, hRun.ld,
                    withWorkspace ? wsRun.data : null, wsRun.offset);
            String name = impl.name() + " lstmCell" + (cellStateInPlace ? " (c over cPrev)" : "");
            if (withWorkspace) {
                igRun.assertUnchanged(ig, name + " ig");
            } else {
                igRun.assertOnlyRegionChanged(ig, name + " ig (consumed without a workspace)");
            }
            hgRun.assertUnchanged(hg, name + " hg");
            if (cellStateInPlace) {
                cRun.assertOnlyRegionChanged(cPrev, name + " c");
            } else {
                cPrevRun.assertUnchanged(cPrev, name + " cPrev");
                cRun.assertOnlyRegionChanged(c, name + " c");
            }
            hRun.assertOnlyRegionChanged(h, name + " h");
            if (withWorkspace) {
                wsRun.assertOnlyRegionChanged(workspace, name + " workspace");
            } else {
                wsRun.assertUnchanged(workspace, name + " workspace (passed null)");
            }
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    Tracked[] gates = new Tracked[4];
                    for (int gate = 0; gate < 4; gate++) {
                        int col = gate * hidden + j;
                        Tracked pre = Tracked.exact(ig.get(b, col)).plus(Tracked.exact(hg.get(b, col)));
                        gates[gate] = gate == 2 ? pre.tanh() : pre.sigmoid();
                    }
                    Tracked cNew = gates[1].times(Tracked.exact(cPrev.get(b, j))).plus(gates[0].times(gates[2]));
                    Tracked hNew = gates[3].times(cNew.tanh());
                    String at = "[" + b + "][" + j + "]";
                    Expect.within(() -> name + " c" + at, cRun.get(b, j), cNew);
                    Expect.within(() -> name + " h" + at, hRun.get(b, j), hNew);
                    // The activated gates land in the workspace, or without one in ig (documented contract).
                    StridedMatrix activated = withWorkspace ? wsRun : igRun;
                    for (int gate = 0; gate < 4; gate++) {
                        String label = (withWorkspace ? " workspace " : " consumed ig ") + "ifgo".charAt(gate) + at;
                        Expect.within(() -> name + label, activated.get(b, gate * hidden + j), gates[gate]);
                    }
                }
            }
        }
    }

    @Property(tries = 400)
    @Compares("lstmCellBackward")
    void lstmCellBackwardMatchesItsFormulaForAnyShape(
            @ForAll(supplier = Batch.class) int batch, @ForAll(supplier = Hidden.class) int hidden,
            @ForAll(supplier = Layouts.class) Layout layoutDh, @ForAll(supplier = Layouts.class) Layout layoutDc,
            @ForAll(supplier = Layouts.class) Layout layoutCPrev, @ForAll(supplier = Layouts.class) Layout layoutC,
            @ForAll(supplier = Layouts.class) Layout layoutWorkspace,
            @ForAll(supplier = Layouts.class) Layout layoutDGates, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix dh = StridedMatrix.input(batch, hidden, layoutDh, data.matrixEntries());
        StridedMatrix dc = StridedMatrix.output(batch, hidden, layoutDc, data.matrixEntries());
        StridedMatrix cPrev = StridedMatrix.input(batch, hidden, layoutCPrev, data.uniform(-3, 3));
        StridedMatrix c = StridedMatrix.input(batch, hidden, layoutC, data.uniform(-3, 3));
        DoubleSupplier gate = data.probability();
        DoubleSupplier candidate = data.uniform(-1, 1);
        // workspace rows i | f | g | o: g in (-1, 1), the others in (0, 1)
        int[] column = {0};
        StridedMatrix workspace = StridedMatrix.input(batch, 4 * hidden, layoutWorkspace, () -> {
            int block = hidden == 0 ? 0 : (column[0]++ % (4 * hidden)) / hidden;
            return block == 2 ? candidate.getAsDouble() : gate.getAsDouble();
        });
        StridedMatrix dGates = StridedMatrix.output(batch, 4 * hidden, layoutDGates, UNWRITTEN);

        for (Kernels impl : BOTH) {
            StridedMatrix dhRun = dh.copy();
            StridedMatrix dcRun = dc.copy();
            StridedMatrix cPrevRun = cPrev.copy();
            StridedMatrix cRun = c.copy();
            StridedMatrix wsRun = workspace.copy();
            StridedMatrix dGatesRun = dGates.copy();
            impl.lstmCellBackward(batch, hidden, dhRun.slice(), dcRun.slice(), cPrevRun.slice(), cRun.slice(),
                    wsRun.slice(), dGatesRun.slice());
            String name = impl.name() + " lstmCellBackward";
            dhRun.assertUnchanged(dh, name + " dh");
            cPrevRun.assertUnchanged(cPrev, name + " cPrev");
            cRun.assertUnchanged(c, name + " c");
            wsRun.assertUnchanged(workspace, name + " workspace");
            dcRun.assertOnlyRegionChanged(dc, name + " dc");
            dGatesRun.assertOnlyRegionChanged(dGates, name + " dGates");
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    Tracked i = Tracked.exact(workspace.get(b, j));
                    Tracked f = Tracked.exact(workspace.get(b, hidden + j));
                    Tracked g = Tracked.exact(workspace.get(b, 2 * hidden + j));
                    Tracked o = Tracked.exact(workspace.get(b, 3 * hidden + j));
                    Tracked gradH = Tracked.exact(dh.get(b, j));
                    Tracked t = Tracked.exact(c.get(b, j)).tanh();
                    Tracked gradC = Tracked.exact(dc.get(b, j)).plus(gradH.times(o).times(t.times(t).oneMinus()));
                    String at = "[" + b + "][" + j + "]";
                    Expect.within(() -> name + " dI" + at, dGatesRun.get(b, j),
                            gradC.times(g).times(i).times(i.oneMinus()));
                    Expect.within(() -> name + " dF" + at, dGatesRun.get(b, hidden + j),
                            gradC.times(Tracked.exact(cPrev.get(b, j))).times(f).times(f.oneMinus()));
                    Expect.within(() -> name + " dG" + at, dGatesRun.get(b, 2 * hidden + j),
                            gradC.times(i).times(g.times(g).oneMinus()));
                    Expect.within(() -> name + " dO" + at, dGatesRun.get(b, 3 * hidden + j),
                            gradH.times(t).times(o).times(o.oneMinus()));
                    Expect.within(() -> name + " dc" + at, dcRun.get(b, j), gradC.times(f));
                }
            }
        }
    }
}
