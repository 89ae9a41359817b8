package io.github.jrnn.nn.composites;

import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;

/** The README's "Bring your PyTorch model" class, verbatim: Embedding -> LSTM(2 layers, batch_first) -> Linear. */
final class CharModel extends Module {
    final Embedding embed;
    final LSTM lstm;
    final Linear head;

    CharModel(int vocabSize) {
        embed = registerModule("embed", new Embedding(vocabSize, 16));
        lstm = registerModule("lstm", LSTM.builder(16, 32).numLayers(2).batchFirst(true).build());
        head = registerModule("head", new Linear(32, vocabSize));
    }

    /** Greedy generation: feed the prompt, then each argmax character back in, carrying (h, c). */
    String generate(String vocab, String prompt, int length) {
        long[] ids = prompt.chars().mapToLong(vocab::indexOf).toArray();
        RecurrentOutput out = lstm.forward(embed.forward(LongTensor.of(ids, 1, ids.length)), null, null);
        StringBuilder text = new StringBuilder(prompt);
        for (int i = 0; i < length; i++) {
            Tensor last = head.forward(out.output().select(0).select(out.output().size(1) - 1)); // (vocab)
            int next = argmax(last.data());
            text.append(vocab.charAt(next));
            out = lstm.forward(embed.forward(LongTensor.of(new long[] {next}, 1, 1)), out.hN(), out.cN());
        }
        return text.toString();
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }
}
