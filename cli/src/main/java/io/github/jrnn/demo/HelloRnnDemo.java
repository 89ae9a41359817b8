package io.github.jrnn.demo;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.RNN;
import java.io.PrintStream;

/**
 * The tutorial's second "hello" model: {@code RNN(input_size=4, hidden_size=4, num_layers)} over the whole one-hot
 * sequence (5, 1, 4) from zero states, its outputs viewed as (5, 4) class scores:
 * <pre>
 * outputs, _ = rnn(inputs, torch.zeros(num_layers, 1, 4)); outputs = outputs.view(-1, 4)
 * loss = criterion(outputs, labels); loss.backward(); optimizer.step()     # CrossEntropyLoss, Adam(lr=0.05)
 * </pre>
 * Weights from {@code new Generator(seed)} (torch's after {@code torch.manual_seed(seed)}); num_layers from
 * {@code ./jrnn demo --num-layers N hello-rnn} (default 1).
 */
final class HelloRnnDemo implements Demo {

    static final double LR = 0.05;
    private final int numLayers;

    HelloRnnDemo(int numLayers) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("num_layers must be at least 1, got " + numLayers);
        }
        this.numLayers = numLayers;
    }

    @Override
    public String name() {
        return "hello-rnn";
    }

    @Override
    public String description() {
        return "RNN(4, 4, num_layers=" + numLayers + ") learns \"hello\" -> \"ohlol\" over the whole sequence"
                + " (Adam lr=0.05)";
    }

    @Override
    public void run(long seed, PrintStream out) {
        RNN rnn = RNN.builder(4, 4).numLayers(numLayers).generator(new Generator(seed)).build();
        Tensor inputs = HelloTask.oneHotInputs();
        HelloTask.trainWholeSequence(rnn.parameters(),
                () -> rnn.forward(inputs, Tensor.zeros(numLayers, 1, 4)).output().view(-1, HelloTask.CLASSES),
                LR, seed, out);
    }
}
