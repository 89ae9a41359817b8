package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A slice holds where one operand lies and is re-pointed in place, so a time loop can pass it straight on. */
class MatrixSliceTest {

    @Test
    void setPointsTheSameSliceAtAnotherMatrixAndReturnsIt() {
        MatrixSlice slice = new MatrixSlice();
        assertNull(slice.array(), "a new slice points nowhere");
        float[] first = new float[12];
        assertSame(slice, slice.set(first, 3, 4));
        assertSame(first, slice.array());
        assertEquals(3, slice.offset());
        assertEquals(4, slice.ld());
        float[] second = new float[5];
        assertSame(slice, slice.set(second, 1, 2));
        assertSame(second, slice.array());
        assertEquals(1, slice.offset());
        assertEquals(2, slice.ld());
    }
}
