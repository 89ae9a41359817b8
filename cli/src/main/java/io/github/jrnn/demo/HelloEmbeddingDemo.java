package io.github.jrnn.demo;

import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.RNN;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The tutorial's third "hello" model: character indices instead of one-hot vectors, through
 * <pre>
 * Embedding(4, 10) -> RNN(10, 8, num_layers=2, batch_first=True) from zeros -> Linear(8, 4) -> view(-1, 4)
 * </pre>
 * on the (batch 1, seq_len 5) index tensor {@code [[1, 0, 2, 2, 3]]}, CrossEntropyLoss and Adam(lr=0.05). The three
 * modules draw their weights in that order from {@code new Generator(seed)}, as torch's do after
 * {@code torch.manual_seed(seed)}.
 */
final class HelloEmbeddingDemo implements Demo {

    private static final int EMBEDDING = 10;
    private static final int HIDDEN = 8;
    private static final int LAYERS = 2;

    @Override
    public String name() {
        return "hello-embedding";
    }

    @Override
    public String description() {
        return "Embedding(4, 10) -> RNN(10, 8, 2 layers, batch_first) -> Linear(8, 4) learns \"hello\" -> \"ohlol\"";
    }

    @Override
    public void run(long seed, PrintStream out) {
        Generator g = new Generator(seed);
        Embedding embedding = new Embedding(HelloTask.CLASSES, EMBEDDING, null, g);
        RNN rnn = RNN.builder(EMBEDDING, HIDDEN).numLayers(LAYERS).batchFirst(true).generator(g).build();
        Linear fc = new Linear(HIDDEN, HelloTask.CLASSES, true, g, null);
        List<Parameter> parameters = new ArrayList<>(embedding.parameters());
        parameters.addAll(rnn.parameters());
        parameters.addAll(fc.parameters());
        HelloTask.trainWholeSequence(parameters, () -> {
            Tensor x = embedding.forward(HelloTask.X_DATA, 1, HelloTask.SEQ_LEN);          // (1, 5, 10)
            Tensor h = rnn.forward(x, Tensor.zeros(LAYERS, 1, HIDDEN)).output();          // (1, 5, 8)
            return fc.forward(h).view(-1, HelloTask.CLASSES);                             // (5, 4)
        }, HelloRnnDemo.LR, seed, out);
    }
}
