package io.github.jrnn.nn.composites;

import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.function.Function;

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

    String generate(String vocab, String prompt, int length) {                   // greedy: the likeliest character
        return generate(vocab, prompt, length, logits -> logits.argmax(-1, true));
    }

    String sample(String vocab, String prompt, int length, float temperature, Generator g) {
        return generate(vocab, prompt, length, logits -> logits.div(temperature).softmax(-1).multinomial(1, true, g));
    }

    /** Feeds the prompt, then each picked character back in, carrying (h, c); pick maps (1, vocab) to (1, 1). */
    private String generate(String vocab, String prompt, int length, Function<Tensor, LongTensor> pick) {
        long[] ids = prompt.chars().mapToLong(vocab::indexOf).toArray();
        RecurrentOutput out = lstm.forward(embed.forward(LongTensor.of(ids, 1, ids.length)), null, null);
        StringBuilder text = new StringBuilder(prompt);
        for (int i = 0; i < length; i++) {
            LongTensor next = pick.apply(head.forward(out.output().select(1, -1)));   // logits[:, -1]: (1, vocab)
            text.append(vocab.charAt((int) next.item()));
            out = lstm.forward(embed.forward(next), out.hN(), out.cN());
        }
        return text.toString();
    }
}
