package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The operands of one {@link Kernels#recurrentLayer} call (not recording) for the tests that drive a layer's
 * threaded or gate-major forms directly, with the layer's definition to hold them to ({@link LayerLoops#runByRun} on
 * one thread). Each run works on fresh outputs and work.
 */
record LayerOperands(CellKind cell, int steps, int batch, int hidden, int input, int chunkSteps, float[] x,
                     VectorPackedMatrix wih, float[] bih, VectorPackedMatrix whh, float[] bhh, float[] h0,
                     float[] c0, int ldh) {

    /** Random operands; h has 3 floats of padding after each row. */
    static LayerOperands random(CellKind cell, int steps, int batch, int hidden, int input, int chunkSteps,
                                long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int gh = cell.gates() * hidden;
        return new LayerOperands(cell, steps, batch, hidden, input, chunkSteps,
                values(random, steps * batch * input, 1),
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
            LayerLoops.runByRun(k, cell, reverse, steps, batch, hidden, input, x, 0, wih, bih, 0, whh, bhh, 0, h0, 0,
                    out[1], 0, out[0], 0, ldh, null, 0, null, 0, chunkSteps, work(), 0);
            return out;
        } finally {
            KernelThreads.setCount(threads);
        }
    }

    /**
     * {@code got} has the bits of {@code expected} ({h, c}), and every h row's units are written while the padding
     * between rows (NaN in {@link #outputs}) is not.
     */
    void assertSameAs(float[][] expected, float[][] got, String what) {
        assertArrayEquals(expected[0], got[0], what + ": h");
        assertArrayEquals(expected[1], got[1], what + ": c");
        for (int i = 0; i < got[0].length; i++) {
            assertEquals(i % ldh >= hidden, Float.isNaN(got[0][i]), what + ": h[" + i + "]");
        }
    }

    /** Fresh outputs {h (NaN), c (c_0)}. */
    float[][] outputs() {
        float[] h = new float[steps * batch * ldh];
        Arrays.fill(h, Float.NaN);
        return new float[][] {h, c0.clone()};
    }

    /** Fresh work of {@link Kernels#recurrentLayerWorkFloats} floats. */
    float[] work() {
        return new float[Kernels.recurrentLayerWorkFloats(cell, steps, batch, hidden, input, chunkSteps)];
    }

    /** n values uniform in [-scale, scale). */
    static float[] values(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
