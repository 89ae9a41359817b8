package io.github.jrnn.demo;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.loss.CrossEntropyLoss;
import io.github.jrnn.nn.loss.Reduction;
import io.github.jrnn.nn.optim.Adam;
import io.github.jrnn.nn.optim.Optimizer;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Tensors;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Seq2SeqAttention} learns to reverse digit strings ({@link ReverseDigits}) with teacher forcing: per step a
 * fresh batch of {@value #BATCH}, {@code CrossEntropyLoss(ignore_index=0)} over the (N T, V) logits, one
 * {@code Adam(lr=0.01)} step. Every {@value #EVAL_EVERY} steps it decodes {@value #HELD_OUT} held-out strings
 * greedily (argmax fed back, one decoder step at a time) and stops once all of them come out reversed. Then it
 * prints a few translations and the attention weights of the first five-digit example, which lie on the anti-diagonal.
 *
 * <p>{@code new Generator(seed)} draws the weights and then the batches, as {@code torch.manual_seed(seed)} does in
 * {@code tools/make_seq2seq_golden.py}, so the losses follow torch's trajectory; the held-out strings come from a
 * second generator seeded {@code seed + 1}.
 */
final class Seq2SeqAttentionDemo implements Demo {

    static final int EMBEDDING = 16;
    static final int HIDDEN = 64;
    static final int BATCH = 32;
    static final double LR = 0.01;
    static final int EVAL_EVERY = 50;
    static final int MAX_STEPS = 1000;
    static final int HELD_OUT = 100;

    @Override
    public String name() {
        return "seq2seq-attention";
    }

    @Override
    public String description() {
        return "packed GRU encoder + GRU decoder with dot attention and a padding mask learns to reverse digits";
    }

    /** The model, its optimizer and the batch generator: one {@link #step} per training batch. */
    static final class Training {
        final Seq2SeqAttention model;
        private final Generator g;
        private final Optimizer optimizer;
        private final CrossEntropyLoss criterion =
                new CrossEntropyLoss(null, ReverseDigits.PAD, Reduction.MEAN, 0.0);

        Training(long seed) {
            g = new Generator(seed);
            model = new Seq2SeqAttention(ReverseDigits.VOCAB, EMBEDDING, HIDDEN, g);
            optimizer = new Adam(model.parameters(), LR);
        }

        /** Draws a batch, takes one Adam step on its teacher-forced loss; returns the loss before the step. */
        float step() {
            ReverseDigits batch = ReverseDigits.draw(g, BATCH);
            optimizer.zeroGrad();
            Seq2SeqAttention.Encoded enc = model.encode(batch.source(), batch.lengths());
            Tensor logits = model.decode(batch.decoderInput(), enc.hN(), enc).logits();
            Tensor loss = criterion.forward(logits.reshape(-1, ReverseDigits.VOCAB), batch.target());
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }

    /** Greedy translations (N, T) of a batch and the attention weights of every step, (N, T, S). */
    record Translation(long[] tokens, Tensor attention) {
    }

    /** Decodes {@code batch} greedily: start token, then each step's argmax fed back, without gradients. */
    static Translation translate(Seq2SeqAttention model, ReverseDigits batch) {
        try (GradMode.Scope _ = GradMode.noGrad()) {
            int n = batch.size();
            Seq2SeqAttention.Encoded enc = model.encode(batch.source(), batch.lengths());
            long[] start = new long[n];
            Arrays.fill(start, ReverseDigits.START);
            LongTensor next = LongTensor.of(start, 1, n);
            Tensor h = enc.hN();
            List<LongTensor> steps = new ArrayList<>();
            List<Tensor> attention = new ArrayList<>();
            for (int t = 0; t < ReverseDigits.MAX_LEN; t++) {
                Seq2SeqAttention.Decoded d = model.decode(next, h, enc);
                next = LongTensor.of(d.logits().argmax(-1, false).data(), 1, n);   // (N, 1) read as (1, N)
                h = d.hN();
                steps.add(next);
                attention.add(d.attention());
            }
            long[] tokens = new long[n * ReverseDigits.MAX_LEN];
            for (int t = 0; t < steps.size(); t++) {
                for (int b = 0; b < n; b++) {
                    tokens[b * ReverseDigits.MAX_LEN + t] = steps.get(t).data()[b];
                }
            }
            return new Translation(tokens, Tensors.cat(attention, 1));
        }
    }

    /** How many strings of {@code batch} the translation reverses exactly. */
    static int correct(ReverseDigits batch, Translation translation) {
        int ok = 0;
        for (int b = 0; b < batch.size(); b++) {
            StringBuilder reversed = new StringBuilder(batch.sourceText(b)).reverse();
            ok += reversed.toString().equals(batch.text(translation.tokens(), b)) ? 1 : 0;
        }
        return ok;
    }

    @Override
    public void run(long seed, PrintStream out) {
        Training training = new Training(seed);
        ReverseDigits heldOut = ReverseDigits.draw(new Generator(seed + 1), HELD_OUT);
        out.println("reverse 2-5 digits; Embedding(12, 16) -> packed GRU(16, 64) encoder, GRU(16, 64) decoder,"
                + " dot attention; batch " + BATCH + ", Adam lr " + LR);
        Translation translation = translate(training.model, heldOut);
        int step = 0;
        int solved = correct(heldOut, translation);
        while (solved < HELD_OUT && step < MAX_STEPS) {
            float loss = 0;
            for (int i = 0; i < EVAL_EVERY; i++, step++) {
                loss = training.step();
            }
            translation = translate(training.model, heldOut);
            solved = correct(heldOut, translation);
            out.printf("step %4d  loss %.4f  held-out reversed %d/%d%n", step, loss, solved, HELD_OUT);
        }
        out.println(solved == HELD_OUT ? "solved after " + step + " steps" : "not solved in " + step + " steps");
        for (int b = 0; b < 4; b++) {
            out.println("  " + heldOut.sourceText(b) + " -> " + heldOut.text(translation.tokens(), b));
        }
        int longest = 0;
        while (longest + 1 < HELD_OUT && heldOut.lengths()[longest] < ReverseDigits.MAX_LEN) {
            longest++;
        }
        printAttention(heldOut, translation, longest, out);
    }

    /** The attention weights of example {@code b}: one row per output digit, one column per source digit. */
    private static void printAttention(ReverseDigits batch, Translation translation, int b, PrintStream out) {
        int len = batch.lengths()[b];
        String source = batch.sourceText(b);
        String output = batch.text(translation.tokens(), b);
        out.println("attention of " + source + " -> " + output + " (rows: output digits, columns: source digits)");
        StringBuilder header = new StringBuilder("     ");
        for (int s = 0; s < len; s++) {
            header.append("     ").append(source.charAt(s));
        }
        out.println(header);
        Tensor weights = translation.attention().select(0, b);                  // (T, S)
        for (int t = 0; t < len; t++) {
            StringBuilder row = new StringBuilder("  " + output.charAt(t) + "  ");
            for (int s = 0; s < len; s++) {
                row.append(String.format(" %5.2f", weights.get(t, s)));
            }
            out.println(row);
        }
    }
}
