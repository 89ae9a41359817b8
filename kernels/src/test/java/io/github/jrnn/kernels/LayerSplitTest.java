package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
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
                    Layer layer = Layer.random(cell, 9, 3, hidden, 5, chunkSteps, 31L * hidden + chunkSteps);
                    float[][] expected = layer.definition(reverse);
                    float[][] split = layer.split(reverse);
                    String what = cell + " hidden " + hidden + " chunk " + chunkSteps + (reverse ? " reverse" : "");
                    assertArrayEquals(expected[0], split[0], what + ": h");
                    assertArrayEquals(expected[1], split[1], what + ": c");
                    for (int i = 0; i < split[0].length; i++) {
                        // h starts as NaN: every row's units are written, the padding between rows is not
                        assertEquals(i % layer.ldh >= hidden, Float.isNaN(split[0][i]), what + ": h[" + i + "]");
                    }
                }
            }
        }
    }

    /** One layer's operands; each run works on fresh outputs and work. */
    private record Layer(CellKind cell, int steps, int batch, int hidden, int input, int chunkSteps, float[] x,
                         VectorPackedMatrix wih, float[] bih, VectorPackedMatrix whh, float[] bhh, float[] h0,
                         float[] c0, int ldh) {

        static Layer random(CellKind cell, int steps, int batch, int hidden, int input, int chunkSteps, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int gh = cell.gates() * hidden;
            return new Layer(cell, steps, batch, hidden, input, chunkSteps, values(random, steps * batch * input, 1),
                    new VectorPackedMatrix(true, input, gh, values(random, gh * input, 1.0 / input), 0, input),
                    values(random, gh, 0.5),
                    new VectorPackedMatrix(true, hidden, gh, values(random, gh * hidden, 1.5 / Math.sqrt(hidden)), 0,
                            hidden),
                    values(random, gh, 0.5), values(random, batch * hidden, 1), values(random, batch * hidden, 1),
                    hidden + 3);
        }

        /** {h, c} from {@link LayerLoops#runByRun} on one thread: the layer as its Javadoc defines it. */
        float[][] definition(boolean reverse) {
            int threads = KernelThreads.count();
            try {
                KernelThreads.setCount(1);
                float[][] out = outputs();
                CellKernels k = (CellKernels) KernelProvider.checkedVector().unchecked();
                LayerLoops.runByRun(k, cell, reverse, steps, batch, hidden, input, x, 0, wih, bih, 0, whh, bhh, 0, h0,
                        0, out[1], 0, out[0], 0, ldh, null, 0, null, 0, chunkSteps, work(), 0);
                return out;
            } finally {
                KernelThreads.setCount(threads);
            }
        }

        /** {h, c} from the split by units, the caller and the helper each starting on its own half. */
        float[][] split(boolean reverse) {
            float[][] out = outputs();
            VectorLayerSplit layer = new VectorLayerSplit(cell, reverse, steps, batch, hidden, input, x, 0, wih, bih,
                    0, whh, bhh, 0, h0, 0, out[1], 0, out[0], 0, ldh, chunkSteps, work(), 0);
            assertTrue(RecurrenceHelper.tryRunSplit(layer), "the helper was free");
            return out;
        }

        private float[][] outputs() {
            float[] h = new float[steps * batch * ldh];
            Arrays.fill(h, Float.NaN);
            return new float[][] {h, c0.clone()};
        }

        private float[] work() {
            return new float[Kernels.recurrentLayerWorkFloats(cell, steps, batch, hidden, input, chunkSteps)];
        }
    }

    private static float[] values(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
