package io.github.jrnn.nn.badinput;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequences;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.jrnn.nn.badinput.Refusals.assertRefused;

/** Rows of the README table "Bad input and what it gets" for packing; PyTorch 1.13 behaviour in each comment. */
class PackingBadInputTest {

    private static final Tensor PADDED = Tensor.zeros(5, 3, 4); // (T = 5, N = 3, 4)

    @Test
    void zeroLengthIsRefused() {
        // torch: RuntimeError: Length of all samples has to be greater than 0, but found an element in 'lengths'
        // that is <= 0
        assertRefused(IllegalArgumentException.class, "Length of all samples has to be greater than 0",
                () -> PackedSequences.packPaddedSequence(PADDED, new int[] {5, 0, 2}, false, false));
    }

    @Test
    void negativeLengthIsRefused() {
        // torch: the same RuntimeError as for 0
        assertRefused(IllegalArgumentException.class, "Length of all samples has to be greater than 0",
                () -> PackedSequences.packPaddedSequence(PADDED, new int[] {5, -1, 2}, false, false));
    }

    @Test
    void lengthLongerThanThePaddedSequenceIsRefused() {
        // torch 1.13 does not check and packs memory past the end; jrnn refuses.
        assertRefused(IllegalArgumentException.class, "lengths[0] = 6 is longer than the padded sequence length 5",
                () -> PackedSequences.packPaddedSequence(PADDED, new int[] {6, 1, 2}, false, false));
    }

    @Test
    void oneLengthPerBatchEntryIsRequired() {
        // torch 1.13 silently packs only the first 2 of 3 batch entries; jrnn refuses.
        assertRefused(IllegalArgumentException.class, "Expected `len(lengths)` to be equal to batch_size, but got 2"
                + " (batch_size=3)", () -> PackedSequences.packPaddedSequence(PADDED, new int[] {5, 3}, false, false));
    }

    @Test
    void emptyBatchIsRefused() {
        // torch: RuntimeError: Cannot pack empty tensors.
        assertRefused(IllegalArgumentException.class, "Cannot pack empty tensors",
                () -> PackedSequences.packPaddedSequence(Tensor.zeros(5, 0, 4), new int[0], false, false));
    }

    @Test
    void zeroLengthPaddedSequenceIsRefused() {
        // torch: RuntimeError: Cannot pack empty tensors. (T = 0); jrnn names the first length, which must be 0 then
        assertRefused(IllegalArgumentException.class, "Length of all samples has to be greater than 0, but found an"
                + " element in 'lengths' that is <= 0: lengths[0] = 0",
                () -> PackedSequences.packPaddedSequence(Tensor.zeros(0, 2, 4), new int[] {0, 0}, false, false));
    }

    @Test
    void unsortedLengthsWithEnforceSortedAreRefused() {
        // torch: RuntimeError: `lengths` array must be sorted in decreasing order when `enforce_sorted` is True. ...
        assertRefused(IllegalArgumentException.class, "`lengths` array must be sorted in decreasing order",
                () -> PackedSequences.packPaddedSequence(PADDED, new int[] {2, 5, 3}, false, true));
    }

    @Test
    void packSequenceOfNoSequencesIsRefused() {
        // torch: RuntimeError: received an empty list of sequences
        assertRefused(IllegalArgumentException.class, "received an empty list of sequences",
                () -> PackedSequences.packSequence(List.of(), false));
    }

    @Test
    void packSequenceWithAnEmptySequenceIsRefused() {
        // torch: RuntimeError: Length of all samples has to be greater than 0, ...
        assertRefused(IllegalArgumentException.class, "Length of all samples has to be greater than 0",
                () -> PackedSequences.packSequence(List.of(Tensor.zeros(3, 4), Tensor.zeros(0, 4)), false));
    }
}
