package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.BinaryOp;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.UnaryOp;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import io.github.jrnn.properties.kernels.KernelShapes.Length;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * The tensor-operation kernels whose result is exact: broadcast element-wise operations and where (one IEEE
 * operation or a choice per element), the unary functions (exact, or log within 2 ulp), pow with PyTorch's special
 * exponents, and the selections along a dimension (max/min with the first position, topk, scatter-add in
 * increasing j). Every implementation must give exactly the formula's float, on random row starts and strides
 * (broadcast rows) and on (outer, size, inner) views around the lane count, writing nothing outside its output.
 */
class TensorOpProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;
    private static final int INDEX_SENTINEL = -7;

    @Provide
    Arbitrary<Integer> inners() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 2 * KernelShapes.LANES + 3)));
    }

    /** One broadcast operand: a random array and, per row, a start that fits a run (stride 1) or one value. */
    private record Operand(float[] data, int[] rows, int stride) {
        static Operand random(SplittableRandom random, DoubleSupplier values, int rows, int cols, boolean zeroOnes) {
            int stride = random.nextInt(2);
            float[] data = new float[cols + 2 * KernelShapes.LANES + 3];
            for (int i = 0; i < data.length; i++) {
                double v = values.getAsDouble();
                data[i] = zeroOnes ? (random.nextInt(3) == 0 ? 0f : (float) v) : (float) v;
            }
            int span = data.length - (stride == 0 ? 1 : cols);
            int[] starts = IntStream.range(0, rows).map(r -> random.nextInt(span + 1)).toArray();
            return new Operand(data, starts, stride);
        }

        float at(int r, int j) {
            return data[rows[r] + j * stride];
        }
    }

    /** Special values: in half of the draws (the rest from {@code values}), so that equal pairs are common. */
    private static final float[] POOL = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN};

    /** {@code values}, or half the time a {@link #POOL} value: operands that often equal each other. */
    private static DoubleSupplier withTies(SplittableRandom random, DoubleSupplier values) {
        return () -> random.nextBoolean() ? POOL[random.nextInt(POOL.length)] : values.getAsDouble();
    }

    private static float reference(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
        };
    }

    @Property(tries = 100)
    @Compares("broadcastBinary")
    void broadcastBinaryIsTheExactFloatOperationOnEveryBroadcastPair(
            @ForAll @IntRange(min = 0, max = 5) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll(supplier = Layouts.class) Layout layoutOut, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FloatData data = new FloatData(seed);
        // every operation on the same operands each try: comparisons of equal pairs (ties) included
        Operand a = Operand.random(random, withTies(random, data.activationArguments()), rows, cols, false);
        Operand b = Operand.random(random, withTies(random, data.activationArguments()), rows, cols, false);
        StridedMatrix out = StridedMatrix.output(rows, cols, layoutOut.contiguous(), UNWRITTEN);
        for (BinaryOp op : BinaryOp.values()) {
            assertBroadcastBinary(op, rows, cols, a, b, out);
        }
    }

    private static void assertBroadcastBinary(BinaryOp op, int rows, int cols, Operand a, Operand b,
                                              StridedMatrix out) {
        for (Kernels impl : BOTH) {
            float[] aData = a.data.clone();
            float[] bData = b.data.clone();
            StridedMatrix run = out.copy();
            impl.broadcastBinary(op, rows, cols, aData, a.rows, a.stride, bData, b.rows, b.stride, run.data,
                    run.offset);
            run.assertOnlyRegionChanged(out, impl.name() + " broadcastBinary out");
            assertInputsUnchanged(impl, a.data, aData, b.data, bData);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int row = r;
                    int col = j;
                    Expect.same(() -> impl.name() + " " + op + " (" + a.at(row, col) + ", " + b.at(row, col)
                            + ") at [" + row + "][" + col + "]", run.get(r, j), reference(op, a.at(r, j), b.at(r, j)));
                }
            }
        }
    }

    private static void assertInputsUnchanged(Kernels impl, float[]... beforeAndAfter) {
        for (int i = 0; i < beforeAndAfter.length; i += 2) {
            if (!Arrays.equals(beforeAndAfter[i], beforeAndAfter[i + 1])) {
                throw new AssertionError(impl.name() + ": input " + i / 2 + " was modified");
            }
        }
    }

    @Property(tries = 300)
    @Compares("broadcastWhere")
    void broadcastWhereTakesTheFirstOperandExactlyWhereTheConditionIsNonZero(
            @ForAll @IntRange(min = 0, max = 5) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll(supplier = Layouts.class) Layout layoutOut, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FloatData data = new FloatData(seed);
        Operand cond = Operand.random(random, data.activationArguments(), rows, cols, true);
        Operand a = Operand.random(random, data.activationArguments(), rows, cols, false);
        Operand b = Operand.random(random, data.activationArguments(), rows, cols, false);
        StridedMatrix out = StridedMatrix.output(rows, cols, layoutOut.contiguous(), UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix run = out.copy();
            float[] cData = cond.data.clone();
            float[] aData = a.data.clone();
            float[] bData = b.data.clone();
            impl.broadcastWhere(rows, cols, cData, cond.rows, cond.stride, aData, a.rows, a.stride, bData, b.rows,
                    b.stride, run.data, run.offset);
            run.assertOnlyRegionChanged(out, impl.name() + " broadcastWhere out");
            assertInputsUnchanged(impl, cond.data, cData, a.data, aData, b.data, bData);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int row = r;
                    int col = j;
                    float expected = cond.at(r, j) != 0f ? a.at(r, j) : b.at(r, j);
                    Expect.same(() -> impl.name() + " where(" + cond.at(row, col) + ") at [" + row + "][" + col
                            + "]", run.get(r, j), expected);
                }
            }
        }
    }

    @Property(tries = 100)
    @Compares("unary")
    void unaryFunctionsAreExactAndLogIsWithinTwoUlps(
            @ForAll(supplier = Length.class) int n, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        // zeros of both signs (sign's boundary), infinities and NaN often; every function each try
        StridedMatrix x = StridedMatrix.inputVector(n, layoutX,
                withTies(new SplittableRandom(seed), new FloatData(seed).activationArguments()));
        StridedMatrix y = StridedMatrix.outputVector(n, layoutY, UNWRITTEN);
        for (UnaryOp op : UnaryOp.values()) {
            assertUnary(op, n, inPlace, x, y);
        }
    }

    private static void assertUnary(UnaryOp op, int n, boolean inPlace, StridedMatrix x, StridedMatrix y) {
        for (Kernels impl : BOTH) {
            float[] got = ElementwiseRuns.unary(impl, "unary " + op, (k, m, xs, xo, ys, yo) -> k.unary(op, m, xs,
                    xo, ys, yo), x, y, inPlace);
            for (int i = 0; i < n; i++) {
                float xi = x.get(i);
                float gi = got[i];
                java.util.function.Supplier<String> what = () -> impl.name() + " " + op + "(" + xi + ")";
                switch (op) {
                    case LOG -> {
                        double exact = Math.log(xi);
                        if (Double.isNaN(exact) || Double.isInfinite(exact)) {
                            Expect.same(what, gi, (float) exact);
                        } else {
                            Expect.ulps(what, gi, exact, Tolerances.LOG_ULPS);
                        }
                    }
                    case SQRT -> Expect.same(what, gi, (float) Math.sqrt(xi));
                    case RSQRT -> Expect.same(what, gi, 1f / (float) Math.sqrt(xi));
                    case ABS -> Expect.same(what, gi, Math.abs(xi));
                    case NEG -> Expect.same(what, gi, -xi);
                    case SIGN -> Expect.same(what, gi, xi > 0 ? 1f : xi < 0 ? -1f : 0f);
                    default -> throw new AssertionError(op);
                }
            }
        }
    }

    /** PyTorch's special exponents, each with its own formula (powScalar's Javadoc). */
    private static final float[] SPECIAL_EXPONENTS = {2f, 3f, 0.5f, -0.5f, -1f, -2f};

    @Provide
    Arbitrary<Float> exponents() {
        return Arbitraries.oneOf(Arbitraries.of(0f, 1f, 1.5f, -3f), Arbitraries.floats().between(-4f, 4f));
    }

    @Property(tries = 100)
    @Compares("powScalar")
    void powScalarIsPyTorchsFormulaForEachExponent(
            @ForAll(supplier = Length.class) int n, @ForAll("exponents") float general, @ForAll boolean inPlace,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        // -0.0, infinities and huge values (where a special formula and pow round or overflow apart) often; each
        // special exponent and one general exponent every try
        StridedMatrix x = StridedMatrix.inputVector(n, layoutX,
                withTies(new SplittableRandom(seed), new FloatData(seed).activationArguments()));
        StridedMatrix y = StridedMatrix.outputVector(n, layoutY, UNWRITTEN);
        for (float p : SPECIAL_EXPONENTS) {
            assertPow(p, n, inPlace, x, y);
        }
        assertPow(general, n, inPlace, x, y);
    }

    private static void assertPow(float p, int n, boolean inPlace, StridedMatrix x, StridedMatrix y) {
        for (Kernels impl : BOTH) {
            float[] got = ElementwiseRuns.unary(impl, "powScalar", (k, m, xs, xo, ys, yo) -> k.powScalar(m, p, xs,
                    xo, ys, yo), x, y, inPlace);
            for (int i = 0; i < n; i++) {
                float xi = x.get(i);
                float expected = p == 2f ? xi * xi : p == 3f ? xi * xi * xi : p == 0.5f ? (float) Math.sqrt(xi)
                        : p == -0.5f ? 1f / (float) Math.sqrt(xi) : p == -1f ? 1f / xi : p == -2f ? 1f / (xi * xi)
                        : (float) StrictMath.pow(xi, p);
                Expect.same(() -> impl.name() + " pow(" + xi + ", " + p + ")", got[i], expected);
            }
        }
    }

    /** Element (o, k, i) of an (outer, size, inner) slice. */
    private static float at(StridedMatrix x, int size, int inner, int o, int k, int i) {
        return x.get((o * size + k) * inner + i);
    }

    @Property(tries = 300)
    @Compares("maxAlong")
    void maxAlongFindsTheFirstExtremeOrTheFirstNaN(
            @ForAll boolean largest, @ForAll @IntRange(min = 0, max = 3) int outer,
            @ForAll @IntRange(min = 1, max = 40) int size, @ForAll("inners") int inner, @ForAll boolean ties,
            @ForAll(supplier = Layouts.class) Layout layout, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        // few distinct values so ties are common, NaN and infinities now and then; or distinct values (a NaN
        // now and then), so that the extreme lies anywhere in the line (past the first vector, too)
        float[] pool = {0f, -0f, 1f, -1f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.5f};
        StridedMatrix x = StridedMatrix.inputVector(outer * size * inner, layout,
                () -> ties ? pool[random.nextInt(random.nextInt(8) == 0 ? pool.length : 5)]
                        : random.nextInt(16) == 0 ? Float.NaN : (float) random.nextGaussian());
        StridedMatrix values = StridedMatrix.outputVector(outer * inner, layout, UNWRITTEN);
        for (Kernels impl : BOTH) {
            StridedMatrix xRun = x.copy();
            StridedMatrix vRun = values.copy();
            int[] indices = indexArray(layout.offset(), outer * inner);
            impl.maxAlong(largest, outer, size, inner, xRun.data, xRun.offset, vRun.data, vRun.offset, indices,
                    layout.offset());
            xRun.assertUnchanged(x, impl.name() + " maxAlong x");
            vRun.assertOnlyRegionChanged(values, impl.name() + " maxAlong values");
            assertIndexSentinels(impl, indices, layout.offset(), outer * inner);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int best = 0;
                    for (int k = 1; k < size && !Float.isNaN(at(x, size, inner, o, best, i)); k++) {
                        float v = at(x, size, inner, o, k, i);
                        float b = at(x, size, inner, o, best, i);
                        if (Float.isNaN(v) || (largest ? v > b : v < b)) {
                            best = k;
                        }
                    }
                    int position = best;
                    int oo = o;
                    int ii = i;
                    String what = impl.name() + (largest ? " max" : " min") + "Along at (" + o + ", " + i + ")";
                    if (indices[layout.offset() + o * inner + i] != position) {
                        throw new AssertionError(what + ": index " + indices[layout.offset() + o * inner + i]
                                + ", expected " + position);
                    }
                    Expect.same(() -> what, vRun.get(oo * inner + ii), at(x, size, inner, o, position, i));
                }
            }
        }
    }

    private static int[] indexArray(int offset, int n) {
        int[] indices = new int[offset + n + KernelShapes.LANES + 1];
        Arrays.fill(indices, INDEX_SENTINEL);
        return indices;
    }

    private static void assertIndexSentinels(Kernels impl, int[] indices, int offset, int n) {
        for (int i = 0; i < indices.length; i++) {
            if ((i < offset || i >= offset + n) && indices[i] != INDEX_SENTINEL) {
                throw new AssertionError(impl.name() + " wrote index element " + i + " outside [" + offset + ", "
                        + (offset + n) + ")");
            }
        }
    }

    @Property(tries = 200)
    @Compares("topkAlong")
    void topkAlongGivesTheKExtremesSortedAtDistinctPositionsOfThoseValues(
            @ForAll boolean largest, @ForAll @IntRange(min = 0, max = 3) int outer,
            @ForAll @IntRange(min = 0, max = 30) int sizeWish, @ForAll("inners") int inner,
            @ForAll @IntRange(min = 0, max = 30) int kWish, @ForAll boolean longLine,
            @ForAll(supplier = Layouts.class) Layout layout, @ForAll long seed) {
        // torch (and TopK) select with a heap of k elements when 64 k <= size, else by introselect: a long line
        // takes the heap (of up to 12, so that a value sifts through several levels), a short one the other path
        int k = longLine ? 1 + kWish % 12 : Math.min(kWish, sizeWish);
        int size = longLine ? 64 * k + sizeWish : sizeWish;
        SplittableRandom random = new SplittableRandom(seed);
        float[] pool = {0f, 1f, -1f, 2f, 3f, Float.POSITIVE_INFINITY, Float.NaN};
        StridedMatrix x = StridedMatrix.inputVector(outer * size * inner, layout,
                () -> random.nextInt(4) == 0 ? pool[random.nextInt(pool.length)] : (float) random.nextGaussian());
        StridedMatrix values = StridedMatrix.outputVector(outer * k * inner, layout, UNWRITTEN);
        int[] previous = null;
        for (Kernels impl : BOTH) {
            StridedMatrix vRun = values.copy();
            int[] indices = indexArray(layout.offset(), outer * k * inner);
            impl.topkAlong(largest, outer, size, inner, k, x.copy().data, x.offset, vRun.data, vRun.offset,
                    indices, layout.offset());
            if (previous != null && !Arrays.equals(previous, indices)) {
                throw new AssertionError(impl.name() + " topk orders ties unlike the other implementation: "
                        + Arrays.toString(indices) + " vs " + Arrays.toString(previous));
            }
            previous = indices;
            vRun.assertOnlyRegionChanged(values, impl.name() + " topkAlong values");
            assertIndexSentinels(impl, indices, layout.offset(), outer * k * inner);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int oo = o;
                    int ii = i;
                    Comparator<Integer> byValue = Comparator.comparing(p -> at(x, size, inner, oo, p, ii),
                            largest ? Comparator.<Float>reverseOrder() : Comparator.<Float>naturalOrder());
                    Integer[] order = IntStream.range(0, size).boxed().sorted(byValue).toArray(Integer[]::new);
                    Set<Integer> seen = new HashSet<>();
                    for (int j = 0; j < k; j++) {
                        int e = (o * k + j) * inner + i;
                        int got = indices[layout.offset() + e];
                        if (got < 0 || got >= size || !seen.add(got)) {
                            throw new AssertionError(impl.name() + " topk (" + o + ", " + j + ", " + i + "): index "
                                    + got + " outside [0, " + size + ") or repeated");
                        }
                        // ties may come in any order here (torch's order is golden-tested in nn): the value of
                        // rank j must be the j-th of the sorted line, and the index must point at that value
                        Expect.same(() -> impl.name() + " topk value", vRun.get(e),
                                at(x, size, inner, o, order[j], i));
                        Expect.same(() -> impl.name() + " topk value at its index", vRun.get(e),
                                at(x, size, inner, o, got, i));
                    }
                }
            }
        }
    }

    @Property(tries = 200)
    @Compares("scatterAddAlong")
    void scatterAddAlongAddsEverySourceElementAtItsPositionInOrder(
            @ForAll @IntRange(min = 0, max = 3) int outer, @ForAll @IntRange(min = 0, max = 6) int k,
            @ForAll @IntRange(min = 1, max = 6) int size, @ForAll("inners") int inner,
            @ForAll(supplier = Layouts.class) Layout layout, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FloatData data = new FloatData(seed);
        int n = outer * k * inner;
        StridedMatrix src = StridedMatrix.inputVector(n, layout, data.activationArguments());
        int[] index = random.ints(n, 0, size).toArray();
        StridedMatrix out = StridedMatrix.outputVector(outer * size * inner, layout, data.activationArguments());
        float[] expected = new float[outer * size * inner];
        for (int e = 0; e < expected.length; e++) {
            expected[e] = out.get(e);
        }
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < inner; i++) {
                    int e = (o * k + j) * inner + i;
                    expected[(o * size + index[e]) * inner + i] += src.get(e);
                }
            }
        }
        for (Kernels impl : BOTH) {
            StridedMatrix run = out.copy();
            impl.scatterAddAlong(outer, k, size, inner, src.copy().data, src.offset, index.clone(), 0, run.data,
                    run.offset);
            run.assertOnlyRegionChanged(out, impl.name() + " scatterAddAlong out");
            for (int e = 0; e < expected.length; e++) {
                int element = e;
                Expect.same(() -> impl.name() + " scatterAdd out[" + element + "]", run.get(e), expected[e]);
            }
        }
    }
}
