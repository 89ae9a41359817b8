package io.github.jrnn.nn.rnn;

import java.util.Arrays;

/**
 * Where each (step, sequence) of a batch lives in the row-major sequence buffers, shared by the forward pass and
 * backpropagation through time so both walk the same rows.
 *
 * <p>The sequences running at step t are the prefix {@code 0 .. batchSizes[t] - 1} of the (length-sorted) batch;
 * row {@code rowStart(t) + b} is step t of sequence b. A padded batch (L, N, *) has {@code batchSizes = [N] * L}.
 *
 * <p>Per direction, the rows of step t split into two contiguous segments: rows {@code [0, continuing(t))} take
 * their previous hidden state from the rows of {@link #previousStep} (the same sequences one step earlier in the
 * direction's order), rows {@code [continuing(t), batchSizes[t])} start there from h_0. The forward direction
 * starts every sequence at step 0; the reverse direction starts each sequence at its own last step.
 */
final class StepRows {

    private final int[] batchSizes; // (T), non-increasing
    private final int[] rowStart;   // (T), rowStart[t] = batchSizes[0] + ... + batchSizes[t - 1]
    private final int[] lengths;    // (N), steps of each (sorted) sequence
    private final int totalRows;

    StepRows(int[] batchSizes, int batch) {
        this.batchSizes = batchSizes;
        this.rowStart = new int[batchSizes.length];
        int rows = 0;
        for (int t = 0; t < batchSizes.length; t++) {
            rowStart[t] = rows;
            rows += batchSizes[t];
        }
        this.totalRows = rows;
        this.lengths = new int[batch];
        for (int t = 0; t < batchSizes.length; t++) {
            // the sequences running at step t are 0 .. batchSizes[t] - 1, so each of them is at least t + 1 long
            Arrays.fill(lengths, 0, batchSizes[t], t + 1);
        }
    }

    /** N, the number of sequences. */
    int batch() {
        return lengths.length;
    }

    /** T, the number of steps. */
    int steps() {
        return batchSizes.length;
    }

    /** Rows of all steps together, {@code sum(batchSizes)}. */
    int totalRows() {
        return totalRows;
    }

    /** Sequences running at step t. */
    int running(int t) {
        return batchSizes[t];
    }

    /** First row of step t. */
    int rowStart(int t) {
        return rowStart[t];
    }

    /** The step t processed {@code s}-th by a direction (the reverse direction runs from the last step down). */
    int stepAt(int s, boolean reverse) {
        return reverse ? batchSizes.length - 1 - s : s;
    }

    /** Rows of step t that continue from {@link #previousStep}; the rest start from h_0. */
    int continuing(int t, boolean reverse) {
        if (reverse) {
            return t == batchSizes.length - 1 ? 0 : batchSizes[t + 1];
        }
        return t == 0 ? 0 : batchSizes[t];
    }

    /** The step whose rows feed the continuing rows of step t (only meaningful when {@code continuing(t) > 0}). */
    int previousStep(int t, boolean reverse) {
        return reverse ? t + 1 : t - 1;
    }

    /** The step at which sequence b's state is final for the direction (its h_n): its last step, or 0 in reverse. */
    int finalStep(int b, boolean reverse) {
        return reverse ? 0 : lengths[b] - 1;
    }

    /**
     * The rows {@code [finalRowsFrom(t), running(t))} of step t whose state is final there, where the gradients of
     * h_n and c_n enter: the sequences of length t + 1 in the forward direction, every row of step 0 in reverse.
     */
    int finalRowsFrom(int t, boolean reverse) {
        if (reverse) {
            return t == 0 ? 0 : batchSizes[t];
        }
        return t == batchSizes.length - 1 ? 0 : batchSizes[t + 1];
    }
}
