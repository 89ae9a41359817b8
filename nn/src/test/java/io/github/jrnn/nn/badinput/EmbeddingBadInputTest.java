package io.github.jrnn.nn.badinput;

import io.github.jrnn.nn.layers.Embedding;
import org.junit.jupiter.api.Test;

import static io.github.jrnn.nn.badinput.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Rows of the README table "Bad input and what it gets" for {@link Embedding}; PyTorch 1.13 behaviour in each. */
class EmbeddingBadInputTest {

    private final Embedding embedding = new Embedding(10, 3);

    @Test
    void indexEqualToNumEmbeddingsIsRefused() {
        // torch: IndexError: index out of range in self
        assertRefused(IllegalArgumentException.class, "index out of range in self: indices[1] = 10, but"
                + " Embedding(num_embeddings=10) needs 0 <= index < 10", () -> embedding.forward(new int[] {1, 10}));
    }

    @Test
    void negativeIndexIsRefused() {
        // torch: IndexError: index out of range in self
        assertRefused(IllegalArgumentException.class, "indices[0] = -1", () -> embedding.forward(new long[] {-1}));
    }

    @Test
    void emptyIndicesGiveAnEmptyResult() {
        // torch: emb(torch.tensor([])) has shape (0, 3); emb(torch.zeros(0, 5)) has shape (0, 5, 3)
        assertArrayEquals(new int[] {0, 3}, embedding.forward(new int[0]).shape());
        assertArrayEquals(new int[] {0, 5, 3}, embedding.forward(new long[0], 0, 5).shape());
    }

    @Test
    void indicesNotFillingTheShapeAreRefused() {
        assertRefused(IllegalArgumentException.class, "shape [2, 2] holds 4 indices, but 3 were given",
                () -> embedding.forward(new int[] {1, 2, 3}, 2, 2));
    }

    @Test
    void negativeSizeIsRefused() {
        // torch: RuntimeError: Trying to create tensor with negative dimension -1: [-1, 3]
        assertRefused(IllegalArgumentException.class, "num_embeddings and embedding_dim must be >= 0, got"
                + " num_embeddings=-1", () -> new Embedding(-1, 3));
    }

    @Test
    void sizeWhoseProductOverflowsIntIsRefused() {
        // torch tries to allocate 4 TiB and fails; jrnn refuses before allocating.
        assertRefused(IllegalArgumentException.class, "shape [1048576, 1048576] has more than 2147483639 elements",
                () -> new Embedding(1 << 20, 1 << 20));
    }

    @Test
    void paddingIndexOutsideTheTableIsRefused() {
        // torch: AssertionError: Padding_idx must be within num_embeddings
        assertRefused(IllegalArgumentException.class, "Padding_idx must be within num_embeddings",
                () -> new Embedding(10, 3, 10));
    }
}
