package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.MatrixSlice;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
     * they were copied from: the kernel wrote no array before it refused the call.
     */
    void assertNothingWritten(Object[] after, String what) {
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
