package io.github.jrnn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front door ({@link KernelProvider#kernels()}) rejects every malformed argument with an
 * {@link IllegalArgumentException} whose message names the kernel and the argument and states what was expected
 * and what was given, before the unchecked implementation can index out of bounds; huge sizes are reported
 * instead of wrapping around.
 */
class CheckedKernelsTest {

    private final Kernels kernels = KernelProvider.kernels();

    /** Asserts an IllegalArgumentException whose message contains every fragment. */
    private static void rejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    "message should contain '" + fragment + "': " + e.getMessage());
        }
    }

    private static float[] zeros(int n) {
        return new float[n];
    }

    /** One row of n zeros, as a slice. */
    private static MatrixSlice rows(int n) {
        return new MatrixSlice(zeros(n), 0, n);
    }

    @Test
    void negativeSizesAreRejectedWithTheirName() {
        rejects(() -> kernels.sgemm(false, false, -1, 2, 2, 1f, zeros(4), 0, 2, zeros(4), 0, 2, 0f, zeros(4), 0, 2),
                "sgemm", "m must be >= 0", "got -1");
        rejects(() -> kernels.sgemm(false, false, 2, 2, -3, 1f, zeros(4), 0, 2, zeros(4), 0, 2, 0f, zeros(4), 0, 2),
                "sgemm", "k must be >= 0", "got -3");
        rejects(() -> kernels.dot(-5, zeros(1), 0, zeros(1), 0), "dot", "n must be >= 0", "got -5");
        rejects(() -> kernels.gruCell(2, -4, zeros(1), 0, zeros(1), 0, zeros(1), 0, 1, zeros(1), 0, 1, null, 0),
                "gruCell", "hidden must be >= 0", "got -4");
        rejects(() -> kernels.softmax(-1, 3, zeros(3), 0, 3, zeros(3), 0, 3), "softmax", "rows must be >= 0",
                "got -1");
    }

    @Test
    void nullArraysAreRejectedWithTheirName() {
        rejects(() -> kernels.dot(3, null, 0, zeros(3), 0), "dot", "x must not be null");
        rejects(() -> kernels.axpy(3, 1f, zeros(3), 0, null, 0), "axpy", "y must not be null");
        rejects(() -> kernels.sgemm(false, false, 2, 2, 2, 1f, zeros(4), 0, 2, null, 0, 2, 0f, zeros(4), 0, 2),
                "sgemm", "b (k x n) must not be null");
        rejects(() -> kernels.lstmCell(1, 2, zeros(8), 0, zeros(8), 0, null, 0, zeros(2), 0, zeros(2), 0, 2,
                null, 0), "lstmCell", "cPrev", "must not be null");
    }

    @Test
    void negativeOffsetsAreRejectedWithTheirValue() {
        rejects(() -> kernels.tanh(2, zeros(4), -3, zeros(4), 0), "tanh", "offset of x must be >= 0", "got -3");
        rejects(() -> kernels.sgemv(false, 2, 2, 1f, zeros(4), 0, 2, zeros(2), 0, 0f, zeros(2), -1), "sgemv",
                "offset of y must be >= 0", "got -1");
    }

    @Test
    void leadingDimensionsShorterThanTheRowAreRejected() {
        rejects(() -> kernels.sgemm(false, false, 2, 2, 3, 1f, zeros(6), 0, 2, zeros(6), 0, 2, 0f, zeros(4), 0, 2),
                "sgemm", "leading dimension of a (m x k) must be >= 3 (its row length), got 2");
        rejects(() -> kernels.sgemm(false, true, 2, 2, 3, 1f, zeros(6), 0, 3, zeros(6), 0, 2, 0f, zeros(4), 0, 2),
                "sgemm", "b (stored n x k, transB)", "must be >= 3", "got 2");
        rejects(() -> kernels.gruCell(2, 3, zeros(18), 0, zeros(18), 0, zeros(6), 0, 2, zeros(6), 0, 3, null, 0),
                "gruCell", "leading dimension of hPrev (batch x hidden) must be >= 3", "got 2");
        rejects(() -> kernels.logSoftmax(2, 4, zeros(8), 0, 4, zeros(8), 0, 3), "logSoftmax",
                "leading dimension of y must be >= 4", "got 3");
    }

    @Test
    void aLeadingDimensionThatLooksLikeTheTransposedShapeGetsAHint() {
        // a 3 x 2 matrix passed with ld 1: rows * ld == cols is not the case; 2 x 4 with ld 2 and rows 2: 2*2 == 4
        rejects(() -> kernels.sumRows(2, 4, zeros(8), 0, 2, zeros(4), 0), "sumRows",
                "leading dimension of a must be >= 4", "got 2", "did you pass the transposed shape?");
    }

    @Test
    void arraysTooShortForTheirShapeOffsetAndLeadingDimensionAreRejected() {
        // 2 x 3 at offset 1 with ld 3 needs 1 + 3 + 3 = 7 elements
        rejects(() -> kernels.sgemm(false, false, 2, 2, 3, 1f, zeros(6), 1, 3, zeros(6), 0, 2, 0f, zeros(4), 0, 2),
                "sgemm", "a (m x k) is too short", "2 x 3 matrix at offset 1 with leading dimension 3",
                "needs 7 elements, got 6");
        // n too large for x
        rejects(() -> kernels.exp(5, zeros(4), 0, zeros(5), 0), "exp", "x is too short", "needs 5 elements, got 4");
        // ld padding counts: 2 x 2 with ldc 5 needs 5 + 2 = 7
        rejects(() -> kernels.broadcastRows(2, 2, zeros(2), 0, zeros(6), 0, 5), "broadcastRows", "c is too short",
                "needs 7 elements, got 6");
        // cells: the workspace is batch x 4*hidden
        rejects(() -> kernels.lstmCell(2, 2, zeros(16), 0, zeros(16), 0, zeros(4), 0, zeros(4), 0, zeros(4), 0, 2,
                zeros(15), 0), "lstmCell", "workspace (batch x 4*hidden) is too short", "needs 16 elements, got 15");
        rejects(() -> kernels.gruCellBackward(1, 2, rows(2), rows(2), rows(8), rows(6), rows(5), rows(2)),
                "gruCellBackward", "dHg (batch x 3*hidden) is too short", "needs 6 elements, got 5");
        rejects(() -> kernels.logSumExp(3, 2, zeros(6), 0, 2, zeros(2), 0), "logSumExp", "out is too short",
                "needs 3 elements, got 2");
    }

    @Test
    void backwardCellOperandsAreSlicesThatMustBePresentAndDistinct() {
        rejects(() -> kernels.gruCellBackward(1, 2, null, rows(2), rows(8), rows(6), rows(6), rows(2)),
                "gruCellBackward", "dh (batch x hidden) must not be null (a MatrixSlice)");
        rejects(() -> kernels.lstmCellBackward(1, 2, rows(2), rows(2), rows(2), new MatrixSlice(), rows(8),
                rows(8)), "lstmCellBackward", "c (batch x hidden) must not be null");
        // one object for two operands would hold only the values set last
        MatrixSlice shared = rows(6);
        rejects(() -> kernels.gruCellBackward(1, 2, rows(2), rows(2), rows(8), shared, shared, rows(2)),
                "gruCellBackward", "dIg and dHg are the same MatrixSlice object");
        MatrixSlice gates = rows(8);
        rejects(() -> kernels.lstmCellBackward(1, 2, rows(2), rows(2), rows(2), rows(2), gates, gates),
                "lstmCellBackward", "workspace and dGates are the same MatrixSlice object");
        MatrixSlice h = rows(2);
        rejects(() -> kernels.rnnReluCellBackward(1, 2, h, h, rows(2)), "rnnReluCellBackward",
                "dh and h are the same MatrixSlice object");
        // two slice objects over the same matrix are two operands that happen to be equal: accepted
        float[] one = {0.5f, -0.5f};
        float[] dGates = zeros(2);
        kernels.rnnTanhCellBackward(1, 2, new MatrixSlice(one, 0, 2), new MatrixSlice(one, 0, 2),
                new MatrixSlice(dGates, 0, 2));
        assertArrayEquals(new float[] {0.375f, -0.375f}, dGates); // dh (1 - h^2) with dh = h
    }

    @Test
    void hugeMatrixSizesAreReportedWithoutWrappingAround() {
        // 100000 x 100000 needs 10^10 elements: more than an int can count
        rejects(() -> kernels.sgemm(false, false, 100_000, 100_000, 1, 1f, zeros(4), 0, 1, zeros(4), 0, 100_000,
                0f, zeros(4), 0, 100_000), "sgemm", "a (m x k) is too short");
        rejects(() -> kernels.sgemm(false, false, 100_000, 100_000, 1, 0f, null, 0, 1, null, 0, 100_000,
                0f, zeros(4), 0, 100_000), "sgemm", "c (m x n) is too short", "needs 10000000000 elements, got 4");
        rejects(() -> kernels.broadcastRows(Integer.MAX_VALUE, 2, zeros(2), 0, zeros(4), Integer.MAX_VALUE, 2),
                "broadcastRows", "c is too short", "got 4");
    }

    @Test
    void hugeHiddenSizesOfCellsAreReportedWithoutWrappingAround() {
        // 3 * hidden and 4 * hidden overflow int for these: refused with the product, not wrapped around
        int hidden = 1_000_000_000;
        rejects(() -> kernels.gruCell(1, hidden, zeros(3), 0, zeros(3), 0, zeros(1), 0, hidden, zeros(1), 0, hidden,
                null, 0), "gruCell", "hidden = 1000000000", "3 * hidden = 3000000000");
        rejects(() -> kernels.lstmCell(1, 600_000_000, zeros(4), 0, zeros(4), 0, zeros(1), 0, zeros(1), 0,
                zeros(1), 0, 600_000_000, null, 0), "lstmCell", "4 * hidden = 2400000000");
    }

    @Test
    void recurrentLayerNamesTheWrongOperand() {
        // GRU, hidden 2, input 3: W_ih^T is 3 x 6, W_hh^T 2 x 6; 3 steps of 2 sequences in runs of at most 2 steps:
        // work = 4 rows of gates (24) + 4 gathered input rows (12) + hg (12) + the start state (4) = 52 floats
        PackedMatrix wihT = kernels.packB(true, 3, 6, zeros(18), 0, 3);
        PackedMatrix wih = kernels.packB(false, 6, 3, zeros(18), 0, 3);
        PackedMatrix whhT = kernels.packB(true, 2, 6, zeros(12), 0, 2);
        assertEquals(52, Kernels.recurrentLayerWorkFloats(CellKind.GRU, 3, 2, 2, 3, 2));
        rejects(() -> kernels.recurrentLayer(CellKind.GRU, false, 3, 2, 2, 3, zeros(18), 0, wih, null, 0, whhT, null,
                0, zeros(4), 0, null, 0, zeros(12), 0, 2, null, 0, null, 0, 2, zeros(52), 0), "recurrentLayer",
                "wih must be W_ih^T, inputSize x G*hidden = 3 x 6 for GRU", "got 6 x 3", "transB = true");
        rejects(() -> kernels.recurrentLayer(CellKind.GRU, false, 3, 2, 2, 3, zeros(18), 0, wihT, null, 0, whhT, null,
                0, zeros(4), 0, null, 0, zeros(12), 0, 2, null, 0, null, 0, 0, zeros(52), 0), "recurrentLayer",
                "chunkSteps must be >= 1, got 0");
        rejects(() -> kernels.recurrentLayer(CellKind.GRU, false, 3, 2, 2, 3, zeros(17), 0, wihT, null, 0, whhT, null,
                0, zeros(4), 0, null, 0, zeros(12), 0, 2, null, 0, null, 0, 2, zeros(52), 0), "recurrentLayer",
                "x (steps*batch x inputSize) is too short", "needs 18 elements, got 17");
        rejects(() -> kernels.recurrentLayer(CellKind.GRU, false, 3, 2, 2, 3, zeros(18), 0, wihT, null, 0, whhT, null,
                0, zeros(4), 0, null, 0, zeros(12), 0, 2, null, 0, null, 0, 2, zeros(52), 1), "recurrentLayer",
                "work (recurrentLayerWorkFloats) is too short", "needs 53 elements, got 52");
        // recording: GRU's gates are 6 rows of 4 * hidden; an LSTM needs cells too
        rejects(() -> kernels.recurrentLayer(CellKind.GRU, false, 3, 2, 2, 3, zeros(18), 0, wihT, null, 0, whhT, null,
                0, zeros(4), 0, null, 0, zeros(12), 0, 2, zeros(47), 0, null, 0, 2, zeros(52), 0), "recurrentLayer",
                "workspace (steps*batch x 4*hidden) is too short", "needs 48 elements, got 47");
        PackedMatrix lstmWihT = kernels.packB(true, 3, 8, zeros(24), 0, 3);
        PackedMatrix lstmWhhT = kernels.packB(true, 2, 8, zeros(16), 0, 2);
        int lstmWork = Kernels.recurrentLayerWorkFloats(CellKind.LSTM, 3, 2, 2, 3, 2);
        rejects(() -> kernels.recurrentLayer(CellKind.LSTM, false, 3, 2, 2, 3, zeros(18), 0, lstmWihT, null, 0,
                lstmWhhT, null, 0, zeros(4), 0, zeros(4), 0, zeros(12), 0, 2, zeros(48), 0, null, 0, 2,
                zeros(lstmWork), 0), "recurrentLayer", "cells (steps*batch x hidden) must not be null",
                "workspace = null for inference");
        rejects(() -> Kernels.recurrentLayerWorkFloats(CellKind.LSTM, 3, 2, 2, 3, 0), "recurrentLayer",
                "chunkSteps must be >= 1, got 0");
        rejects(() -> Kernels.recurrentLayerWorkFloats(CellKind.LSTM, 100_000, 100_000, 2, 3, 100_000),
                "recurrentLayer", "steps * batch must be at most");
        rejects(() -> Kernels.recurrentLayerWorkFloats(CellKind.LSTM, 1000, 1000, 1000, 3, 1000), "recurrentLayer",
                "work scratch would need 4008000000 floats", "hint: pass a smaller chunkSteps");
    }

    @Test
    void recurrentLayerBackwardNamesTheWrongOperand() {
        // LSTM, hidden 2, 3 steps of 2 sequences: W_hh is 8 x 2 (packed without transB), 6 rows of everything
        PackedMatrix whh = kernels.packB(false, 8, 2, zeros(16), 0, 2);
        PackedMatrix whhT = kernels.packB(true, 2, 8, zeros(16), 0, 2);
        rejects(() -> kernels.recurrentLayerBackward(CellKind.LSTM, false, 3, 2, 2, zeros(12), 0, zeros(12), 0, 2,
                zeros(4), 0, zeros(48), 0, zeros(12), 0, zeros(4), 0, zeros(4), 0, whhT, zeros(48), 0, null, 0,
                zeros(4), 0, null, 0), "recurrentLayerBackward", "whh must be W_hh, G*hidden x hidden = 8 x 2",
                "got 2 x 8", "transB = false");
        rejects(() -> kernels.recurrentLayerBackward(CellKind.LSTM, false, 3, 2, 2, zeros(12), 0, zeros(12), 0, 2,
                zeros(4), 0, zeros(48), 0, null, 0, zeros(4), 0, zeros(4), 0, whh, zeros(48), 0, null, 0, zeros(4),
                0, null, 0), "recurrentLayerBackward", "cells (steps*batch x hidden) must not be null");
        rejects(() -> kernels.recurrentLayerBackward(CellKind.LSTM, false, 3, 2, 2, zeros(12), 0, zeros(12), 0, 2,
                zeros(4), 0, zeros(47), 0, zeros(12), 0, zeros(4), 0, zeros(4), 0, whh, zeros(48), 0, null, 0,
                zeros(4), 0, null, 0), "recurrentLayerBackward", "workspace (steps*batch x 4*hidden) is too short",
                "needs 48 elements, got 47");
        // GRU: its own dHg and a scratch
        PackedMatrix gruWhh = kernels.packB(false, 6, 2, zeros(12), 0, 2);
        rejects(() -> kernels.recurrentLayerBackward(CellKind.GRU, true, 3, 2, 2, zeros(12), 0, zeros(12), 0, 2,
                zeros(4), 0, zeros(48), 0, null, 0, null, 0, null, 0, gruWhh, zeros(36), 0, zeros(35), 0, zeros(4),
                0, zeros(4), 0), "recurrentLayerBackward", "dHg (steps*batch x G*hidden) is too short");
        rejects(() -> kernels.recurrentLayerBackward(CellKind.GRU, true, 3, 2, 2, zeros(12), 0, zeros(12), 0, 2,
                zeros(4), 0, zeros(48), 0, null, 0, null, 0, null, 0, gruWhh, zeros(36), 0, zeros(36), 0, zeros(4),
                0, zeros(3), 0), "recurrentLayerBackward", "scratch (batch x hidden) is too short");
    }

    @Test
    void recurrentSequenceNamesTheWrongOperand() {
        // GRU, hidden 2: W_hh^T is 2 x 6; packing W_hh (6 x 2) without transB gives 6 x 2
        PackedMatrix whhT = kernels.packB(true, 2, 6, zeros(12), 0, 2);
        PackedMatrix whh = kernels.packB(false, 6, 2, zeros(12), 0, 2);
        rejects(() -> kernels.recurrentSequence(CellKind.GRU, false, 3, 1, 2, zeros(18), 0, whh, null, 0, zeros(2), 0,
                null, 0, zeros(6), 0, 2, zeros(6), 0), "recurrentSequence", "whh must be W_hh^T", "2 x 6 for GRU",
                "got 6 x 2", "transB = true");
        rejects(() -> kernels.recurrentSequence(null, false, 3, 1, 2, zeros(18), 0, whhT, null, 0, zeros(2), 0, null,
                0, zeros(6), 0, 2, zeros(6), 0), "recurrentSequence", "cell must not be null", "LSTM");
        // 3 steps of 2 sequences: ig and h have 6 rows, h0 2 and hg 2
        rejects(() -> kernels.recurrentSequence(CellKind.GRU, false, 3, 2, 2, zeros(35), 0, whhT, null, 0, zeros(4), 0,
                null, 0, zeros(12), 0, 2, zeros(12), 0), "recurrentSequence",
                "ig (steps*batch x G*hidden) is too short", "a 6 x 6 matrix", "needs 36 elements, got 35");
        rejects(() -> kernels.recurrentSequence(CellKind.GRU, true, 3, 2, 2, zeros(36), 0, whhT, null, 0, zeros(4), 0,
                null, 0, zeros(17), 1, 3, zeros(12), 0), "recurrentSequence", "h (steps*batch x hidden) is too short",
                "a 6 x 2 matrix", "leading dimension 3 needs 18 elements, got 17");
        rejects(() -> kernels.recurrentSequence(CellKind.GRU, false, 3, 2, 2, zeros(36), 0, whhT, null, 0, zeros(3), 0,
                null, 0, zeros(12), 0, 2, zeros(12), 0), "recurrentSequence", "h0 (batch x hidden) is too short",
                "a 2 x 2 matrix", "needs 4 elements, got 3");
        rejects(() -> kernels.recurrentSequence(CellKind.GRU, false, 3, 2, 2, zeros(36), 0, whhT, null, 0, zeros(4), 0,
                null, 0, zeros(12), 0, 2, zeros(11), 0), "recurrentSequence", "hg (batch x G*hidden) is too short",
                "a 2 x 6 matrix", "needs 12 elements, got 11");
        PackedMatrix lstmWhhT = kernels.packB(true, 2, 8, zeros(16), 0, 2);
        rejects(() -> kernels.recurrentSequence(CellKind.LSTM, false, 3, 1, 2, zeros(24), 0, lstmWhhT, zeros(8), 0,
                zeros(2), 0, null, 0, zeros(6), 0, 2, zeros(8), 0), "recurrentSequence", "c (batch x hidden, LSTM)",
                "must not be null");
        rejects(() -> kernels.recurrentSequence(CellKind.LSTM, false, 3, 2, 2, zeros(48), 0, lstmWhhT, zeros(8), 0,
                zeros(4), 0, zeros(3), 0, zeros(12), 0, 2, zeros(16), 0), "recurrentSequence",
                "c (batch x hidden, LSTM) is too short", "needs 4 elements, got 3");
        rejects(() -> kernels.recurrentSequence(CellKind.LSTM, false, 3, 1, 2, zeros(24), 0, lstmWhhT, zeros(7), 0,
                zeros(2), 0, zeros(2), 0, zeros(6), 0, 2, zeros(8), 0), "recurrentSequence", "bhh (G*hidden)",
                "needs 8 elements, got 7");
        PackedMatrix rnnWhhT = kernels.packB(true, 2, 2, zeros(4), 0, 2);
        rejects(() -> kernels.recurrentSequence(CellKind.RNN_TANH, false, -1, 1, 2, zeros(6), 0, rnnWhhT, null, 0,
                zeros(2), 0, null, 0, zeros(6), 0, 2, zeros(2), 0), "recurrentSequence", "steps must be >= 0",
                "got -1");
        rejects(() -> kernels.recurrentSequence(CellKind.RNN_TANH, false, 3, -1, 2, zeros(6), 0, rnnWhhT, null, 0,
                zeros(2), 0, null, 0, zeros(6), 0, 2, zeros(2), 0), "recurrentSequence", "batch must be >= 0",
                "got -1");
    }

    @Test
    void recurrentSequenceRefusesMoreRowsThanAnIntCounts() {
        // 65536 steps of 65536 sequences are 2^32 rows of ig and h: refused with the product, not wrapped around to
        // 0 rows (the check comes before the operands', so their arrays do not matter)
        PackedMatrix rnnWhhT = kernels.packB(true, 2, 2, zeros(4), 0, 2);
        rejects(() -> kernels.recurrentSequence(CellKind.RNN_TANH, false, 65536, 65536, 2, zeros(0), 0, rnnWhhT,
                null, 0, zeros(0), 0, null, 0, zeros(0), 0, 2, zeros(0), 0), "recurrentSequence",
                "steps * batch must be at most 2147483647", "got 65536 * 65536");
    }

    @Test
    void blasConventionsAreNotRejected() {
        // alpha = 0: A and B are not read, so they may be absent; C becomes beta * C
        float[] c = {1, 2, 3, 4};
        kernels.sgemm(false, false, 2, 2, 3, 0f, null, 0, 0, null, 0, 0, 2f, c, 0, 2);
        assertArrayEquals(new float[] {2, 4, 6, 8}, c);
        // empty shapes need no storage, and a null workspace is allowed
        kernels.sgemm(false, false, 0, 0, 0, 1f, zeros(0), 0, 0, zeros(0), 0, 0, 0f, zeros(0), 0, 0);
        kernels.gruCell(0, 4, zeros(0), 0, zeros(0), 0, zeros(0), 0, 4, zeros(0), 0, 4, null, 0);
        // three rows of no columns, two of them a leading dimension apart: no element, so no storage
        kernels.broadcastRows(3, 0, zeros(0), 0, zeros(0), 0, 4);
        kernels.softmax(3, 0, zeros(0), 0, 5, zeros(0), 0, 5);
        float[] h = new float[1];
        kernels.gruCell(1, 1, zeros(3), 0, zeros(3), 0, zeros(1), 0, 1, h, 0, 1, null, 0);
        // r = z = 0.5, n = tanh(0) = 0, h' = (0 - 0) * 0.5 + 0 = 0
        assertArrayEquals(new float[] {0}, h);
    }

    @Test
    void validCallsReachTheImplementation() {
        float[] c = new float[4];
        kernels.sgemm(false, false, 2, 2, 3, 1f, new float[] {1, 2, 3, 4, 5, 6}, 0, 3,
                new float[] {7, 8, 9, 10, 11, 12}, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
    }
}
