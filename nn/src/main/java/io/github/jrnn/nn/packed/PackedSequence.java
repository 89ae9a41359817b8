package io.github.jrnn.nn.packed;

import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;

/**
 * A batch of variable-length sequences packed time step by time step, as {@code torch.nn.utils.rnn.PackedSequence}.
 *
 * <p>The sequences are ordered by decreasing length (the <em>sorted</em> batch). {@code data} holds, for each step
 * t = 0, 1, ..., the step-t element of the first {@code batchSizes[t]} sorted sequences, one row each:
 * <pre>
 * data: (sum(batch_sizes), *)          row  offset(t) + b  = step t of sorted sequence b,  b &lt; batch_sizes[t]
 * batch_sizes: (T), non-increasing, every entry &gt; 0;  offset(t) = batch_sizes[0] + ... + batch_sizes[t - 1]
 * sorted_indices[j]   = the caller's index of sorted sequence j       (null when the caller's batch was sorted)
 * unsorted_indices[i] = the sorted position of the caller's sequence i (the inverse permutation)
 * </pre>
 * Because lengths decrease, the sequences still running at step t are always a prefix of the sorted batch, which
 * lets recurrent modules work on contiguous rows. Build one with {@link PackedSequences#packPaddedSequence} or
 * {@link PackedSequences#packSequence}.
 *
 * <p>Thread safety: immutable in structure (the index arrays are copied in and out); the data tensor is shared, not
 * copied. One packed sequence may be fed to many modules on many threads at once, as long as nobody writes its data
 * tensor meanwhile.
 */
public final class PackedSequence {

    private final Tensor data;
    private final int[] batchSizes;
    private final int[] sortedIndices;
    private final int[] unsortedIndices;

    /**
     * Wraps packed data. {@code sortedIndices} and {@code unsortedIndices} may both be null (the batch was given
     * sorted); when only {@code unsortedIndices} is null it is computed as the inverse of {@code sortedIndices}.
     *
     * @param data the packed rows, (sum(batch_sizes), *)
     * @param batchSizes entry t: the number of sequences longer than t; non-increasing, positive
     * @param sortedIndices the caller's batch index of each sorted sequence, or null
     * @param unsortedIndices the inverse permutation, or null
     * @throws IllegalArgumentException when the batch sizes are empty, not positive, increasing, do not add up to
     *                                  {@code data.size(0)}, or the indices are not inverse permutations of the batch
     */
    public PackedSequence(Tensor data, int[] batchSizes, int[] sortedIndices, int[] unsortedIndices) {
        if (data == null || batchSizes == null) {
            throw new IllegalArgumentException("a PackedSequence needs data and batch_sizes, got null");
        }
        if (data.dim() < 1) {
            throw new IllegalArgumentException("packed data must have at least 1 dimension, got a 0-dim tensor");
        }
        this.data = data;
        this.batchSizes = checkBatchSizes(batchSizes.clone(), data.size(0));
        int batch = this.batchSizes[0];
        if (sortedIndices == null) {
            if (unsortedIndices != null) {
                throw new IllegalArgumentException("unsorted_indices given without sorted_indices");
            }
            this.sortedIndices = null;
            this.unsortedIndices = null;
        } else {
            this.sortedIndices = checkPermutation("sorted_indices", sortedIndices.clone(), batch);
            int[] inverse = PackedSequences.inversePermutation(this.sortedIndices);
            if (unsortedIndices != null && !Arrays.equals(unsortedIndices, inverse)) {
                throw new IllegalArgumentException("unsorted_indices " + Arrays.toString(unsortedIndices)
                        + " is not the inverse of sorted_indices " + Arrays.toString(sortedIndices)
                        + "; expected " + Arrays.toString(inverse));
            }
            this.unsortedIndices = inverse;
        }
    }

    private static int[] checkBatchSizes(int[] sizes, int rows) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("batch_sizes must not be empty (a packed batch has at least one step)");
        }
        long sum = 0;
        for (int t = 0; t < sizes.length; t++) {
            if (sizes[t] <= 0) {
                throw new IllegalArgumentException("batch_sizes[" + t + "] must be > 0, got " + sizes[t]);
            }
            if (t > 0 && sizes[t] > sizes[t - 1]) {
                throw new IllegalArgumentException("batch_sizes must be non-increasing, got batch_sizes[" + (t - 1)
                        + "] = " + sizes[t - 1] + " and batch_sizes[" + t + "] = " + sizes[t]);
            }
            sum += sizes[t];
        }
        if (sum != rows) {
            throw new IllegalArgumentException("batch_sizes add up to " + sum + " rows, but data.size(0) is " + rows);
        }
        return sizes;
    }

    private static int[] checkPermutation(String name, int[] p, int n) {
        if (p.length != n) {
            throw new IllegalArgumentException(name + " must have batch_sizes[0] = " + n + " entries, got "
                    + p.length);
        }
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (p[i] < 0 || p[i] >= n || seen[p[i]]) {
                throw new IllegalArgumentException(name + " must be a permutation of 0.." + (n - 1) + ", got "
                        + Arrays.toString(p));
            }
            seen[p[i]] = true;
        }
        return p;
    }

    /**
     * The packed rows, (sum(batch_sizes), *) (shared, not copied).
     *
     * @return the packed rows, shared
     */
    public Tensor data() {
        return data;
    }

    /**
     * A copy of batch_sizes: entry t is the number of sequences longer than t.
     *
     * @return batch_sizes, a copy
     */
    public int[] batchSizes() {
        return batchSizes.clone();
    }

    /**
     * A copy of sorted_indices, or null when the caller's batch was sorted.
     *
     * @return sorted_indices, a copy, or null
     */
    public int[] sortedIndices() {
        return sortedIndices == null ? null : sortedIndices.clone();
    }

    /**
     * A copy of unsorted_indices, or null when the caller's batch was sorted.
     *
     * @return unsorted_indices, a copy, or null
     */
    public int[] unsortedIndices() {
        return unsortedIndices == null ? null : unsortedIndices.clone();
    }

    /**
     * N, the number of sequences ({@code batch_sizes[0]}).
     *
     * @return N
     */
    public int batchSize() {
        return batchSizes[0];
    }

    /**
     * T, the length of the longest sequence ({@code batch_sizes.length}).
     *
     * @return T
     */
    public int maxLength() {
        return batchSizes.length;
    }

    /**
     * The lengths of the sorted sequences: entry b is the number of steps t with {@code batch_sizes[t] > b}.
     *
     * @return the lengths, longest first
     */
    public int[] sortedLengths() {
        int[] lengths = new int[batchSizes[0]];
        for (int size : batchSizes) {
            for (int b = 0; b < size; b++) {
                lengths[b]++;
            }
        }
        return lengths;
    }

    /**
     * A packed sequence with other data of the same row count and the same batch structure, e.g. a recurrent
     * module's output (PyTorch builds its output the same way).
     *
     * @param newData rows of the same count as {@link #data()}
     * @return a new packed sequence sharing the index arrays
     */
    public PackedSequence withData(Tensor newData) {
        return new PackedSequence(newData, batchSizes, sortedIndices, unsortedIndices);
    }

    @Override
    public String toString() {
        return "PackedSequence(data=" + Tensor.shapeString(data.shape()) + ", batch_sizes="
                + Arrays.toString(batchSizes) + ", sorted_indices=" + Arrays.toString(sortedIndices)
                + ", unsorted_indices=" + Arrays.toString(unsortedIndices) + ")";
    }
}
