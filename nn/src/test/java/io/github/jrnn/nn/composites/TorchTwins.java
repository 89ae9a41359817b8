package io.github.jrnn.nn.composites;

import io.github.jrnn.nn.layers.Dropout;
import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Sequential;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNN;
import io.github.jrnn.nn.rnn.RNNCell;
import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * The Java twins of the models in {@code tools/make_composite_fixtures.py}, written the way a user would: the same
 * children under the same attribute names, the same forward.
 */
final class TorchTwins {

    private TorchTwins() {
    }

    /**
     * {@code nn.Sequential(Linear(6, 8), Dropout(0.25), Linear(8, 8, bias=False),
     * Sequential(Dropout(0.1), Linear(8, 3)))}.
     */
    static Sequential sequentialMlp() {
        return new Sequential(new Linear(6, 8), new Dropout(0.25), new Linear(8, 8, false),
                new Sequential(new Dropout(0.1), new Linear(8, 3)));
    }

    /** Embedding(padding_idx) -> bidirectional 2-layer batch_first GRU -> Linear. */
    static final class CharGru extends Module {
        final Embedding embed = registerModule("embed", new Embedding(12, 6, 0));
        final GRU rnn = registerModule("rnn", GRU.builder(6, 5).numLayers(2).batchFirst(true).bidirectional(true)
                .build());
        final Linear head = registerModule("head", new Linear(10, 12));

        Tensor forward(LongTensor x) {
            return head.forward(rnn.forward(embed.forward(x)).output());
        }
    }

    /** A bias-free ReLU RNN whose initial state is a float buffer, and an int64 buffer like BatchNorm's. */
    static final class Encoder extends Module {
        final RNN rnn = registerModule("rnn", RNN.builder(4, 4).nonlinearity("relu").bias(false).build());
        final Tensor h0 = registerBuffer("h0", Tensor.zeros(1, 2, 4));
        final LongTensor numBatchesTracked = registerBuffer("num_batches_tracked", LongTensor.of(new long[] {0}));

        Tensor forward(Tensor x) {
            return rnn.forward(x, h0, null).output();
        }
    }

    /** Embedding -> Encoder -> LSTM(proj_size) -> Linear whose weight is the embedding's. */
    static final class TiedLM extends Module {
        final Embedding embed = registerModule("embed", new Embedding(10, 4));
        final Encoder encoder = registerModule("encoder", new Encoder());
        final LSTM decoder = registerModule("decoder", LSTM.builder(4, 6).projSize(4).build());
        final Linear head = registerModule("head", new Linear(embed.namedParameters().get("weight"), true, null,
                null));

        Tensor forward(LongTensor x) {
            return head.forward(decoder.forward(encoder.forward(embed.forward(x))).output());
        }
    }

    /** RNNCell(relu) -> GRUCell(no bias) -> LSTMCell -> Linear stepped over time; the last step's output. */
    static final class CellStack extends Module {
        final RNNCell rnnCell = registerModule("rnn_cell", new RNNCell(3, 4, true, "relu", null, null));
        final GRUCell gruCell = registerModule("gru_cell", new GRUCell(4, 4, false, null, null));
        final LSTMCell lstmCell = registerModule("lstm_cell", new LSTMCell(4, 5));
        final Linear head = registerModule("head", new Linear(5, 2));

        Tensor forward(Tensor x) {
            Tensor h1 = null;
            Tensor h2 = null;
            LSTMCell.State state = new LSTMCell.State(null, null);
            for (int t = 0; t < x.size(0); t++) {
                h1 = rnnCell.forward(x.select(t), h1);
                h2 = gruCell.forward(h1, h2);
                state = lstmCell.forward(h2, state.h(), state.c());
            }
            return head.forward(state.h());
        }
    }
}
