package io.github.jrnn.nn.rnn;

/**
 * What a sequence module's checks learned about its input: the number of steps L, the batch size N and whether
 * the input was batched (3-D), unbatched (2-D) or packed. For packed input N is {@code batch_sizes[0]} and L the
 * longest sequence.
 */
record SequenceShape(int steps, int batch, boolean batched, boolean packed) {
}
