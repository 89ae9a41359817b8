package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gate-major layer ({@link GateMajorLayer}): the weights' gate-row panels it multiplies with, its runs on one
 * thread and split by units (driven directly, so that each test knows which ran) against the layer's definition
 * ({@link LayerLoops#runByRun}), and which calls of {@link Kernels#recurrentLayer} take it.
 */
class GateMajorLayerTest {

    private static final int MR = GemmMicroKernel.MR;
    private static final int NR = GemmMicroKernel.NR;
    private static final int KC = GemmBlocking.KC;

    @Test
    void gateRowPanelsHoldEachGatesRowsInZeroPaddedPanelsPerKBlock() {
        int gates = 3;
        int hidden = MR + 5; // two panels per gate, the second with MR - 5 rows of padding
        int k = KC + 7;      // two k-blocks
        SplittableRandom random = new SplittableRandom(5);
        float[] w = LayerOperands.values(random, gates * hidden * k, 1); // W: gates * hidden rows of k
        VectorPackedMatrix packed = new VectorPackedMatrix(true, k, gates * hidden, w, 0, k);
        float[] panels = packed.gateRowPanels(gates);
        int hp = 2;
        assertEquals(k * gates * hp * MR, panels.length, "k rows of gates * 2 panels of MR");
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int g = 0; g < gates; g++) {
                for (int up = 0; up < hp; up++) {
                    int panel = pc * gates * hp * MR + (g * hp + up) * kc * MR;
                    for (int p = 0; p < kc; p++) {
                        for (int r = 0; r < MR; r++) {
                            int u = up * MR + r;
                            float expected = u < hidden ? w[(g * hidden + u) * k + pc + p] : 0f;
                            assertEquals(expected, panels[panel + p * MR + r],
                                    "block " + pc + " gate " + g + " unit " + u + " p " + p);
                        }
                    }
                }
            }
        }
    }

    @Test
    void repackingDropsTheGateMajorForm() {
        int hidden = 2 * MR;
        SplittableRandom random = new SplittableRandom(6);
        float[] first = LayerOperands.values(random, 4 * hidden * hidden, 1);
        float[] second = LayerOperands.values(random, 4 * hidden * hidden, 1);
        VectorPackedMatrix packed = new VectorPackedMatrix(true, hidden, 4 * hidden, first, 0, hidden);
        assertFalse(packed.hasGateRowPanels(), "built on first use only");
        float[] before = packed.gateRowPanels(4).clone();
        assertTrue(packed.hasGateRowPanels());
        packed.refill(true, hidden, 4 * hidden, second, 0, hidden);
        assertFalse(packed.hasGateRowPanels(), "a refill drops it");
        float[] after = packed.gateRowPanels(4);
        assertEquals(second[0], after[0], "unit 0 of gate 0, p = 0: the new weights");
        assertEquals(first[0], before[0], "the old form had the old weights");
    }

    @Test
    void theUnitSplitGivesTheHalvesTheMostEvenKernelTime() {
        // per gate, a 12-row tile costs 60, an 8-row one 48 and a 4-row one 32 (a 6-row one 30 where MR = 6)
        assertEquals(36, splitUnitAt(72), "whole panels each side: 180 + 180");
        assertEquals(MR == 12 ? 64 : 66, splitUnitAt(128), "12: 5 panels + 4 rows, 5 x 60 + 32 against 48 + 4 x 60 "
                + "+ 48 (whole panels: 300 against 348); 6: 11 panels, 330 against 10 x 30 + 32");
        assertEquals(132, splitUnitAt(256), "12: 11 panels, 660 against 10 x 60 + 32 (at 128: 648 against 664); "
                + "6: 22 panels, 660 against 20 x 30 + 32");
        assertEquals(36, splitUnitAt(61), "12: 3 panels, 180 against 2 x 60 + 32 (one row); "
                + "6: 6 panels, 180 against 4 x 30 + 32");
        if (MR == 12) {
            assertEquals(16, splitUnitAt(32), "1 panel + 4 rows: 60 + 32 against 48 + 48");
        }
    }

    private static int splitUnitAt(int hidden) {
        LayerOperands layer = LayerOperands.random(CellKind.GRU, 9, NR, hidden, 3, 9, 1L);
        GateMajorLayer gateMajor = gateMajor(layer, false, layer.outputs(), 0, 1);
        try {
            return gateMajor.splitUnit();
        } finally {
            gateMajor.clear();
        }
    }

    @Test
    void theSplitThresholdIsThreeQuartersOfTheL2OrHalfOfItWithManyGateRows() {
        assertEquals(3L << 19, KernelThreads.splitGateMajorMinWeightBytes(0), "unknown: 2 MB assumed");
        assertEquals(3L << 18, KernelThreads.splitGateMajorMinWeightBytes(1L << 20), "Zen 5: 1 MB");
        assertEquals(3L << 19, KernelThreads.splitGateMajorMinWeightBytes(2L << 20), "Xeon family 6 model 167: 2 MB");
        assertEquals(1L << 20, KernelThreads.splitGateMajorManyRowsMinWeightBytes(0), "unknown: 2 MB assumed");
        assertEquals(1L << 19, KernelThreads.splitGateMajorManyRowsMinWeightBytes(1L << 20), "Zen 5: 1 MB");
        assertEquals(1L << 20, KernelThreads.splitGateMajorManyRowsMinWeightBytes(2L << 20), "Xeon: 2 MB");
        int threads = KernelThreads.count();
        int steps = KernelThreads.SPLIT_RECURRENCE_MIN_STEPS;
        // one gate: its rows (hidden) fewer than SPLIT_GATE_MAJOR_MANY_ROWS at the larger threshold (L2 below 5.6 MB)
        int hidden = (int) Math.ceil(Math.sqrt(KernelThreads.SPLIT_GATE_MAJOR_MIN_WEIGHT_BYTES / 4.0));
        // many rows: 64 gates (of 64 units at L2 2 MB, 46 at 1 MB), W_hh between the two thresholds
        int manyGates = 64;
        int manyRows = (int) Math.ceil(Math.sqrt(
                KernelThreads.SPLIT_GATE_MAJOR_MANY_ROWS_MIN_WEIGHT_BYTES / (double) manyGates / Float.BYTES));
        try {
            KernelThreads.setCount(2);
            assertTrue(hidden < KernelThreads.SPLIT_GATE_MAJOR_MANY_ROWS, "one gate's rows: " + hidden);
            assertTrue(RecurrenceHelper.splitsGateMajor(1, hidden, steps), "W_hh at the threshold");
            assertFalse(RecurrenceHelper.splitsGateMajor(1, hidden - 1, steps), "W_hh just below it");
            assertFalse(RecurrenceHelper.splitsGateMajor(1, hidden, steps - 1), "one step too few");
            assertFalse(RecurrenceHelper.splitsGateMajor(1 << 20, 2 * MR - 1, steps), "fewer than 2 panels per gate");
            assertTrue((long) manyGates * manyRows >= KernelThreads.SPLIT_GATE_MAJOR_MANY_ROWS, "many rows");
            assertTrue(RecurrenceHelper.splitsGateMajor(manyGates, manyRows, steps), "many rows, W_hh at threshold");
            assertFalse(RecurrenceHelper.splitsGateMajor(manyGates, manyRows - 1, steps), "W_hh just below it");
            assertFalse(RecurrenceHelper.splitsGateMajor(1, 8 * manyRows, steps), "that W_hh, an eighth the rows");
            KernelThreads.setCount(1);
            assertFalse(RecurrenceHelper.splitsGateMajor(1, hidden, steps), "one thread allowed");
            assertFalse(RecurrenceHelper.splitsGateMajor(manyGates, manyRows, steps), "one thread, many rows");
        } finally {
            KernelThreads.setCount(threads);
        }
    }

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void oneThreadOverTwoGroupsGivesTheBitsOfTheDefinition(CellKind cell) {
        // hidden off the panel rows and the lanes; an input of two k-blocks; one run of 7 steps, or runs of 2-3
        for (int chunkSteps : new int[] {7, 3}) {
            for (boolean reverse : new boolean[] {false, true}) {
                LayerOperands layer = LayerOperands.random(cell, 7, 2 * NR, MR + 7, KC + 3, chunkSteps,
                        17L * chunkSteps);
                float[][] expected = layer.definition(reverse);
                float[][] out = layer.outputs();
                GateMajorLayer gateMajor = gateMajor(layer, reverse, out, 0, 2);
                try {
                    gateMajor.runGroups();
                } finally {
                    gateMajor.clear();
                }
                layer.assertSameAs(expected, out, cell + " chunk " + chunkSteps + (reverse ? " reverse" : ""));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void oneGroupSplitByUnitsGivesTheBitsOfTheDefinition(CellKind cell) {
        // 2 MR + 1 units: cut at a whole panel, the helper's last panel one row; 32 units: where MR = 12, cut 4 rows
        // into a panel, so the helper's first tile starts inside it. Runs of 9 steps, or of 2-3, so that a run's
        // projection falls to whichever thread claims its first step's half.
        for (int hidden : new int[] {2 * MR + 1, 32}) {
            for (int chunkSteps : new int[] {9, 2}) {
                for (boolean reverse : new boolean[] {false, true}) {
                    LayerOperands layer = LayerOperands.random(cell, 9, NR, hidden, 5, chunkSteps,
                            23L * chunkSteps + hidden);
                    float[][] expected = layer.definition(reverse);
                    float[][] out = layer.outputs();
                    GateMajorLayer gateMajor = gateMajor(layer, reverse, out, 0, 1);
                    try {
                        assertTrue(gateMajor.runSplitByUnits(), "the helper was free");
                    } finally {
                        gateMajor.clear();
                    }
                    layer.assertSameAs(expected, out, cell + " hidden " + hidden + " chunk " + chunkSteps
                            + (reverse ? " reverse" : ""));
                }
            }
        }
    }

    @Test
    void recurrentLayerRunsGateMajorExactlyOverWholeGroupsWithoutRecording() {
        Kernels k = KernelProvider.checkedVector();
        int threads = KernelThreads.count();
        try {
            KernelThreads.setCount(1);
            assertTrue(takesGateMajor(k, CellKind.LSTM, NR, false), "one group");
            assertTrue(takesGateMajor(k, CellKind.GRU, 3 * NR, false), "three groups");
            assertTrue(takesGateMajor(k, CellKind.RNN_TANH, NR, true), "RNN records only h");
            assertFalse(takesGateMajor(k, CellKind.LSTM, NR + 1, false), "not whole groups");
            assertFalse(takesGateMajor(k, CellKind.LSTM, NR - 1, false), "less than a group");
            assertFalse(takesGateMajor(k, CellKind.GRU, NR, true), "recording for a backward");
        } finally {
            KernelThreads.setCount(threads);
        }
    }

    @Test
    void theVectorKernelsNameTheirGroupTheScalarOnesNone() {
        assertEquals(NR, KernelProvider.checkedVector().recurrentLayerGroup());
        assertEquals(NR, KernelProvider.checkedVector().unchecked().recurrentLayerGroup());
        assertEquals(1, KernelProvider.checkedScalar().recurrentLayerGroup());
    }

    /** Whether a recurrentLayer call with these arguments built W_hh's gate-row panels (and only then used them). */
    private static boolean takesGateMajor(Kernels k, CellKind cell, int batch, boolean record) {
        int hidden = MR + 1;
        int steps = 3;
        LayerOperands layer = LayerOperands.random(cell, steps, batch, hidden, 4, steps, 3L);
        float[][] out = layer.outputs();
        float[] workspace = record ? new float[steps * batch * 4 * hidden] : null;
        float[] cells = record && cell == CellKind.LSTM ? new float[steps * batch * hidden] : null;
        k.recurrentLayer(cell, false, steps, batch, hidden, layer.input(), layer.x(), 0, layer.wih(), layer.bih(),
                0, layer.whh(), layer.bhh(), 0, layer.h0(), 0, cell == CellKind.LSTM ? out[1] : null, 0, out[0], 0,
                layer.ldh(), workspace, 0, cells, 0, steps, layer.work(), 0);
        return layer.whh().hasGateRowPanels();
    }

    /** This thread's gate-major layer set to the operands and the groups {@code [g0, g1)}. */
    private static GateMajorLayer gateMajor(LayerOperands layer, boolean reverse, float[][] out, int g0, int g1) {
        return GemmScratch.current().gateMajorLayer().set(layer.cell(), reverse, layer.steps(), layer.batch(),
                layer.hidden(), layer.input(), layer.x(), 0, layer.wih().gateRowPanels(layer.cell().gates()),
                layer.bih(), 0, layer.whh().gateRowPanels(layer.cell().gates()), layer.bhh(), 0, layer.h0(), 0,
                out[1], 0, out[0], 0, layer.ldh(), layer.chunkSteps(), layer.work(), 0, g0, g1);
    }
}
