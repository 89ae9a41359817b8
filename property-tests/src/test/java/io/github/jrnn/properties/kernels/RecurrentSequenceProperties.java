package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.CellKind;
import io.github.jrnn.kernels.GemmBlocking;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.PackedMatrix;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;
import static io.github.jrnn.properties.kernels.Implementations.SCALAR;
import static io.github.jrnn.properties.kernels.Implementations.VECTOR;

/**
 * The whole recurrence {@code recurrentSequence} over a batch of equal-length sequences: every step's h of every
 * sequence (and LSTM's final c) within its {@link Tracked} bound of the step formula evaluated in double for that
 * sequence alone, the error bounds carried from step to step; and, bit for bit, the same result as the
 * step-by-step kernel calls the Javadoc names, on one thread and on two (at batch 1 each step's hidden units
 * split, from batch 2 on the sequences), and each sequence the same as a batch-1 run of it alone (on the vector
 * kernels while hidden fits one k-block, see {@link Shape#vectorBitsMatchAlone}), for every cell kind, both
 * directions, with and without b_hh, any offsets and leading dimension of h.
 */
class RecurrentSequenceProperties {

    /** The panel width NR of the vector products: a split needs hidden to be a multiple of it. */
    private static final int NR = GemmBlocking.microTileCols(KernelShapes.LANES);
    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;

    /** The smallest hidden size whose batch-1 recurrence splits for a cell kind (the rule in {@link KernelThreads}). */
    private static int smallestSplit(CellKind cell) {
        int h = 2 * NR;
        while ((long) cell.gates() * h * h < KernelThreads.SPLIT_RECURRENCE_MIN_STEP_MULTIPLY_ADDS) {
            h += NR;
        }
        return h;
    }

    /**
     * Whether the vector kernels split this batch-1 recurrence's hidden units on two threads (the rule in
     * {@link KernelThreads}).
     */
    private static boolean splits(CellKind cell, int hidden, int steps) {
        return hidden >= smallestSplit(cell) && hidden % NR == 0
                && steps >= KernelThreads.SPLIT_RECURRENCE_MIN_STEPS;
    }

    /** The multiply-adds of a recurrence's hidden products: steps * batch * G * hidden^2. */
    private static long multiplyAdds(CellKind cell, int steps, int batch, int hidden) {
        return (long) steps * batch * cell.gates() * hidden * hidden;
    }

    /**
     * Whether the vector kernels give each of two threads half of the sequences (the rule in the Javadoc of
     * {@link Kernels#recurrentSequence}: batch 2 or more and at least
     * {@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS} multiply-adds in all).
     */
    private static boolean splitsSequences(CellKind cell, int steps, int batch, int hidden) {
        return batch >= 2 && multiplyAdds(cell, steps, batch, hidden) >= GemmBlocking.THREADING_MIN_MULTIPLY_ADDS;
    }

    /** The smallest hidden size whose recurrence of {@code steps} x {@code batch} sequences splits its sequences. */
    private static int smallestSequenceSplit(CellKind cell, int steps, int batch) {
        int h = 1;
        while (multiplyAdds(cell, steps, batch, h) < GemmBlocking.THREADING_MIN_MULTIPLY_ADDS) {
            h++;
        }
        return h;
    }

    /**
     * Sizes near the batch-1 split: 2 and 3 panel widths, and for each cell kind its smallest split size, one off
     * it (one less does not split, one more is no multiple of NR) and one panel less and more.
     */
    private static List<Integer> nearSplit() {
        TreeSet<Integer> sizes = new TreeSet<>(List.of(2 * NR, 3 * NR));
        for (CellKind cell : CellKind.values()) {
            int h = smallestSplit(cell);
            sizes.addAll(List.of(h - NR, h - 1, h, h + 1, h + NR));
        }
        return List.copyOf(sizes);
    }

    /** Hidden sizes: the cell kernels' path boundaries or any size up to 70 (weight 2), or one near the split. */
    static final class SequenceHidden implements ArbitrarySupplier<Integer> {
        @Override
        public Arbitrary<Integer> get() {
            return Arbitraries.frequencyOf(
                    Tuple.of(2, KernelShapes.sizes(4 * KernelShapes.LANES + 1, 70)),
                    Tuple.of(1, Arbitraries.of(nearSplit())));
        }
    }

    /** Batch sizes 0 to 4, mostly 1 to 3. */
    static final class SequenceBatch implements ArbitrarySupplier<Integer> {
        @Override
        public Arbitrary<Integer> get() {
            return Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.integers().between(1, 3)),
                    Tuple.of(1, Arbitraries.of(0, 4)));
        }
    }

    /** Step counts 0 to 12, around the fewest steps that split. */
    static final class Steps implements ArbitrarySupplier<Integer> {
        @Override
        public Arbitrary<Integer> get() {
            int min = KernelThreads.SPLIT_RECURRENCE_MIN_STEPS;
            return Arbitraries.integers().between(0, Math.max(12, min + 1)).edgeCases(c -> c.add(min - 1, min));
        }
    }

    /** The operands of one call, as generated; runs copy them. Row {@code t * batch + b} is sequence b's step t. */
    private record Operands(CellKind cell, boolean reverse, int steps, int batch, int hidden, StridedMatrix ig,
                            float[] weight, StridedMatrix bhh, StridedMatrix h0, StridedMatrix c, StridedMatrix h,
                            StridedMatrix hg) {

        static Operands generate(CellKind cell, boolean reverse, int steps, int batch, int hidden, boolean withBias,
                                 Layout layoutIg, Layout layoutBias, Layout layoutH0, Layout layoutC, Layout layoutH,
                                 Layout layoutHg, long seed) {
            FloatData data = new FloatData(seed);
            int gh = cell.gates() * hidden;
            // W_hh (G*hidden x hidden) with column sums of |W| about 1, so the error bounds carried from step to
            // step stay of the order of one step's instead of growing geometrically
            double scale = 2.0 / Math.max(hidden, 1);
            float[] weight = new float[gh * hidden];
            DoubleSupplier w = data.uniform(-scale, scale);
            for (int i = 0; i < weight.length; i++) {
                weight[i] = (float) w.getAsDouble();
            }
            // ig, h0, c and hg have contiguous rows (the kernel takes no leading dimension for them)
            return new Operands(cell, reverse, steps, batch, hidden,
                    StridedMatrix.input(steps * batch, gh, layoutIg.contiguous(), data.gatePreActivations()), weight,
                    withBias ? StridedMatrix.inputVector(gh, layoutBias, data.uniform(-1, 1)) : null,
                    StridedMatrix.input(batch, hidden, layoutH0.contiguous(), data.uniform(-1, 1)),
                    StridedMatrix.output(batch, hidden, layoutC.contiguous(), data.uniform(-2, 2)),
                    StridedMatrix.output(steps * batch, hidden, layoutH, UNWRITTEN),
                    StridedMatrix.output(batch, gh, layoutHg.contiguous(), UNWRITTEN));
        }

        /**
         * Sequence b alone (batch 1, contiguous operands at offset 0): its rows of ig, h0 and c, the same W_hh
         * and b_hh.
         */
        Operands alone(int b) {
            int gh = cell.gates() * hidden;
            Layout plain = Layout.CONTIGUOUS;
            return new Operands(cell, reverse, steps, 1, hidden,
                    StridedMatrix.input(steps, gh, plain, rowsOf(ig, b, batch)), weight, bhh,
                    StridedMatrix.input(1, hidden, plain, rowsOf(h0, b, 1)),
                    StridedMatrix.output(1, hidden, plain, rowsOf(c, b, 1)),
                    StridedMatrix.output(steps, hidden, plain, UNWRITTEN),
                    StridedMatrix.output(1, gh, plain, UNWRITTEN));
        }

        /** The elements of rows first, first + every, ... of m, row by row (the order StridedMatrix fills in). */
        private static DoubleSupplier rowsOf(StridedMatrix m, int first, int every) {
            int[] next = {0};
            return () -> {
                int i = next[0]++;
                return m.get(first + i / m.cols * every, i % m.cols);
            };
        }

        /** The state after a run: h, c, the consumed ig, the scratch, and h0 (an input, to show it unwritten). */
        record Run(StridedMatrix ig, StridedMatrix h0, StridedMatrix c, StridedMatrix h, StridedMatrix hg) {
        }

        private Run copies() {
            return new Run(ig.copy(), h0.copy(), c.copy(), h.copy(), hg.copy());
        }

        Run run(Kernels k) {
            Run r = copies();
            PackedMatrix whh = k.packB(true, hidden, cell.gates() * hidden, weight, 0, hidden);
            k.recurrentSequence(cell, reverse, steps, batch, hidden, r.ig.data, r.ig.offset, whh,
                    bhh == null ? null : bhh.data, bhh == null ? 0 : bhh.offset, r.h0.data, r.h0.offset,
                    cell == CellKind.LSTM ? r.c.data : null, r.c.offset, r.h.data, r.h.offset, r.h.ld, r.hg.data,
                    r.hg.offset);
            return r;
        }

        /**
         * The calls the Javadoc says recurrentSequence is, per step on all {@code batch} rows: broadcastRows,
         * sgemmPacked, the cell kernel without workspace.
         */
        Run runStepByStep(Kernels k) {
            Run r = copies();
            int gh = cell.gates() * hidden;
            PackedMatrix whh = k.packB(true, hidden, gh, weight, 0, hidden);
            for (int s = 0; s < steps; s++) {
                int t = reverse ? steps - 1 - s : s;
                // hPrev: h0 (ld = hidden) at the first step, else the previous step's rows of h (ld = ldh)
                float[] hPrev = s == 0 ? r.h0.data : r.h.data;
                int hPrevOffset = s == 0 ? r.h0.offset : r.h.index((reverse ? t + 1 : t - 1) * batch, 0);
                int ldhPrev = s == 0 ? hidden : r.h.ld;
                float beta = 0f;
                if (bhh != null) {
                    k.broadcastRows(batch, gh, bhh.data, bhh.offset, r.hg.data, r.hg.offset, gh);
                    beta = 1f;
                }
                k.sgemmPacked(false, batch, 1f, hPrev, hPrevOffset, ldhPrev, whh, beta, r.hg.data, r.hg.offset, gh);
                int igRows = r.ig.index(t * batch, 0);
                int hRows = r.h.index(t * batch, 0);
                switch (cell) {
                    case RNN_TANH -> k.rnnTanhCell(batch, hidden, r.ig.data, igRows, r.hg.data, r.hg.offset,
                            r.h.data, hRows, r.h.ld);
                    case RNN_RELU -> k.rnnReluCell(batch, hidden, r.ig.data, igRows, r.hg.data, r.hg.offset,
                            r.h.data, hRows, r.h.ld);
                    case GRU -> k.gruCell(batch, hidden, r.ig.data, igRows, r.hg.data, r.hg.offset, hPrev,
                            hPrevOffset, ldhPrev, r.h.data, hRows, r.h.ld, null, 0);
                    case LSTM -> k.lstmCell(batch, hidden, r.ig.data, igRows, r.hg.data, r.hg.offset, r.c.data,
                            r.c.offset, r.c.data, r.c.offset, r.h.data, hRows, r.h.ld, null, 0);
                }
            }
            return r;
        }
    }

    @Property(tries = 150)
    @Compares("recurrentSequence")
    void everyStepIsWithinTheCarriedBoundOfItsFormula(
            @ForAll CellKind cell, @ForAll boolean reverse, @ForAll(supplier = Steps.class) int steps,
            @ForAll(supplier = SequenceBatch.class) int batch, @ForAll(supplier = SequenceHidden.class) int hidden,
            @ForAll boolean withBias,
            @ForAll(supplier = Layouts.class) Layout layoutIg, @ForAll(supplier = Layouts.class) Layout layoutBias,
            @ForAll(supplier = Layouts.class) Layout layoutH0, @ForAll(supplier = Layouts.class) Layout layoutC,
            @ForAll(supplier = Layouts.class) Layout layoutH, @ForAll(supplier = Layouts.class) Layout layoutHg,
            @ForAll long seed) {
        Operands o = Operands.generate(cell, reverse, steps, batch, hidden, withBias, layoutIg, layoutBias, layoutH0,
                layoutC, layoutH, layoutHg, seed);
        // each sequence's reference is computed from its own rows only, so a row that mixed in another
        // sequence's values would fall outside its bound
        Reference expected = Reference.of(o);
        for (Kernels impl : BOTH) {
            Operands.Run r = o.run(impl);
            String name = impl.name() + " recurrentSequence " + cell + (reverse ? " reverse" : "");
            r.h().assertOnlyRegionChanged(o.h(), name + " h");
            r.ig().assertOnlyRegionChanged(o.ig(), name + " ig (consumed)");
            r.hg().assertOnlyRegionChanged(o.hg(), name + " hg (scratch)");
            r.h0().assertUnchanged(o.h0(), name + " h0");
            if (cell == CellKind.LSTM) {
                r.c().assertOnlyRegionChanged(o.c(), name + " c");
            } else {
                r.c().assertUnchanged(o.c(), name + " c (not an LSTM)");
            }
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    int row = t * batch + b;
                    for (int j = 0; j < hidden; j++) {
                        String at = "[step " + t + "][sequence " + b + "][" + j + "]";
                        Expect.within(() -> name + " h" + at, r.h().get(row, j), expected.h[row][j]);
                    }
                }
            }
            for (int b = 0; cell == CellKind.LSTM && b < batch; b++) { // c_0 itself after 0 steps
                for (int j = 0; j < hidden; j++) {
                    String at = "[sequence " + b + "][" + j + "]";
                    Expect.within(() -> name + " final c" + at, r.c().get(b, j), expected.c[b][j]);
                }
            }
        }
    }

    /** A shape of the bit-equality property. */
    record Shape(CellKind cell, int batch, int hidden, int steps) {

        boolean splitsHiddenUnits() {
            return batch == 1 && splits(cell, hidden, steps);
        }

        boolean splitsSequences() {
            return RecurrentSequenceProperties.splitsSequences(cell, steps, batch, hidden);
        }

        /**
         * Whether a sequence of the batch gets the same bits on the vector kernels as a batch-1 run of it alone.
         * The batch-1 product (VectorGemv.packedRow) runs one FMA chain per element over all of k and then
         * adds beta * c; the batch product (BlockedGemm, from batch 2 on) runs one chain per k-block of
         * {@link GemmBlocking#KC} and adds each block's sum to C in turn: the same operations in the same order
         * while hidden (= k) fits one block, other roundings from the second block on. (With alpha = 1 and
         * beta 0 or 1, the only values the recurrence uses, their two ways of adding beta * c round alike.) The
         * cell kernels compute each row alike whatever the batch. The scalar kernels' products and cells compute
         * every element alike at any batch, so there every sequence is compared.
         */
        boolean vectorBitsMatchAlone() {
            return hidden <= GemmBlocking.KC;
        }
    }

    /**
     * Shapes where the vector kernels change path: batch 1 with a hidden size near a cell kind's own smallest
     * hidden-unit split (weight 3); batch 2 to 5 with 20 to 30 steps near the sequence split (weight 3), their
     * hidden size one below, at or one above the smallest that splits, or any in 64..100, or 2 to 3 sequences of
     * 8 to 10 steps with hidden {@code KC + 1} (a second k-block, which also splits); or small shapes of batch 0
     * to 4 (weight 1).
     */
    @Provide
    Arbitrary<Shape> shapesNearTheirSplit() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, batchOneNearItsSplit()),
                Tuple.of(3, batchesNearTheSequenceSplit()),
                Tuple.of(1, smallShapes()));
    }

    /**
     * Hidden near the cell kind's smallest split (one panel below, one off it: weight 1; at it, one and two panels
     * above: weight 3), mostly enough steps to split: about 0.6 of these split.
     */
    private static Arbitrary<Shape> batchOneNearItsSplit() {
        int min = KernelThreads.SPLIT_RECURRENCE_MIN_STEPS;
        Arbitrary<Integer> steps = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(0, min)),
                Tuple.of(5, Arbitraries.integers().between(min, 30)));
        return Combinators.combine(Arbitraries.of(CellKind.class), steps).flatAs((cell, n) -> {
            int h = smallestSplit(cell);
            return Arbitraries.frequencyOf(
                    Tuple.of(1, Arbitraries.of(h - NR, h - 1, h + 1)),
                    Tuple.of(3, Arbitraries.of(h, h + NR, h + 2 * NR)))
                    .map(hidden -> new Shape(cell, 1, hidden, n));
        });
    }

    private static Arbitrary<Shape> batchesNearTheSequenceSplit() {
        Arbitrary<CellKind> cells = Arbitraries.of(CellKind.class);
        Arbitrary<Shape> nearThreshold = Combinators.combine(cells, Arbitraries.integers().between(2, 5),
                Arbitraries.integers().between(20, 30)).flatAs((cell, batch, steps) -> {
                    int h = smallestSequenceSplit(cell, steps, batch);
                    return Arbitraries.frequencyOf(
                            Tuple.of(1, Arbitraries.just(h - 1)),
                            Tuple.of(3, Arbitraries.of(h, h + 1)),
                            Tuple.of(1, Arbitraries.integers().between(64, 100)))
                            .map(hidden -> new Shape(cell, batch, hidden, steps));
                });
        Arbitrary<Shape> secondKBlock = Combinators.combine(cells, Arbitraries.integers().between(2, 3),
                Arbitraries.integers().between(8, 10))
                .as((cell, batch, steps) -> new Shape(cell, batch, GemmBlocking.KC + 1, steps));
        return Arbitraries.frequencyOf(Tuple.of(5, nearThreshold), Tuple.of(1, secondKBlock));
    }

    private static Arbitrary<Shape> smallShapes() {
        return Combinators.combine(Arbitraries.of(CellKind.class), new SequenceBatch().get(),
                KernelShapes.sizes(4 * KernelShapes.LANES + 1, 70), Arbitraries.integers().between(0, 12))
                .as(Shape::new);
    }

    // No edge cases: their combinations (first and last hidden sizes, 0 steps, every layout) would fill most of
    // the tries and leave few split cases. Drawn at random, 3/7 of the shapes are of batch 1 and about 0.6 of
    // those split their hidden units, 3/7 are batches near the sequence split and about 0.7 of those split their
    // sequences: seen 37-48 and 41-51 of 150 tries, 15-21 and 12-20 of the 60 tries at the narrow vector widths.
    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void oneThreadTwoThreadsTheStepByStepCallsAndEachSequenceAloneGiveTheSameBits(
            @ForAll("shapesNearTheirSplit") Shape shape, @ForAll boolean reverse, @ForAll boolean withBias,
            @ForAll(supplier = Layouts.class) Layout layoutIg, @ForAll(supplier = Layouts.class) Layout layoutH,
            @ForAll long seed) {
        Layout plain = Layout.CONTIGUOUS;
        Operands o = Operands.generate(shape.cell(), reverse, shape.steps(), shape.batch(), shape.hidden(), withBias,
                layoutIg, plain, plain, plain, layoutH, plain, seed);
        int threadsBefore = KernelThreads.count();
        try {
            KernelThreads.setCount(1);
            Operands.Run oneThread = o.run(VECTOR);
            KernelThreads.setCount(2);
            Operands.Run twoThreads = o.run(VECTOR);
            assertSameBits(oneThread, twoThreads, "vector, 1 and 2 threads");
            assertSameBits(o.runStepByStep(VECTOR), twoThreads, "vector, step by step and whole sequence");
            Operands.Run scalar = o.run(SCALAR);
            assertSameBits(o.runStepByStep(SCALAR), scalar, "scalar, step by step and whole sequence");
            if (shape.batch() >= 2) {
                assertEachSequenceAsAlone(o, scalar, SCALAR);
                if (shape.vectorBitsMatchAlone()) {
                    assertEachSequenceAsAlone(o, twoThreads, VECTOR);
                }
            }
        } finally {
            KernelThreads.setCount(threadsBefore);
        }
        // the generated shapes must reach each split often, or the 2-thread comparison proves little
        Statistics.label("hidden units split over two threads (batch 1)").collect(shape.splitsHiddenUnits());
        Statistics.label("hidden units split over two threads (batch 1)")
                .coverage(c -> c.check(true).count(n -> n >= 5));
        Statistics.label("sequences split over two threads (batch >= 2)").collect(shape.splitsSequences());
        Statistics.label("sequences split over two threads (batch >= 2)")
                .coverage(c -> c.check(true).count(n -> n >= 5));
        boolean vectorAlone = shape.batch() >= 2 && shape.vectorBitsMatchAlone();
        Statistics.label("sequences compared alone on the vector kernels").collect(vectorAlone);
        Statistics.label("sequences compared alone on the vector kernels")
                .coverage(c -> c.check(true).count(n -> n >= 5));
    }

    private static void assertSameBits(Operands.Run expected, Operands.Run got, String what) {
        got.h().assertUnchanged(expected.h(), what + ": h");
        got.c().assertUnchanged(expected.c(), what + ": c");
        got.ig().assertUnchanged(expected.ig(), what + ": consumed ig");
    }

    /** Each sequence's rows of h and LSTM's final c in {@code batchRun} are the bits of a batch-1 run of it alone. */
    private static void assertEachSequenceAsAlone(Operands o, Operands.Run batchRun, Kernels impl) {
        for (int b = 0; b < o.batch(); b++) {
            Operands.Run alone = o.alone(b).run(impl);
            String what = impl.name() + ", sequence " + b + " of " + o.batch() + " and alone";
            for (int t = 0; t < o.steps(); t++) {
                for (int j = 0; j < o.hidden(); j++) {
                    String at = "[step " + t + "][" + j + "]";
                    Expect.same(() -> what + ": h" + at, batchRun.h().get(t * o.batch() + b, j), alone.h().get(t, j));
                }
            }
            for (int j = 0; o.cell() == CellKind.LSTM && j < o.hidden(); j++) {
                String at = "[" + j + "]";
                Expect.same(() -> what + ": final c" + at, batchRun.c().get(b, j), alone.c().get(0, j));
            }
        }
    }

    /**
     * The formula of every step in double with its carried error bound, each sequence from its own rows: h per
     * row ({@code t * batch + b}), LSTM's final c per sequence.
     */
    private record Reference(Tracked[][] h, Tracked[][] c) {

        static Reference of(Operands o) {
            Tracked[][] h = new Tracked[o.steps() * o.batch()][];
            Tracked[][] c = new Tracked[o.batch()][];
            for (int b = 0; b < o.batch(); b++) {
                c[b] = sequence(o, b, h);
            }
            return new Reference(h, c);
        }

        /** Sequence b's recurrence: fills its rows of h and returns its final c. */
        private static Tracked[] sequence(Operands o, int b, Tracked[][] h) {
            int hidden = o.hidden();
            int gh = o.cell().gates() * hidden;
            Tracked[] hPrev = new Tracked[hidden];
            Tracked[] c = new Tracked[hidden];
            for (int j = 0; j < hidden; j++) {
                hPrev[j] = Tracked.exact(o.h0().get(b, j));
                c[j] = Tracked.exact(o.c().get(b, j));
            }
            for (int s = 0; s < o.steps(); s++) {
                int row = (o.reverse() ? o.steps() - 1 - s : s) * o.batch() + b;
                Tracked[] hg = new Tracked[gh];
                for (int col = 0; col < gh; col++) {
                    List<Tracked> terms = new ArrayList<>(hidden + 1);
                    for (int p = 0; p < hidden; p++) {
                        terms.add(hPrev[p].times(Tracked.exact(o.weight()[col * hidden + p])));
                    }
                    if (o.bhh() != null) {
                        terms.add(Tracked.exact(o.bhh().get(col)));
                    }
                    hg[col] = Tracked.sum(terms);
                }
                Tracked[] next = new Tracked[hidden];
                for (int j = 0; j < hidden; j++) {
                    next[j] = unit(o, row, j, hg, hPrev[j], c);
                }
                h[row] = next;
                hPrev = next;
            }
            return c;
        }

        /** h' of unit j for the ig row {@code row} (LSTM: also c[j] := c'). */
        private static Tracked unit(Operands o, int row, int j, Tracked[] hg, Tracked hPrev, Tracked[] c) {
            int hidden = o.hidden();
            Tracked[] pre = new Tracked[o.cell().gates()];
            for (int g = 0; g < pre.length; g++) {
                pre[g] = Tracked.exact(o.ig().get(row, g * hidden + j));
            }
            return switch (o.cell()) {
                case RNN_TANH -> pre[0].plus(hg[j]).tanh();
                case RNN_RELU -> pre[0].plus(hg[j]).max(Tracked.exact(0f));
                case GRU -> {
                    Tracked r = pre[0].plus(hg[j]).sigmoid();
                    Tracked z = pre[1].plus(hg[hidden + j]).sigmoid();
                    Tracked n = pre[2].plus(r.times(hg[2 * hidden + j])).tanh();
                    yield Tracked.eitherOf(hPrev.minus(n).times(z).plus(n), z.oneMinus().times(n).plus(z.times(hPrev)));
                }
                case LSTM -> {
                    Tracked i = pre[0].plus(hg[j]).sigmoid();
                    Tracked f = pre[1].plus(hg[hidden + j]).sigmoid();
                    Tracked g = pre[2].plus(hg[2 * hidden + j]).tanh();
                    Tracked out = pre[3].plus(hg[3 * hidden + j]).sigmoid();
                    c[j] = f.times(c[j]).plus(i.times(g));
                    yield out.times(c[j].tanh());
                }
            };
        }
    }
}
