package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.MatrixSlice;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * A rows x cols row-major slice inside a larger float array, as the kernels see it: element (i, j) at
 * {@code offset + i * ld + j} with {@code ld = cols + padding}. The array also holds the offset's prefix, the gaps
 * between rows and a tail of {@code padding + L + 1} elements, so a vector loop that reads or writes past its
 * region hits elements the test controls.
 *
 * <p>Inputs are padded with NaN: an implementation that lets a padding element into a result shows it as NaN.
 * Outputs are padded with {@link #SENTINEL}; {@link #assertOnlyRegionChanged} then proves nothing outside the
 * region was written.
 */
final class StridedMatrix {

    /** Fills output padding: a finite value no kernel produces from the generated inputs. */
    static final float SENTINEL = Float.intBitsToFloat(0xCAFEBABE);

    final float[] data;
    final int rows;
    final int cols;
    final int offset;
    final int ld;

    private StridedMatrix(int rows, int cols, KernelShapes.Layout layout, float paddingValue) {
        this.rows = rows;
        this.cols = cols;
        this.offset = layout.offset();
        this.ld = cols + layout.padding();
        this.data = new float[offset + rows * ld + layout.padding() + KernelShapes.LANES + 1];
        Arrays.fill(data, paddingValue);
    }

    /** An input slice padded with NaN, its region filled from {@code values}. */
    static StridedMatrix input(int rows, int cols, KernelShapes.Layout layout, DoubleSupplier values) {
        return new StridedMatrix(rows, cols, layout, Float.NaN).fill(values);
    }

    /** An output slice padded with {@link #SENTINEL}, its region filled from {@code values}. */
    static StridedMatrix output(int rows, int cols, KernelShapes.Layout layout, DoubleSupplier values) {
        return new StridedMatrix(rows, cols, layout, SENTINEL).fill(values);
    }

    /** A contiguous input vector of n elements at the layout's offset. */
    static StridedMatrix inputVector(int n, KernelShapes.Layout layout, DoubleSupplier values) {
        return input(1, n, layout, values);
    }

    /** A contiguous output vector of n elements at the layout's offset. */
    static StridedMatrix outputVector(int n, KernelShapes.Layout layout, DoubleSupplier values) {
        return output(1, n, layout, values);
    }

    private StridedMatrix(StridedMatrix original) {
        this.rows = original.rows;
        this.cols = original.cols;
        this.offset = original.offset;
        this.ld = original.ld;
        this.data = original.data.clone();
    }

    /** An independent copy (for running a second implementation on the same inputs). */
    StridedMatrix copy() {
        return new StridedMatrix(this);
    }

    private StridedMatrix fill(DoubleSupplier values) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                data[index(i, j)] = (float) values.getAsDouble();
            }
        }
        return this;
    }

    /** This matrix as a kernel operand (a new slice object, so each operand of a call has its own). */
    MatrixSlice slice() {
        return new MatrixSlice(data, offset, ld);
    }

    int index(int i, int j) {
        return offset + i * ld + j;
    }

    float get(int i, int j) {
        return data[index(i, j)];
    }

    /** Element i of a vector (row 0). */
    float get(int i) {
        return data[offset + i];
    }

    boolean inRegion(int index) {
        int relative = index - offset;
        return relative >= 0 && relative < rows * ld && relative % ld < cols;
    }

    /**
     * Asserts that every element outside the region is bitwise what it was in {@code before} (an output's
     * padding was not written).
     */
    void assertOnlyRegionChanged(StridedMatrix before, String what) {
        for (int idx = 0; idx < data.length; idx++) {
            if (!inRegion(idx) && Float.floatToRawIntBits(data[idx]) != Float.floatToRawIntBits(before.data[idx])) {
                throw new AssertionError(what + ": wrote outside its " + rows + " x " + cols + " region (offset "
                        + offset + ", ld " + ld + ") at array index " + idx + ": " + before.data[idx] + " became "
                        + data[idx]);
            }
        }
    }

    /** Asserts that the whole array is bitwise what it was in {@code before} (an input was not modified). */
    void assertUnchanged(StridedMatrix before, String what) {
        for (int idx = 0; idx < data.length; idx++) {
            if (Float.floatToRawIntBits(data[idx]) != Float.floatToRawIntBits(before.data[idx])) {
                throw new AssertionError(what + ": input modified at array index " + idx + ": " + before.data[idx]
                        + " became " + data[idx]);
            }
        }
    }
}
