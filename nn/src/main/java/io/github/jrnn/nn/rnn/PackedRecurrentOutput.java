package io.github.jrnn.nn.rnn;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;

/**
 * The result of a recurrent sequence module on a {@link PackedSequence}.
 *
 * @param output the last layer's h at every step, packed like the input: data (sum(batch_sizes), D * H_out) with
 *               the input's batch_sizes, sorted_indices and unsorted_indices
 * @param hN     (D * num_layers, N, H_out): every sequence's h at its own last step, in the caller's original
 *               batch order (entry {@code layer * D + direction}; the reverse direction ends at step 0)
 * @param cN     LSTM only (null otherwise): (D * num_layers, N, hidden_size), the matching cell states
 */
public record PackedRecurrentOutput(PackedSequence output, Tensor hN, Tensor cN) {
}
