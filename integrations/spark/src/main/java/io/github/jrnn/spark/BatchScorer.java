package io.github.jrnn.spark;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.layers.TensorLayer;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.rnn.PackedRecurrentOutput;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentOptions;
import io.github.jrnn.nn.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores many sequences with one forward call of the recurrent layer: the valid rows of a batch are packed
 * ({@link PackedSequences#packSequence}), so each is computed over exactly its own length, and the results are taken
 * out per row. Rows that cannot be scored keep their error; null rows give null.
 *
 * <p>Bits: in jrnn a packed forward gives every sequence the same bits as a forward of that sequence alone (batch
 * 1): the recurrence's products (packed weights) sum each row in an order that does not depend on the row count, on
 * the vector and the scalar kernels (this module's tests check it for every mode, with layers, directions and a
 * projection). So a row's score does not depend on what else is in its batch or partition. {@code Linear}'s
 * product is not batch-invariant in that way on the vector kernels (one row takes the matrix-vector path, more rows
 * a blocked product: other summation orders; most logits differ in their last bits), so the head runs on each
 * row's last hidden state alone, which keeps the guarantee for {@link ScoreOutput#HEAD_LOGITS} too; the head is
 * small next to the recurrence.
 *
 * <p>Thread safety: one instance per task; the shared model may serve many tasks at once.
 */
final class BatchScorer {

    private final RNNBase recurrent;
    private final TensorLayer head;
    private final ScoreOutput output;
    private final int inputSize;
    private final int layers;
    private final int directions;
    private final int hOut;

    BatchScorer(SequenceModel.Parts parts, ScoreOutput output) {
        this.recurrent = parts.recurrent();
        this.head = parts.head();
        this.output = output;
        RecurrentOptions o = recurrent.options();
        this.inputSize = o.inputSize();
        this.layers = o.numLayers();
        this.directions = o.numDirections();
        this.hOut = o.hiddenOutSize();
        if (output == ScoreOutput.HEAD_LOGITS && head == null) {
            throw new IllegalArgumentException("output HEAD_LOGITS needs a model with a head: use"
                    + " SequenceModel.sequential(handle) or SequenceModel.of(handle, recurrent, head), or output"
                    + " LAST_HIDDEN");
        }
    }

    int inputSize() {
        return inputSize;
    }

    /** The width of the last hidden state, D * H_out. */
    int lastHiddenWidth() {
        return directions * hOut;
    }

    /**
     * Scores {@code rows}: the scorable ones in one packed forward, then each row's result in order.
     *
     * @param rows the batch
     * @return one result per row, in order
     */
    List<Scored> score(List<SequenceRow> rows) {
        List<Tensor> sequences = new ArrayList<>();
        for (SequenceRow row : rows) {
            if (row.scorable()) {
                sequences.add(Tensor.of(row.data(), row.steps(), inputSize));
            }
        }
        List<Object> values;
        try {
            values = sequences.isEmpty() ? List.of() : forward(sequences);
        } catch (RuntimeException e) {
            if (sequences.size() == 1) {
                return mergeErrors(rows, "jrnn could not score this row: " + e);
            }
            return oneByOne(rows); // isolate the row that fails, keep the others
        }
        List<Scored> results = new ArrayList<>(rows.size());
        int next = 0;
        for (SequenceRow row : rows) {
            results.add(row.scorable() ? new Scored(values.get(next++), null) : new Scored(null, row.error()));
        }
        return results;
    }

    private List<Scored> oneByOne(List<SequenceRow> rows) {
        List<Scored> results = new ArrayList<>(rows.size());
        for (SequenceRow row : rows) {
            results.add(score(List.of(row)).getFirst());
        }
        return results;
    }

    private static List<Scored> mergeErrors(List<SequenceRow> rows, String error) {
        List<Scored> results = new ArrayList<>(rows.size());
        for (SequenceRow row : rows) {
            results.add(new Scored(null, row.scorable() ? error : row.error()));
        }
        return results;
    }

    /** One packed forward; the value of each sequence, in order. */
    private List<Object> forward(List<Tensor> sequences) {
        try (GradMode.Scope _ = GradMode.noGrad()) {
            PackedSequence packed = PackedSequences.packSequence(sequences, false);
            PackedRecurrentOutput out = recurrent.forward(packed);
            int n = sequences.size();
            List<Object> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(switch (output) {
                    case OUTPUT_SEQUENCE -> outputSequence(out.output(), i, sequences.get(i).size(0));
                    case LAST_HIDDEN -> lastHidden(out.hN(), i, n);
                    // a copy: a head of the user's own may return a tensor it keeps
                    case HEAD_LOGITS -> head.forward(Tensor.of(lastHidden(out.hN(), i, n), 1, lastHiddenWidth()))
                            .data().clone();
                });
            }
            return values;
        }
    }

    /** Steps {@code 0 .. steps-1} of the caller's sequence {@code i} out of the packed output. */
    private float[][] outputSequence(PackedSequence packed, int i, int steps) {
        int[] batchSizes = packed.batchSizes();
        int[] unsorted = packed.unsortedIndices();
        int sorted = unsorted == null ? i : unsorted[i];
        int width = lastHiddenWidth();
        float[] data = packed.data().data();
        float[][] result = new float[steps][];
        int offset = 0; // first packed row of step t
        for (int t = 0; t < steps; t++) {
            int row = offset + sorted;
            result[t] = Arrays.copyOfRange(data, row * width, (row + 1) * width);
            offset += batchSizes[t];
        }
        return result;
    }

    /** The top layer's final state of each direction for sequence {@code i}, from h_n (D * layers, N, H_out). */
    private float[] lastHidden(Tensor hN, int i, int n) {
        float[] states = hN.data();
        float[] result = new float[directions * hOut];
        for (int d = 0; d < directions; d++) {
            int state = (layers - 1) * directions + d;
            System.arraycopy(states, (state * n + i) * hOut, result, d * hOut, hOut);
        }
        return result;
    }

    /**
     * A row's result.
     *
     * @param value the score (a {@code float[]} or {@code float[][]}), or null
     * @param error why the row has no score, or null
     */
    record Scored(Object value, String error) {
    }
}
