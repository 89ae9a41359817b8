package io.github.jrnn.nn.rnn;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * The result of a recurrent sequence module on a (padded or unbatched) tensor, PyTorch's {@code (output, h_n)}
 * or, for LSTM, {@code (output, (h_n, c_n))}.
 *
 * @param output (L, N, D * H_out), (N, L, D * H_out) with batch_first, or (L, D * H_out) unbatched: the last
 *               layer's h at every step, forward direction in the first H_out columns, reverse in the next
 * @param hN     (D * num_layers, N, H_out), unbatched (D * num_layers, H_out): the final h of every layer and
 *               direction, entry {@code layer * D + direction}
 * @param cN     LSTM only (null otherwise): (D * num_layers, N, hidden_size), unbatched without N: the final c
 */
public record RecurrentOutput(Tensor output, Tensor hN, Tensor cN) {
}
