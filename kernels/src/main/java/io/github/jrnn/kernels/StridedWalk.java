package io.github.jrnn.kernels;

/**
 * A row-major walk over an index space {@code sizes} (rank >= 1, no size 0) one run of the last dimension at a time,
 * tracking the offset of each strided operand at the start of the current run: the outer loops that
 * {@link Kernels#copyStrided}, {@link Kernels#addStrided}, {@link Kernels#gather} and {@link Kernels#scatterAdd}
 * share, so the implementations write only their inner run.
 *
 * <pre>{@code
 * StridedWalk walk = new StridedWalk(sizes, new int[] {srcOffset, dstOffset}, srcStrides, dstStrides);
 * do {
 *     run(walk.offset(0), walk.offset(1));   // sizes[rank - 1] elements
 * } while (walk.next());
 * }</pre>
 */
final class StridedWalk {

    private final int[] sizes;
    private final int[][] strides; // per operand
    private final int[] offsets;   // per operand, at the start of the current run
    private final int[] counter;   // the index of the current run in the outer dimensions

    /**
     * @param sizes the index space; no size may be 0 (callers return early on an empty space)
     * @param offsets each operand's offset of element (0, ..., 0); copied
     * @param strides each operand's strides, one per dimension
     */
    StridedWalk(int[] sizes, int[] offsets, int[]... strides) {
        this.sizes = sizes;
        this.strides = strides;
        this.offsets = offsets.clone();
        this.counter = new int[sizes.length - 1];
    }

    /** True when some size is 0: the space has no element and the kernels do nothing. */
    static boolean isEmpty(int[] sizes) {
        for (int size : sizes) {
            if (size == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The strides of the operand that gather reads or scatterAdd writes, for the walk: its own, with 0 along
     * {@code dim}, where the index value supplies the position (added as {@code value * strides[dim]}).
     */
    static int[] alongIndex(int[] strides, int dim) {
        int[] walked = strides.clone();
        walked[dim] = 0;
        return walked;
    }

    /** The offset of operand {@code operand} at the start of the current run. */
    int offset(int operand) {
        return offsets[operand];
    }

    /** Moves to the next run; false after the last one. */
    boolean next() {
        for (int d = counter.length - 1; d >= 0; d--) {
            if (++counter[d] < sizes[d]) {
                for (int k = 0; k < offsets.length; k++) {
                    offsets[k] += strides[k][d];
                }
                return true;
            }
            counter[d] = 0;
            for (int k = 0; k < offsets.length; k++) {
                offsets[k] -= strides[k][d] * (sizes[d] - 1);
            }
        }
        return false;
    }
}
