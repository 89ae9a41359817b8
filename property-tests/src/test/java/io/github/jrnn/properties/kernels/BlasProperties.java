package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Coefficient;
import io.github.jrnn.properties.kernels.KernelShapes.Dimension;
import io.github.jrnn.properties.kernels.KernelShapes.Inner;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import io.github.jrnn.properties.kernels.KernelShapes.Length;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.function.DoubleSupplier;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;

/**
 * The products and sums (sgemm, sgemv, dot, sumRows, axpy): both implementations against a double reference
 * within the forward error bound of {@link Tolerances#dotProductBound}, for any shape, transpose, offset, leading
 * dimension and alpha/beta, writing nothing outside their output and not modifying their inputs.
 *
 * <p>BLAS conventions are part of the properties: with beta = 0 the output starts as NaN (it must not be read),
 * with alpha = 0 the inputs A, B (x) are NaN (they must not be read).
 */
class BlasProperties {

    private static DoubleSupplier productInputs(float alpha, FloatData data) {
        return alpha == 0 ? () -> Double.NaN : data.matrixEntries();
    }

    private static DoubleSupplier accumulator(float beta, FloatData data) {
        return beta == 0 ? () -> Double.NaN : data.matrixEntries();
    }

    @Property(tries = 500)
    @Compares("sgemm")
    void sgemmMatchesDoubleReferenceForAnyShapeTransposeAndCoefficients(
            @ForAll boolean transA, @ForAll boolean transB,
            @ForAll(supplier = Dimension.class) int m, @ForAll(supplier = Dimension.class) int n,
            @ForAll(supplier = Inner.class) int k,
            @ForAll(supplier = Coefficient.class) float alpha, @ForAll(supplier = Coefficient.class) float beta,
            @ForAll(supplier = Layouts.class) Layout layoutA, @ForAll(supplier = Layouts.class) Layout layoutB,
            @ForAll(supplier = Layouts.class) Layout layoutC, @ForAll long seed) {
        FloatData data = new FloatData(seed);
        DoubleSupplier inputs = productInputs(alpha, data);
        StridedMatrix a = transA ? StridedMatrix.input(k, m, layoutA, inputs)
                : StridedMatrix.input(m, k, layoutA, inputs);
        StridedMatrix b = transB ? StridedMatrix.input(n, k, layoutB, inputs)
                : StridedMatrix.input(k, n, layoutB, inputs);
        StridedMatrix c = StridedMatrix.output(m, n, layoutC, accumulator(beta, data));
        DoubleReference expected = DoubleReference.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);

        for (Kernels impl : BOTH) {
            StridedMatrix aRun = a.copy();
            StridedMatrix bRun = b.copy();
            StridedMatrix cRun = c.copy();
            impl.sgemm(transA, transB, m, n, k, alpha, aRun.data, aRun.offset, aRun.ld, bRun.data, bRun.offset,
                    bRun.ld, beta, cRun.data, cRun.offset, cRun.ld);
            aRun.assertUnchanged(a, impl.name() + " sgemm a");
            bRun.assertUnchanged(b, impl.name() + " sgemm b");
            cRun.assertOnlyRegionChanged(c, impl.name() + " sgemm c");
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int row = i;
                    int col = j;
                    int e = i * n + j;
                    Expect.within(() -> impl.name() + " sgemm C[" + row + "][" + col + "]", cRun.get(i, j),
                            expected.value()[e], Tolerances.dotProductBound(k, expected.magnitude()[e]));
                }
            }
        }
    }

    @Property(tries = 500)
    @Compares("sgemv")
    void sgemvMatchesDoubleReferenceForAnyShapeTransposeAndCoefficients(
            @ForAll boolean transA,
            @ForAll(supplier = Dimension.class) int m, @ForAll(supplier = Inner.class) int n,
            @ForAll(supplier = Coefficient.class) float alpha, @ForAll(supplier = Coefficient.class) float beta,
            @ForAll(supplier = Layouts.class) Layout layoutA, @ForAll(supplier = Layouts.class) Layout layoutX,
            @ForAll(supplier = Layouts.class) Layout layoutY, @ForAll long seed) {
        checkSgemv(transA, m, n, alpha, beta, layoutA, layoutX, layoutY, seed);
    }

    /**
     * An sgemv over long rows, both ways: transposed, output rows spanning two or three of the vector kernel's
     * blocks of eight vectors of columns, and a tail; not transposed, rows longer than its four-row loop takes (more
     * than eight vectors: eight rows per pass in chunks of four vectors), for row counts around the groups of
     * eight. {@link Inner} reaches these lengths only among its edge values, so a run of few tries could miss them;
     * here every run has them.
     */
    @Property(tries = 60)
    @Compares("sgemv")
    void sgemvOverRowsOfManyVectorsMatchesDoubleReference(
            @ForAll boolean transA, @ForAll @IntRange(min = 1, max = 20) int m, @ForAll("manyVectors") int n,
            @ForAll(supplier = Coefficient.class) float alpha, @ForAll(supplier = Coefficient.class) float beta,
            @ForAll(supplier = Layouts.class) Layout layoutA, @ForAll long seed) {
        checkSgemv(transA, m, n, alpha, beta, layoutA, Layout.CONTIGUOUS, Layout.CONTIGUOUS, seed);
    }

    @Provide
    Arbitrary<Integer> manyVectors() {
        int l = KernelShapes.LANES;
        return Arbitraries.of(8 * l + 1, 9 * l, 12 * l + 5, 16 * l - 1, 16 * l, 16 * l + 1, 24 * l + 3);
    }

    private static void checkSgemv(boolean transA, int m, int n, float alpha, float beta, Layout layoutA,
                                   Layout layoutX, Layout layoutY, long seed) {
        FloatData data = new FloatData(seed);
        DoubleSupplier inputs = productInputs(alpha, data);
        int inner = transA ? m : n;
        int outLength = transA ? n : m;
        StridedMatrix a = StridedMatrix.input(m, n, layoutA, inputs);
        StridedMatrix x = StridedMatrix.inputVector(inner, layoutX, inputs);
        StridedMatrix y = StridedMatrix.outputVector(outLength, layoutY, accumulator(beta, data));
        DoubleReference expected = DoubleReference.gemv(transA, m, n, alpha, a, x, beta, y);

        for (Kernels impl : BOTH) {
            StridedMatrix aRun = a.copy();
            StridedMatrix xRun = x.copy();
            StridedMatrix yRun = y.copy();
            impl.sgemv(transA, m, n, alpha, aRun.data, aRun.offset, aRun.ld, xRun.data, xRun.offset, beta,
                    yRun.data, yRun.offset);
            aRun.assertUnchanged(a, impl.name() + " sgemv a");
            xRun.assertUnchanged(x, impl.name() + " sgemv x");
            yRun.assertOnlyRegionChanged(y, impl.name() + " sgemv y");
            for (int i = 0; i < outLength; i++) {
                int index = i;
                Expect.within(() -> impl.name() + " sgemv y[" + index + "]", yRun.get(i), expected.value()[i],
                        Tolerances.dotProductBound(inner, expected.magnitude()[i]));
            }
        }
    }

    @Property(tries = 400)
    @Compares("dot")
    void dotMatchesDoubleReferenceForAnyLengthAndOffsets(
            @ForAll(supplier = Length.class) int n,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix x = StridedMatrix.inputVector(n, layoutX, data.matrixEntries());
        StridedMatrix y = StridedMatrix.inputVector(n, layoutY, data.matrixEntries());
        DoubleReference expected = DoubleReference.dot(n, x, y);

        for (Kernels impl : BOTH) {
            StridedMatrix xRun = x.copy();
            StridedMatrix yRun = y.copy();
            float got = impl.dot(n, xRun.data, xRun.offset, yRun.data, yRun.offset);
            xRun.assertUnchanged(x, impl.name() + " dot x");
            yRun.assertUnchanged(y, impl.name() + " dot y");
            Expect.within(() -> impl.name() + " dot", got, expected.value()[0],
                    Tolerances.dotProductBound(n, expected.magnitude()[0]));
        }
    }

    @Property(tries = 300)
    @Compares("sumRows")
    void sumRowsMatchesDoubleReferenceForAnyShape(
            @ForAll(supplier = Inner.class) int rows, @ForAll(supplier = Length.class) int cols,
            @ForAll(supplier = Layouts.class) Layout layoutA, @ForAll(supplier = Layouts.class) Layout layoutOut,
            @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix a = StridedMatrix.input(rows, cols, layoutA, data.matrixEntries());
        StridedMatrix out = StridedMatrix.outputVector(cols, layoutOut, data.matrixEntries());
        DoubleReference expected = DoubleReference.sumRows(rows, cols, a, out);

        for (Kernels impl : BOTH) {
            StridedMatrix aRun = a.copy();
            StridedMatrix outRun = out.copy();
            impl.sumRows(rows, cols, aRun.data, aRun.offset, aRun.ld, outRun.data, outRun.offset);
            aRun.assertUnchanged(a, impl.name() + " sumRows a");
            outRun.assertOnlyRegionChanged(out, impl.name() + " sumRows out");
            for (int j = 0; j < cols; j++) {
                int col = j;
                // rows additions into out[j]: rows + 1 terms
                Expect.within(() -> impl.name() + " sumRows out[" + col + "]", outRun.get(j), expected.value()[j],
                        Tolerances.sumBound(rows + 1, expected.magnitude()[j]));
            }
        }
    }

    @Property(tries = 400)
    @Compares("axpy")
    void axpyMatchesDoubleReferenceForAnyLengthAndAlpha(
            @ForAll(supplier = Length.class) int n, @ForAll(supplier = Coefficient.class) float alpha,
            @ForAll(supplier = Layouts.class) Layout layoutX, @ForAll(supplier = Layouts.class) Layout layoutY,
            @ForAll long seed) {
        FloatData data = new FloatData(seed);
        StridedMatrix x = StridedMatrix.inputVector(n, layoutX, data.matrixEntries());
        StridedMatrix y = StridedMatrix.outputVector(n, layoutY, data.matrixEntries());

        for (Kernels impl : BOTH) {
            StridedMatrix xRun = x.copy();
            StridedMatrix yRun = y.copy();
            impl.axpy(n, alpha, xRun.data, xRun.offset, yRun.data, yRun.offset);
            xRun.assertUnchanged(x, impl.name() + " axpy x");
            yRun.assertOnlyRegionChanged(y, impl.name() + " axpy y");
            for (int i = 0; i < n; i++) {
                int index = i;
                double product = (double) alpha * x.get(i);
                Expect.within(() -> impl.name() + " axpy y[" + index + "]", yRun.get(i), y.get(i) + product,
                        Tolerances.axpyBound(Math.abs(y.get(i)) + Math.abs(product)));
            }
        }
    }
}
