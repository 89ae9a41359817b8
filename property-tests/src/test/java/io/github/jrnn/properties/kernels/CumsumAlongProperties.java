package io.github.jrnn.properties.kernels;

import static io.github.jrnn.properties.kernels.Implementations.BOTH;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.properties.kernels.KernelShapes.Layout;
import io.github.jrnn.properties.kernels.KernelShapes.Layouts;
import java.util.function.DoubleSupplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Running sums along the middle dimension of an (outer, size, inner) view: every implementation gives, bit for
 * bit, the float running sum added in increasing k (the order is part of the kernel's contract, since PyTorch's
 * multinomial sampling compares against exactly these partial sums), for inner = 1 and inner around the lane count,
 * into a separate output and in place.
 */
class CumsumAlongProperties {

    private static final DoubleSupplier UNWRITTEN = () -> Double.NaN;

    @Provide
    Arbitrary<Integer> inners() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.integers().between(0, 2 * KernelShapes.LANES + 3)));
    }

    /** The running sums as the contract states them: float additions in increasing k. */
    private static float[] reference(StridedMatrix x, int outer, int size, int inner) {
        float[] y = new float[outer * size * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                float sum = 0f;
                for (int k = 0; k < size; k++) {
                    int e = (o * size + k) * inner + i;
                    sum += x.get(e);
                    y[e] = sum;
                }
            }
        }
        return y;
    }

    @Property(tries = 300)
    @Compares("cumsumAlong")
    void cumsumAlongIsTheFloatRunningSumInIncreasingOrderBitForBit(
            @ForAll @IntRange(min = 0, max = 3) int outer, @ForAll @IntRange(min = 0, max = 70) int size,
            @ForAll("inners") int inner, @ForAll(supplier = Layouts.class) Layout layoutX,
            @ForAll(supplier = Layouts.class) Layout layoutY, @ForAll long seed) {
        int n = outer * size * inner;
        StridedMatrix x = StridedMatrix.inputVector(n, layoutX, new FloatData(seed).matrixEntries());
        StridedMatrix y = StridedMatrix.outputVector(n, layoutY, UNWRITTEN);
        float[] expected = reference(x, outer, size, inner);
        for (Kernels impl : BOTH) {
            StridedMatrix xRun = x.copy();
            StridedMatrix run = y.copy();
            impl.cumsumAlong(outer, size, inner, xRun.data, xRun.offset, run.data, run.offset);
            xRun.assertUnchanged(x, impl.name() + " cumsumAlong x");
            run.assertOnlyRegionChanged(y, impl.name() + " cumsumAlong y");
            StridedMatrix inPlace = x.copy();
            impl.cumsumAlong(outer, size, inner, inPlace.data, inPlace.offset, inPlace.data, inPlace.offset);
            for (int e = 0; e < n; e++) {
                assertEquals(Float.floatToIntBits(expected[e]), Float.floatToIntBits(run.get(e)),
                        impl.name() + " cumsumAlong y[" + e + "]: " + expected[e] + " expected, got " + run.get(e));
                assertEquals(Float.floatToIntBits(expected[e]), Float.floatToIntBits(inPlace.get(e)),
                        impl.name() + " cumsumAlong in place y[" + e + "]");
            }
        }
    }
}
