package io.github.jrnn.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNN;
import io.github.jrnn.nn.rnn.RNNCell;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link Module#toString()} against torch 1.13's {@code repr} of the same modules, recorded by
 * {@code tools/make_repr_golden.py} in {@code golden/repr/modules.safetensors} (case name to repr; the torch
 * expression under {@code expr.<case>}).
 */
class ModuleReprGoldenTest {

    private static final Generator G = new Generator(0);

    /** torch's {@code Head}: two children, no arguments of its own. */
    static final class Head extends Module {
        Head() {
            registerModule("dropout", new Dropout(0.1, G, null));
            registerModule("linear", new Linear(4, 2, true, G, null));
        }
    }

    /** torch's {@code Tagger}: children nested two levels deep. */
    static final class Tagger extends Module {
        Tagger() {
            registerModule("embedding", new Embedding(10, 3, 0, G));
            registerModule("rnn", LSTM.builder(3, 4).numLayers(2).dropout(0.25).bidirectional(true).generator(G)
                    .build());
            registerModule("head", new Head());
        }
    }

    static final class Empty extends Module {
    }

    /** The Java twin of each torch expression of the script's MODULES. */
    private static Map<String, Supplier<Module>> cases() {
        Map<String, Supplier<Module>> m = new LinkedHashMap<>();
        m.put("gru_2layer_bidir", () -> GRU.builder(5, 4).numLayers(2).bidirectional(true).generator(G).build());
        m.put("gru_defaults", () -> GRU.builder(5, 4).generator(G).build());
        m.put("lstm_batch_first_proj", () -> LSTM.builder(10, 20).batchFirst(true).projSize(5).generator(G).build());
        m.put("lstm_everything", () -> LSTM.builder(3, 6).numLayers(3).bias(false).batchFirst(true).dropout(0.5)
                .bidirectional(true).projSize(2).generator(G).build());
        m.put("rnn_relu_no_bias_dropout", () -> RNN.builder(3, 4).numLayers(3).nonlinearity("relu").bias(false)
                .dropout(0.25).generator(G).build());
        m.put("rnn_tiny_dropout", () -> RNN.builder(3, 4).numLayers(2).dropout(1e-05).generator(G).build());
        m.put("rnncell", () -> new RNNCell(5, 4, true, "tanh", G, null));
        m.put("rnncell_relu_no_bias", () -> new RNNCell(5, 4, false, "relu", G, null));
        m.put("grucell", () -> new GRUCell(5, 4, true, G, null));
        m.put("lstmcell_no_bias", () -> new LSTMCell(5, 4, false, G, null));
        m.put("linear", () -> new Linear(3, 4, true, G, null));
        m.put("linear_no_bias", () -> new Linear(3, 4, false, G, null));
        m.put("embedding", () -> new Embedding(10, 3, null, G));
        m.put("embedding_padding", () -> new Embedding(10, 3, 0, G));
        m.put("embedding_negative_padding", () -> new Embedding(10, 3, -1, G));
        m.put("dropout", () -> new Dropout(0.5, G, null));
        m.put("dropout_small", () -> new Dropout(0.1, G, null));
        m.put("nested", Tagger::new);
        m.put("children_only", Head::new);
        m.put("empty", Empty::new);
        return m;
    }

    private static Map<String, String> torchReprs() throws Exception {
        Path file = Path.of(ModuleReprGoldenTest.class.getResource("/golden/repr/modules.safetensors").toURI());
        return SafeTensors.read(file).metadata();
    }

    @TestFactory
    Stream<DynamicTest> printsLikeTorch() throws Exception {
        Map<String, String> torch = torchReprs();
        return cases().entrySet().stream().map(c -> DynamicTest.dynamicTest(
                c.getKey() + ": " + torch.get("expr." + c.getKey()),
                () -> assertEquals(torch.get(c.getKey()), c.getValue().get().toString())));
    }

    @Test
    void everyRecordedCaseHasAJavaTwin() throws Exception {
        TreeSet<String> recorded = torchReprs().keySet().stream().filter(k -> k.startsWith("expr."))
                .map(k -> k.substring("expr.".length())).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(recorded, new TreeSet<>(cases().keySet()));
    }
}
