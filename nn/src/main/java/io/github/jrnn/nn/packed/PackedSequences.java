package io.github.jrnn.nn.packed;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Packing and padding of variable-length sequences, as {@code torch.nn.utils.rnn}: {@link #packPaddedSequence},
 * {@link #padPackedSequence}, {@link #packSequence} and {@link #padSequence}.
 *
 * <p>Shapes (T = longest length, B = number of sequences, * = any trailing feature dimensions):
 * <pre>
 * padded       (T, B, *), or (B, T, *) with batchFirst
 * packed data  (sum(lengths), *), see {@link PackedSequence}
 * sequence i   (lengths[i], *)
 * </pre>
 * Sorting with {@code enforceSorted = false} is a stable sort by decreasing length, which is the order
 * {@code torch.sort(lengths, descending=True)} produces on CPU. Every method only copies whole rows.
 *
 * <p>Gradients: {@link #packPaddedSequence} and {@link #padPackedSequence} record a backward node when their input
 * requires grad, so a padded batch (e.g. an embedding's output) can be packed, run through a recurrent module,
 * unpacked and trained end to end; {@link #padSequence} and {@link #packSequence} do not record (pack a padded
 * tensor instead when the sequences need gradients).
 *
 * <p>Thread safety: stateless; every method only reads its arguments and returns new tensors, so any number of
 * threads may call them at once.
 */
public final class PackedSequences {

    private PackedSequences() {
    }

    /**
     * Packs a padded batch, like {@code pack_padded_sequence(input, lengths, batch_first, enforce_sorted)}.
     *
     * @param input         (T, B, *), or (B, T, *) when {@code batchFirst}; at least 2 dimensions
     * @param lengths       B lengths, each in [1, T]
     * @param batchFirst whether {@code input} is (B, T, *)
     * @param enforceSorted when true the lengths must be non-increasing and the result has null sorted_indices;
     *                      when false the batch is sorted by decreasing length first
     * @return the packed batch
     * @throws IllegalArgumentException for a wrong number of lengths, a length that is zero, negative or longer
     *                                  than T, or unsorted lengths with {@code enforceSorted}; each with a hint
     */
    public static PackedSequence packPaddedSequence(Tensor input, int[] lengths, boolean batchFirst,
                                                    boolean enforceSorted) {
        if (input == null || lengths == null) {
            throw new IllegalArgumentException("pack_padded_sequence needs input and lengths, got null");
        }
        if (input.dim() < 2) {
            throw new IllegalArgumentException("pack_padded_sequence expects input of at least 2 dimensions ("
                    + (batchFirst ? "B, T" : "T, B") + ", *), got " + input.dim() + "-D input of shape "
                    + Tensor.shapeString(input.shape()));
        }
        int steps = input.size(batchFirst ? 1 : 0);
        int batch = input.size(batchFirst ? 0 : 1);
        checkLengths(lengths, steps, batch, batchFirst);
        int[] sorted = enforceSorted ? null : sortByDecreasingLength(lengths);
        if (enforceSorted) {
            checkSorted(lengths);
        }
        int rowSize = input.numel() / Math.max(1, steps * batch);
        int[] batchSizes = batchSizes(lengths, sorted);
        int rows = 0;
        for (int size : batchSizes) {
            rows += size;
        }
        float[] src = input.data();
        float[] packed = new float[rows * rowSize];
        int[] paddedRow = paddedRows(batchSizes, sorted, batchFirst, steps, batch);
        for (int row = 0; row < rows; row++) {
            System.arraycopy(src, paddedRow[row] * rowSize, packed, row * rowSize, rowSize);
        }
        Tensor data = Tensor.of(packed, trailingShape(input.shape(), 2, rows));
        if (GradNode.shouldRecord(input)) {
            data = new PackingBackward(input, paddedRow, rowSize, true).output(0, data);
        }
        return new PackedSequence(data, batchSizes, sorted, null);
    }

    /**
     * Unpacks to a padded batch in the caller's original order, like {@code pad_packed_sequence(sequence,
     * batch_first, padding_value, total_length)}.
     *
     * @param sequence the packed batch
     * @param batchFirst whether to return (B, T', *)
     * @param paddingValue the value of padded positions
     * @param totalLength the padded length T' &gt;= the longest sequence, or null for the longest sequence
     * @return the padded tensor, (T', B, *) or (B, T', *), and the lengths in the original batch order
     */
    public static PaddedSequence padPackedSequence(PackedSequence sequence, boolean batchFirst, float paddingValue,
                                                   Integer totalLength) {
        if (sequence == null) {
            throw new IllegalArgumentException("pad_packed_sequence needs a PackedSequence, got null");
        }
        int maxLength = sequence.maxLength();
        int steps = maxLength;
        if (totalLength != null) {
            if (totalLength < maxLength) {
                throw new IllegalArgumentException("Expected total_length to be at least the length of the longest"
                        + " sequence in input, but got total_length=" + totalLength + " and max sequence length"
                        + " being " + maxLength);
            }
            steps = totalLength;
        }
        int batch = sequence.batchSize();
        int[] batchSizes = sequence.batchSizes();
        int[] unsorted = sequence.unsortedIndices();
        int[] sorted = sequence.sortedIndices();
        Tensor data = sequence.data();
        int rowSize = data.numel() / Math.max(1, data.size(0));
        int[] shape = trailingShape(data.shape(), 1, 0);
        int[] outShape = new int[shape.length + 1];
        outShape[0] = batchFirst ? batch : steps;
        outShape[1] = batchFirst ? steps : batch;
        System.arraycopy(shape, 1, outShape, 2, shape.length - 1);
        Tensor out = Tensor.zeros(outShape);
        float[] dst = out.data();
        KernelProvider.kernels().fill(dst.length, paddingValue, dst, 0);
        int[] paddedRow = paddedRows(batchSizes, sorted, batchFirst, steps, batch);
        for (int row = 0; row < paddedRow.length; row++) {
            System.arraycopy(data.data(), row * rowSize, dst, paddedRow[row] * rowSize, rowSize);
        }
        if (GradNode.shouldRecord(data)) {
            out = new PackingBackward(data, paddedRow, rowSize, false).output(0, out);
        }
        int[] sortedLengths = sequence.sortedLengths();
        int[] lengths = new int[batch];
        for (int i = 0; i < batch; i++) {
            lengths[i] = sortedLengths[unsorted == null ? i : unsorted[i]];
        }
        return new PaddedSequence(out, lengths);
    }

    /**
     * Pads a list of sequences to the longest, like {@code pad_sequence(sequences, batch_first, padding_value)}.
     *
     * @param sequences B tensors (L_i, *) with equal trailing dimensions (a 1-D tensor is a sequence of scalars)
     * @param batchFirst whether to return (B, max L_i, *)
     * @param paddingValue the value of padded positions
     * @return (max L_i, B, *), or (B, max L_i, *) with {@code batchFirst}
     */
    public static Tensor padSequence(List<Tensor> sequences, boolean batchFirst, float paddingValue) {
        int[] trailing = checkSequences(sequences);
        int batch = sequences.size();
        int steps = 0;
        for (Tensor s : sequences) {
            steps = Math.max(steps, s.size(0));
        }
        int[] outShape = new int[trailing.length + 2];
        outShape[0] = batchFirst ? batch : steps;
        outShape[1] = batchFirst ? steps : batch;
        System.arraycopy(trailing, 0, outShape, 2, trailing.length);
        Tensor out = Tensor.zeros(outShape);
        float[] dst = out.data();
        KernelProvider.kernels().fill(dst.length, paddingValue, dst, 0);
        int rowSize = Tensor.checkedNumel(trailing);
        for (int b = 0; b < batch; b++) {
            Tensor s = sequences.get(b);
            if (batchFirst) {
                System.arraycopy(s.data(), 0, dst, b * steps * rowSize, s.numel());
            } else {
                for (int t = 0; t < s.size(0); t++) {
                    System.arraycopy(s.data(), t * rowSize, dst, (t * batch + b) * rowSize, rowSize);
                }
            }
        }
        return out;
    }

    /**
     * Packs a list of sequences, like {@code pack_sequence(sequences, enforce_sorted)}: pads them with
     * {@link #padSequence} and packs with their lengths.
     *
     * @param sequences B tensors (L_i, *) with equal trailing dimensions
     * @param enforceSorted when true the sequences must be given longest first
     * @return the packed batch
     */
    public static PackedSequence packSequence(List<Tensor> sequences, boolean enforceSorted) {
        checkSequences(sequences);
        int[] lengths = new int[sequences.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sequences.get(i).size(0);
        }
        return packPaddedSequence(padSequence(sequences, false, 0f), lengths, false, enforceSorted);
    }

    /**
     * The padded batch and its lengths that {@link #padPackedSequence} returns (PyTorch's tuple).
     *
     * @param padded (T', B, *) or (B, T', *)
     * @param lengths the lengths in the caller's batch order
     */
    public record PaddedSequence(Tensor padded, int[] lengths) {
    }

    /** {@code inverse[p[i]] = i}. */
    static int[] inversePermutation(int[] p) {
        int[] inverse = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            inverse[p[i]] = i;
        }
        return inverse;
    }

    private static void checkLengths(int[] lengths, int steps, int batch, boolean batchFirst) {
        if (batch == 0) {
            throw new IllegalArgumentException("Cannot pack empty tensors: the batch is empty (batch_size=0), and"
                    + " a PackedSequence holds at least one sequence");
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException("Expected `len(lengths)` to be equal to batch_size, but got "
                    + lengths.length + " (batch_size=" + batch + "); hint: the batch dimension of the input is "
                    + (batchFirst ? "0 (batchFirst=true)" : "1 (batchFirst=false)")
                    + ", give one length per sequence in it");
        }
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] <= 0) {
                throw new IllegalArgumentException("Length of all samples has to be greater than 0, but found an"
                        + " element in 'lengths' that is <= 0: lengths[" + i + "] = " + lengths[i]
                        + "; hint: drop empty sequences from the batch before packing");
            }
            if (lengths[i] > steps) {
                throw new IllegalArgumentException("lengths[" + i + "] = " + lengths[i] + " is longer than the"
                        + " padded sequence length " + steps + " (input.size(" + (batchFirst ? 1 : 0) + "))"
                        + "; hint: the time dimension of the input is " + (batchFirst ? "1 with batchFirst=true"
                        : "0 with batchFirst=false") + ", check batchFirst and the lengths");
            }
        }
    }

    private static void checkSorted(int[] lengths) {
        for (int i = 1; i < lengths.length; i++) {
            if (lengths[i] > lengths[i - 1]) {
                throw new IllegalArgumentException("`lengths` array must be sorted in decreasing order when"
                        + " `enforce_sorted` is True, got " + Arrays.toString(lengths) + " (lengths[" + i + "] = "
                        + lengths[i] + " > lengths[" + (i - 1) + "] = " + lengths[i - 1] + "); hint: pass"
                        + " enforceSorted=false to packPaddedSequence / packSequence to sort the batch (the"
                        + " modules return h_n in your original order)");
            }
        }
    }

    /** Stable sort by decreasing length: the sorted position j holds the caller's index sorted[j]. */
    private static int[] sortByDecreasingLength(int[] lengths) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(lengths[b], lengths[a]));
        int[] sorted = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = order[i];
        }
        return sorted;
    }

    /** batch_sizes[t] = number of sequences longer than t, for t below the longest length. */
    private static int[] batchSizes(int[] lengths, int[] sorted) {
        int longest = lengths[sorted == null ? 0 : sorted[0]];
        int[] sizes = new int[longest];
        for (int length : lengths) {
            for (int t = 0; t < length; t++) {
                sizes[t]++;
            }
        }
        return sizes;
    }

    /**
     * The padded row (index into (T, B) or, batch first, (B, T) rows) of every packed row: packed row
     * {@code offset(t) + j} is step t of sorted sequence j, the caller's sequence {@code sorted[j]}.
     */
    private static int[] paddedRows(int[] batchSizes, int[] sorted, boolean batchFirst, int steps, int batch) {
        int rows = 0;
        for (int size : batchSizes) {
            rows += size;
        }
        int[] paddedRow = new int[rows];
        int row = 0;
        for (int t = 0; t < batchSizes.length; t++) {
            for (int j = 0; j < batchSizes[t]; j++) {
                int b = sorted == null ? j : sorted[j];
                paddedRow[row++] = batchFirst ? b * steps + t : t * batch + b;
            }
        }
        return paddedRow;
    }

    /** {@code (first, shape[from], shape[from + 1], ...)}. */
    private static int[] trailingShape(int[] shape, int from, int first) {
        int[] out = new int[shape.length - from + 1];
        out[0] = first;
        System.arraycopy(shape, from, out, 1, shape.length - from);
        return out;
    }

    private static int[] checkSequences(List<Tensor> sequences) {
        if (sequences == null || sequences.isEmpty()) {
            throw new IllegalArgumentException("received an empty list of sequences"
                    + (sequences == null ? " (null)" : "") + "; a PackedSequence holds at least one sequence");
        }
        int[] trailing = null;
        for (int i = 0; i < sequences.size(); i++) {
            Tensor s = sequences.get(i);
            if (s == null || s.dim() < 1) {
                throw new IllegalArgumentException("sequence " + i + " must be a tensor (L, *) with at least 1"
                        + " dimension, got " + (s == null ? "null" : "a 0-dim tensor"));
            }
            int[] t = Arrays.copyOfRange(s.shape(), 1, s.dim());
            if (trailing == null) {
                trailing = t;
            } else if (!Arrays.equals(trailing, t)) {
                throw new IllegalArgumentException("all sequences must have the same trailing dimensions (*) after"
                        + " the length: sequence 0 is " + Tensor.shapeString(sequences.get(0).shape())
                        + ", sequence " + i + " is " + Tensor.shapeString(s.shape())
                        + "; hint: only the first (time) dimension may differ");
            }
        }
        return trailing;
    }
}
