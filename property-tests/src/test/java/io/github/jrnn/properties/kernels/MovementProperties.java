package io.github.jrnn.properties.kernels;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.StridedView.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * The strided data-movement kernels behind the tensor shape operations (copyStrided, addStrided, gather,
 * scatterAdd), allClose and arange: every implementation gives exactly what the formula gives, element by element
 * in row-major order of the index space (a copy keeps the bits, an addition is the one float addition, repeated
 * additions into one element happen in row-major order), writes nothing outside its destination view; allClose
 * answers as PyTorch's formula on float32 and arange fills torch's values. Shapes have rank 1 to 4, the last
 * dimension around the lane count; views are contiguous, stepped, permuted or broadcast (stride 0).
 */
class MovementProperties {

    /** A shape of rank 1 to 4: outer dimensions 0 to 5, the last one around the vector path boundaries. */
    @Provide
    Arbitrary<int[]> shapes() {
        Arbitrary<Integer> outer = Arbitraries.integers().between(0, 5);
        Arbitrary<Integer> last = KernelShapes.sizes(2 * KernelShapes.LANES + 1, 40);
        return Arbitraries.integers().between(0, 3).flatMap(outerRank -> outer.array(int[].class).ofSize(outerRank)
                .flatMap(dims -> last.map(l -> {
                    int[] shape = Arrays.copyOf(dims, dims.length + 1);
                    shape[dims.length] = l;
                    return shape;
                })));
    }

    private static DoubleSupplier values(long seed) {
        return new FloatData(seed).activationArguments();
    }

    @Property(tries = 300)
    @Compares("copyStrided")
    void copyStridedCopiesEveryElementOfTheViewAndNothingElse(
            @ForAll("shapes") int[] shape, @ForAll Kind srcKind, @ForAll boolean steppedDst, @ForAll long seed) {
        Random random = new Random(seed);
        StridedView src = StridedView.random(shape, srcKind, random, values(seed));
        StridedView dst = StridedView.random(shape, steppedDst ? Kind.STEPPED : Kind.CONTIGUOUS, random,
                values(seed + 1));
        float[] expected = dst.data.clone();
        int[] index = new int[shape.length];
        if (!StridedView.empty(shape)) {
            do {
                expected[dst.at(index)] = src.data[src.at(index)];
            } while (StridedView.next(index, shape));
        }
        for (Kernels impl : BOTH) {
            StridedView run = dst.copy();
            float[] before = src.data.clone();
            impl.copyStrided(shape, src.data, src.offset, src.strides, run.data, run.offset, run.strides);
            assertSameArrays(impl.name() + " copyStrided dst", expected, run.data);
            assertSameArrays(impl.name() + " copyStrided src", before, src.data);
        }
    }

    @Property(tries = 300)
    @Compares("addStrided")
    void addStridedAddsInRowMajorOrderAlsoIntoBroadcastDestinations(
            @ForAll("shapes") int[] shape, @ForAll Kind srcKind, @ForAll Kind dstKind, @ForAll long seed) {
        Random random = new Random(seed);
        StridedView src = StridedView.random(shape, srcKind, random, values(seed));
        // a permuted destination may be a broadcast one too; a stepped one keeps distinct elements
        StridedView dst = StridedView.random(shape, dstKind, random, values(seed + 1));
        float[] expected = dst.data.clone();
        int[] index = new int[shape.length];
        if (!StridedView.empty(shape)) {
            do {
                expected[dst.at(index)] += src.data[src.at(index)];
            } while (StridedView.next(index, shape));
        }
        for (Kernels impl : BOTH) {
            StridedView run = dst.copy();
            impl.addStrided(shape, src.data, src.offset, src.strides, run.data, run.offset, run.strides);
            assertSameArrays(impl.name() + " addStrided dst", expected, run.data);
        }
    }

    /** An index view over {@code shape}: one value per element, or index_select's one value per entry of dim. */
    private record IndexView(long[] data, int offset, int[] strides) {
        static IndexView random(int[] shape, int dim, int dimSize, boolean perElement, Random random) {
            int[] strides = new int[shape.length];
            long[] data;
            if (perElement) {
                int stride = 1;
                for (int d = shape.length - 1; d >= 0; d--) {
                    strides[d] = stride;
                    stride *= Math.max(1, shape[d]);
                }
                data = new long[StridedView.extent(shape, strides)];
            } else {
                strides[dim] = 1;
                data = new long[shape[dim]];
            }
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextInt(dimSize);
            }
            return new IndexView(data, 0, strides);
        }

        int valueAt(int[] index) {
            int at = offset;
            for (int d = 0; d < index.length; d++) {
                at += index[d] * strides[d];
            }
            return (int) data[at];
        }
    }

    private static int[] withDim(int[] shape, int dim, int size) {
        int[] s = shape.clone();
        s[dim] = size;
        return s;
    }

    @Property(tries = 100)
    @Compares("gather")
    void gatherReadsTheSourceAtTheIndexValueAlongDim(
            @ForAll("shapes") int[] shape, @ForAll long dimChoice, @ForAll boolean steppedDst, @ForAll long seed) {
        // each try: an index per element and index_select's one index per run, from a source of every layout (an
        // expanded one included, whose runs are one broadcast value)
        for (boolean perElement : new boolean[] {true, false}) {
            for (Kind srcKind : Kind.values()) {
                assertGather(shape, dimChoice, perElement, srcKind, steppedDst, new Random(seed), seed);
            }
        }
    }

    private static void assertGather(int[] shape, long dimChoice, boolean perElement, Kind srcKind,
                                     boolean steppedDst, Random random, long seed) {
        int dim = (int) Math.floorMod(dimChoice, (long) shape.length);
        int srcDimSize = 1 + random.nextInt(6);
        IndexView index = IndexView.random(shape, dim, srcDimSize, perElement, random);
        int[] srcShape = withDim(shape, dim, srcDimSize);
        StridedView src = StridedView.random(srcShape, srcKind, random, values(seed));
        StridedView dst = StridedView.random(shape, steppedDst ? Kind.STEPPED : Kind.CONTIGUOUS, random,
                values(seed + 1));
        float[] expected = dst.data.clone();
        int[] i = new int[shape.length];
        if (!StridedView.empty(shape)) {
            do {
                expected[dst.at(i)] = src.data[src.at(withDim(i, dim, index.valueAt(i)))];
            } while (StridedView.next(i, shape));
        }
        for (Kernels impl : BOTH) {
            StridedView run = dst.copy();
            impl.gather(shape, dim, index.data(), index.offset(), index.strides(), srcDimSize, src.data, src.offset,
                    src.strides, run.data, run.offset, run.strides);
            assertSameArrays(impl.name() + " gather dst (dim " + dim + ", " + srcKind + " source, "
                    + (perElement ? "an index per element" : "an index per run") + ")", expected, run.data);
        }
    }

    @Property(tries = 300)
    @Compares("scatterAdd")
    void scatterAddAccumulatesDuplicateIndicesInRowMajorOrder(
            @ForAll("shapes") int[] shape, @ForAll long dimChoice, @ForAll boolean perElement,
            @ForAll Kind srcKind, @ForAll Kind dstKind, @ForAll long seed) {
        Random random = new Random(seed);
        int dim = (int) Math.floorMod(dimChoice, (long) shape.length);
        int dstDimSize = 1 + random.nextInt(6);
        IndexView index = IndexView.random(shape, dim, dstDimSize, perElement, random);
        StridedView src = StridedView.random(shape, srcKind, random, values(seed));
        StridedView dst = StridedView.random(withDim(shape, dim, dstDimSize), dstKind, random, values(seed + 1));
        float[] expected = dst.data.clone();
        int[] i = new int[shape.length];
        if (!StridedView.empty(shape)) {
            do {
                expected[dst.at(withDim(i, dim, index.valueAt(i)))] += src.data[src.at(i)];
            } while (StridedView.next(i, shape));
        }
        for (Kernels impl : BOTH) {
            StridedView run = dst.copy();
            impl.scatterAdd(shape, dim, index.data(), index.offset(), index.strides(), dstDimSize, src.data,
                    src.offset, src.strides, run.data, run.offset, run.strides);
            assertSameArrays(impl.name() + " scatterAdd dst (dim " + dim + ")", expected, run.data);
        }
    }

    /** Tolerances torch users pass: torch's defaults (1e-5, 1e-8), none, and loose ones. */
    @Provide
    Arbitrary<Float> tolerances() {
        return Arbitraries.of(0f, 1e-8f, 1e-5f, 1e-3f, 0.1f);
    }

    @Property(tries = 300)
    @Compares("allClose")
    void allCloseIsTorchsFormulaOnFloat32(
            @ForAll(supplier = KernelShapes.Length.class) int n, @ForAll("tolerances") float rtol,
            @ForAll("tolerances") float atol, @ForAll long seed) {
        Random random = new Random(seed);
        DoubleSupplier values = values(seed);
        float[] a = new float[n + 2];
        float[] b = new float[n + 1];
        // mostly close pairs, so that one far pair decides the answer: b = a, a nudged by about the tolerance, a
        // pair exactly at the bound (+-atol against 0: the error equals atol + |rtol * 0|, which is close), or any
        int far = n == 0 ? -1 : random.nextInt(n) * (random.nextInt(3) == 0 ? 1 : -1);
        for (int i = 0; i < n; i++) {
            int kind = i == far ? 3 : random.nextInt(3);
            float x = kind == 2 ? (random.nextBoolean() ? atol : -atol) : (float) values.getAsDouble();
            a[i + 2] = x;
            b[i + 1] = switch (kind) {
                case 0 -> x;
                case 1 -> x + (atol + Math.abs(rtol * x)) * (random.nextFloat() * 2.2f - 1.1f);
                case 2 -> 0f;
                default -> (float) values.getAsDouble();
            };
        }
        boolean expected = true;
        for (int i = 0; i < n; i++) {
            float x = a[i + 2];
            float y = b[i + 1];
            float error = Math.abs(x - y);
            expected &= x == y || Float.isFinite(error) && error <= atol + Math.abs(rtol * y);
        }
        for (Kernels impl : BOTH) {
            if (impl.allClose(n, a, 2, b, 1, rtol, atol) != expected) {
                throw new AssertionError(impl.name() + " allClose(rtol " + rtol + ", atol " + atol + ") of "
                        + Arrays.toString(a) + " and " + Arrays.toString(b) + " should be " + expected);
            }
        }
    }

    private static void assertSameArrays(String what, float[] expected, float[] got) {
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            Expect.same(() -> what + " element " + at, got[i], expected[i]);
        }
    }

    /** Starts and steps: small and large, integral and not, either sign. */
    @Provide
    Arbitrary<Double> rangeArguments() {
        return Arbitraries.oneOf(Arbitraries.of(0.0, 1.0, -1.0, 0.1, -0.37, 1e-3, 1e6, 3.0e7),
                Arbitraries.doubles().between(-1e4, 1e4));
    }

    @Property(tries = 300)
    @Compares("arange")
    void arangeFillsTorchsValues(
            @ForAll(supplier = KernelShapes.Length.class) int n, @ForAll("rangeArguments") double start,
            @ForAll("rangeArguments") double step) {
        // torch 1.13's cpu_serial_kernel_vec: two 8-lane vectors per step while 16 values remain, each vector
        // Vectorized<float>::arange(float(start + step * idx), step); then the scalar op for the rest
        float[] expected = new float[n + 1];
        long idx = 0;
        while (idx + 16 <= n) {
            for (int vector = 0; vector < 2; vector++) {
                float base = (float) (start + step * idx);
                for (int lane = 0; lane < 8; lane++) {
                    expected[1 + (int) idx + lane] = (float) (base + lane * step);
                }
                idx += 8;
            }
        }
        for (; idx < n; idx++) {
            expected[1 + (int) idx] = (float) (start + step * idx);
        }
        for (Kernels impl : BOTH) {
            float[] got = new float[n + 1];
            impl.arange(n, start, step, got, 1);
            assertSameArrays(impl.name() + " arange(" + start + ", step " + step + ")", expected, got);
        }
    }
}
