package io.github.jrnn.demo;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Tensors;
import io.github.jrnn.nn.loss.CrossEntropyLoss;
import io.github.jrnn.nn.optim.Adam;
import io.github.jrnn.nn.optim.Optimizer;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.RNNCell;
import java.io.PrintStream;

/**
 * The tutorial's first "hello" model: an {@code RNNCell(input_size=4, hidden_size=4)} stepped by hand over the
 * one-hot characters of "hello" (batch 1), whose hidden state is read directly as the scores of the 4 classes.
 * Per epoch, as the tutorial:
 * <pre>
 * loss = 0; optimizer.zero_grad(); hidden = zeros(1, 4)
 * for input, label in zip(inputs, labels):
 *     hidden = cell(input, hidden); loss += criterion(hidden, label)   # predicted char: hidden.max(dim=1)
 * loss.backward(); optimizer.step()
 * </pre>
 * with CrossEntropyLoss and Adam(lr = 0.1), printing {@code Predicted string: ohlol, Epoch [k/15] loss=…}. The
 * cell's initial weights come from {@code new Generator(seed)}, which gives torch's weights after
 * {@code torch.manual_seed(seed)}.
 */
final class HelloCellDemo implements Demo {

    @Override
    public String name() {
        return "hello-cell";
    }

    @Override
    public String description() {
        return "RNNCell(4, 4) learns \"hello\" -> \"ohlol\" (CrossEntropyLoss, Adam lr=0.1, 15 epochs)";
    }

    @Override
    public void run(long seed, PrintStream out) {
        RNNCell cell = new RNNCell(4, 4, true, "tanh", new Generator(seed), null);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Optimizer optimizer = new Adam(cell.parameters(), 0.1);
        Tensor inputs = HelloTask.oneHotInputs();
        int reached = 0;
        for (int epoch = 1; epoch <= HelloTask.EPOCHS; epoch++) {
            optimizer.zeroGrad();
            Tensor hidden = Tensor.zeros(1, 4);
            Tensor loss = null;
            StringBuilder predicted = new StringBuilder();
            for (int t = 0; t < HelloTask.SEQ_LEN; t++) {
                hidden = cell.forward(inputs.select(t), hidden);
                Tensor stepLoss = criterion.forward(hidden, HelloTask.Y_DATA[t]);
                loss = loss == null ? stepLoss : Tensors.add(loss, stepLoss);
                predicted.append(HelloTask.decode(hidden));
            }
            loss.backward();
            optimizer.step();
            out.printf("Predicted string: %s, Epoch [%d/%d] loss=%.4f%n", predicted, epoch, HelloTask.EPOCHS,
                    loss.data()[0]);
            if (reached == 0 && predicted.toString().equals(HelloTask.TARGET)) {
                reached = epoch;
            }
        }
        out.println(HelloTask.summary(reached, seed));
    }
}
