package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;

/**
 * The arithmetic of a recurrent step, shared by the sequence modules and the cells; every operation is a kernel
 * call. Matrices are row-major with the leading dimensions given; GH = G * H.
 */
final class CellStep {

    private CellStep() {
    }

    /**
     * {@code ig = x W_ih^T + b_ih} for all rows at once: x is rows x in (leading dimension in), ig rows x GH
     * (contiguous). One sgemm started from the bias rows (beta = 1), as PyTorch projects a whole sequence.
     */
    static void inputGates(Kernels k, int rows, int in, int gh, float[] x, int xOffset, DirectionWeights w,
                           float[] ig, int igOffset) {
        float beta = 0f;
        if (w.biasIh() != null) {
            k.broadcastRows(rows, gh, w.biasIh().data(), 0, ig, igOffset, gh);
            beta = 1f;
        }
        if (w.packedIh() != null) {
            k.sgemmPacked(false, rows, 1f, x, xOffset, in, w.packedIh(), beta, ig, igOffset, gh);
        } else {
            k.sgemm(false, true, rows, gh, in, 1f, x, xOffset, in, w.weightIh().data(), 0, in, beta, ig, igOffset,
                    gh);
        }
    }

    /**
     * One step for {@code rows} batch rows: {@code hg = hPrev W_hh^T + b_hh}, then the mode's fused gate kernel,
     * writing h' (width hOut) at {@code h[hOffset]} with leading dimension ldh. For LSTM the cell state rows at
     * {@code c[cOffset]} (contiguous, width H) hold c on entry and c' on return; with a projection the unprojected
     * {@code o * tanh(c')} goes to {@code hCell} (rows x H, contiguous) and {@code h' = hCell W_hr^T}.
     *
     * @param ig the rows' input gates (rows x GH, contiguous); hg: scratch of the same shape
     */
    static void step(Kernels k, RecurrentMode mode, int rows, int hidden, int hOut, DirectionWeights w,
                     float[] ig, int igOffset, float[] hg, int hgOffset,
                     float[] hPrev, int hPrevOffset, int ldhPrev,
                     float[] c, int cOffset, float[] hCell, int hCellOffset,
                     float[] h, int hOffset, int ldh) {
        step(k, mode, rows, hidden, hOut, w, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev,
                c, cOffset, c, cOffset, hCell, hCellOffset, h, hOffset, ldh, null, 0);
    }

    /**
     * {@link #step} with the LSTM cell state read from {@code cPrev} and written to {@code c} (contiguous rows x H
     * each; the same slice for an in-place update) and, when {@code workspace} is not null, the gate activations
     * the backward kernels need written to its rows x 4H slice (GRU r | z | n | hg_n, LSTM i | f | g | o; ignored
     * by the RNN modes, whose backward needs only h').
     */
    static void step(Kernels k, RecurrentMode mode, int rows, int hidden, int hOut, DirectionWeights w,
                     float[] ig, int igOffset, float[] hg, int hgOffset,
                     float[] hPrev, int hPrevOffset, int ldhPrev,
                     float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] hCell, int hCellOffset,
                     float[] h, int hOffset, int ldh, float[] workspace, int workspaceOffset) {
        int gh = mode.gates() * hidden;
        float beta = 0f;
        if (w.biasHh() != null) {
            k.broadcastRows(rows, gh, w.biasHh().data(), 0, hg, hgOffset, gh);
            beta = 1f;
        }
        if (w.packedHh() != null) {
            k.sgemmPacked(false, rows, 1f, hPrev, hPrevOffset, ldhPrev, w.packedHh(), beta, hg, hgOffset, gh);
        } else {
            k.sgemm(false, true, rows, gh, hOut, 1f, hPrev, hPrevOffset, ldhPrev, w.weightHh().data(), 0, hOut,
                    beta, hg, hgOffset, gh);
        }
        switch (mode) {
            case RNN_TANH -> k.rnnTanhCell(rows, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
            case RNN_RELU -> k.rnnReluCell(rows, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
            case GRU -> k.gruCell(rows, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev,
                    h, hOffset, ldh, workspace, workspaceOffset);
            case LSTM -> {
                if (w.weightHr() == null) {
                    k.lstmCell(rows, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset,
                            h, hOffset, ldh, workspace, workspaceOffset);
                } else {
                    k.lstmCell(rows, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset,
                            hCell, hCellOffset, hidden, workspace, workspaceOffset);
                    if (w.packedHr() != null) {
                        k.sgemmPacked(false, rows, 1f, hCell, hCellOffset, hidden, w.packedHr(), 0f, h, hOffset,
                                ldh);
                    } else {
                        k.sgemm(false, true, rows, hOut, hidden, 1f, hCell, hCellOffset, hidden,
                                w.weightHr().data(), 0, hidden, 0f, h, hOffset, ldh);
                    }
                }
            }
        }
    }
}
