package io.github.jrnn.properties.kernels;

import jdk.incubator.vector.FloatVector;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.List;
import java.util.TreeSet;

/**
 * Shape generators for the kernel properties, used as {@code @ForAll(supplier = KernelShapes.X.class)}. Sizes mix
 * the values where vector code changes path (around the lane count L, the small register blocks and their
 * multiples) with uniformly random sizes; every generator is an integer or a list choice, so a failure shrinks to
 * the smallest failing shape (choices shrink towards the start of their ascending list).
 */
final class KernelShapes {

    /** Floats per preferred vector on this machine (never assumed: 16 with AVX-512, 8 with AVX2, 4 with NEON). */
    static final int LANES = FloatVector.SPECIES_PREFERRED.length();

    private KernelShapes() {
    }

    /**
     * Sizes up to {@code max} where a vector loop changes path: 0 and 1, 1..8 and 12, 16, 24, 32 +- 1 (register
     * blocks and unrolls), L - 1, L, L + 1, 2L - 1, 2L, 2L + 1, 3L, 4L + 1 (vector body and tail boundaries), and
     * 8L +- 1, 16L + 1 (the eight-vector column blocks of the transposed sgemv: one, and a second one).
     */
    static List<Integer> pathBoundaries(int max) {
        TreeSet<Integer> sizes = new TreeSet<>();
        for (int s = 0; s <= 8; s++) {
            sizes.add(s);
        }
        for (int block : new int[] {12, 16, 24, 32}) {
            sizes.add(block - 1);
            sizes.add(block);
            sizes.add(block + 1);
        }
        int l = LANES;
        for (int s : new int[] {l - 1, l, l + 1, 2 * l - 1, 2 * l, 2 * l + 1, 3 * l, 4 * l + 1, 8 * l - 1, 8 * l,
                8 * l + 1, 16 * l + 1}) {
            sizes.add(s);
        }
        return List.copyOf(sizes.headSet(max, true));
    }

    /** Path boundaries up to {@code boundaryMax} (weight 1) or any size in [0, randomMax] (weight 1). */
    static Arbitrary<Integer> sizes(int boundaryMax, int randomMax) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(pathBoundaries(boundaryMax))),
                Tuple.of(1, Arbitraries.integers().between(0, randomMax)));
    }

    /** Length of a vector operand: boundaries up to 4L + 1, random up to 520 (dozens of vectors plus a tail). */
    static final class Length implements ArbitrarySupplier<Integer> {
        @Override
        public Arbitrary<Integer> get() {
            return sizes(4 * LANES + 1, 520);
        }
    }

    /** A row or column count of a matrix: boundaries up to 4L + 1, random up to 70. */
    static final class Dimension implements ArbitrarySupplier<Integer> {
        @Override
        public Arbitrary<Integer> get() {
            return sizes(4 * LANES + 1, 70);
        }
    }

    /**
     * The inner (summed) length k of a product, also the column count of a transposed sgemv: boundaries up to
     * 16L + 1, random up to 200.
     */
    static final class Inner implements ArbitrarySupplier<Integer> {
        @Override
        public Arbitrary<Integer> get() {
            return sizes(16 * LANES + 1, 200);
        }
    }

    /** A batch size of a recurrent cell: 0..9 mostly, random up to 12. */
    static final class Batch implements ArbitrarySupplier<Integer> {
        @Override
        public Arbitrary<Integer> get() {
            return sizes(9, 12);
        }
    }

    /** A hidden size of a recurrent cell: boundaries up to 4L + 1, random up to 100. */
    static final class Hidden implements ArbitrarySupplier<Integer> {
        @Override
        public Arbitrary<Integer> get() {
            return sizes(4 * LANES + 1, 100);
        }
    }

    /**
     * Where a slice sits in its array: an offset in 0..40 (0 and L - 1 as edge cases) and the padding added to the
     * row length to make the leading dimension ({@code ld = cols + padding}; 0 most often, up to L + 1).
     */
    record Layout(int offset, int padding) {
        static final Layout CONTIGUOUS = new Layout(0, 0);

        /** The same offset without padding, for operands whose rows must be contiguous. */
        Layout contiguous() {
            return new Layout(offset, 0);
        }
    }

    /** A {@link Layout}; shrinks towards offset 0 and padding 0. */
    static final class Layouts implements ArbitrarySupplier<Layout> {
        @Override
        public Arbitrary<Layout> get() {
            Arbitrary<Integer> offsets = Arbitraries.integers().between(0, 40)
                    .edgeCases(c -> c.add(LANES - 1, LANES));
            Arbitrary<Integer> paddings = Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.just(0)),
                    Tuple.of(2, Arbitraries.integers().between(1, LANES + 1)));
            return Combinators.combine(offsets, paddings).as(Layout::new);
        }
    }

    /** An alpha or beta: 0, 1 and -1 (the BLAS special cases) or any value in [-2, 2]. */
    static final class Coefficient implements ArbitrarySupplier<Float> {
        @Override
        public Arbitrary<Float> get() {
            return Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.of(0f, 1f, -1f)),
                    Tuple.of(2, Arbitraries.floats().between(-2f, 2f).ofScale(6)));
        }
    }
}
