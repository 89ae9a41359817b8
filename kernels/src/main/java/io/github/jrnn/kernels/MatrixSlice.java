package io.github.jrnn.kernels;

/**
 * Where one matrix operand of a kernel lies: a row-major matrix inside a {@code float[]}, element (i, j) at
 * {@code array[offset + i * ld + j]}. The kernel that takes the slice gives its rows and columns (e.g. batch x
 * hidden); the slice says only where they are. The backward cell kernels ({@link Kernels#gruCellBackward} and its
 * siblings) take their operands this way, one slice per operand, so that a call names each operand once instead
 * of spelling out three positional arguments for it.
 *
 * <p>A slice is mutable so that a caller can own one per operand and point it at the next time step's rows with
 * {@link #set} (which returns the slice, to be passed straight on): a time loop then allocates nothing. A kernel
 * reads a slice's fields only during the call. Give every operand of a call its own slice object: a checked kernel
 * refuses one object passed for two operands (it would hold only the values set last). Not thread-safe: one thread
 * sets and passes a slice at a time.
 */
public final class MatrixSlice {

    private float[] array;
    private int offset;
    private int ld;

    /** An empty slice (no array yet), to be pointed at an operand with {@link #set} before each call. */
    public MatrixSlice() {
    }

    /**
     * A slice of {@code array} at {@code offset} with leading dimension {@code ld}.
     *
     * @param array the array holding the matrix
     * @param offset index in {@code array} of the matrix's element (0, 0)
     * @param ld leading dimension: distance between the starts of two consecutive rows (at least the row length)
     */
    public MatrixSlice(float[] array, int offset, int ld) {
        set(array, offset, ld);
    }

    /**
     * Points this slice at another matrix (nothing is checked here; a checked kernel checks the slice against the
     * shape it needs).
     *
     * @param array the array holding the matrix
     * @param offset index in {@code array} of the matrix's element (0, 0)
     * @param ld leading dimension: distance between the starts of two consecutive rows (at least the row length)
     * @return this slice
     */
    public MatrixSlice set(float[] array, int offset, int ld) {
        this.array = array;
        this.offset = offset;
        this.ld = ld;
        return this;
    }

    /**
     * The array holding the matrix.
     *
     * @return the array, or null when the slice was never set
     */
    public float[] array() {
        return array;
    }

    /**
     * Where the matrix starts.
     *
     * @return the index in {@link #array()} of element (0, 0)
     */
    public int offset() {
        return offset;
    }

    /**
     * The leading dimension.
     *
     * @return the distance in {@link #array()} between the starts of two consecutive rows
     */
    public int ld() {
        return ld;
    }
}
