package io.github.jrnn.demo;

import static io.github.jrnn.nn.tensor.Tensor.shapeTuple;

import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.PackedRecurrentOutput;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The GRU encoder of the encoder-decoder document, shapes only: two token sequences of lengths 4 and 2, padded with
 * index 0 into a (L = 4, N = 2) batch, go through {@code Embedding(5, 5)}, {@code pack_padded_sequence},
 * {@code GRU(input_size=5, hidden_size=4)} and {@code pad_packed_sequence}:
 * <pre>
 * embedded (4, 2, 5) -> packed data (6, 5), batch_sizes [2, 2, 1, 1] -> output (4, 2, 4), h_n (1, 2, 4)
 * </pre>
 * Then the document's mistake: an initial state sized by the embedding, h_0 (1, 2, 5), and the error jrnn gives.
 */
final class EncoderShapesDemo implements Demo {

    private static final int VOCAB = 5;
    private static final int EMBEDDING = 5;
    private static final int HIDDEN = 4;
    /** Time-major (L = 4, N = 2): sequence 0 is [1, 2, 3, 4], sequence 1 is [3, 4] padded with 0. */
    private static final long[] TOKENS = {1, 3, 2, 4, 3, 0, 4, 0};
    private static final int[] LENGTHS = {4, 2};

    @Override
    public String name() {
        return "encoder-shapes";
    }

    @Override
    public String description() {
        return "Embedding(5, 5) -> packed GRU(5, 4) encoder: output and h_n shapes, and a wrong h_0's error";
    }

    @Override
    public void run(long seed, PrintStream out) {
        Generator g = new Generator(seed);
        Embedding embedding = new Embedding(VOCAB, EMBEDDING, null, g);
        GRU gru = GRU.builder(EMBEDDING, HIDDEN).generator(g).build();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            Tensor embedded = embedding.forward(TOKENS, 4, 2);
            out.println("input tokens (L, N) = " + shapeTuple(4, 2) + ", lengths " + Arrays.toString(LENGTHS)
                    + ", padding index 0");
            out.println("embedded:            " + shapeTuple(embedded.shape()));
            PackedSequence packed = PackedSequences.packPaddedSequence(embedded, LENGTHS, false, true);
            out.println("packed data:         " + shapeTuple(packed.data().shape()) + ", batch_sizes "
                    + Arrays.toString(packed.batchSizes()));
            PackedRecurrentOutput encoded = gru.forward(packed, null);
            PackedSequences.PaddedSequence output = PackedSequences.padPackedSequence(encoded.output(), false, 0f,
                    null);
            out.println("output (padded):     " + shapeTuple(output.padded().shape()) + ", lengths "
                    + Arrays.toString(output.lengths()));
            out.println("h_n:                 " + shapeTuple(encoded.hN().shape()));

            Tensor wrongH0 = Tensor.zeros(1, 2, EMBEDDING);
            out.println("mistake: h_0 of shape " + shapeTuple(wrongH0.shape())
                    + " (embedding size instead of hidden_size):");
            try {
                gru.forward(packed, wrongH0);
                throw new IllegalStateException("GRU accepted h_0 of shape " + shapeTuple(wrongH0.shape()));
            } catch (IllegalArgumentException e) {
                out.println("  IllegalArgumentException: " + e.getMessage());
            }
        }
    }
}
