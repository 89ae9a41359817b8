package io.github.jrnn.nn.packed;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packing utilities reject what PyTorch rejects, in PyTorch's words plus a hint. */
class PackingErrorMessagesTest {

    private static String rejected(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected <" + part + "> in: " + message);
        }
    }

    @Test
    void unsortedLengthsWithEnforceSorted() {
        String m = rejected(() -> PackedSequences.packPaddedSequence(Tensor.zeros(4, 3, 5), new int[] {2, 3, 1},
                false, true));
        assertContains(m, "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True",
                "hint: pass enforceSorted=false");
    }

    @Test
    void unsortedSequencesWithEnforceSorted() {
        String m = rejected(() -> PackedSequences.packSequence(List.of(Tensor.zeros(2, 5), Tensor.zeros(3, 5)), true));
        assertContains(m, "must be sorted in decreasing order", "enforceSorted=false");
    }

    @Test
    void lengthLongerThanTheSequence() {
        String m = rejected(() -> PackedSequences.packPaddedSequence(Tensor.zeros(4, 3, 5), new int[] {5, 3, 1},
                false, true));
        assertContains(m, "lengths[0] = 5 is longer than the padded sequence length 4 (input.size(0))", "hint:",
                "batchFirst");
    }

    @Test
    void lengthLongerThanTheSequenceWithBatchFirst() {
        String m = rejected(() -> PackedSequences.packPaddedSequence(Tensor.zeros(3, 4, 5), new int[] {4, 3, 6},
                true, false));
        assertContains(m, "lengths[2] = 6 is longer than the padded sequence length 4 (input.size(1))");
    }

    @Test
    void zeroLength() {
        String m = rejected(() -> PackedSequences.packPaddedSequence(Tensor.zeros(4, 3, 5), new int[] {3, 2, 0},
                false, true));
        assertContains(m, "Length of all samples has to be greater than 0, but found an element in 'lengths' that is"
                + " <= 0", "lengths[2] = 0", "hint:");
    }

    @Test
    void negativeLength() {
        String m = rejected(() -> PackedSequences.packPaddedSequence(Tensor.zeros(4, 3, 5), new int[] {3, -1, 2},
                false, false));
        assertContains(m, "has to be greater than 0", "lengths[1] = -1");
    }

    @Test
    void wrongNumberOfLengths() {
        String m = rejected(() -> PackedSequences.packPaddedSequence(Tensor.zeros(4, 3, 5), new int[] {3, 2},
                false, true));
        assertContains(m, "Expected `len(lengths)` to be equal to batch_size, but got 2 (batch_size=3)",
                "hint: the batch dimension of the input is 1 (batchFirst=false)");
    }

    @Test
    void totalLengthShorterThanTheLongestSequence() {
        PackedSequence p = PackedSequences.packPaddedSequence(Tensor.zeros(4, 3, 5), new int[] {4, 2, 1}, false, true);
        String m = rejected(() -> PackedSequences.padPackedSequence(p, false, 0f, 3));
        assertContains(m, "Expected total_length to be at least the length of the longest sequence in input, but got"
                + " total_length=3 and max sequence length being 4");
    }

    @Test
    void sequencesWithDifferentFeatures() {
        String m = rejected(() -> PackedSequences.padSequence(List.of(Tensor.zeros(3, 5), Tensor.zeros(2, 4)),
                false, 0f));
        assertContains(m, "same trailing dimensions", "sequence 1 is [2, 4]", "hint:");
    }

    @Test
    void inconsistentPackedSequence() {
        assertContains(rejected(() -> new PackedSequence(Tensor.zeros(5, 2), new int[] {2, 3}, null, null)),
                "batch_sizes must be non-increasing");
        assertContains(rejected(() -> new PackedSequence(Tensor.zeros(4, 2), new int[] {3, 2}, null, null)),
                "batch_sizes add up to 5 rows, but data.size(0) is 4");
        assertContains(rejected(() -> new PackedSequence(Tensor.zeros(5, 2), new int[] {3, 2}, new int[] {0, 0, 1},
                null)), "sorted_indices must be a permutation");
    }
}
