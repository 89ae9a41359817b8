package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.GemmBlocking;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Tuple;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Product shapes (m, n, k) aimed at the edges of the vector sgemm's blocking ({@link GemmBlocking}): the
 * micro-tile MR x NR and its shorter row kernels, the packed blocks KC, MC and NC, the four-panel groups of the
 * batch-1 packed product, and the single/multi-thread thresholds. Each dimension is one element of an ascending
 * list, so a failure shrinks to the smallest failing edge. At most one dimension is large at a time, which keeps
 * the double reference affordable.
 */
final class GemmShapes {

    static final int LANES = KernelShapes.LANES;
    static final int MR = GemmBlocking.microTileRows(LANES);
    static final int NR = GemmBlocking.microTileCols(LANES);
    static final int KC = GemmBlocking.KC;
    static final int MC = GemmBlocking.MC / MR * MR;
    static final int NC = GemmBlocking.NC / NR * NR;

    private GemmShapes() {
    }

    /** m n k. */
    record Shape(int m, int n, int k) {
        long multiplyAdds() {
            return (long) m * n * k;
        }
    }

    /** x - 1, x, x + 1 for each x (skipping values below 1). */
    private static List<Integer> around(int... values) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int v : values) {
            IntStream.of(v - 1, v, v + 1).filter(x -> x >= 1).forEach(out::add);
        }
        return List.copyOf(out);
    }

    /** Row counts around the tile heights (4, 8, MR), two tiles and the A block MC. */
    static final List<Integer> SMALL_ROWS = around(1, 4, 8, MR, 2 * MR);
    /**
     * Column counts around one vector, one panel NR, and the four-panel groups of the batch-1 packed product (three
     * panels: one short of a group; eight: a second group, whose column offset must be right).
     */
    static final List<Integer> SMALL_COLS = around(1, LANES, NR, 2 * NR, 3 * NR, 4 * NR, 5 * NR, 8 * NR);
    /** Inner lengths that are short or odd. */
    static final List<Integer> SMALL_INNER = List.of(1, 2, 3, 17, 64);

    private static Arbitrary<Shape> shapes(List<Integer> ms, List<Integer> ns, List<Integer> ks) {
        return Arbitraries.of(ms).flatMap(m -> Arbitraries.of(ns).flatMap(n -> Arbitraries.of(ks)
                .map(k -> new Shape(m, n, k))));
    }

    /**
     * One dimension at a block edge (MC +- 1 rows, NC +- 1 columns or KC +- 1, 2 KC +- 1 inner), the other two
     * around the micro-tile; or all three around the micro-tile. Inner lengths past KC come with 1 or 2 rows too
     * (the batch-1 packed product loops over k-blocks itself) and with MR + 4 rows (a row edge of exactly 4 rows,
     * the last row of the 4-row kernel); NC +- 1 columns with inner lengths that reach the blocked product. One
     * row on its own: the batch-1 packed product's four-panel groups (three panels, one group, two groups) over
     * one or two k-blocks.
     */
    static final class BlockEdges implements ArbitrarySupplier<Shape> {
        @Override
        public Arbitrary<Shape> get() {
            return Arbitraries.frequencyOf(
                    Tuple.of(2, shapes(SMALL_ROWS, SMALL_COLS, SMALL_INNER)),
                    Tuple.of(1, shapes(List.of(1), around(3 * NR, 4 * NR, 8 * NR), List.of(17, KC + 1))),
                    Tuple.of(1, shapes(around(MC, 2 * MC), around(NR, 2 * NR), SMALL_INNER)),
                    Tuple.of(1, shapes(around(MR), around(NC), List.of(1, 17, 64))),
                    Tuple.of(2, shapes(around(1, 4, MR, MR + 4, 2 * MR), around(NR, 4 * NR), around(KC, 2 * KC))));
        }
    }

    /**
     * One row (m = 1) with n k just below and just at {@link GemmBlocking#ROW_THREADING_MIN_MULTIPLY_ADDS} (below
     * it the product stays on one thread whatever the count, from it on it is split), and column counts at the
     * edges of the four-panel groups that a split cuts at: one group (nothing to split), one group and a column,
     * two groups, two and a half groups and a few columns, three groups less a column, nine groups and a panel
     * (not divisible by 2 or 3 parts).
     */
    static final class RowThreadingEdges implements ArbitrarySupplier<Shape> {
        @Override
        public Arbitrary<Shape> get() {
            long threshold = GemmBlocking.ROW_THREADING_MIN_MULTIPLY_ADDS;
            int group = 4 * NR;
            List<Integer> cols = List.of(group, group + 1, 2 * group, 2 * group + 2 * NR + 3, 3 * group - 1,
                    9 * group + NR);
            return Arbitraries.of(cols).flatMap(n -> Arbitraries.of(
                    new Shape(1, n, (int) Math.max(1, (threshold - 1) / n)),
                    new Shape(1, n, (int) ((threshold + n - 1) / n))));
        }
    }

    /**
     * m n k within a few percent of the threading threshold {@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS}
     * (128^3), with many more columns than rows (the split cuts columns), many more rows (it cuts rows) or square.
     */
    static final class ThreadingEdges implements ArbitrarySupplier<Shape> {
        @Override
        public Arbitrary<Shape> get() {
            long threshold = GemmBlocking.THREADING_MIN_MULTIPLY_ADDS;
            int side = (int) Math.round(Math.cbrt(threshold));
            return Arbitraries.of(
                    new Shape(side, side, side - 1), new Shape(side, side, side), new Shape(side, side, side + 1),
                    new Shape(MR + 1, (int) (threshold / ((MR + 1) * 64L)) + 1, 64),
                    new Shape((int) (threshold / (17L * 64)) + 1, 17, 64),
                    new Shape(3 * MR + 1, 5 * NR + 3, (int) (threshold / ((3 * MR + 1L) * (5 * NR + 3))) + 1));
        }
    }
}
