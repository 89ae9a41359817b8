package io.github.jrnn.nn.packed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jrnn.nn.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packing utilities on small batches whose packed layout is written out by hand from PyTorch's definition
 * (step by step, the sequences running at that step in decreasing-length order).
 */
class PackedSequencesTest {

    /** Three sequences with 1-element steps: a = [1, 2, 3], b = [4], c = [5, 6]. */
    private static final List<Tensor> SEQUENCES = List.of(Tensor.of(new float[] {1, 2, 3}, 3, 1),
            Tensor.of(new float[] {4}, 1, 1), Tensor.of(new float[] {5, 6}, 2, 1));

    @Test
    void padSequenceTimeMajorAndBatchFirst() {
        Tensor tm = PackedSequences.padSequence(SEQUENCES, false, -1f);
        assertArrayEquals(new int[] {3, 3, 1}, tm.shape());
        assertArrayEquals(new float[] {1, 4, 5, 2, -1, 6, 3, -1, -1}, tm.data());
        Tensor bf = PackedSequences.padSequence(SEQUENCES, true, 0f);
        assertArrayEquals(new int[] {3, 3, 1}, bf.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 0, 0, 5, 6, 0}, bf.data());
    }

    @Test
    void packSequenceUnsortedSortsByDecreasingLength() {
        PackedSequence p = PackedSequences.packSequence(SEQUENCES, false);
        assertArrayEquals(new float[] {1, 5, 4, 2, 6, 3}, p.data().data());
        assertArrayEquals(new int[] {6, 1}, p.data().shape());
        assertArrayEquals(new int[] {3, 2, 1}, p.batchSizes());
        assertArrayEquals(new int[] {0, 2, 1}, p.sortedIndices());
        assertArrayEquals(new int[] {0, 2, 1}, p.unsortedIndices());
    }

    @Test
    void packPaddedSortedBatchFirstHasNoIndices() {
        Tensor padded = Tensor.of(new float[] {1, 2, 3, 5, 6, 0, 4, 0, 0}, 3, 3, 1);
        PackedSequence p = PackedSequences.packPaddedSequence(padded, new int[] {3, 2, 1}, true, true);
        assertArrayEquals(new float[] {1, 5, 4, 2, 6, 3}, p.data().data());
        assertArrayEquals(new int[] {3, 2, 1}, p.batchSizes());
        assertNull(p.sortedIndices());
        assertNull(p.unsortedIndices());
    }

    @Test
    void padPackedRestoresTheOriginalOrderAndLengths() {
        PackedSequence p = PackedSequences.packSequence(SEQUENCES, false);
        PackedSequences.PaddedSequence back = PackedSequences.padPackedSequence(p, true, 9f, 4);
        assertArrayEquals(new int[] {3, 4, 1}, back.padded().shape());
        assertArrayEquals(new float[] {1, 2, 3, 9, 4, 9, 9, 9, 5, 6, 9, 9}, back.padded().data());
        assertArrayEquals(new int[] {3, 1, 2}, back.lengths());
    }

    @Test
    void trailingFeatureDimensionsAreCarriedAlong() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Tensor b = Tensor.of(new float[] {9, 10, 11, 12}, 1, 2, 2);
        PackedSequence p = PackedSequences.packSequence(List.of(a, b), true);
        assertArrayEquals(new int[] {3, 2, 2}, p.data().shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 9, 10, 11, 12, 5, 6, 7, 8}, p.data().data());
        assertArrayEquals(new int[] {2, 1}, p.batchSizes());
    }
}
