package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.MatrixSlice;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One call of a kernel with valid arguments, written argument by argument in the order of the kernel's parameters
 * (so it is invoked by reflection with no adapter per kernel), together with every way of making exactly one of
 * those arguments bad. Arrays get a random offset, padding between rows and a tail, so "too short" is computed
 * from the slice, not from an array of the exact size.
 *
 * <p>The faults and what the front door must answer, {@code kernel: <lead><argument> <phrase>...}:
 * <pre>
 * a negative size                      "n must be >= 0, got -7"
 * a null array, slice or object        "x must not be null"
 * a negative offset                    "offset of x must be >= 0, got -1"
 * the slice's end past the array end   "x is too short: ..."
 * a leading dimension below the row    "leading dimension of a (m x k) must be >= 5 (its row length), got 4"
 * a bad value of another kind          given with the argument ({@link #orBad})
 * </pre>
 * and for the argument kinds of the tensor kernels:
 * <pre>
 * sizes null, empty or with a negative entry  "sizes must hold at least one dimension", "sizes[1] must be >= 0"
 * strides null, of another rank or negative   "src needs one stride per dimension", "strides of src must be >= 0"
 * an index value out of range                 "index value 7 ..."
 * row starts null, too few, out of the array  "a's row starts must not be null", "a needs 3 row starts",
 *                                             "row 1 of a starts at -1 ..."
 * a broadcast stride other than 0 or 1        "stride of a must be 1 (contiguous) or 0 (broadcast)"
 * </pre>
 * where {@code <argument>} is the argument's full name in the messages, e.g. {@code a (m x k)}.
 */
final class KernelCall {

    /** One way to make one argument bad: the argument's name, what the message says, how the arguments change. */
    record Fault(String argument, String lead, String phrase, Consumer<Object[]> apply) {

        /** The start of the message after {@code "kernel: "}. */
        String expectedMessageStart() {
            return lead + argument + " " + phrase;
        }
    }

    private final String kernel;
    private final Random random;
    private final List<Object> args = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    /** Positions of the int[] outputs (positions written by the kernel), compared by {@link #assertNothingWritten}. */
    private final Set<Integer> intOutputs = new HashSet<>();

    private KernelCall(String kernel, Random random) {
        this.kernel = kernel;
        this.random = random;
    }

    /** A call of {@code kernel} whose layouts (offsets, padding, contents) come from {@code random}. */
    static KernelCall of(String kernel, Random random) {
        return new KernelCall(kernel, random);
    }

    String kernel() {
        return kernel;
    }

    List<Fault> faults() {
        return faults;
    }

    // ---------------------------------------------------------------- arguments, in parameter order

    /** An argument no check looks at (a flag, a scale, a hyperparameter). */
    KernelCall value(Object value) {
        args.add(value);
        return this;
    }

    /** A size; made bad by a negative value. */
    KernelCall size(String name, int value) {
        int at = args.size();
        args.add(value);
        int negative = -1 - random.nextInt(100);
        faults.add(new Fault(name, "", "must be >= 0", a -> a[at] = negative));
        return this;
    }

    /** A vector of n elements: the array and its offset. */
    KernelCall vector(String name, int n) {
        return slice(name, 1, n, false, false);
    }

    /** A rows x cols matrix with contiguous rows: the array and its offset. */
    KernelCall contiguous(String name, int rows, int cols) {
        return slice(name, rows, cols, false, false);
    }

    /** A rows x cols matrix: the array, its offset and its leading dimension. */
    KernelCall matrix(String name, int rows, int cols) {
        return slice(name, rows, cols, true, false);
    }

    /** A rows x cols matrix as one {@link MatrixSlice} argument. */
    KernelCall slice(String name, int rows, int cols) {
        return slice(name, rows, cols, true, true);
    }

    /** An object argument (a packed matrix, a cell kind); made bad by null. */
    KernelCall object(String name, Object value) {
        int at = args.size();
        args.add(value);
        faults.add(new Fault(name, "", "must not be null", a -> a[at] = null));
        return this;
    }

    /**
     * The operand added last may be null (a null workspace, an absent bias): null is not one of its faults. Call
     * it right after the operand.
     */
    KernelCall nullable() {
        faults.removeIf(f -> f.phrase().equals("must not be null")
                && f.argument().equals(faults.getLast().argument()));
        return this;
    }

    /** Another fault of the last argument: replaced by {@code bad}, the message says {@code phrase}. */
    KernelCall orBad(String name, Object bad, String phrase) {
        int at = args.size() - 1;
        faults.add(new Fault(name, "", phrase, a -> a[at] = bad));
        return this;
    }

    /**
     * The index space of a strided kernel; made bad by null, by no dimension and by one negative size (a new
     * array each time: the valid one is shared by the copies of the arguments).
     */
    KernelCall sizes(int[] sizes) {
        int at = args.size();
        args.add(sizes);
        faults.add(new Fault("sizes", "", "must hold at least one dimension", a -> a[at] = null));
        faults.add(new Fault("sizes", "", "must hold at least one dimension", a -> a[at] = new int[0]));
        int d = random.nextInt(sizes.length);
        int[] negative = sizes.clone();
        negative[d] = -1 - random.nextInt(10);
        faults.add(new Fault("sizes[" + d + "]", "", "must be >= 0", a -> a[at] = negative));
        return this;
    }

    /**
     * A strided float view of the shape {@code sizes} (except {@code dimSize} entries along {@code dim}, when dim
     * >= 0): the array, its offset and its strides (row-major with padding, now and then 0 to repeat an element).
     */
    KernelCall strided(String name, int[] sizes, int dim, int dimSize) {
        int[] extents = sizes.clone();
        if (dim >= 0) {
            extents[dim] = dimSize;
        }
        int[] strides = strides(extents);
        int span = span(extents, strides);
        int offset = random.nextInt(4);
        float[] array = new float[offset + span + random.nextInt(3)];
        for (int i = 0; i < array.length; i++) {
            array[i] = (float) random.nextGaussian();
        }
        return stridedOperand(name, array, array.length, offset, strides, span);
    }

    /**
     * A strided view of long index values in {@code [0, bound)} of the shape {@code sizes}; also made bad by an
     * out-of-range value at element (0, ..., 0) and at the farthest element.
     */
    KernelCall stridedIndex(String name, int[] sizes, int bound) {
        int[] strides = strides(sizes);
        int span = span(sizes, strides);
        int offset = random.nextInt(4);
        long[] array = new long[offset + span + random.nextInt(3)];
        for (int i = 0; i < array.length; i++) {
            array[i] = random.nextInt(bound);
        }
        int at = args.size();
        stridedOperand(name, array, array.length, offset, strides, span);
        // an out-of-range value at the first position the walk reads and at the farthest (the last one it reads),
        // so that a check which stops early, e.g. after the first slice of the outermost dimension, is caught
        for (int position : span > 1 ? new int[] {offset, offset + span - 1} : new int[] {offset}) {
            long[] outOfRange = array.clone();
            outOfRange[position] = random.nextBoolean() ? -1 : bound;
            faults.add(new Fault(name, "", "value " + outOfRange[position], a -> a[at] = outOfRange));
        }
        return this;
    }

    private KernelCall stridedOperand(String name, Object array, int length, int offset, int[] strides, int span) {
        int at = args.size();
        args.add(array);
        args.add(offset);
        args.add(strides);
        faults.add(new Fault(name, "", "must not be null", a -> a[at] = null));
        int negativeOffset = -1 - random.nextInt(10);
        faults.add(new Fault(name, "offset of ", "must be >= 0", a -> a[at + 1] = negativeOffset));
        if (span > 0) {
            int pastTheEnd = length - span + 1;
            faults.add(new Fault(name, "", "is too short", a -> a[at + 1] = pastTheEnd));
        }
        faults.add(new Fault(name, "", "needs one stride per dimension", a -> a[at + 2] = null));
        int[] oneTooMany = Arrays.copyOf(strides, strides.length + 1);
        faults.add(new Fault(name, "", "needs one stride per dimension", a -> a[at + 2] = oneTooMany));
        int[] negative = strides.clone();
        negative[random.nextInt(strides.length)] = -1;
        faults.add(new Fault(name, "strides of ", "must be >= 0", a -> a[at + 2] = negative));
        return this;
    }

    /** Row-major strides over {@code extents} with random padding, a dimension's stride 0 one time in four. */
    private int[] strides(int[] extents) {
        int[] strides = new int[extents.length];
        int running = 1;
        for (int d = extents.length - 1; d >= 0; d--) {
            strides[d] = random.nextInt(4) == 0 ? 0 : running;
            running *= extents[d] + random.nextInt(2);
        }
        return strides;
    }

    /** The elements from element (0, ..., 0) to the farthest one, inclusive (0 for an empty view). */
    private static int span(int[] extents, int[] strides) {
        int last = 0;
        for (int d = 0; d < extents.length; d++) {
            if (extents[d] == 0) {
                return 0;
            }
            last += (extents[d] - 1) * strides[d];
        }
        return last + 1;
    }

    /**
     * A rows x cols broadcast operand: its array, the start of each row in it and its stride (1: a contiguous row,
     * 0: one value repeated).
     */
    KernelCall broadcastOperand(String name, int rows, int cols) {
        int stride = random.nextInt(2);
        int extent = stride == 0 ? 1 : cols;
        float[] array = new float[extent + 2 * rows + random.nextInt(3)];
        for (int i = 0; i < array.length; i++) {
            array[i] = (float) random.nextGaussian();
        }
        int[] rowStarts = new int[rows];
        for (int r = 0; r < rows; r++) {
            rowStarts[r] = random.nextInt(array.length - extent + 1);
        }
        int at = args.size();
        args.add(array);
        args.add(rowStarts);
        args.add(stride);
        faults.add(new Fault(name, "", "must not be null", a -> a[at] = null));
        faults.add(new Fault(name + "'s row starts", "", "must not be null", a -> a[at + 1] = null));
        faults.add(new Fault(name, "", "needs " + rows + " row starts",
                a -> a[at + 1] = Arrays.copyOf(rowStarts, rows - 1)));
        int r = random.nextInt(rows);
        int[] negative = rowStarts.clone();
        negative[r] = -1;
        faults.add(new Fault(name, "row " + r + " of ", "starts at -1", a -> a[at + 1] = negative));
        int[] pastTheEnd = rowStarts.clone();
        pastTheEnd[r] = array.length - extent + 1;
        faults.add(new Fault(name, "row " + r + " of ", "starts at " + pastTheEnd[r], a -> a[at + 1] = pastTheEnd));
        faults.add(new Fault(name, "stride of ", "must be 1 (contiguous) or 0 (broadcast)", a -> a[at + 2] = 2));
        return this;
    }

    /** n int positions the kernel writes: the array and its offset. */
    KernelCall indices(String name, int n) {
        intOutputs.add(args.size());
        return intVector(name, n, Integer.MAX_VALUE);
    }

    /**
     * n int positions in {@code [0, bound)} the kernel reads: the array and its offset; also made bad by an
     * out-of-range value at the first position and at the last.
     */
    KernelCall indexValues(String name, int n, int bound) {
        int at = args.size();
        intVector(name, n, bound);
        int first = (Integer) args.get(at + 1);
        for (int position : n > 1 ? new int[] {first, first + n - 1} : new int[] {first}) {
            int[] outOfRange = ((int[]) args.get(at)).clone();
            outOfRange[position] = random.nextBoolean() ? -1 : bound;
            faults.add(new Fault(name, "", "value " + outOfRange[position], a -> a[at] = outOfRange));
        }
        return this;
    }

    /** n ints in {@code [0, bound)} after a random offset, with a tail: the array and its offset. */
    private KernelCall intVector(String name, int n, int bound) {
        int offset = random.nextInt(4);
        int[] array = new int[offset + n + random.nextInt(3)];
        for (int i = 0; i < array.length; i++) {
            array[i] = random.nextInt(bound);
        }
        int at = args.size();
        args.add(array);
        args.add(offset);
        faults.add(new Fault(name, "", "must not be null", a -> a[at] = null));
        int negativeOffset = -1 - random.nextInt(10);
        faults.add(new Fault(name, "offset of ", "must be >= 0", a -> a[at + 1] = negativeOffset));
        if (n > 0) {
            int pastTheEnd = array.length - n + 1;
            faults.add(new Fault(name, "", "is too short", a -> a[at + 1] = pastTheEnd));
        }
        return this;
    }

    private KernelCall slice(String name, int rows, int cols, boolean withLd, boolean asSlice) {
        int offset = random.nextInt(4);
        int ld = withLd ? cols + random.nextInt(3) : cols;
        long extent = rows == 0 || cols == 0 ? 0 : (rows - 1L) * ld + cols;
        float[] array = new float[Math.toIntExact(offset + extent + random.nextInt(3))];
        for (int i = 0; i < array.length; i++) {
            array[i] = (float) random.nextGaussian();
        }
        int at = args.size();
        if (asSlice) {
            args.add(new MatrixSlice(array, offset, ld));
            faults.add(new Fault(name, "", "must not be null", a -> a[at] = null));
            faults.add(new Fault(name, "", "must not be null", a -> a[at] = new MatrixSlice(null, offset, ld)));
            faults.add(new Fault(name, "offset of ", "must be >= 0", a -> a[at] = withOffset(a[at], -1)));
            if (extent > 0) {
                int pastTheEnd = (int) (array.length - extent + 1);
                faults.add(new Fault(name, "", "is too short", a -> a[at] = withOffset(a[at], pastTheEnd)));
            }
            if (rows > 1 && cols > 0) {
                faults.add(new Fault(name, "leading dimension of ", "must be >= " + cols,
                        a -> a[at] = new MatrixSlice(((MatrixSlice) a[at]).array(), offset, cols - 1)));
            }
            return this;
        }
        args.add(array);
        args.add(offset);
        if (withLd) {
            args.add(ld);
        }
        faults.add(new Fault(name, "", "must not be null", a -> a[at] = null));
        int negativeOffset = -1 - random.nextInt(10);
        faults.add(new Fault(name, "offset of ", "must be >= 0", a -> a[at + 1] = negativeOffset));
        if (extent > 0) {
            int pastTheEnd = (int) (array.length - extent + 1);
            faults.add(new Fault(name, "", "is too short", a -> a[at + 1] = pastTheEnd));
        }
        if (withLd && rows > 1 && cols > 0) {
            faults.add(new Fault(name, "leading dimension of ", "must be >= " + cols, a -> a[at + 2] = cols - 1));
        }
        return this;
    }

    private static MatrixSlice withOffset(Object slice, int offset) {
        MatrixSlice s = (MatrixSlice) slice;
        return new MatrixSlice(s.array(), offset, s.ld());
    }

    // ---------------------------------------------------------------- running

    /** Fresh copies of the valid arguments: arrays (also those of slices) cloned, other objects shared. */
    Object[] copyOfArguments() {
        Object[] copy = new Object[args.size()];
        for (int i = 0; i < copy.length; i++) {
            Object arg = args.get(i);
            if (arg instanceof float[] array) {
                copy[i] = array.clone();
            } else if (arg instanceof MatrixSlice s) {
                copy[i] = new MatrixSlice(s.array().clone(), s.offset(), s.ld());
            } else if (arg instanceof int[] ints) {
                copy[i] = ints.clone();
            } else if (arg instanceof long[] longs) {
                copy[i] = longs.clone();
            } else {
                copy[i] = arg;
            }
        }
        return copy;
    }

    /**
     * Calls {@code method} on {@code impl}: returns normally, or throws what the kernel threw (an exception of
     * reflection itself, e.g. arguments that do not fit the signature, is an {@link AssertionError}).
     */
    static void invoke(Method method, Kernels impl, Object[] arguments) throws Throwable {
        try {
            method.invoke(impl, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new AssertionError("cannot call " + method + " with the arguments of its KernelCall", e);
        }
    }

    /**
     * Asserts that {@code after}, the arguments of a rejected call, hold the same floats as the valid arguments
     * they were copied from, and its int outputs the same ints: the kernel wrote no array before it refused the
     * call. (Other int and long arrays are inputs, which a fault may replace by an array of other values.)
     */
    void assertNothingWritten(Object[] after, String what) {
        for (int i : intOutputs) {
            if (after[i] instanceof int[] now && !Arrays.equals((int[]) args.get(i), now)) {
                throw new AssertionError(what + ": the int output at argument " + i + " was written although the"
                        + " call was refused");
            }
        }
        for (int i = 0; i < after.length; i++) {
            float[] before = arrayOf(args.get(i));
            float[] now = arrayOf(after[i]);
            if (before == null || now == null) {
                continue; // an argument the fault replaced by null or that is no array
            }
            for (int j = 0; j < before.length && j < now.length; j++) {
                if (Float.floatToRawIntBits(before[j]) != Float.floatToRawIntBits(now[j])) {
                    throw new AssertionError(what + ": argument " + i + " was written at index " + j + " ("
                            + before[j] + " became " + now[j] + ") although the call was refused");
                }
            }
        }
    }

    private static float[] arrayOf(Object arg) {
        if (arg instanceof float[] array) {
            return array;
        }
        return arg instanceof MatrixSlice s ? s.array() : null;
    }
}
