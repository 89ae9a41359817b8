package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.gateWidth;
import static io.github.jrnn.kernels.ArgumentChecks.matrix;
import static io.github.jrnn.kernels.ArgumentChecks.size;
import static io.github.jrnn.kernels.ArgumentChecks.vector;

/**
 * The front-door checks of the whole-sequence recurrent kernels ({@link Kernels#recurrentSequence},
 * {@link Kernels#recurrentLayer}, {@link Kernels#recurrentLayerBackward}), built from {@link ArgumentChecks}'
 * primitives (kept apart so that each file stays focused): a cell kind, non-negative sizes whose steps * batch rows
 * fit an {@code int}, packed weights of the documented shape (with a hint when they are the transpose), and every
 * array long enough for its slice.
 */
final class RecurrenceChecks {

    private RecurrenceChecks() {
    }

    /** A recurrence kernel's cell kind: present. */
    private static void cellKind(String kernel, CellKind cell) {
        if (cell == null) {
            throw new IllegalArgumentException(kernel + ": cell must not be null (one of " + java.util.Arrays.toString(
                    CellKind.values()) + ")");
        }
    }

    /** steps * batch rows, refused instead of wrapped when they do not fit an {@code int}. */
    private static void sequenceRows(String kernel, int steps, int batch) {
        if ((long) steps * batch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": steps * batch must be at most " + Integer.MAX_VALUE
                    + " rows, got " + steps + " * " + batch);
        }
    }

    /** b_hh, h_0, LSTM's c and h of a whole-sequence kernel, with the sizes its Javadoc gives. */
    private static void sequenceStates(String kernel, CellKind cell, int rows, int batch, int hidden, float[] bhh,
                                       int bhhOffset, float[] h0, int h0Offset, float[] c, int cOffset, float[] h,
                                       int hOffset, int ldh) {
        if (bhh != null) {
            vector(kernel, "bhh (G*hidden)", bhh, bhhOffset, cell.gates() * hidden);
        }
        matrix(kernel, "h0 (batch x hidden)", h0, h0Offset, batch, hidden, hidden);
        if (cell == CellKind.LSTM) {
            matrix(kernel, "c (batch x hidden, LSTM)", c, cOffset, batch, hidden, hidden);
        }
        matrix(kernel, "h (steps*batch x hidden)", h, hOffset, rows, hidden, ldh);
    }

    static void checkRecurrentSequence(CellKind cell, int steps, int batch, int hidden, float[] ig, int igOffset,
                                       PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset,
                                       float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] hg,
                                       int hgOffset) {
        String kernel = "recurrentSequence";
        cellKind(kernel, cell);
        size(kernel, "steps", steps);
        size(kernel, "batch", batch);
        int gh = gateWidth(kernel, 1, hidden, cell.gates());
        if (whh == null) {
            throw new IllegalArgumentException(kernel + ": whh must not be null (pack W_hh^T with packB)");
        }
        if (whh.rows() != hidden || whh.cols() != gh) {
            throw new IllegalArgumentException(kernel + ": whh must be W_hh^T, hidden x G*hidden = " + hidden + " x "
                    + gh + " for " + cell + ", got " + whh.rows() + " x " + whh.cols()
                    + (whh.rows() == gh && whh.cols() == hidden ? "; hint: pack W_hh with transB = true" : ""));
        }
        sequenceRows(kernel, steps, batch);
        int rows = steps * batch;
        matrix(kernel, "ig (steps*batch x G*hidden)", ig, igOffset, rows, gh, gh);
        sequenceStates(kernel, cell, rows, batch, hidden, bhh, bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh);
        matrix(kernel, "hg (batch x G*hidden)", hg, hgOffset, batch, gh, gh);
    }

    /** The sizes of {@link Kernels#recurrentLayer} (and its work size): non-negative, chunkSteps >= 1. */
    static void checkRecurrentLayerSizes(CellKind cell, int steps, int batch, int hidden, int inputSize,
                                         int chunkSteps) {
        String kernel = "recurrentLayer";
        cellKind(kernel, cell);
        size(kernel, "steps", steps);
        size(kernel, "inputSize", inputSize);
        gateWidth(kernel, batch, hidden, cell.gates());
        if (chunkSteps < 1) {
            throw new IllegalArgumentException(kernel + ": chunkSteps must be >= 1, got " + chunkSteps);
        }
        sequenceRows(kernel, steps, batch);
    }

    static void checkRecurrentLayer(CellKind cell, int steps, int batch, int hidden, int inputSize, float[] x,
                                    int xOffset, PackedMatrix wih, float[] bih, int bihOffset, PackedMatrix whh,
                                    float[] bhh, int bhhOffset, float[] h0, int h0Offset, float[] c, int cOffset,
                                    float[] h, int hOffset, int ldh, float[] workspace, int workspaceOffset,
                                    float[] cells, int cellsOffset, int chunkSteps, float[] work, int workOffset) {
        String kernel = "recurrentLayer";
        checkRecurrentLayerSizes(cell, steps, batch, hidden, inputSize, chunkSteps);
        int gh = cell.gates() * hidden;
        packedShape(kernel, "wih", "W_ih^T, inputSize x G*hidden", wih, inputSize, gh, cell);
        packedShape(kernel, "whh", "W_hh^T, hidden x G*hidden", whh, hidden, gh, cell);
        int rows = steps * batch;
        matrix(kernel, "x (steps*batch x inputSize)", x, xOffset, rows, inputSize, inputSize);
        if (bih != null) {
            vector(kernel, "bih (G*hidden)", bih, bihOffset, gh);
        }
        sequenceStates(kernel, cell, rows, batch, hidden, bhh, bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh);
        if (LayerLoops.records(cell, workspace)) {
            int g4 = gateWidth(kernel, batch, hidden, 4);
            matrix(kernel, "workspace (steps*batch x 4*hidden)", workspace, workspaceOffset, rows, g4, g4);
            if (cell == CellKind.LSTM) {
                if (cells == null) {
                    throw new IllegalArgumentException(kernel + ": cells (steps*batch x hidden) must not be null "
                            + "when an LSTM records (workspace given); hint: pass an array for every c_t, or "
                            + "workspace = null for inference");
                }
                matrix(kernel, "cells (steps*batch x hidden)", cells, cellsOffset, rows, hidden, hidden);
            }
        }
        vector(kernel, "work (recurrentLayerWorkFloats)", work, workOffset,
                CellKernels.recurrentLayerWorkFloats(cell, steps, batch, hidden, inputSize, chunkSteps));
    }

    static void checkRecurrentLayerBackward(CellKind cell, int steps, int batch, int hidden, float[] dh, int dhOffset,
                                            float[] h, int hOffset, int ldh, float[] h0, int h0Offset,
                                            float[] workspace, int workspaceOffset, float[] cells, int cellsOffset,
                                            float[] c0, int c0Offset, float[] dc, int dcOffset, PackedMatrix whh,
                                            float[] dIg, int dIgOffset, float[] dHg, int dHgOffset, float[] dh0,
                                            int dh0Offset, float[] scratch, int scratchOffset) {
        String kernel = "recurrentLayerBackward";
        cellKind(kernel, cell);
        size(kernel, "steps", steps);
        int gh = gateWidth(kernel, batch, hidden, cell.gates());
        sequenceRows(kernel, steps, batch);
        int rows = steps * batch;
        matrix(kernel, "dh (steps*batch x hidden)", dh, dhOffset, rows, hidden, hidden);
        matrix(kernel, "h (steps*batch x hidden)", h, hOffset, rows, hidden, ldh);
        matrix(kernel, "h0 (batch x hidden)", h0, h0Offset, batch, hidden, hidden);
        if (cell == CellKind.GRU || cell == CellKind.LSTM) {
            int g4 = gateWidth(kernel, batch, hidden, 4);
            matrix(kernel, "workspace (steps*batch x 4*hidden)", workspace, workspaceOffset, rows, g4, g4);
        }
        if (cell == CellKind.LSTM) {
            matrix(kernel, "cells (steps*batch x hidden)", cells, cellsOffset, rows, hidden, hidden);
            matrix(kernel, "c0 (batch x hidden)", c0, c0Offset, batch, hidden, hidden);
            matrix(kernel, "dc (batch x hidden)", dc, dcOffset, batch, hidden, hidden);
        }
        packedShape(kernel, "whh", "W_hh, G*hidden x hidden", whh, gh, hidden, cell, "false");
        matrix(kernel, "dIg (steps*batch x G*hidden)", dIg, dIgOffset, rows, gh, gh);
        if (cell == CellKind.GRU) {
            matrix(kernel, "dHg (steps*batch x G*hidden)", dHg, dHgOffset, rows, gh, gh);
        }
        matrix(kernel, "dh0 (batch x hidden)", dh0, dh0Offset, batch, hidden, hidden);
        if (cell == CellKind.GRU) {
            matrix(kernel, "scratch (batch x hidden)", scratch, scratchOffset, batch, hidden, hidden);
        }
    }

    /** A packed matrix present with the given rows x cols, with a hint when it is the transpose. */
    private static void packedShape(String kernel, String name, String what, PackedMatrix m, int rows, int cols,
                                    CellKind cell) {
        packedShape(kernel, name, what, m, rows, cols, cell, "true");
    }

    /** As above; the hint for a transposed shape names {@code transB} = the given value. */
    private static void packedShape(String kernel, String name, String what, PackedMatrix m, int rows, int cols,
                                    CellKind cell, String transB) {
        if (m == null) {
            throw new IllegalArgumentException(kernel + ": " + name + " must not be null (pack " + what
                    + " with packB)");
        }
        if (m.rows() != rows || m.cols() != cols) {
            throw new IllegalArgumentException(kernel + ": " + name + " must be " + what + " = " + rows + " x " + cols
                    + " for " + cell + ", got " + m.rows() + " x " + m.cols()
                    + (m.rows() == cols && m.cols() == rows ? "; hint: pack it with transB = " + transB : ""));
        }
    }
}
