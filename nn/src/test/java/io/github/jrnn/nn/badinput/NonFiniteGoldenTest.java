package io.github.jrnn.nn.badinput;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsEntry;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.loss.CrossEntropyLoss;
import io.github.jrnn.nn.loss.MSELoss;
import io.github.jrnn.nn.loss.NLLLoss;
import io.github.jrnn.nn.loss.Reduction;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.PackedRecurrentOutput;
import io.github.jrnn.nn.rnn.RNN;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RNNCell;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * NaN and Inf in float inputs propagate exactly as in PyTorch through every module and loss: the same elements
 * are NaN, the same are +Inf or -Inf, the finite ones agree within the usual tolerance, and nothing throws. Golden
 * values from {@code tools/make_nonfinite_golden.py} (one file per case); recurrent modules and cells run on both
 * kernel implementations.
 */
class NonFiniteGoldenTest {

    private static final Path DIR = Path.of("src/test/resources/golden/nonfinite");

    static Stream<Arguments> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString().replace(".safetensors", "")).sorted()
                    .flatMap(c -> Stream.of(Arguments.of(c, "scalar"), Arguments.of(c, "vector")))
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0} on {1} kernels")
    @MethodSource("cases")
    void nonFiniteValuesPropagateLikeTorch(String name, String kernelsName) throws IOException {
        Kernels kernels = kernelsName.equals("scalar") ? KernelProvider.checkedScalar()
                : KernelProvider.checkedVector();
        SafeTensorsFile golden = SafeTensors.read(DIR.resolve(name + ".safetensors"));
        assertEquals(name, golden.metadata().get("case"));
        Map<String, Tensor> got = run(name, golden, kernels);
        assertEquals(expectedNames(golden), got.keySet(), "results compared");
        for (Map.Entry<String, Tensor> r : got.entrySet()) {
            assertClose(name + " " + r.getKey(), golden.tensor(r.getKey()), r.getValue(), FORWARD);
        }
    }

    private static Set<String> expectedNames(SafeTensorsFile golden) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : new String[] {"output", "h_n", "c_n", "loss"}) {
            if (golden.contains(n)) {
                names.add(n);
            }
        }
        return names;
    }

    private static Map<String, Tensor> run(String name, SafeTensorsFile g, Kernels k) throws IOException {
        Tensor input = g.contains("input") && g.entry("input").dtype().isFloatingPoint() ? g.tensor("input") : null;
        Map<String, Tensor> out = new LinkedHashMap<>();
        switch (name) {
            case "rnn_tanh" -> sequence(load(RNN.builder(3, 4).numLayers(2).kernels(k).build(), g), g, out);
            case "rnn_relu_state" -> sequence(load(RNN.builder(3, 4).nonlinearity("relu").kernels(k).build(), g), g,
                    out);
            case "gru_bidirectional" -> sequence(load(GRU.builder(3, 4).bidirectional(true).kernels(k).build(), g),
                    g, out);
            case "gru_state" -> sequence(load(GRU.builder(3, 4).numLayers(2).kernels(k).build(), g), g, out);
            case "lstm" -> sequence(load(LSTM.builder(3, 4).kernels(k).build(), g), g, out);
            case "lstm_proj_bidirectional_state" -> sequence(load(LSTM.builder(3, 5).numLayers(2).bidirectional(true)
                    .projSize(2).kernels(k).build(), g), g, out);
            case "gru_packed_padding" -> packed(load(GRU.builder(3, 4).kernels(k).build(), g), g, out);
            case "lstm_packed_padding" -> packed(load(LSTM.builder(3, 4).bidirectional(true).kernels(k).build(), g),
                    g, out);
            case "rnn_cell" -> out.put("h_n", load(new RNNCell(3, 4, true, "tanh", null, k), g).forward(input));
            case "gru_cell" -> out.put("h_n", load(new GRUCell(3, 4, true, null, k), g).forward(input));
            case "lstm_cell" -> {
                LSTMCell.State s = load(new LSTMCell(3, 4, true, null, k), g).forward(input);
                out.put("h_n", s.h());
                out.put("c_n", s.c());
            }
            case "linear" -> out.put("output", load(new Linear(3, 4, true, null, k), g).forward(input));
            case "embedding" -> out.put("output", load(new Embedding(5, 3), g).forward(g.entry("input").toLongs()));
            default -> out.put("loss", loss(name, g, input));
        }
        return out;
    }

    private static Tensor loss(String name, SafeTensorsFile g, Tensor input) throws IOException {
        Reduction reduction = Reduction.parse(name.substring(name.lastIndexOf('_') + 1));
        if (name.startsWith("mse_")) {
            return new MSELoss(reduction).forward(input, g.tensor("target"));
        }
        int[] target = g.entry("target").toInts();
        if (name.startsWith("cross_entropy_")) {
            return new CrossEntropyLoss(null, -100, reduction, 0).forward(input, target);
        }
        if (name.startsWith("nll_")) {
            return new NLLLoss(null, -100, reduction).forward(input, target);
        }
        throw new IllegalArgumentException("no runner for golden case " + name);
    }

    private static void sequence(RNNBase m, SafeTensorsFile g, Map<String, Tensor> out) throws IOException {
        Tensor x = g.tensor("input");
        Tensor h0 = g.contains("h0") ? g.tensor("h0") : null;
        RecurrentOutput r = m.forward(x, h0, g.contains("c0") ? g.tensor("c0") : null);
        out.put("output", r.output());
        out.put("h_n", r.hN());
        if (r.cN() != null) {
            out.put("c_n", r.cN());
        }
    }

    private static void packed(RNNBase m, SafeTensorsFile g, Map<String, Tensor> out) throws IOException {
        PackedRecurrentOutput r = m.forward(PackedSequences.packPaddedSequence(g.tensor("input"),
                g.entry("lengths").toInts(), false, true));
        out.put("output", PackedSequences.padPackedSequence(r.output(), false, 0f, 5).padded());
        out.put("h_n", r.hN());
        if (r.cN() != null) {
            out.put("c_n", r.cN());
        }
    }

    /** Loads the golden file's {@code module.*} tensors into {@code m} strictly. */
    private static <M extends Module> M load(M m, SafeTensorsFile g) throws IOException {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (SafeTensorsEntry e : g.entries()) {
            if (e.name().startsWith("module.")) {
                state.put(e.name().substring("module.".length()), e.toTensor());
            }
        }
        m.loadStateDict(state, true);
        return m;
    }
}
