package io.github.jrnn.nn.tensor;

import io.github.jrnn.kernels.KernelProvider;
import java.util.Arrays;

/**
 * PyTorch's broadcasting as index arithmetic: the shape two operands broadcast to, and for an output shape the
 * rows x cols blocks the broadcast kernels ({@code Kernels.broadcastBinary}, {@code broadcastWhere}) run on. Shapes
 * are aligned at their last dimension; a missing or size-1 dimension repeats along the other operand's.
 *
 * <p>Plan: {@code cols} is the longest run of trailing output dimensions in which every operand is either whole
 * (its dimensions equal the output's: a contiguous run, stride 1) or absent (size 1: one value repeated, stride
 * 0); the remaining leading dimensions are the rows, and each operand's row starts are computed here once.
 */
final class Broadcast {

    private Broadcast() {
    }

    /**
     * The broadcast shape of a and b, like {@code torch.broadcast_shapes}.
     *
     * @throws IllegalArgumentException with PyTorch's text when a dimension differs and neither is 1
     */
    static int[] shapes(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = dimFromEnd(a, rank - 1 - d);
            int db = dimFromEnd(b, rank - 1 - d);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b ("
                        + db + ") at non-singleton dimension " + d + "; shapes " + Tensor.shapeString(a) + " and "
                        + Tensor.shapeString(b) + " do not broadcast: aligned from the last dimension, each pair of"
                        + " sizes must be equal or one of them 1");
            }
            out[d] = da == 1 ? db : da;
        }
        return out;
    }

    /** Size of the dimension {@code fromEnd} places before the last (0 = last), or 1 when the shape is shorter. */
    private static int dimFromEnd(int[] shape, int fromEnd) {
        int d = shape.length - 1 - fromEnd;
        return d >= 0 ? shape[d] : 1;
    }

    /** How one operand of a plan is read: its row starts and its column stride (1 or 0). */
    record Operand(int[] rows, int stride) {
    }

    /** The rows x cols blocks of an output shape and how each operand is read. */
    record Plan(int rows, int cols, Operand[] operands) {
    }

    /** The plan for operands of the given shapes, each broadcastable to {@code out}. */
    static Plan plan(int[] out, int[]... operands) {
        int rank = out.length;
        int start = rank;
        int cols = 1;
        int[] state = new int[operands.length]; // 0 unknown, 1 whole, 2 absent in the trailing run
        outer:
        while (start > 0) {
            int d = start - 1;
            if (out[d] != 1) {
                for (int i = 0; i < operands.length; i++) {
                    int s = dimFromEnd(operands[i], rank - 1 - d) == out[d] ? 1 : 2;
                    if (state[i] != 0 && state[i] != s) {
                        break outer;
                    }
                }
                for (int i = 0; i < operands.length; i++) {
                    state[i] = dimFromEnd(operands[i], rank - 1 - d) == out[d] ? 1 : 2;
                }
            }
            cols *= out[d];
            start = d;
        }
        int rows = cols == 0 ? 0 : Tensor.checkedNumel(out) / cols;
        Operand[] read = new Operand[operands.length];
        for (int i = 0; i < operands.length; i++) {
            read[i] = new Operand(rowStarts(out, start, rows, operands[i]), state[i] == 2 ? 0 : 1);
        }
        return new Plan(rows, cols, read);
    }

    /** The start in the operand's data of each row (a multi-index over out's dimensions before {@code start}). */
    private static int[] rowStarts(int[] out, int start, int rows, int[] operand) {
        int rank = out.length;
        int[] stride = new int[start]; // the operand's element stride along output dimension d, 0 when broadcast
        int step = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int size = dimFromEnd(operand, rank - 1 - d);
            if (d < start) {
                stride[d] = size == out[d] ? step : 0;
            }
            step *= size;
        }
        int[] starts = new int[rows];
        int[] index = new int[start];
        int offset = 0;
        for (int r = 0; r < rows; r++) {
            starts[r] = offset;
            for (int d = start - 1; d >= 0; d--) { // odometer over the row dimensions
                index[d]++;
                offset += stride[d];
                if (index[d] < out[d]) {
                    break;
                }
                offset -= stride[d] * index[d];
                index[d] = 0;
            }
        }
        return starts;
    }

    /** For each element of {@code out} (row-major), the position of the element of {@code operand} it reads. */
    static int[] offsets(int[] out, int[] operand) {
        return rowStarts(out, out.length, Tensor.checkedNumel(out), operand);
    }

    /**
     * The gradient of a broadcast operand: {@code grad} (of shape {@code from}) summed over every dimension the
     * operand of shape {@code to} was repeated along, as PyTorch's {@code sum_to_size}. Returns {@code grad} itself
     * when the shapes are equal.
     */
    static float[] sumTo(float[] grad, int[] from, int[] to) {
        if (Arrays.equals(from, to)) {
            return grad;
        }
        float[] current = grad;
        int[] shape = from.clone();
        int lead = from.length - to.length;
        for (int d = 0; d < from.length; d++) {
            boolean summed = d < lead || (to[d - lead] == 1 && from[d] != 1);
            if (summed) {
                int outer = prod(shape, 0, d);
                int inner = prod(shape, d + 1, shape.length);
                float[] reduced = new float[outer * inner];
                KernelProvider.kernels().sumAlong(outer, shape[d], inner, current, 0, reduced, 0);
                current = reduced;
                shape[d] = 1;
            }
        }
        return current;
    }

    static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }
}
