package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;

import java.util.function.Function;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The fused recurrent cell updates and their backward forms of the vector implementation (math and layouts on
 * {@link Kernels}); one link of the chain that makes up {@link VectorKernels} (see {@link VectorGemm}). The last
 * vector of a row is masked when hidden is not a multiple of the lane count.
 *
 * <h2>Why the GRU and LSTM updates run as several short passes</h2>
 * C2 stops inlining into a compilation once its parse-time node count passes a fixed cutoff
 * ({@code NodeCountInliningCutoff}), and one inlined {@link VectorMath} activation (about 30 Vector API operations)
 * already takes most of that budget. A loop calling two or more activations therefore gets the later ones as real
 * calls, and every vector crossing such a call is boxed: measured 13-24 KB allocated and a 5-8x slowdown per
 * GRU/LSTM step at hidden 256. So each pass below is its own method with exactly one activation, called last in
 * its loop body (after it only the JDK's force-inlined vector operations follow, which the cutoff does not
 * block), and helper methods of this class are never called inside a loop. The passes hand values to each other
 * through the workspace when one is given, otherwise through {@code ig}, which these kernels consume (documented
 * on {@link Kernels#gruCell} and {@link Kernels#lstmCell}); a row of gates is a few KB and stays in L1. The other
 * kernels follow the same rule: a vector that must outlive such a loop (a lane sum to reduce, accumulators to
 * store) goes through memory to a call that takes arrays ({@link VectorReductions#sum(float[], int)}, the tile
 * buffers of {@link DirectGemm} and {@link GemmMicroKernel}); {@code VectorKernelAllocationTest} measures that
 * compiled kernels allocate nothing.
 *
 * <h2>Why the backward forms run as two passes per row</h2>
 * C1 has its own limit: it expands every Vector API operation into plain Java code (it has no vector intrinsics),
 * and a loop body of about 30 loads, stores and arithmetic operations runs its register allocator out of virtual
 * registers. The tier-3 compilation then fails, and HotSpot may leave the method in tier-2 C1 code for the life of
 * the JVM, which boxes every vector: {@code lstmCellBackward} as one loop (tanh, 8 loads, 5 stores) did so in about
 * half of the JVMs, 3 000 instead of 100 000 calls per second at batch 32, hidden 256. So {@code lstmCellBackward}
 * and {@code gruCellBackward} make two passes over each row, one short method each, handing the intermediate
 * gradient on through an output (dc, dIg); {@code VectorKernelAllocationTest} fails on any failed compilation of
 * kernel code.
 *
 * <h2>Plain loads for full vectors</h2>
 * Every loop here loads and stores whole vectors without a mask and only the ragged last vector with one, in the
 * same loop body (a branch per load and store on {@code full}), so that each activation stays one call site.
 * Measured against a mask on every access (JMH, batch 32, hidden 256, Xeon with AVX-512): the LSTM cell 47 000 ->
 * 62 000 calls per second, GRU 78 000 -> 81 000-93 000 (with the cheaper clamps of {@link VectorMath}).
 */
abstract class VectorCells extends VectorGemm {

    VectorCells(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    VectorCells(Kernels checkedTwin) {
        super(checkedTwin);
    }

    @Override
    protected final void rnnTanhCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                         float[] h, int hOffset, int ldh) {
        rnnCell(false, batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    @Override
    protected final void rnnReluCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                         float[] h, int hOffset, int ldh) {
        rnnCell(true, batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    @Override
    protected final void rnnTanhCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h,
                                                 MatrixSlice dGates) {
        rnnCellBackward(false, batch, hidden, dh, h, dGates);
    }

    @Override
    protected final void rnnReluCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h,
                                                 MatrixSlice dGates) {
        rnnCellBackward(true, batch, hidden, dh, h, dGates);
    }

    /** The RNN cell for either activation: {@code h = act(ig + hg)}. */
    private static void rnnCell(boolean relu, int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                        float[] h, int hOffset, int ldh) {
        for (int b = 0; b < batch; b++) {
            int g = b * hidden;
            for (int j = 0; j < hidden; j += L) {
                boolean full = j + L <= hidden;
                VectorMask<Float> mask = S.indexInRange(j, hidden);
                FloatVector pre = (full ? FloatVector.fromArray(S, ig, igOffset + g + j)
                        : FloatVector.fromArray(S, ig, igOffset + g + j, mask))
                        .add(full ? FloatVector.fromArray(S, hg, hgOffset + g + j)
                                : FloatVector.fromArray(S, hg, hgOffset + g + j, mask));
                FloatVector out = relu ? pre.max(0f) : VectorMath.tanh(pre);
                if (full) {
                    out.intoArray(h, hOffset + b * ldh + j);
                } else {
                    out.intoArray(h, hOffset + b * ldh + j, mask);
                }
            }
        }
    }

    /** The RNN cell backward for either activation: {@code dGates = dh * act'(h)}. */
    private static void rnnCellBackward(boolean relu, int batch, int hidden, MatrixSlice dhSlice, MatrixSlice hSlice,
                                        MatrixSlice dGatesSlice) {
        float[] dh = dhSlice.array();
        float[] h = hSlice.array();
        float[] dGates = dGatesSlice.array();
        for (int b = 0; b < batch; b++) {
            int dhRow = dhSlice.offset() + b * dhSlice.ld();
            int hRow = hSlice.offset() + b * hSlice.ld();
            int dGatesRow = dGatesSlice.offset() + b * dGatesSlice.ld();
            for (int j = 0; j < hidden; j += L) {
                boolean full = j + L <= hidden;
                VectorMask<Float> mask = S.indexInRange(j, hidden);
                FloatVector grad = full ? FloatVector.fromArray(S, dh, dhRow + j)
                        : FloatVector.fromArray(S, dh, dhRow + j, mask);
                FloatVector out = full ? FloatVector.fromArray(S, h, hRow + j)
                        : FloatVector.fromArray(S, h, hRow + j, mask);
                FloatVector pre = relu
                        ? FloatVector.zero(S).blend(grad, out.compare(VectorOperators.GT, 0f))
                        : grad.mul(out.mul(out).neg().add(1f));
                if (full) {
                    pre.intoArray(dGates, dGatesRow + j);
                } else {
                    pre.intoArray(dGates, dGatesRow + j, mask);
                }
            }
        }
    }

    /**
     * {@code dst[j] = sigmoid(a[j] + b[j])} for j < n: one activation per loop body (see the class comment). Every
     * lane computes the same operations wherever the range starts, so a range cut into pieces gives the same bits.
     */
    private static void sigmoidOfSum(int n, float[] a, int aOffset, float[] b, int bOffset, float[] dst,
                                     int dstOffset) {
        for (int j = 0; j < n; j += L) {
            boolean full = j + L <= n;
            VectorMask<Float> mask = S.indexInRange(j, n);
            FloatVector pre = (full ? FloatVector.fromArray(S, a, aOffset + j)
                    : FloatVector.fromArray(S, a, aOffset + j, mask))
                    .add(full ? FloatVector.fromArray(S, b, bOffset + j)
                            : FloatVector.fromArray(S, b, bOffset + j, mask));
            FloatVector out = VectorMath.sigmoid(pre);
            if (full) {
                out.intoArray(dst, dstOffset + j);
            } else {
                out.intoArray(dst, dstOffset + j, mask);
            }
        }
    }

    /** {@code dst[j] = tanh(a[j] + b[j])} for j < n. */
    private static void tanhOfSum(int n, float[] a, int aOffset, float[] b, int bOffset, float[] dst,
                                  int dstOffset) {
        for (int j = 0; j < n; j += L) {
            boolean full = j + L <= n;
            VectorMask<Float> mask = S.indexInRange(j, n);
            FloatVector pre = (full ? FloatVector.fromArray(S, a, aOffset + j)
                    : FloatVector.fromArray(S, a, aOffset + j, mask))
                    .add(full ? FloatVector.fromArray(S, b, bOffset + j)
                            : FloatVector.fromArray(S, b, bOffset + j, mask));
            FloatVector out = VectorMath.tanh(pre);
            if (full) {
                out.intoArray(dst, dstOffset + j);
            } else {
                out.intoArray(dst, dstOffset + j, mask);
            }
        }
    }

    // ---------------------------------------------------------------- GRU

    @Override
    protected final void gruCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                     float[] hPrev, int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh,
                                     float[] workspace, int workspaceOffset) {
        for (int b = 0; b < batch; b++) {
            int igRow = igOffset + b * 3 * hidden;
            int hgRow = hgOffset + b * 3 * hidden;
            // r | z are adjacent in ig, hg and the workspace: one sigmoid pass over 2 * hidden.
            float[] rz = workspace != null ? workspace : ig;
            int rzRow = workspace != null ? workspaceOffset + b * 4 * hidden : igRow;
            sigmoidOfSum(2 * hidden, ig, igRow, hg, hgRow, rz, rzRow);
            gruOutput(hidden, hidden, ig, igRow, hg, hgRow, rz, rzRow, hPrev, hPrevOffset + b * ldhPrev, h,
                    hOffset + b * ldh, workspace, rzRow);
        }
    }

    /**
     * n = tanh(ig_n + r * hg_n) and h' = (h - n) * z + n for {@code units} hidden units of one row (gate blocks
     * {@code hidden} apart); r, z read from {@code rz[rzRow..]}.
     */
    private static void gruOutput(int units, int hidden, float[] ig, int igRow, float[] hg, int hgRow, float[] rz,
                                  int rzRow, float[] hPrev, int hPrevRow, float[] h, int hRow, float[] workspace,
                                  int ws) {
        for (int j = 0; j < units; j += L) {
            boolean full = j + L <= units;
            VectorMask<Float> mask = S.indexInRange(j, units);
            FloatVector r = full ? FloatVector.fromArray(S, rz, rzRow + j)
                    : FloatVector.fromArray(S, rz, rzRow + j, mask);
            FloatVector z = full ? FloatVector.fromArray(S, rz, rzRow + hidden + j)
                    : FloatVector.fromArray(S, rz, rzRow + hidden + j, mask);
            FloatVector hgN = full ? FloatVector.fromArray(S, hg, hgRow + 2 * hidden + j)
                    : FloatVector.fromArray(S, hg, hgRow + 2 * hidden + j, mask);
            FloatVector igN = full ? FloatVector.fromArray(S, ig, igRow + 2 * hidden + j)
                    : FloatVector.fromArray(S, ig, igRow + 2 * hidden + j, mask);
            FloatVector hp = full ? FloatVector.fromArray(S, hPrev, hPrevRow + j)
                    : FloatVector.fromArray(S, hPrev, hPrevRow + j, mask);
            FloatVector n = VectorMath.tanh(r.fma(hgN, igN));
            FloatVector hNew = hp.sub(n).fma(z, n);
            if (full) {
                hNew.intoArray(h, hRow + j);
                if (workspace != null) {
                    n.intoArray(workspace, ws + 2 * hidden + j);
                    hgN.intoArray(workspace, ws + 3 * hidden + j);
                }
            } else {
                hNew.intoArray(h, hRow + j, mask);
                if (workspace != null) {
                    n.intoArray(workspace, ws + 2 * hidden + j, mask);
                    hgN.intoArray(workspace, ws + 3 * hidden + j, mask);
                }
            }
        }
    }

    @Override
    protected final void gruCellBackwardImpl(int batch, int hidden, MatrixSlice dhSlice, MatrixSlice hPrevSlice,
                                             MatrixSlice workspaceSlice, MatrixSlice dIgSlice, MatrixSlice dHgSlice,
                                             MatrixSlice dhPrevSlice) {
        float[] workspace = workspaceSlice.array();
        float[] dIg = dIgSlice.array();
        float[] dHg = dHgSlice.array();
        for (int b = 0; b < batch; b++) {
            int wsRow = workspaceSlice.offset() + b * workspaceSlice.ld();
            int dIgRow = dIgSlice.offset() + b * dIgSlice.ld();
            int dHgRow = dHgSlice.offset() + b * dHgSlice.ld();
            // two passes over the row, the second reading dn from dIg (see the class comment)
            gruUpdateGradients(hidden, dhSlice.array(), dhSlice.offset() + b * dhSlice.ld(), hPrevSlice.array(),
                    hPrevSlice.offset() + b * hPrevSlice.ld(), workspace, wsRow, dIg, dIgRow, dHg, dHgRow,
                    dhPrevSlice.array(), dhPrevSlice.offset() + b * dhPrevSlice.ld());
            gruResetGradients(hidden, workspace, wsRow, dIg, dIgRow, dHg, dHgRow);
        }
    }

    /**
     * The first pass of one row of {@link #gruCellBackwardImpl}: {@code dn = dh (1 - z) (1 - n^2)} into dIg's n
     * block, {@code dz = dh (h - n) z (1 - z)} into the z blocks of dIg and dHg, and {@code dhPrev = dh z}.
     */
    private static void gruUpdateGradients(int hidden, float[] dh, int dhRow, float[] hPrev, int hPrevRow,
                                           float[] workspace, int wsRow, float[] dIg, int dIgRow, float[] dHg,
                                           int dHgRow, float[] dhPrev, int dhPrevRow) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < hidden; j += L) {
            boolean full = j + L <= hidden;
            VectorMask<Float> mask = S.indexInRange(j, hidden);
            int ws = wsRow + j;
            FloatVector z = full ? FloatVector.fromArray(S, workspace, ws + hidden)
                    : FloatVector.fromArray(S, workspace, ws + hidden, mask);
            FloatVector n = full ? FloatVector.fromArray(S, workspace, ws + 2 * hidden)
                    : FloatVector.fromArray(S, workspace, ws + 2 * hidden, mask);
            FloatVector g = full ? FloatVector.fromArray(S, dh, dhRow + j)
                    : FloatVector.fromArray(S, dh, dhRow + j, mask);
            FloatVector hp = full ? FloatVector.fromArray(S, hPrev, hPrevRow + j)
                    : FloatVector.fromArray(S, hPrev, hPrevRow + j, mask);
            FloatVector dnPre = g.mul(one.sub(z)).mul(one.sub(n.mul(n)));
            FloatVector dzPre = g.mul(hp.sub(n)).mul(z).mul(one.sub(z));
            FloatVector dhPrevPart = g.mul(z);
            if (full) {
                dzPre.intoArray(dIg, dIgRow + j + hidden);
                dnPre.intoArray(dIg, dIgRow + j + 2 * hidden);
                dzPre.intoArray(dHg, dHgRow + j + hidden);
                dhPrevPart.intoArray(dhPrev, dhPrevRow + j);
            } else {
                dzPre.intoArray(dIg, dIgRow + j + hidden, mask);
                dnPre.intoArray(dIg, dIgRow + j + 2 * hidden, mask);
                dzPre.intoArray(dHg, dHgRow + j + hidden, mask);
                dhPrevPart.intoArray(dhPrev, dhPrevRow + j, mask);
            }
        }
    }

    /**
     * The second pass of one row of {@link #gruCellBackwardImpl}: with dn in dIg's n block,
     * {@code dr = dn hg_n r (1 - r)} into the r blocks of dIg and dHg and {@code dn r} into dHg's n block.
     */
    private static void gruResetGradients(int hidden, float[] workspace, int wsRow, float[] dIg, int dIgRow,
                                          float[] dHg, int dHgRow) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < hidden; j += L) {
            boolean full = j + L <= hidden;
            VectorMask<Float> mask = S.indexInRange(j, hidden);
            int ws = wsRow + j;
            FloatVector r = full ? FloatVector.fromArray(S, workspace, ws)
                    : FloatVector.fromArray(S, workspace, ws, mask);
            FloatVector hgN = full ? FloatVector.fromArray(S, workspace, ws + 3 * hidden)
                    : FloatVector.fromArray(S, workspace, ws + 3 * hidden, mask);
            FloatVector dnPre = full ? FloatVector.fromArray(S, dIg, dIgRow + j + 2 * hidden)
                    : FloatVector.fromArray(S, dIg, dIgRow + j + 2 * hidden, mask);
            FloatVector drPre = dnPre.mul(hgN).mul(r).mul(one.sub(r));
            FloatVector dHgN = dnPre.mul(r);
            if (full) {
                drPre.intoArray(dIg, dIgRow + j);
                drPre.intoArray(dHg, dHgRow + j);
                dHgN.intoArray(dHg, dHgRow + j + 2 * hidden);
            } else {
                drPre.intoArray(dIg, dIgRow + j, mask);
                drPre.intoArray(dHg, dHgRow + j, mask);
                dHgN.intoArray(dHg, dHgRow + j + 2 * hidden, mask);
            }
        }
    }

    // ---------------------------------------------------------------- LSTM

    @Override
    protected final void lstmCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                      float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset,
                                      int ldh, float[] workspace, int workspaceOffset) {
        for (int b = 0; b < batch; b++) {
            int igRow = igOffset + b * 4 * hidden;
            int hgRow = hgOffset + b * 4 * hidden;
            // The activated gates i | f | g | o go to the workspace when there is one, otherwise over ig.
            float[] gates = workspace != null ? workspace : ig;
            int row = workspace != null ? workspaceOffset + b * 4 * hidden : igRow;
            sigmoidOfSum(2 * hidden, ig, igRow, hg, hgRow, gates, row);                            // i | f
            tanhOfSum(hidden, ig, igRow + 2 * hidden, hg, hgRow + 2 * hidden, gates, row + 2 * hidden); // g
            sigmoidOfSum(hidden, ig, igRow + 3 * hidden, hg, hgRow + 3 * hidden, gates, row + 3 * hidden); // o
            lstmOutput(hidden, hidden, gates, row, cPrev, cPrevOffset + b * hidden, c, cOffset + b * hidden, h,
                    hOffset + b * ldh);
        }
    }

    /**
     * c' = f * cPrev + i * g and h' = o * tanh(c') for {@code units} hidden units of one row from the activated
     * gates (gate blocks {@code hidden} apart; c may be cPrev).
     */
    private static void lstmOutput(int units, int hidden, float[] gates, int row, float[] cPrev, int cPrevRow,
                                   float[] c, int cRow, float[] h, int hRow) {
        for (int j = 0; j < units; j += L) {
            boolean full = j + L <= units;
            VectorMask<Float> mask = S.indexInRange(j, units);
            FloatVector i = full ? FloatVector.fromArray(S, gates, row + j)
                    : FloatVector.fromArray(S, gates, row + j, mask);
            FloatVector f = full ? FloatVector.fromArray(S, gates, row + hidden + j)
                    : FloatVector.fromArray(S, gates, row + hidden + j, mask);
            FloatVector g = full ? FloatVector.fromArray(S, gates, row + 2 * hidden + j)
                    : FloatVector.fromArray(S, gates, row + 2 * hidden + j, mask);
            FloatVector o = full ? FloatVector.fromArray(S, gates, row + 3 * hidden + j)
                    : FloatVector.fromArray(S, gates, row + 3 * hidden + j, mask);
            FloatVector cp = full ? FloatVector.fromArray(S, cPrev, cPrevRow + j)
                    : FloatVector.fromArray(S, cPrev, cPrevRow + j, mask);
            FloatVector cNew = f.fma(cp, i.mul(g));
            if (full) {
                cNew.intoArray(c, cRow + j);
            } else {
                cNew.intoArray(c, cRow + j, mask);
            }
            FloatVector hNew = o.mul(VectorMath.tanh(cNew));
            if (full) {
                hNew.intoArray(h, hRow + j);
            } else {
                hNew.intoArray(h, hRow + j, mask);
            }
        }
    }

    @Override
    protected final void lstmCellBackwardImpl(int batch, int hidden, MatrixSlice dhSlice, MatrixSlice dcSlice,
                                              MatrixSlice cPrevSlice, MatrixSlice cSlice, MatrixSlice workspaceSlice,
                                              MatrixSlice dGatesSlice) {
        float[] dc = dcSlice.array();
        float[] workspace = workspaceSlice.array();
        float[] dGates = dGatesSlice.array();
        for (int b = 0; b < batch; b++) {
            int dcRow = dcSlice.offset() + b * dcSlice.ld();
            int wsRow = workspaceSlice.offset() + b * workspaceSlice.ld();
            int dGatesRow = dGatesSlice.offset() + b * dGatesSlice.ld();
            // two passes over the row, the second reading dc~ from dc (see the class comment)
            lstmCellStateGradient(hidden, dhSlice.array(), dhSlice.offset() + b * dhSlice.ld(), dc, dcRow,
                    cSlice.array(), cSlice.offset() + b * cSlice.ld(), workspace, wsRow + 3 * hidden, dGates,
                    dGatesRow + 3 * hidden);
            lstmGateGradients(hidden, dc, dcRow, cPrevSlice.array(), cPrevSlice.offset() + b * cPrevSlice.ld(),
                    workspace, wsRow, dGates, dGatesRow);
        }
    }

    /**
     * The first pass of one row of {@link #lstmCellBackwardImpl}: with {@code t = tanh(c')},
     * {@code dc := dc~ = dc + dh * o * (1 - t^2)} and dGates' o block := {@code dO = dh * t * o (1 - o)}.
     */
    private static void lstmCellStateGradient(int hidden, float[] dh, int dhRow, float[] dc, int dcRow, float[] c,
                                              int cRow, float[] workspace, int oGateRow, float[] dGates, int oRow) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < hidden; j += L) {
            boolean full = j + L <= hidden;
            VectorMask<Float> mask = S.indexInRange(j, hidden);
            FloatVector o = full ? FloatVector.fromArray(S, workspace, oGateRow + j)
                    : FloatVector.fromArray(S, workspace, oGateRow + j, mask);
            FloatVector gradH = full ? FloatVector.fromArray(S, dh, dhRow + j)
                    : FloatVector.fromArray(S, dh, dhRow + j, mask);
            FloatVector gradCIn = full ? FloatVector.fromArray(S, dc, dcRow + j)
                    : FloatVector.fromArray(S, dc, dcRow + j, mask);
            FloatVector t = VectorMath.tanh(full ? FloatVector.fromArray(S, c, cRow + j)
                    : FloatVector.fromArray(S, c, cRow + j, mask));
            FloatVector gradC = gradCIn.add(gradH.mul(o).mul(one.sub(t.mul(t))));
            FloatVector dO = gradH.mul(t).mul(o).mul(one.sub(o));
            if (full) {
                gradC.intoArray(dc, dcRow + j);
                dO.intoArray(dGates, oRow + j);
            } else {
                gradC.intoArray(dc, dcRow + j, mask);
                dO.intoArray(dGates, oRow + j, mask);
            }
        }
    }

    /**
     * The second pass of one row of {@link #lstmCellBackwardImpl}: with dc~ in dc, the gradients of the i, f and g
     * blocks and {@code dc := dc~ * f}.
     */
    private static void lstmGateGradients(int hidden, float[] dc, int dcRow, float[] cPrev, int cPrevRow,
                                          float[] workspace, int wsRow, float[] dGates, int dGatesRow) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < hidden; j += L) {
            boolean full = j + L <= hidden;
            VectorMask<Float> mask = S.indexInRange(j, hidden);
            int ws = wsRow + j;
            FloatVector i = full ? FloatVector.fromArray(S, workspace, ws)
                    : FloatVector.fromArray(S, workspace, ws, mask);
            FloatVector f = full ? FloatVector.fromArray(S, workspace, ws + hidden)
                    : FloatVector.fromArray(S, workspace, ws + hidden, mask);
            FloatVector g = full ? FloatVector.fromArray(S, workspace, ws + 2 * hidden)
                    : FloatVector.fromArray(S, workspace, ws + 2 * hidden, mask);
            FloatVector cp = full ? FloatVector.fromArray(S, cPrev, cPrevRow + j)
                    : FloatVector.fromArray(S, cPrev, cPrevRow + j, mask);
            FloatVector gradC = full ? FloatVector.fromArray(S, dc, dcRow + j)
                    : FloatVector.fromArray(S, dc, dcRow + j, mask);
            int d = dGatesRow + j;
            FloatVector dI = gradC.mul(g).mul(i).mul(one.sub(i));
            FloatVector dF = gradC.mul(cp).mul(f).mul(one.sub(f));
            FloatVector dG = gradC.mul(i).mul(one.sub(g.mul(g)));
            FloatVector dcPrev = gradC.mul(f);
            if (full) {
                dI.intoArray(dGates, d);
                dF.intoArray(dGates, d + hidden);
                dG.intoArray(dGates, d + 2 * hidden);
                dcPrev.intoArray(dc, dcRow + j);
            } else {
                dI.intoArray(dGates, d, mask);
                dF.intoArray(dGates, d + hidden, mask);
                dG.intoArray(dGates, d + 2 * hidden, mask);
                dcPrev.intoArray(dc, dcRow + j, mask);
            }
        }
    }

    // ---------------------------------------------------------------- whole sequences

    /**
     * Batch 1: {@link VectorRecurrence} (each step's hidden units may be split over two threads). From batch 2 on
     * the sequences are independent for the whole time loop, so with several threads and enough work (at least
     * {@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS} multiply-adds in all) each thread takes an equal share of
     * them (as many shares as threads, at most one per sequence) and runs every step on its own rows, with no
     * hand-over between steps; each thread's product is
     * {@link BlockedGemm#multiplyPacked} on its rows, which computes every element with the same operations as the
     * whole batch's product, so the bits do not depend on the split. (Splitting each step's hidden units instead, as
     * at batch 1, with every thread on all sequences, measured slower in every case tried, by 2-27%: GRU and LSTM,
     * batch 32 and 64, hidden 256-1024, two cores of a Xeon with AVX-512. Each step then moves half of every h row
     * between the cores, where this split moves nothing between steps. Tried again in December 2026, with each
     * thread's product packing h once for all gates: the two threads' products alone, meeting after every step,
     * ran 1.04-1.26x as fast as this split's (each core streams half of W_hh), but whole 100-step forwards measured
     * 0.86x (LSTM hidden 256, batch 32), 1.03x (hidden 512) and 1.01-1.07x (GRU and LSTM hidden 1024, batch 32
     * and 64), one JVM alternating the two: not kept.)
     */
    @Override
    protected final void recurrentSequenceImpl(CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                               float[] ig, int igOffset, PackedMatrix whh, float[] bhh,
                                               int bhhOffset, float[] h0, int h0Offset, float[] c, int cOffset,
                                               float[] h, int hOffset, int ldh, float[] hg, int hgOffset) {
        VectorPackedMatrix packedWhh = VectorPackedMatrix.of(whh, "recurrentSequence", "whh");
        if (steps == 0 || batch == 0 || hidden == 0) {
            return;
        }
        if (batch == 1) {
            // an object only for a split (its helper thread reads it): alone, the recurrence allocates nothing
            if (!RecurrenceHelper.splits(cell.gates(), hidden, steps)
                    || !RecurrenceHelper.tryRunSplit(new VectorRecurrence(cell, reverse, steps, hidden, ig, igOffset,
                            packedWhh, bhh, bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh, hg, hgOffset))) {
                VectorRecurrence.runAlone(cell, reverse, steps, hidden, ig, igOffset, packedWhh, bhh, bhhOffset, h0,
                        h0Offset, c, cOffset, h, hOffset, ldh, hg, hgOffset);
            }
            return;
        }
        long multiplyAdds = (long) steps * batch * cell.gates() * hidden * hidden;
        int threads = threadsFor(multiplyAdds);
        if (threads < 2) {
            sequenceRows(cell, reverse, steps, batch, hidden, 0, batch, ig, igOffset, packedWhh, bhh, bhhOffset, h0,
                    h0Offset, c, cOffset, h, hOffset, ldh, hg, hgOffset);
        } else {
            int parts = Math.min(threads, batch);
            GemmThreads.run(parts, threads, part -> sequenceRows(cell, reverse, steps, batch, hidden,
                    (int) ((long) batch * part / parts), (int) ((long) batch * (part + 1) / parts), ig, igOffset,
                    packedWhh, bhh, bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh, hg, hgOffset));
        }
    }

    /**
     * The time loop of {@link #recurrentSequenceImpl} for the sequences {@code [r0, r1)} of the batch: each step's
     * product with its bias and the cell kernel on those rows only (their hg scratch rows included).
     */
    private void sequenceRows(CellKind cell, boolean reverse, int steps, int batch, int hidden, int r0, int r1,
                              float[] ig, int igOffset, VectorPackedMatrix whh, float[] bhh, int bhhOffset,
                              float[] h0, int h0Offset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                              float[] hg, int hgOffset) {
        int rows = r1 - r0;
        int gh = cell.gates() * hidden;
        int hgRows = hgOffset + r0 * gh;
        int cRows = cOffset + r0 * hidden;
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            float[] hPrev = s == 0 ? h0 : h;
            int hPrevRows = s == 0 ? h0Offset + r0 * hidden : hOffset + ((reverse ? t + 1 : t - 1) * batch + r0) * ldh;
            int ldhPrev = s == 0 ? hidden : ldh;
            int igRows = igOffset + (t * batch + r0) * gh;
            int hRows = hOffset + (t * batch + r0) * ldh;
            // hg = hPrev W_hh^T + b_hh: the bias added as the product is written (the bits of broadcastRows and
            // beta = 1, see Kernels#sgemmPackedBias)
            BlockedGemm.multiplyPacked(false, rows, 0, gh, 1f, hPrev, hPrevRows, ldhPrev, whh, 0f, bhh, bhhOffset, hg,
                    hgRows, gh);
            switch (cell) {
                case RNN_TANH -> rnnTanhCellImpl(rows, hidden, ig, igRows, hg, hgRows, h, hRows, ldh);
                case RNN_RELU -> rnnReluCellImpl(rows, hidden, ig, igRows, hg, hgRows, h, hRows, ldh);
                case GRU -> gruCellImpl(rows, hidden, ig, igRows, hg, hgRows, hPrev, hPrevRows, ldhPrev, h, hRows, ldh,
                        null, 0);
                case LSTM -> lstmCellImpl(rows, hidden, ig, igRows, hg, hgRows, c, cRows, c, cRows, h, hRows, ldh,
                        null, 0);
            }
        }
    }

    /**
     * The cell update of the hidden units {@code [u0, u1)} of one batch-1 step, without a workspace: what the cell
     * kernel of {@code cell} computes for those units (ig consumed the same way). ig and hg are rows of
     * G·hidden gate columns; hPrev, c (LSTM, updated in place) and h start at unit 0. Every lane computes the same
     * operations wherever a range starts, so the units cut into ranges give the bits of one call over all of them.
     */
    static void cellUnits(CellKind cell, int hidden, int u0, int u1, float[] ig, int igRow, float[] hg, int hgRow,
                          float[] hPrev, int hPrevRow, float[] c, int cRow, float[] h, int hRow) {
        int n = u1 - u0;
        int i = igRow + u0;
        int g = hgRow + u0;
        switch (cell) {
            case RNN_TANH, RNN_RELU -> rnnCell(cell == CellKind.RNN_RELU, 1, n, ig, i, hg, g, h, hRow + u0, n);
            case GRU -> {
                sigmoidOfSum(n, ig, i, hg, g, ig, i);                                        // r, into ig
                sigmoidOfSum(n, ig, i + hidden, hg, g + hidden, ig, i + hidden);             // z, into ig
                gruOutput(n, hidden, ig, i, hg, g, ig, i, hPrev, hPrevRow + u0, h, hRow + u0, null, 0);
            }
            case LSTM -> {
                sigmoidOfSum(n, ig, i, hg, g, ig, i);                                        // i
                sigmoidOfSum(n, ig, i + hidden, hg, g + hidden, ig, i + hidden);             // f
                tanhOfSum(n, ig, i + 2 * hidden, hg, g + 2 * hidden, ig, i + 2 * hidden);    // g
                sigmoidOfSum(n, ig, i + 3 * hidden, hg, g + 3 * hidden, ig, i + 3 * hidden); // o
                lstmOutput(n, hidden, ig, i, c, cRow + u0, c, cRow + u0, h, hRow + u0);
            }
        }
    }
}
