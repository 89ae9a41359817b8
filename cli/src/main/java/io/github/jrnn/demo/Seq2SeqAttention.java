package io.github.jrnn.demo;

import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.PackedRecurrentOutput;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import io.github.jrnn.nn.tensor.BoolTensor;
import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Tensors;
import io.github.jrnn.nn.tensor.Torch;
import java.util.List;

/**
 * An encoder-decoder with Luong's dot attention, written with jrnn's tensor operations (the same model as
 * {@code tools/make_seq2seq_golden.py}). With S source and T target steps, batch N, hidden size H, vocabulary V:
 * <pre>
 * encoder:   Embedding(V, E) -> packed GRU(E, H)        keys k (N, S, H), h_n (1, N, H)
 * decoder:   Embedding(V, E) -> GRU(E, H) from h_n        queries q (N, T, H)
 * attention: a = softmax_s(q k^T, -inf where s >= length)  (N, T, S);  context c = a k  (N, T, H)
 * output:    logits = out(tanh(combine([q; c])))          (N, T, V)
 * </pre>
 * The children are registered, and draw their weights, in PyTorch's attribute order.
 */
final class Seq2SeqAttention extends Module {

    /** The padding token (index 0 of both embeddings, whose row stays zero). */
    static final int PAD = 0;

    final Embedding encEmbed;
    final GRU encGru;
    final Embedding decEmbed;
    final GRU decGru;
    final Linear combine;
    final Linear out;

    Seq2SeqAttention(int vocab, int embedding, int hidden, Generator g) {
        encEmbed = registerModule("enc_embed", new Embedding(vocab, embedding, PAD, g));
        encGru = registerModule("enc_gru", GRU.builder(embedding, hidden).generator(g).build());
        decEmbed = registerModule("dec_embed", new Embedding(vocab, embedding, PAD, g));
        decGru = registerModule("dec_gru", GRU.builder(embedding, hidden).generator(g).build());
        combine = registerModule("combine", new Linear(2 * hidden, hidden, true, g, null));
        out = registerModule("out", new Linear(hidden, vocab, true, g, null));
    }

    /** What the decoder attends to: keys (N, S, H), the encoder's h_n (1, N, H), the padding mask (N, 1, S). */
    record Encoded(Tensor keys, Tensor hN, BoolTensor padding) {
    }

    /** One decoder pass: logits (N, T, V), attention weights (N, T, S), the decoder's h_n (1, N, H). */
    record Decoded(Tensor logits, Tensor attention, Tensor hN) {
    }

    /** Encodes the padded source (S, N) of the given lengths (each in [1, S], any order). */
    Encoded encode(LongTensor source, int[] lengths) {
        int steps = source.shape()[0];
        PackedRecurrentOutput enc = encGru.forward(
                PackedSequences.packPaddedSequence(encEmbed.forward(source), lengths, false, false), null);
        Tensor outputs = PackedSequences.padPackedSequence(enc.output(), false, 0f, steps).padded(); // (S, N, H)
        float[] len = new float[lengths.length];
        for (int b = 0; b < len.length; b++) {
            len[b] = lengths[b];
        }
        Tensor sourceLengths = Tensor.of(len, len.length);                                          // (N)
        BoolTensor padding = Torch.arange(steps).view(1, 1, steps).ge(sourceLengths.view(len.length, 1, 1));
        return new Encoded(outputs.transpose(0, 1), enc.hN(), padding);
    }

    /** Runs the decoder over the inputs (T, N) from state h (1, N, H), attending to {@code enc}. */
    Decoded decode(LongTensor inputs, Tensor h, Encoded enc) {
        RecurrentOutput dec = decGru.forward(decEmbed.forward(inputs), h);
        Tensor q = dec.output().transpose(0, 1);                                          // (N, T, H)
        Tensor scores = q.bmm(enc.keys().transpose(1, 2)).maskedFill(enc.padding(), Float.NEGATIVE_INFINITY);
        Tensor attention = scores.softmax(-1);                                             // (N, T, S)
        Tensor context = attention.bmm(enc.keys());                                        // (N, T, H)
        Tensor logits = out.forward(combine.forward(Tensors.cat(List.of(q, context), -1)).tanh());
        return new Decoded(logits, attention, dec.hN());
    }
}
