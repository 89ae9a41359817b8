package io.github.jrnn.properties.kernels;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;
import static io.github.jrnn.properties.kernels.Implementations.VECTOR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.CellKind;
import io.github.jrnn.kernels.GemmBlocking;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.MatrixSlice;
import io.github.jrnn.kernels.PackedMatrix;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The whole-layer kernels {@code recurrentLayer} and {@code recurrentLayerBackward}: bit for bit the calls their
 * Javadoc defines them as, made one by one here on one thread, on both implementations, on one thread and on two
 * (where the vector kernels give each thread its own sequences), both directions, any run length. Those calls are
 * each held to their formulas by their own properties ({@link RecurrentSequenceProperties} carries the recurrence's
 * error bound step to step; the cell and product properties bound each call), so equal bits carry those bounds over.
 *
 * <ul>
 *   <li>recurrentLayer: run by run, {@code sgemmPackedBias} (or {@code sgemmPacked}) of the run's input rows, then
 *       {@code recurrentSequence} over the run from h0 or from the last h of the run next to it; recording, per step
 *       {@code sgemmPackedBias} of the previous h and the cell kernel with its workspace rows (LSTM: c_{t-1} from
 *       cells, c_t into cells).</li>
 *   <li>recurrentLayerBackward: from the last step to the first, the cell backward kernel on the step's rows (GRU:
 *       then {@code add} of its direct part) and {@code sgemmPacked} with beta = 1 adding {@code dHg W_hh} to the
 *       previous step's rows of dh, or to dh0 at the first step.</li>
 * </ul>
 * Half the drawn cases are large enough (hidden 128-148, 16-18 steps, 3-5 sequences) to pass the threading
 * threshold ({@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS}) for GRU and LSTM, so that two-thread runs split (the
 * statistics show how often); the examples run larger shapes, an odd batch giving the two threads unequal shares.
 */
class RecurrentLayerProperties {

    // ---------------------------------------------------------------- the forward

    @Property(tries = 60)
    @Compares("recurrentLayer")
    void theLayerGivesTheBitsOfItsDefinitionOnEveryThreadCount(
            @ForAll CellKind cell, @ForAll boolean reverse, @ForAll boolean record,
            @ForAll @IntRange(min = 0, max = 12) int steps, @ForAll @IntRange(min = 0, max = 4) int batch,
            @ForAll @IntRange(min = 0, max = 40) int hidden, @ForAll @IntRange(min = 0, max = 24) int input,
            @ForAll @IntRange(min = 1, max = 6) int chunkSteps, @ForAll boolean withBias, @ForAll boolean large,
            @ForAll long seed) {
        if (large) {
            // 16-18 steps of 3-5 sequences at hidden 128-148 with some input: past the threading threshold for GRU
            // and LSTM (at least 16 * 3 * 3 * 128^2 multiply-adds)
            steps = 16 + steps % 3;
            batch = 3 + batch % 3;
            hidden = 128 + hidden % 21;
            input = 1 + input;
        }
        Statistics.label("splits on two threads").collect(splits(cell, steps, batch, hidden) && input > 0);
        Layer layer = Layer.generate(cell, steps, batch, hidden, input, chunkSteps, withBias,
                new SplittableRandom(seed));
        for (Kernels k : BOTH) {
            layer.check(k, reverse, record);
        }
    }

    @Example
    void aLargeLayerSplitsItsSequencesUnequallyWithTheSameBits() {
        for (CellKind cell : List.of(CellKind.LSTM, CellKind.GRU, CellKind.RNN_TANH)) {
            Layer layer = Layer.generate(cell, 30, 33, 256, 192, 7, true, new SplittableRandom(20261207L));
            for (boolean record : new boolean[] {false, true}) {
                layer.check(VECTOR, true, record);
                layer.check(VECTOR, false, record);
            }
        }
    }

    @Example
    void aWideLayerSplitsItsHiddenUnitsWithTheSameBits() {
        // W_hh of 16 MB (LSTM 1024, RNN 2048) and 12 MB (GRU 1024): past the unit split's threshold on a machine with
        // up to 3 MB of L2 per core; 9 steps in three runs, so that runs start in the middle of the split pass
        int[][] shapes = {{CellKind.LSTM.ordinal(), 1024}, {CellKind.GRU.ordinal(), 1024},
                {CellKind.RNN_TANH.ordinal(), 2048}};
        for (int[] shape : shapes) {
            CellKind cell = CellKind.values()[shape[0]];
            int hidden = shape[1];
            long weightBytes = (long) cell.gates() * hidden * hidden * Float.BYTES;
            assertTrue(weightBytes >= KernelThreads.SPLIT_LAYER_MIN_WEIGHT_BYTES,
                    cell + " hidden " + hidden + " must reach the unit split (W_hh " + weightBytes + " bytes, from "
                            + KernelThreads.SPLIT_LAYER_MIN_WEIGHT_BYTES + ")");
            for (boolean withBias : new boolean[] {true, false}) {
                Layer layer = Layer.generate(cell, 9, 3, hidden, 40, 3, withBias, new SplittableRandom(hidden + 7L));
                layer.check(VECTOR, false, false);
                layer.check(VECTOR, true, false);
            }
        }
    }

    @Example
    void wholeGroupsOfSequencesRunGateMajorWithTheSameBits() {
        // Batches of NR, 2 NR and 3 NR sequences (gate-major on one thread; two groups shared out, three left to the
        // row-major split); hidden sizes off the MR rows of a panel and the lane count; an input past KC, so that
        // the projection has two k-blocks; chunks of 4 steps, so that runs start inside the unit split's pass.
        int[][] shapes = {{CellKind.LSTM.ordinal(), 37, 1, 13}, {CellKind.GRU.ordinal(), 50, 2, 24},
                {CellKind.RNN_TANH.ordinal(), 24, 3, GemmShapes.KC + 5}, {CellKind.RNN_RELU.ordinal(), 13, 2, 7},
                {CellKind.LSTM.ordinal(), 20, 2, GemmShapes.KC + 3}};
        for (int[] shape : shapes) {
            CellKind cell = CellKind.values()[shape[0]];
            for (boolean withBias : new boolean[] {true, false}) {
                Layer layer = Layer.generate(cell, 10, shape[2] * GemmShapes.NR, shape[1], shape[3], 4, withBias,
                        new SplittableRandom(shape[1] * 31L + shape[2]));
                for (boolean record : new boolean[] {false, true}) {
                    layer.check(VECTOR, false, record);
                    layer.check(VECTOR, true, record);
                }
            }
        }
    }

    @Example
    void oneWideGroupSplitsItsHiddenUnitsGateMajorWithTheSameBits() {
        // one group of NR sequences with W_hh past the gate-major unit split's threshold (on a machine with up to
        // 3 MB of L2 per core), hidden not a multiple of MR; 9 steps in three runs
        for (CellKind cell : List.of(CellKind.LSTM, CellKind.GRU, CellKind.RNN_TANH)) {
            int hidden = cell == CellKind.RNN_TANH ? 1100 : 650;
            long weightBytes = (long) cell.gates() * hidden * hidden * Float.BYTES;
            assertTrue(weightBytes >= KernelThreads.SPLIT_GATE_MAJOR_MIN_WEIGHT_BYTES, cell + " hidden " + hidden
                    + " must reach the gate-major unit split (W_hh " + weightBytes + " bytes, from "
                    + KernelThreads.SPLIT_GATE_MAJOR_MIN_WEIGHT_BYTES + ")");
            Layer layer = Layer.generate(cell, 9, GemmShapes.NR, hidden, 30, 3, true,
                    new SplittableRandom(hidden + 11L));
            layer.check(VECTOR, false, false);
            layer.check(VECTOR, true, false);
        }
    }

    /** Whether the vector kernels give two threads their own sequences (batch 2 on, the threading threshold). */
    private static boolean splits(CellKind cell, int steps, int batch, int hidden) {
        return batch >= 2
                && (long) steps * batch * cell.gates() * hidden * hidden >= GemmBlocking.THREADING_MIN_MULTIPLY_ADDS;
    }

    /** The operands of one layer; every run works on copies. */
    private record Layer(CellKind cell, int steps, int batch, int hidden, int input, int chunkSteps, float[] wih,
                         float[] whh, float[] bih, float[] bhh, float[] x, float[] h0, float[] c0, int ldh) {

        static Layer generate(CellKind cell, int steps, int batch, int hidden, int input, int chunkSteps,
                              boolean withBias, SplittableRandom random) {
            int gh = cell.gates() * hidden;
            return new Layer(cell, steps, batch, hidden, input, chunkSteps,
                    values(random, gh * input, 1.0 / Math.max(1, input)),
                    values(random, gh * hidden, 1.0 / Math.max(1, hidden)),
                    withBias ? values(random, gh + 1, 0.5) : null, withBias ? values(random, gh + 2, 0.5) : null,
                    values(random, 2 + steps * batch * input, 1), values(random, 1 + batch * hidden, 1),
                    values(random, 2 + batch * hidden, 1), hidden + random.nextInt(3));
        }

        /** The kernel on one and two threads against the definition on one, each result compared bit for bit. */
        void check(Kernels k, boolean reverse, boolean record) {
            int gh = cell.gates() * hidden;
            PackedMatrix packedWih = k.packB(true, input, gh, wih, 0, Math.max(1, input));
            PackedMatrix packedWhh = k.packB(true, hidden, gh, whh, 0, Math.max(1, hidden));
            int threadsBefore = KernelThreads.count();
            try {
                KernelThreads.setCount(1);
                float[][] expected = definition(k, reverse, record, packedWih, packedWhh);
                for (int threads = 1; threads <= 2; threads++) {
                    KernelThreads.setCount(threads);
                    float[][] got = kernel(k, reverse, record, packedWih, packedWhh);
                    String name = k.name() + " recurrentLayer " + cell + (reverse ? " reverse" : "")
                            + (record ? " recording" : "") + " on " + threads + " thread(s): ";
                    String[] what = {"h", "c", "workspace", "cells"};
                    for (int i = 0; i < what.length; i++) {
                        assertArrayEquals(expected[i], got[i], name + what[i]);
                    }
                }
            } finally {
                KernelThreads.setCount(threadsBefore);
            }
        }

        /** The kernel under test: {h, c, workspace, cells}, all with untouched padding around them. */
        float[][] kernel(Kernels k, boolean reverse, boolean record, PackedMatrix packedWih, PackedMatrix packedWhh) {
            float[][] out = outputs();
            float[] work = nans(3 + Kernels.recurrentLayerWorkFloats(cell, steps, batch, hidden, input, chunkSteps));
            float[] xCopy = x.clone();
            k.recurrentLayer(cell, reverse, steps, batch, hidden, input, xCopy, 2, packedWih, bih, 1, packedWhh, bhh,
                    2, h0, 1, cell == CellKind.LSTM ? out[1] : null, 2, out[0], 6, ldh, record ? out[2] : null, 5,
                    record ? out[3] : null, 3, chunkSteps, work, 3);
            assertArrayEquals(x, xCopy, "x is an input");
            return out;
        }

        /** {h, c, workspace, cells} from the Javadoc's calls, one by one. */
        float[][] definition(Kernels k, boolean reverse, boolean record, PackedMatrix packedWih,
                             PackedMatrix packedWhh) {
            int gh = cell.gates() * hidden;
            int lda = Math.max(1, input);
            int ldg = Math.max(1, gh);
            float[][] out = outputs();
            float[] h = out[0];
            float[] c = out[1];
            int runs = (steps + chunkSteps - 1) / chunkSteps;
            for (int i = 0; i < runs; i++) {
                int run = reverse ? runs - 1 - i : i;
                int t0 = (int) ((long) run * steps / runs);
                int n = (int) ((long) (run + 1) * steps / runs) - t0;
                float[] ig = new float[n * batch * gh];
                if (bih != null) {
                    k.sgemmPackedBias(false, n * batch, 1f, x, 2 + t0 * batch * input, lda, packedWih, bih, 1, ig, 0,
                            ldg);
                } else {
                    k.sgemmPacked(false, n * batch, 1f, x, 2 + t0 * batch * input, lda, packedWih, 0f, ig, 0, ldg);
                }
                if (record) {
                    recordedSteps(k, reverse, t0, n, i == 0, ig, packedWhh, out);
                    continue;
                }
                float[] start = Arrays.copyOfRange(h0, 1, 1 + batch * hidden);
                if (i > 0) {
                    int previous = reverse ? t0 + n : t0 - 1;
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(h, 6 + (previous * batch + b) * ldh, start, b * hidden, hidden);
                    }
                }
                k.recurrentSequence(cell, reverse, n, batch, hidden, ig, 0, packedWhh, bhh, 2, start, 0,
                        cell == CellKind.LSTM ? c : null, 2, h, 6 + t0 * batch * ldh, ldh, new float[batch * gh], 0);
            }
            return out;
        }

        /** A recorded run's steps: the product of the previous h, then the cell kernel with its workspace rows. */
        private void recordedSteps(Kernels k, boolean reverse, int t0, int n, boolean firstRun, float[] ig,
                                   PackedMatrix packedWhh, float[][] out) {
            int gh = cell.gates() * hidden;
            float[] h = out[0];
            float[] c = out[1];
            float[] workspace = out[2];
            float[] cells = out[3];
            for (int s = 0; s < n; s++) {
                int local = reverse ? n - 1 - s : s;
                int t = t0 + local;
                boolean first = firstRun && s == 0;
                int previous = reverse ? t + 1 : t - 1;
                float[] hPrev = first ? h0 : h;
                int hPrevOffset = first ? 1 : 6 + previous * batch * ldh;
                int ldPrev = first ? hidden : ldh;
                float[] hg = new float[batch * gh];
                if (bhh != null) {
                    k.sgemmPackedBias(false, batch, 1f, hPrev, hPrevOffset, Math.max(1, ldPrev), packedWhh, bhh, 2, hg,
                            0, Math.max(1, gh));
                } else {
                    k.sgemmPacked(false, batch, 1f, hPrev, hPrevOffset, Math.max(1, ldPrev), packedWhh, 0f, hg, 0,
                            Math.max(1, gh));
                }
                int igRow = local * batch * gh;
                int hRow = 6 + t * batch * ldh;
                int ws = 5 + t * batch * 4 * hidden;
                switch (cell) {
                    case RNN_TANH -> k.rnnTanhCell(batch, hidden, ig, igRow, hg, 0, h, hRow, ldh);
                    case RNN_RELU -> k.rnnReluCell(batch, hidden, ig, igRow, hg, 0, h, hRow, ldh);
                    case GRU -> k.gruCell(batch, hidden, ig, igRow, hg, 0, hPrev, hPrevOffset, ldPrev, h, hRow, ldh,
                            workspace, ws);
                    case LSTM -> k.lstmCell(batch, hidden, ig, igRow, hg, 0, first ? c : cells,
                            first ? 2 : 3 + previous * batch * hidden, cells, 3 + t * batch * hidden, h, hRow, ldh,
                            workspace, ws);
                }
            }
        }

        /** {h, c (c_0 to start with), workspace, cells}: NaN wherever the calls write, at the offsets used. */
        private float[][] outputs() {
            float[] c = nans(2 + batch * hidden);
            System.arraycopy(c0, 2, c, 2, batch * hidden);
            return new float[][] {nans(6 + steps * batch * ldh), c, nans(5 + steps * batch * 4 * hidden),
                nans(3 + steps * batch * hidden)};
        }
    }

    // ---------------------------------------------------------------- the backward

    @Property(tries = 60)
    @Compares("recurrentLayerBackward")
    void theBackwardGivesTheBitsOfItsDefinitionOnEveryThreadCount(
            @ForAll CellKind cell, @ForAll boolean reverse, @ForAll @IntRange(min = 0, max = 12) int steps,
            @ForAll @IntRange(min = 0, max = 4) int batch, @ForAll @IntRange(min = 0, max = 40) int hidden,
            @ForAll boolean large, @ForAll long seed) {
        if (large) {
            steps = 16 + steps % 3;
            batch = 3 + batch % 3;
            hidden = 128 + hidden % 21;
        }
        Statistics.label("splits on two threads").collect(splits(cell, steps, batch, hidden));
        Backward pass = Backward.generate(cell, steps, batch, hidden, new SplittableRandom(seed));
        for (Kernels k : BOTH) {
            pass.check(k, reverse);
        }
    }

    @Example
    void aLargeBackwardSplitsItsSequencesUnequallyWithTheSameBits() {
        for (CellKind cell : CellKind.values()) {
            Backward pass = Backward.generate(cell, 30, 33, 256, new SplittableRandom(20261207L));
            pass.check(VECTOR, false);
            pass.check(VECTOR, true);
        }
    }

    /** What a recorded forward left for the backward (values in the ranges the forward gives), and the gradients. */
    private record Backward(CellKind cell, int steps, int batch, int hidden, float[] whh, float[] dh, float[] h,
                            int ldh, float[] h0, float[] workspace, float[] cells, float[] c0, float[] dc,
                            float[] dh0) {

        static Backward generate(CellKind cell, int steps, int batch, int hidden, SplittableRandom random) {
            int gh = cell.gates() * hidden;
            int rows = steps * batch;
            int ldh = 2 * hidden + 1;
            return new Backward(cell, steps, batch, hidden, uniform(random, gh * hidden, -0.1, 0.1),
                    uniform(random, 1 + rows * hidden, -1, 1), uniform(random, 2 + rows * ldh, -0.9, 0.9), ldh,
                    uniform(random, 3 + batch * hidden, -0.9, 0.9), uniform(random, 4 + rows * 4 * hidden, 0.05, 0.95),
                    uniform(random, 5 + rows * hidden, -2, 2), uniform(random, 6 + batch * hidden, -2, 2),
                    uniform(random, 7 + batch * hidden, -1, 1), uniform(random, 8 + batch * hidden, -1, 1));
        }

        void check(Kernels k, boolean reverse) {
            int gh = cell.gates() * hidden;
            PackedMatrix packedWhh = k.packB(false, gh, hidden, whh, 0, Math.max(1, hidden));
            int threadsBefore = KernelThreads.count();
            try {
                KernelThreads.setCount(1);
                float[][] expected = definition(k, reverse, packedWhh);
                for (int threads = 1; threads <= 2; threads++) {
                    KernelThreads.setCount(threads);
                    float[][] got = outputs();
                    k.recurrentLayerBackward(cell, reverse, steps, batch, hidden, got[0], 1, h, 2, ldh, h0, 3,
                            workspace, 4, cells, 5, c0, 6, got[1], 7, packedWhh, got[2], 9, got[3], 10, got[4], 8,
                            new float[11 + batch * hidden], 11);
                    String name = k.name() + " recurrentLayerBackward " + cell + (reverse ? " reverse" : "") + " on "
                            + threads + " thread(s): ";
                    String[] what = {"dh", "dc", "dIg", "dHg", "dh0"};
                    for (int i = 0; i < what.length; i++) {
                        assertArrayEquals(expected[i], got[i], name + what[i]);
                    }
                }
            } finally {
                KernelThreads.setCount(threadsBefore);
            }
        }

        /** {dh, dc, dIg, dHg, dh0} from the Javadoc's calls, one by one. */
        private float[][] definition(Kernels k, boolean reverse, PackedMatrix packedWhh) {
            int gh = cell.gates() * hidden;
            int g4 = 4 * hidden;
            float[][] out = outputs();
            float[] dhAll = out[0];
            float[] dIg = out[2];
            float[] dHg = out[3];
            float[] direct = new float[batch * hidden];
            for (int s = steps - 1; s >= 0; s--) {
                int t = reverse ? steps - 1 - s : s;
                boolean first = s == 0;
                int previous = reverse ? t + 1 : t - 1;
                int row = t * batch;
                MatrixSlice dhRows = new MatrixSlice(dhAll, 1 + row * hidden, Math.max(1, hidden));
                MatrixSlice dIgRows = new MatrixSlice(dIg, 9 + row * gh, Math.max(1, gh));
                float[] dhPrev = first ? out[4] : dhAll;
                int dhPrevRows = first ? 8 : 1 + previous * batch * hidden;
                float[] dG = dIg;
                int dGRows = 9 + row * gh;
                switch (cell) {
                    case RNN_TANH -> k.rnnTanhCellBackward(batch, hidden, dhRows,
                            new MatrixSlice(h, 2 + row * ldh, ldh), dIgRows);
                    case RNN_RELU -> k.rnnReluCellBackward(batch, hidden, dhRows,
                            new MatrixSlice(h, 2 + row * ldh, ldh), dIgRows);
                    case GRU -> {
                        MatrixSlice hPrev = first ? new MatrixSlice(h0, 3, Math.max(1, hidden))
                                : new MatrixSlice(h, 2 + previous * batch * ldh, ldh);
                        k.gruCellBackward(batch, hidden, dhRows, hPrev, new MatrixSlice(workspace, 4 + row * g4,
                                Math.max(1, g4)), dIgRows, new MatrixSlice(dHg, 10 + row * gh, Math.max(1, gh)),
                                new MatrixSlice(direct, 0, Math.max(1, hidden)));
                        k.add(batch * hidden, dhPrev, dhPrevRows, direct, 0, dhPrev, dhPrevRows);
                        dG = dHg;
                        dGRows = 10 + row * gh;
                    }
                    case LSTM -> {
                        MatrixSlice cPrev = first ? new MatrixSlice(c0, 6, Math.max(1, hidden))
                                : new MatrixSlice(cells, 5 + previous * batch * hidden, Math.max(1, hidden));
                        k.lstmCellBackward(batch, hidden, dhRows, new MatrixSlice(out[1], 7, Math.max(1, hidden)),
                                cPrev, new MatrixSlice(cells, 5 + row * hidden, Math.max(1, hidden)),
                                new MatrixSlice(workspace, 4 + row * g4, Math.max(1, g4)), dIgRows);
                    }
                }
                k.sgemmPacked(false, batch, 1f, dG, dGRows, Math.max(1, gh), packedWhh, 1f, dhPrev, dhPrevRows,
                        Math.max(1, hidden));
            }
            return out;
        }

        /** {dh, dc, dIg, dHg, dh0}: copies of the inputs that are updated, zeros for the outputs. */
        private float[][] outputs() {
            int gh = cell.gates() * hidden;
            return new float[][] {dh.clone(), dc.clone(), new float[9 + steps * batch * gh],
                new float[10 + steps * batch * gh], dh0.clone()};
        }
    }

    // ---------------------------------------------------------------- data

    private static float[] nans(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    private static float[] values(SplittableRandom random, int n, double scale) {
        return uniform(random, n, -scale, scale);
    }

    private static float[] uniform(SplittableRandom random, int n, double low, double high) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (low + random.nextDouble() * (high - low));
        }
        return v;
    }
}
