package io.github.jrnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the fused recurrent cell updates and their backward forms (math and layouts on
 * {@link Kernels}). Each kernel makes one pass over its rows: per batch row, per vector of hidden units, it loads
 * the gate pre-activations of all gates for those units, applies {@link VectorMath}'s activations and writes the
 * outputs, so nothing is stored between gates. The last vector of a row is masked when hidden is not a multiple
 * of the lane count.
 */
final class VectorCells {

    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int L = S.length();

    private VectorCells() {
    }

    private static VectorMask<Float> maskFor(int j, int hidden) {
        return j + L <= hidden ? S.maskAll(true) : S.indexInRange(j, hidden);
    }

    private static FloatVector load(float[] x, int index, VectorMask<Float> mask) {
        return FloatVector.fromArray(S, x, index, mask);
    }

    static void rnnCell(boolean relu, int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                        float[] h, int hOffset, int ldh) {
        for (int b = 0; b < batch; b++) {
            int g = b * hidden;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Float> mask = maskFor(j, hidden);
                FloatVector pre = load(ig, igOffset + g + j, mask).add(load(hg, hgOffset + g + j, mask));
                FloatVector out = relu ? pre.max(0f) : VectorMath.tanh(pre);
                out.intoArray(h, hOffset + b * ldh + j, mask);
            }
        }
    }

    static void rnnCellBackward(boolean relu, int batch, int hidden, float[] dh, int dhOffset, int lddh,
                                float[] h, int hOffset, int ldh, float[] dGates, int dGatesOffset) {
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Float> mask = maskFor(j, hidden);
                FloatVector grad = load(dh, dhOffset + b * lddh + j, mask);
                FloatVector out = load(h, hOffset + b * ldh + j, mask);
                FloatVector pre = relu
                        ? FloatVector.zero(S).blend(grad, out.compare(VectorOperators.GT, 0f))
                        : grad.mul(out.mul(out).neg().add(1f));
                pre.intoArray(dGates, dGatesOffset + b * hidden + j, mask);
            }
        }
    }

    static void gruCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                        float[] hPrev, int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh,
                        float[] workspace, int workspaceOffset) {
        for (int b = 0; b < batch; b++) {
            int row = b * 3 * hidden;
            int igRow = igOffset + row;
            int hgRow = hgOffset + row;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Float> mask = maskFor(j, hidden);
                FloatVector r = VectorMath.sigmoid(load(ig, igRow + j, mask).add(load(hg, hgRow + j, mask)));
                FloatVector z = VectorMath.sigmoid(
                        load(ig, igRow + hidden + j, mask).add(load(hg, hgRow + hidden + j, mask)));
                FloatVector hgN = load(hg, hgRow + 2 * hidden + j, mask);
                FloatVector n = VectorMath.tanh(r.fma(hgN, load(ig, igRow + 2 * hidden + j, mask)));
                FloatVector hp = load(hPrev, hPrevOffset + b * ldhPrev + j, mask);
                hp.sub(n).fma(z, n).intoArray(h, hOffset + b * ldh + j, mask);
                if (workspace != null) {
                    int ws = workspaceOffset + b * 4 * hidden + j;
                    r.intoArray(workspace, ws, mask);
                    z.intoArray(workspace, ws + hidden, mask);
                    n.intoArray(workspace, ws + 2 * hidden, mask);
                    hgN.intoArray(workspace, ws + 3 * hidden, mask);
                }
            }
        }
    }

    static void gruCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh,
                                float[] hPrev, int hPrevOffset, int ldhPrev, float[] workspace, int workspaceOffset,
                                float[] dIg, int dIgOffset, float[] dHg, int dHgOffset,
                                float[] dhPrev, int dhPrevOffset, int lddhPrev) {
        for (int b = 0; b < batch; b++) {
            int gates = b * 3 * hidden;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Float> mask = maskFor(j, hidden);
                int ws = workspaceOffset + b * 4 * hidden + j;
                FloatVector r = load(workspace, ws, mask);
                FloatVector z = load(workspace, ws + hidden, mask);
                FloatVector n = load(workspace, ws + 2 * hidden, mask);
                FloatVector hgN = load(workspace, ws + 3 * hidden, mask);
                FloatVector g = load(dh, dhOffset + b * lddh + j, mask);
                FloatVector hp = load(hPrev, hPrevOffset + b * ldhPrev + j, mask);

                FloatVector one = FloatVector.broadcast(S, 1f);
                FloatVector dnPre = g.mul(one.sub(z)).mul(one.sub(n.mul(n)));
                FloatVector drPre = dnPre.mul(hgN).mul(r).mul(one.sub(r));
                FloatVector dzPre = g.mul(hp.sub(n)).mul(z).mul(one.sub(z));

                int d = gates + j;
                drPre.intoArray(dIg, dIgOffset + d, mask);
                dzPre.intoArray(dIg, dIgOffset + d + hidden, mask);
                dnPre.intoArray(dIg, dIgOffset + d + 2 * hidden, mask);
                drPre.intoArray(dHg, dHgOffset + d, mask);
                dzPre.intoArray(dHg, dHgOffset + d + hidden, mask);
                dnPre.mul(r).intoArray(dHg, dHgOffset + d + 2 * hidden, mask);
                g.mul(z).intoArray(dhPrev, dhPrevOffset + b * lddhPrev + j, mask);
            }
        }
    }

    static void lstmCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                         float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                         float[] workspace, int workspaceOffset) {
        for (int b = 0; b < batch; b++) {
            int row = b * 4 * hidden;
            int igRow = igOffset + row;
            int hgRow = hgOffset + row;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Float> mask = maskFor(j, hidden);
                FloatVector i = VectorMath.sigmoid(load(ig, igRow + j, mask).add(load(hg, hgRow + j, mask)));
                FloatVector f = VectorMath.sigmoid(
                        load(ig, igRow + hidden + j, mask).add(load(hg, hgRow + hidden + j, mask)));
                FloatVector g = VectorMath.tanh(
                        load(ig, igRow + 2 * hidden + j, mask).add(load(hg, hgRow + 2 * hidden + j, mask)));
                FloatVector o = VectorMath.sigmoid(
                        load(ig, igRow + 3 * hidden + j, mask).add(load(hg, hgRow + 3 * hidden + j, mask)));
                int cj = b * hidden + j;
                FloatVector cNew = f.fma(load(cPrev, cPrevOffset + cj, mask), i.mul(g));
                cNew.intoArray(c, cOffset + cj, mask);
                o.mul(VectorMath.tanh(cNew)).intoArray(h, hOffset + b * ldh + j, mask);
                if (workspace != null) {
                    int ws = workspaceOffset + row + j;
                    i.intoArray(workspace, ws, mask);
                    f.intoArray(workspace, ws + hidden, mask);
                    g.intoArray(workspace, ws + 2 * hidden, mask);
                    o.intoArray(workspace, ws + 3 * hidden, mask);
                }
            }
        }
    }

    static void lstmCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] dc,
                                 int dcOffset, float[] cPrev, int cPrevOffset, float[] c, int cOffset,
                                 float[] workspace, int workspaceOffset, float[] dGates, int dGatesOffset) {
        for (int b = 0; b < batch; b++) {
            int row = b * 4 * hidden;
            for (int j = 0; j < hidden; j += L) {
                VectorMask<Float> mask = maskFor(j, hidden);
                int ws = workspaceOffset + row + j;
                FloatVector i = load(workspace, ws, mask);
                FloatVector f = load(workspace, ws + hidden, mask);
                FloatVector g = load(workspace, ws + 2 * hidden, mask);
                FloatVector o = load(workspace, ws + 3 * hidden, mask);
                int cj = b * hidden + j;
                FloatVector t = VectorMath.tanh(load(c, cOffset + cj, mask));
                FloatVector gradH = load(dh, dhOffset + b * lddh + j, mask);
                FloatVector one = FloatVector.broadcast(S, 1f);
                FloatVector gradC = load(dc, dcOffset + cj, mask).add(gradH.mul(o).mul(one.sub(t.mul(t))));

                int d = dGatesOffset + row + j;
                gradC.mul(g).mul(i).mul(one.sub(i)).intoArray(dGates, d, mask);
                gradC.mul(load(cPrev, cPrevOffset + cj, mask)).mul(f).mul(one.sub(f))
                        .intoArray(dGates, d + hidden, mask);
                gradC.mul(i).mul(one.sub(g.mul(g))).intoArray(dGates, d + 2 * hidden, mask);
                gradH.mul(t).mul(o).mul(one.sub(o)).intoArray(dGates, d + 3 * hidden, mask);
                gradC.mul(f).intoArray(dc, dcOffset + cj, mask);
            }
        }
    }
}
