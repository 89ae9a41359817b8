package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.PackedMatrix;
import io.github.jrnn.properties.kernels.GemmShapes.Shape;
import io.github.jrnn.properties.kernels.KernelShapes.Coefficient;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;
import static io.github.jrnn.properties.kernels.Implementations.SCALAR;
import static io.github.jrnn.properties.kernels.Implementations.VECTOR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked, packed and multi-threaded products: {@code sgemm} at the edges of the vector implementation's
 * blocking, {@code packB} + {@code sgemmPacked} for any shape and transpose (batch 1 included), against the double
 * reference within {@link Tolerances#dotProductBound}; results independent of the thread count (bitwise), and
 * correct when many user threads multiply at once.
 *
 * <p>BLAS conventions as in {@link BlasProperties}: with beta = 0 C starts as NaN, with alpha = 0 A and B are NaN.
 */
class PackedGemmProperties {

    private static DoubleSupplier productInputs(float alpha, FloatData data) {
        return alpha == 0 ? () -> Double.NaN : data.matrixEntries();
    }

    private static DoubleSupplier accumulator(float beta, FloatData data) {
        return beta == 0 ? () -> Double.NaN : data.matrixEntries();
    }

    /** One generated product: operands, output and the double reference. */
    private record Case(boolean transA, boolean transB, Shape shape, float alpha, float beta, StridedMatrix a,
                        StridedMatrix b, StridedMatrix c, DoubleReference expected) {

        static Case of(boolean transA, boolean transB, Shape s, float alpha, float beta, Layout layoutA,
                       Layout layoutB, Layout layoutC, long seed) {
            FloatData data = new FloatData(seed);
            DoubleSupplier inputs = productInputs(alpha, data);
            StridedMatrix a = transA ? StridedMatrix.input(s.k(), s.m(), layoutA, inputs)
                    : StridedMatrix.input(s.m(), s.k(), layoutA, inputs);
            StridedMatrix b = transB ? StridedMatrix.input(s.n(), s.k(), layoutB, inputs)
                    : StridedMatrix.input(s.k(), s.n(), layoutB, inputs);
            StridedMatrix c = StridedMatrix.output(s.m(), s.n(), layoutC, accumulator(beta, data));
            return new Case(transA, transB, s, alpha, beta, a, b, c,
                    DoubleReference.gemm(transA, transB, s.m(), s.n(), s.k(), alpha, a, b, beta, c));
        }

        StridedMatrix sgemm(Kernels impl) {
            StridedMatrix aRun = a.copy();
            StridedMatrix bRun = b.copy();
            StridedMatrix cRun = c.copy();
            impl.sgemm(transA, transB, shape.m(), shape.n(), shape.k(), alpha, aRun.data, aRun.offset, aRun.ld,
                    bRun.data, bRun.offset, bRun.ld, beta, cRun.data, cRun.offset, cRun.ld);
            aRun.assertUnchanged(a, impl.name() + " sgemm a");
            bRun.assertUnchanged(b, impl.name() + " sgemm b");
            cRun.assertOnlyRegionChanged(c, impl.name() + " sgemm c");
            return cRun;
        }

        /** Packs b, then overwrites the source with NaN (the packed copy must not depend on it) and multiplies. */
        StridedMatrix sgemmPacked(Kernels impl) {
            StridedMatrix aRun = a.copy();
            StridedMatrix bRun = b.copy();
            StridedMatrix cRun = c.copy();
            PackedMatrix packed = impl.packB(transB, shape.k(), shape.n(), bRun.data, bRun.offset, bRun.ld);
            bRun.assertUnchanged(b, impl.name() + " packB b");
            assertEquals(shape.k(), packed.rows(), impl.name() + " packB rows()");
            assertEquals(shape.n(), packed.cols(), impl.name() + " packB cols()");
            Arrays.fill(bRun.data, Float.NaN);
            impl.sgemmPacked(transA, shape.m(), alpha, aRun.data, aRun.offset, aRun.ld, packed, beta, cRun.data,
                    cRun.offset, cRun.ld);
            aRun.assertUnchanged(a, impl.name() + " sgemmPacked a");
            cRun.assertOnlyRegionChanged(c, impl.name() + " sgemmPacked c");
            return cRun;
        }

        void assertMatchesReference(StridedMatrix got, String what) {
            for (int i = 0; i < shape.m(); i++) {
                for (int j = 0; j < shape.n(); j++) {
                    int row = i;
                    int col = j;
                    int e = i * shape.n() + j;
                    Expect.within(() -> what + " " + shape + " transA=" + transA + " transB=" + transB + " C["
                                    + row + "][" + col + "]", got.get(i, j), expected.value()[e],
                            Tolerances.dotProductBound(shape.k(), expected.magnitude()[e]));
                }
            }
        }
    }

    /** Runs {@code body} with the kernels' thread count set to {@code threads}, restoring it afterwards. */
    private static <T> T withThreads(int threads, Callable<T> body) throws Exception {
        int before = KernelThreads.count();
        KernelThreads.setCount(threads);
        try {
            return body.call();
        } finally {
            KernelThreads.setCount(before);
        }
    }

    @Property(tries = 300)
    @Compares("packB")
    @Compares("sgemmPacked")
    void packedProductMatchesDoubleReferenceForAnyShapeTransposeAndCoefficients(
            @ForAll boolean transA, @ForAll boolean transB, @ForAll(supplier = GemmShapes.BlockEdges.class) Shape shape,
            @ForAll(supplier = Coefficient.class) float alpha, @ForAll(supplier = Coefficient.class) float beta,
            @ForAll(supplier = Layouts.class) Layout layoutA, @ForAll(supplier = Layouts.class) Layout layoutB,
            @ForAll(supplier = Layouts.class) Layout layoutC, @ForAll long seed) {
        Case product = Case.of(transA, transB, shape, alpha, beta, layoutA, layoutB, layoutC, seed);
        for (Kernels impl : BOTH) {
            product.assertMatchesReference(product.sgemmPacked(impl), impl.name() + " sgemmPacked");
        }
    }

    /**
     * {@code sgemmPackedBias} is bit for bit what a layer did before it: {@code broadcastRows} of the bias into C,
     * then {@code sgemmPacked} with beta = 1; within the double reference's bound of {@code alpha op(A) B + bias};
     * C's previous contents never read (they start as NaN) and nothing outside C written. On one and on two threads
     * (a product split by columns adds each part's own bias columns).
     */
    @Property(tries = 200)
    @Compares("sgemmPackedBias")
    void packedProductWithBiasIsTheBroadcastBiasThenBetaOne(
            @ForAll boolean transA, @ForAll boolean transB, @ForAll(supplier = GemmShapes.BlockEdges.class) Shape shape,
            @ForAll(supplier = Coefficient.class) float alpha, @ForAll(supplier = Layouts.class) Layout layoutA,
            @ForAll(supplier = Layouts.class) Layout layoutBias, @ForAll(supplier = Layouts.class) Layout layoutC,
            @ForAll boolean twoThreads, @ForAll long seed) throws Exception {
        FloatData data = new FloatData(seed);
        DoubleSupplier inputs = productInputs(alpha, data);
        int m = shape.m();
        int n = shape.n();
        int k = shape.k();
        StridedMatrix a = transA ? StridedMatrix.input(k, m, layoutA, inputs) : StridedMatrix.input(m, k, layoutA,
                inputs);
        StridedMatrix b = transB ? StridedMatrix.input(n, k, Layout.CONTIGUOUS, inputs)
                : StridedMatrix.input(k, n, Layout.CONTIGUOUS, inputs);
        StridedMatrix bias = StridedMatrix.inputVector(n, layoutBias, data.matrixEntries());
        StridedMatrix c = StridedMatrix.output(m, n, layoutC, () -> Double.NaN);
        // the reference: beta = 1 over C holding the bias in every row
        StridedMatrix biasRows = StridedMatrix.output(m, n, layoutC, () -> 0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                biasRows.data[biasRows.index(i, j)] = bias.get(j);
            }
        }
        DoubleReference expected = DoubleReference.gemm(transA, transB, m, n, k, alpha, a, b, 1f, biasRows);
        for (Kernels impl : BOTH) {
            PackedMatrix packed = impl.packB(transB, k, n, b.data, b.offset, b.ld);
            StridedMatrix composed = c.copy();
            StridedMatrix fused = c.copy();
            withThreads(twoThreads && impl == VECTOR ? 2 : 1, () -> {
                impl.broadcastRows(m, n, bias.data, bias.offset, composed.data, composed.offset, composed.ld);
                impl.sgemmPacked(transA, m, alpha, a.data, a.offset, a.ld, packed, 1f, composed.data,
                        composed.offset, composed.ld);
                impl.sgemmPackedBias(transA, m, alpha, a.data, a.offset, a.ld, packed, bias.data, bias.offset,
                        fused.data, fused.offset, fused.ld);
                return null;
            });
            String name = impl.name() + " sgemmPackedBias " + shape + " transA=" + transA + " transB=" + transB;
            fused.assertOnlyRegionChanged(c, name);
            fused.assertUnchanged(composed, name + " against broadcastRows + sgemmPacked(beta = 1)");
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int row = i;
                    int col = j;
                    int e = i * n + j;
                    Expect.within(() -> name + " C[" + row + "][" + col + "]", fused.get(i, j), expected.value()[e],
                            Tolerances.dotProductBound(k, expected.magnitude()[e]));
                }
            }
        }
    }

    /**
     * A packed matrix refilled by {@code repackB} (whatever shape it held before, larger or smaller, or none: a
     * null to reuse packs afresh) multiplies exactly like a freshly packed one: bit-identical results.
     */
    @Property(tries = 200)
    @Compares("repackB")
    void repackingIntoAnOldPackedMatrixEqualsPackingAfresh(
            @ForAll boolean transA, @ForAll boolean transB, @ForAll boolean previousTransB,
            @ForAll boolean nothingToReuse,
            @ForAll(supplier = GemmShapes.BlockEdges.class) Shape shape,
            @ForAll(supplier = GemmShapes.BlockEdges.class) Shape previous,
            @ForAll(supplier = Layouts.class) Layout layoutA, @ForAll(supplier = Layouts.class) Layout layoutB,
            @ForAll(supplier = Layouts.class) Layout layoutC, @ForAll long seed) {
        Case product = Case.of(transA, transB, shape, 1f, 0.5f, layoutA, layoutB, layoutC, seed);
        FloatData data = new FloatData(seed + 1);
        StridedMatrix old = previousTransB ? StridedMatrix.input(previous.n(), previous.k(), layoutB,
                data.matrixEntries()) : StridedMatrix.input(previous.k(), previous.n(), layoutB, data.matrixEntries());
        for (Kernels impl : BOTH) {
            StridedMatrix fresh = product.sgemmPacked(impl);
            PackedMatrix reused = nothingToReuse ? null
                    : impl.packB(previousTransB, previous.k(), previous.n(), old.data, old.offset, old.ld);
            StridedMatrix bRun = product.b().copy();
            PackedMatrix refilled = impl.repackB(reused, transB, shape.k(), shape.n(), bRun.data, bRun.offset,
                    bRun.ld);
            bRun.assertUnchanged(product.b(), impl.name() + " repackB b");
            assertEquals(shape.k(), refilled.rows(), impl.name() + " repackB rows()");
            assertEquals(shape.n(), refilled.cols(), impl.name() + " repackB cols()");
            Arrays.fill(bRun.data, Float.NaN); // the refilled copy must not depend on the source either
            StridedMatrix aRun = product.a().copy();
            StridedMatrix cRun = product.c().copy();
            impl.sgemmPacked(transA, shape.m(), 1f, aRun.data, aRun.offset, aRun.ld, refilled, 0.5f, cRun.data,
                    cRun.offset, cRun.ld);
            cRun.assertOnlyRegionChanged(product.c(), impl.name() + " sgemmPacked after repackB c");
            for (int i = 0; i < shape.m(); i++) {
                for (int j = 0; j < shape.n(); j++) {
                    int row = i;
                    int col = j;
                    Expect.same(() -> impl.name() + " repacked vs fresh " + shape + " (previously " + previous
                            + ") C[" + row + "][" + col + "]", cRun.get(i, j), fresh.get(i, j));
                }
            }
        }
    }

    @Property(tries = 300)
    @Compares("sgemm")
    void gemmMatchesDoubleReferenceAtTheBlockingEdges(
            @ForAll boolean transA, @ForAll boolean transB, @ForAll(supplier = GemmShapes.BlockEdges.class) Shape shape,
            @ForAll(supplier = Coefficient.class) float alpha, @ForAll(supplier = Coefficient.class) float beta,
            @ForAll(supplier = Layouts.class) Layout layoutA, @ForAll(supplier = Layouts.class) Layout layoutB,
            @ForAll(supplier = Layouts.class) Layout layoutC, @ForAll long seed) {
        Case product = Case.of(transA, transB, shape, alpha, beta, layoutA, layoutB, layoutC, seed);
        product.assertMatchesReference(product.sgemm(VECTOR), "vector sgemm");
    }

    /**
     * The blocked product past its first block of columns (n = NC + 1: a second block of one column), of rows
     * (m = MC + 1) and of the inner dimension (k = KC + 1), in every transpose combination, on one thread (two
     * would cut the columns into parts narrower than NC). {@link GemmShapes.BlockEdges} draws such shapes only now
     * and then, so a run of few tries (the narrow widths, mutation testing) could miss the offsets of a second
     * block; here every run has them. Each product is above the direct path's size, so it takes the blocked one
     * unless its transposes route it to the dot form.
     */
    @Property(generation = GenerationMode.EXHAUSTIVE)
    @Compares("sgemm")
    void gemmMatchesDoubleReferencePastTheFirstBlockOfEachDimension(
            @ForAll boolean transA, @ForAll boolean transB, @ForAll("secondBlocks") Shape shape) throws Exception {
        Case product = Case.of(transA, transB, shape, 1.5f, 0.5f, new Layout(3, 1), new Layout(1, 2),
                new Layout(2, 1), 7L);
        product.assertMatchesReference(withThreads(1, () -> product.sgemm(VECTOR)), "vector sgemm, 1 thread");
    }

    @Provide
    Arbitrary<Shape> secondBlocks() {
        return Arbitraries.of(new Shape(GemmShapes.MR, GemmShapes.NC + 1, 64),
                new Shape(GemmShapes.MC + 1, GemmShapes.NR + 1, 160),
                new Shape(GemmShapes.MC + 1, GemmShapes.NR + 1, GemmShapes.KC + 1));
    }

    /**
     * Around the threading threshold, with 1 to 5 threads (more than this machine's cores, so parts outnumber or
     * equal the cores, and helpers start lazily mid-run): the result is bitwise the single-threaded one (every
     * element of C is computed by the same operations, whichever thread computes it) and within the reference.
     */
    @Property(tries = 40)
    @Compares("sgemm")
    @Compares("sgemmPacked")
    void productsDoNotDependOnTheThreadCount(
            @ForAll boolean transA, @ForAll boolean transB,
            @ForAll(supplier = GemmShapes.ThreadingEdges.class) Shape shape,
            @ForAll(supplier = Coefficient.class) float alpha, @ForAll(supplier = Coefficient.class) float beta,
            @ForAll(supplier = Layouts.class) Layout layoutC, @ForAll long seed) throws Exception {
        Case product = Case.of(transA, transB, shape, alpha, beta, Layout.CONTIGUOUS, Layout.CONTIGUOUS, layoutC,
                seed);
        StridedMatrix single = withThreads(1, () -> product.sgemm(VECTOR));
        StridedMatrix singlePacked = withThreads(1, () -> product.sgemmPacked(VECTOR));
        product.assertMatchesReference(single, "vector sgemm, 1 thread");
        product.assertMatchesReference(singlePacked, "vector sgemmPacked, 1 thread");
        for (int threads = 2; threads <= 5; threads++) {
            StridedMatrix split = withThreads(threads, () -> product.sgemm(VECTOR));
            StridedMatrix splitPacked = withThreads(threads, () -> product.sgemmPacked(VECTOR));
            assertArrayEquals(single.data, split.data, "sgemm with " + threads + " threads differs from 1 thread, "
                    + shape);
            assertArrayEquals(singlePacked.data, splitPacked.data, "sgemmPacked with " + threads
                    + " threads differs from 1 thread, " + shape);
        }
    }

    /**
     * A one-row packed product (a layer's batch-1 step) split by columns over 2 or 3 threads is bitwise the
     * one-thread product, with beta or with a bias, just below the split threshold (one thread whatever the count)
     * and at it, with column counts at the edges of the four-panel groups the split cuts at; and within the
     * reference. The first column of A is a strided row when A is transposed.
     */
    @Property(tries = 60)
    @Compares("sgemmPacked")
    @Compares("sgemmPackedBias")
    void oneRowProductsDoNotDependOnTheThreadCount(
            @ForAll boolean transA, @ForAll boolean transB,
            @ForAll(supplier = GemmShapes.RowThreadingEdges.class) Shape shape,
            @ForAll(supplier = Coefficient.class) float alpha, @ForAll(supplier = Coefficient.class) float beta,
            @ForAll(supplier = Layouts.class) Layout layoutA, @ForAll long seed) throws Exception {
        Case product = Case.of(transA, transB, shape, alpha, beta, layoutA, Layout.CONTIGUOUS, Layout.CONTIGUOUS,
                seed);
        StridedMatrix single = withThreads(1, () -> product.sgemmPacked(VECTOR));
        product.assertMatchesReference(single, "vector sgemmPacked, 1 thread");
        PackedMatrix packed = VECTOR.packB(transB, shape.k(), shape.n(), product.b().data, product.b().offset,
                product.b().ld);
        float[] bias = StridedMatrix.inputVector(shape.n(), Layout.CONTIGUOUS, new FloatData(seed).matrixEntries())
                .data;
        float[] singleBias = withThreads(1, () -> rowWithBias(product, packed, bias));
        for (int threads = 2; threads <= 3; threads++) {
            StridedMatrix split = withThreads(threads, () -> product.sgemmPacked(VECTOR));
            assertArrayEquals(single.data, split.data, "sgemmPacked with " + threads + " threads differs from 1"
                    + " thread, " + shape);
            assertArrayEquals(singleBias, withThreads(threads, () -> rowWithBias(product, packed, bias)),
                    "sgemmPackedBias with " + threads + " threads differs from 1 thread, " + shape);
        }
    }

    /** The one-row product's {@code alpha x B + bias} into a row that starts as NaN (never read). */
    private static float[] rowWithBias(Case product, PackedMatrix packed, float[] bias) {
        float[] c = new float[product.shape().n()];
        Arrays.fill(c, Float.NaN);
        VECTOR.sgemmPackedBias(product.transA(), 1, product.alpha(), product.a().data, product.a().offset,
                product.a().ld, packed, bias, 0, c, 0, c.length);
        return c;
    }

    /**
     * Eight user threads multiplying at once (large enough products that each is split over the shared pool; two
     * of them one-row products, whose split reuses each caller's own job),
     * each with its own operands, 12 rounds: every result equals the one computed alone beforehand.
     */
    @Example
    @Compares("sgemm")
    @Compares("sgemmPacked")
    void concurrentCallersGetTheirOwnResults() throws Exception {
        int callers = 8;
        List<Case> cases = new ArrayList<>();
        List<StridedMatrix> alone = new ArrayList<>();
        List<StridedMatrix> alonePacked = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            Shape shape = t % 4 == 3 ? new Shape(1, 1500 + t, 700)
                    : t % 2 == 0 ? new Shape(150 + t, 140, 130) : new Shape(20 + t, 900, 160);
            cases.add(Case.of(t % 3 == 0, t % 4 == 1, shape, 1f, t % 2 == 0 ? 0f : 0.5f, Layout.CONTIGUOUS,
                    Layout.CONTIGUOUS, Layout.CONTIGUOUS, 1000 + t));
            alone.add(cases.get(t).sgemm(VECTOR));
            alonePacked.add(cases.get(t).sgemmPacked(VECTOR));
        }
        withThreads(2, () -> {
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < callers; t++) {
                    int caller = t;
                    running.add(pool.submit(() -> {
                        for (int round = 0; round < 12; round++) {
                            Case product = cases.get(caller);
                            assertArrayEquals(alone.get(caller).data, product.sgemm(VECTOR).data,
                                    "caller " + caller + " round " + round + " sgemm");
                            assertArrayEquals(alonePacked.get(caller).data, product.sgemmPacked(VECTOR).data,
                                    "caller " + caller + " round " + round + " sgemmPacked");
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            return null;
        });
        for (int t = 0; t < callers; t++) {
            cases.get(t).assertMatchesReference(alone.get(t), "vector sgemm alone, caller " + t);
        }
    }

    @Example
    void aPackedMatrixOnlyWorksWithTheImplementationThatPackedIt() {
        float[] b = new float[6];
        PackedMatrix packedByScalar = SCALAR.packB(false, 2, 3, b, 0, 3);
        PackedMatrix packedByVector = VECTOR.packB(true, 2, 3, b, 0, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VECTOR.sgemmPacked(false,
                2, 1f, new float[4], 0, 2, packedByScalar, 0f, new float[6], 0, 3));
        assertTrue(e.getMessage().contains("packed by another Kernels implementation"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SCALAR.sgemmPacked(false, 2, 1f, new float[4], 0,
                2, packedByVector, 0f, new float[6], 0, 3));
        assertTrue(e.getMessage().contains("packed by another Kernels implementation"), e.getMessage());
    }
}
