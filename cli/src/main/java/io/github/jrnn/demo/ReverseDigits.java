package io.github.jrnn.demo;

import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Torch;

/**
 * The synthetic task of the seq2seq-attention demo: reverse a string of {@value #MIN_LEN} to {@value #MAX_LEN}
 * digits. Tokens: 0 padding, 1 the decoder's start token, 2..11 the digits 0..9. A batch of N strings is drawn as
 * {@code tools/make_seq2seq_golden.py} draws it, so the same generator state gives torch's batch:
 * <pre>
 * lengths = randint(2, 6, (N,));  digits = randint(0, 10, (N, 5));  positions >= length are padding
 * </pre>
 *
 * @param source the padded source (S = {@value #MAX_LEN}, N), time-major
 * @param lengths the N source lengths
 * @param decoderInput the teacher-forced decoder input (T = {@value #MAX_LEN}, N): start, then the target shifted
 * @param target the reversed digits (N, T) flattened, padding where t >= length
 */
record ReverseDigits(LongTensor source, int[] lengths, LongTensor decoderInput, int[] target) {

    static final int PAD = Seq2SeqAttention.PAD;
    static final int START = 1;
    static final int DIGIT0 = 2;
    static final int VOCAB = 12;
    static final int MIN_LEN = 2;
    static final int MAX_LEN = 5;

    /** Draws a batch of {@code n} strings from {@code g}. */
    static ReverseDigits draw(Generator g, int n) {
        long[] len = Torch.randint(g, MIN_LEN, MAX_LEN + 1, n).data();
        long[] digits = Torch.randint(g, 0, 10, n, MAX_LEN).data();
        long[] source = new long[MAX_LEN * n];
        long[] decoderInput = new long[MAX_LEN * n];
        int[] lengths = new int[n];
        int[] target = new int[n * MAX_LEN];
        for (int b = 0; b < n; b++) {
            lengths[b] = (int) len[b];
            decoderInput[b] = START;
            for (int t = 0; t < lengths[b]; t++) {
                source[t * n + b] = digits[b * MAX_LEN + t] + DIGIT0;
                target[b * MAX_LEN + t] = (int) digits[b * MAX_LEN + lengths[b] - 1 - t] + DIGIT0;
                if (t + 1 < MAX_LEN) {
                    decoderInput[(t + 1) * n + b] = target[b * MAX_LEN + t];
                }
            }
        }
        return new ReverseDigits(LongTensor.of(source, MAX_LEN, n), lengths, LongTensor.of(decoderInput, MAX_LEN, n),
                target);
    }

    /** The batch size N. */
    int size() {
        return lengths.length;
    }

    /** String {@code b} of the source, e.g. {@code "3141"}. */
    String sourceText(int b) {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < lengths[b]; t++) {
            text.append((char) ('0' + source.data()[t * size() + b] - DIGIT0));
        }
        return text.toString();
    }

    /** The digits of tokens {@code tokens[b * MAX_LEN + t]} for t below string b's length ('?' for a non-digit). */
    String text(long[] tokens, int b) {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < lengths[b]; t++) {
            long token = tokens[b * MAX_LEN + t];
            text.append(token >= DIGIT0 ? (char) ('0' + token - DIGIT0) : '?');
        }
        return text.toString();
    }
}
