package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The split of a batched whole layer by hidden units ({@link VectorLayerSplit} through {@link RecurrenceHelper}),
 * driven directly so that each test knows the split happened, at small sizes: it gives the bits of the layer's
 * definition ({@link LayerLoops#runByRun}) whichever run boundaries fall inside the pass, and it is chosen exactly
 * when the documented conditions hold ({@link KernelThreads#SPLIT_LAYER_MAX_BATCH},
 * {@link KernelThreads#SPLIT_LAYER_MIN_WEIGHT_BYTES}).
 */
class LayerSplitTest {

    private static final int NR = GemmMicroKernel.NR;

    @Test
    void theWeightThresholdIsFourTimesTheL2OrEightMegabytesWhenUnknown() {
        assertEquals(8L << 20, KernelThreads.splitLayerMinWeightBytes(0), "unknown");
        assertEquals(4L << 20, KernelThreads.splitLayerMinWeightBytes(1L << 20), "Zen 5: 1 MB");
        assertEquals(8L << 20, KernelThreads.splitLayerMinWeightBytes(2L << 20), "Xeon family 6 model 167: 2 MB");
    }

    @Test
    void aLayerSplitsByUnitsExactlyWhenEveryDocumentedConditionHolds() {
        int threads = KernelThreads.count();
        int steps = KernelThreads.SPLIT_RECURRENCE_MIN_STEPS;
        int batch = KernelThreads.SPLIT_LAYER_MAX_BATCH;
        int hidden = 16 * NR;
        long gateBytes = (long) hidden * hidden * Float.BYTES;
        // the fewest gates whose W_hh reaches the threshold; one fewer stays below it
        int gates = (int) ((KernelThreads.SPLIT_LAYER_MIN_WEIGHT_BYTES + gateBytes - 1) / gateBytes);
        assertTrue(gates >= 2, "hidden " + hidden + " is small enough to test the edge: " + gates + " gates");
        try {
            KernelThreads.setCount(2);
            assertTrue(RecurrenceHelper.splitsLayer(gates, hidden, batch, steps), "every condition at its edge");
            assertFalse(RecurrenceHelper.splitsLayer(gates - 1, hidden, batch, steps), "W_hh below the threshold");
            assertFalse(RecurrenceHelper.splitsLayer(gates, hidden, batch + 1, steps), "one sequence too many");
            assertFalse(RecurrenceHelper.splitsLayer(gates, hidden, batch, steps - 1), "one step too few");
            assertFalse(RecurrenceHelper.splitsLayer(4 * gates, hidden + 1, batch, steps),
                    "not a whole number of panels");
            KernelThreads.setCount(1);
            assertFalse(RecurrenceHelper.splitsLayer(gates, hidden, batch, steps), "one thread allowed");
        } finally {
            KernelThreads.setCount(threads);
        }
    }

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void aLayerSplitByUnitsGivesTheBitsOfItsDefinition(CellKind cell) {
        // 2 NR: even halves; 3 NR: the caller takes one panel per gate, the helper two. Runs of 9 steps: one run,
        // or four of 2-3 steps, so that a run's projection falls to whichever thread claims its first step's half.
        for (int hidden : new int[] {2 * NR, 3 * NR}) {
            for (int chunkSteps : new int[] {9, 3, 2}) {
                for (boolean reverse : new boolean[] {false, true}) {
                    LayerOperands layer = LayerOperands.random(cell, 9, 3, hidden, 5, chunkSteps,
                            31L * hidden + chunkSteps);
                    layer.assertSameAs(layer.definition(reverse), split(layer, reverse),
                            cell + " hidden " + hidden + " chunk " + chunkSteps + (reverse ? " reverse" : ""));
                }
            }
        }
    }

    /** {h, c} from the split by units, the caller and the helper each starting on its own half. */
    private static float[][] split(LayerOperands layer, boolean reverse) {
        float[][] out = layer.outputs();
        VectorLayerSplit split = new VectorLayerSplit(layer.cell(), reverse, layer.steps(), layer.batch(),
                layer.hidden(), layer.input(), layer.x(), 0, layer.wih(), layer.bih(), 0, layer.whh(), layer.bhh(), 0,
                layer.h0(), 0, out[1], 0, out[0], 0, layer.ldh(), layer.chunkSteps(), layer.work(), 0);
        assertTrue(RecurrenceHelper.tryRunSplit(split), "the helper was free");
        return out;
    }
}
