package io.github.jrnn.demo;

import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.loss.CrossEntropyLoss;
import io.github.jrnn.nn.optim.Adam;
import io.github.jrnn.nn.optim.Optimizer;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * The toy task of the "hello" tutorials: learn to map the characters of {@code "hello"} to {@code "ohlol"}, one
 * step at a time, with the tutorials' vocabulary {@code idx2char = ['e', 'h', 'l', 'o']}:
 * <pre>
 * x_data = [1, 0, 2, 2, 3]    "hello"
 * y_data = [3, 1, 2, 3, 2]    "ohlol"
 * </pre>
 * Each demo trains for {@value #EPOCHS} epochs (one optimizer step on the whole sequence per epoch) and prints the
 * string predicted before that step.
 */
final class HelloTask {

    static final char[] IDX2CHAR = {'e', 'h', 'l', 'o'};
    static final int[] X_DATA = {1, 0, 2, 2, 3};
    static final int[] Y_DATA = {3, 1, 2, 3, 2};
    static final int CLASSES = IDX2CHAR.length;
    static final int SEQ_LEN = X_DATA.length;
    static final int EPOCHS = 15;
    static final String TARGET = "ohlol";

    private HelloTask() {
    }

    /** The one-hot inputs {@code torch.Tensor(x_one_hot).view(-1, 1, 4)}: (seq_len, batch = 1, 4). */
    static Tensor oneHotInputs() {
        Tensor inputs = Tensor.zeros(SEQ_LEN, 1, CLASSES);
        for (int t = 0; t < SEQ_LEN; t++) {
            inputs.set(1f, t, 0, X_DATA[t]);
        }
        return inputs;
    }

    /**
     * The characters of the row-wise argmax of {@code scores} viewed as (rows, 4), like
     * {@code outputs.max(dim=1)} then {@code idx2char} (the first maximum wins a tie, as in torch).
     */
    static String decode(Tensor scores) {
        float[] s = scores.data();
        StringBuilder text = new StringBuilder();
        for (int row = 0; row < s.length / CLASSES; row++) {
            int best = 0;
            for (int c = 1; c < CLASSES; c++) {
                if (s[row * CLASSES + c] > s[row * CLASSES + best]) {
                    best = c;
                }
            }
            text.append(IDX2CHAR[best]);
        }
        return text.toString();
    }

    /**
     * The training loop of the tutorials' sequence models: per epoch one forward over the whole sequence giving
     * (seq_len, 4) scores, {@code CrossEntropyLoss} against {@code y_data}, backward and an {@code Adam(lr)} step;
     * prints {@code Predicted: ohlol, Epoch [k/15] loss = 0.123} and the summary.
     */
    static void trainWholeSequence(List<Parameter> parameters, Supplier<Tensor> scores, double lr, long seed,
                                   PrintStream out) {
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Optimizer optimizer = new Adam(parameters, lr);
        int reached = 0;
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            optimizer.zeroGrad();
            Tensor outputs = scores.get();
            Tensor loss = criterion.forward(outputs, Y_DATA);
            loss.backward();
            optimizer.step();
            String predicted = decode(outputs);
            out.printf("Predicted: %s, Epoch [%d/%d] loss = %.3f%n", predicted, epoch, EPOCHS, loss.data()[0]);
            if (reached == 0 && predicted.equals(TARGET)) {
                reached = epoch;
            }
        }
        out.println(summary(reached, seed));
    }

    /** The closing line: at which epoch the prediction first read {@code "ohlol"}, or that it never did. */
    static String summary(int firstEpoch, long seed) {
        return firstEpoch > 0
                ? "reached \"" + TARGET + "\" at epoch " + firstEpoch + " of " + EPOCHS
                : "did not reach \"" + TARGET + "\" in " + EPOCHS + " epochs with seed " + seed
                        + " (nor does the tutorial's PyTorch code for every seed; try --seed 42)";
    }
}
