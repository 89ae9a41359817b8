package io.github.jrnn.kernels;

/**
 * The argument checks of the kernels' front door. Each failure is an {@link IllegalArgumentException} whose
 * message names the kernel, the argument, what was expected and what was given. Extents are computed in
 * {@code long} so that huge sizes are reported instead of wrapping around.
 */
final class ArgumentChecks {

    private ArgumentChecks() {
    }

    static void size(String kernel, String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(kernel + ": " + name + " must be >= 0, got " + value);
        }
    }

    /** A contiguous vector of n elements starting at offset. */
    static void vector(String kernel, String name, float[] array, int offset, int n) {
        matrix(kernel, name, array, offset, 1, n, n);
    }

    /**
     * A rows x cols row-major matrix with leading dimension ld starting at offset: needs
     * {@code ld >= cols} and {@code array.length >= offset + (rows - 1) * ld + cols} (nothing when empty).
     */
    static void matrix(String kernel, String name, float[] array, int offset, int rows, int cols, int ld) {
        if (array == null) {
            throw new IllegalArgumentException(kernel + ": " + name + " must not be null");
        }
        if (offset < 0) {
            throw new IllegalArgumentException(kernel + ": offset of " + name + " must be >= 0, got " + offset);
        }
        if (rows > 1 && ld < cols) {
            throw new IllegalArgumentException(kernel + ": leading dimension of " + name + " must be >= " + cols
                    + " (its row length), got " + ld
                    + (ld > 0 && ld * (long) rows == cols ? "; did you pass the transposed shape?" : ""));
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long needed = offset + (rows - 1L) * ld + cols;
        if (array.length < needed) {
            throw new IllegalArgumentException(kernel + ": " + name + " is too short: a " + rows + " x " + cols
                    + " matrix at offset " + offset + " with leading dimension " + ld + " needs " + needed
                    + " elements, got " + array.length);
        }
    }

    /** An optional matrix: null is allowed (the kernel then skips it). */
    static void optionalMatrix(String kernel, String name, float[] array, int offset, int rows, int cols, int ld) {
        if (array != null) {
            matrix(kernel, name, array, offset, rows, cols, ld);
        }
    }

    /**
     * {@code gates * hidden}, the row width of a gate matrix, refused instead of wrapped when it does not fit an
     * {@code int}.
     */
    static int gateWidth(String kernel, int hidden, int gates) {
        long width = (long) gates * hidden;
        if (width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": hidden = " + hidden + " gives " + gates + " * hidden = "
                    + width + " gate columns, more than a Java array can index");
        }
        return (int) width;
    }
}
