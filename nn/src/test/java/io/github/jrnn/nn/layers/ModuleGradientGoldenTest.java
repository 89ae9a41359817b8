package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;
import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.GRADIENT;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNNCell;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fixture of {@code tools/make_module_grad_golden.py} (torch 1.13 autograd through nn.Linear, nn.Embedding,
 * nn.RNNCell, nn.GRUCell, nn.LSTMCell): jrnn loads torch's state_dict, runs the forward (checked within
 * 1e-5 + 1e-5 |expected|), back-propagates torch's random upstream gradient and compares the gradient of every
 * parameter, of the input and of the given states with torch's {@code .grad} within 1e-4 + 1e-4 |expected|, on the
 * vector kernels and on the scalar reference.
 *
 * <p>torch differentiates {@code (h' * g_h).sum() + (c' * g_c).sum()} for LSTMCell; jrnn runs two forwards, one
 * back-propagating g_h from h' and one g_c from c', and the leaves accumulate the sum, as gradients do.
 */
class ModuleGradientGoldenTest {

    private static final String DIR = "/golden/grad";

    static List<Path> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(ModuleGradientGoldenTest.class.getResource(DIR).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
    }

    @Test
    void theFixturesCoverEveryModuleAndVariant() throws Exception {
        List<String> names = fixtures().stream().map(p -> p.getFileName().toString()).toList();
        for (String required : List.of("linear_2d_bias", "linear_2d_nobias", "linear_3d_bias", "linear_3d_nobias",
                "embedding_repeated", "embedding_padding")) {
            assertTrue(names.contains(required + ".safetensors"), required);
        }
        for (String cell : List.of("rnncell_tanh", "rnncell_relu", "grucell", "lstmcell")) {
            for (String batch : List.of("batched", "unbatched")) {
                for (String state : List.of("hx", "nohx")) {
                    for (String bias : List.of("bias", "nobias")) {
                        String n = String.join("_", cell, batch, state, bias) + ".safetensors";
                        assertTrue(names.contains(n), n);
                    }
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyGradientMatchesTorch() throws Exception {
        Map<String, Kernels> kernels = new LinkedHashMap<>();
        kernels.put("vector", KernelProvider.checkedVector());
        kernels.put("scalar", KernelProvider.checkedScalar());
        return fixtures().stream().flatMap(file -> kernels.entrySet().stream().map(k ->
                DynamicTest.dynamicTest(file.getFileName() + " [" + k.getKey() + "]",
                        () -> check(file, k.getValue()))));
    }

    private static void check(Path path, Kernels kernels) throws IOException {
        SafeTensorsFile file = SafeTensors.read(path);
        Map<String, String> meta = file.metadata();
        String name = path.getFileName().toString();
        switch (meta.get("module")) {
            case "Linear" -> {
                Linear m = new Linear(intArg(meta, "in_features"), intArg(meta, "out_features"),
                        Boolean.parseBoolean(meta.get("bias").toLowerCase()), null, kernels);
                load(m, file);
                Tensor x = file.tensor("input").requiresGrad(true);
                Tensor y = m.forward(x);
                assertClose(name + " output", file.tensor("output"), y, FORWARD);
                y.backward(file.tensor("grad_output"));
                assertClose(name + " grad.input", file.tensor("grad.input"), x.grad(), GRADIENT);
                checkParameterGrads(name, m, file);
            }
            case "Embedding" -> {
                String padding = meta.get("padding_idx");
                Embedding m = new Embedding(intArg(meta, "num_embeddings"), intArg(meta, "embedding_dim"),
                        padding.equals("None") ? null : Integer.valueOf(padding), null, kernels);
                load(m, file);
                Tensor y = m.forward(file.entry("input").toLongs(), file.entry("input").shape());
                assertClose(name + " output", file.tensor("output"), y, FORWARD);
                y.backward(file.tensor("grad_output"));
                checkParameterGrads(name, m, file);
            }
            case "RNNCell", "GRUCell", "LSTMCell" -> checkCell(name, meta, file, kernels);
            default -> throw new IllegalStateException(name + ": unknown module " + meta.get("module"));
        }
    }

    private static void checkCell(String name, Map<String, String> meta, SafeTensorsFile file, Kernels kernels)
            throws IOException {
        int in = intArg(meta, "input_size");
        int hidden = intArg(meta, "hidden_size");
        boolean bias = Boolean.parseBoolean(meta.get("bias").toLowerCase());
        Tensor x = file.tensor("input").requiresGrad(true);
        Tensor hx = file.contains("hx") ? file.tensor("hx").requiresGrad(true) : null;
        Tensor cx = file.contains("cx") ? file.tensor("cx").requiresGrad(true) : null;
        Module module;
        switch (meta.get("module")) {
            case "RNNCell" -> {
                RNNCell m = new RNNCell(in, hidden, bias, meta.get("nonlinearity"), null, kernels);
                load(m, file);
                Tensor h = m.forward(x, hx);
                assertClose(name + " output", file.tensor("output"), h, FORWARD);
                h.backward(file.tensor("grad_output"));
                module = m;
            }
            case "GRUCell" -> {
                GRUCell m = new GRUCell(in, hidden, bias, null, kernels);
                load(m, file);
                Tensor h = m.forward(x, hx);
                assertClose(name + " output", file.tensor("output"), h, FORWARD);
                h.backward(file.tensor("grad_output"));
                module = m;
            }
            default -> {
                LSTMCell m = new LSTMCell(in, hidden, bias, null, kernels);
                load(m, file);
                LSTMCell.State first = m.forward(x, hx, cx);
                assertClose(name + " output", file.tensor("output"), first.h(), FORWARD);
                assertClose(name + " output_c", file.tensor("output_c"), first.c(), FORWARD);
                first.h().backward(file.tensor("grad_output"));
                m.forward(x, hx, cx).c().backward(file.tensor("grad_output_c"));
                module = m;
            }
        }
        assertClose(name + " grad.input", file.tensor("grad.input"), x.grad(), GRADIENT);
        if (hx != null) {
            assertClose(name + " grad.hx", file.tensor("grad.hx"), hx.grad(), GRADIENT);
        }
        if (cx != null) {
            assertClose(name + " grad.cx", file.tensor("grad.cx"), cx.grad(), GRADIENT);
        }
        checkParameterGrads(name, module, file);
    }

    private static void load(Module m, SafeTensorsFile file) throws IOException {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String key : file.names()) {
            if (key.startsWith("param.")) {
                state.put(key.substring("param.".length()), file.tensor(key));
            }
        }
        m.loadStateDict(state, true);
    }

    private static void checkParameterGrads(String name, Module m, SafeTensorsFile file) throws IOException {
        assertEquals(file.names().stream().filter(n -> n.startsWith("param.")).count(), m.namedParameters().size(),
                name + ": parameter count");
        for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) {
            Tensor grad = p.getValue().grad();
            assertNotNull(grad, name + ": no gradient reached " + p.getKey());
            assertClose(name + " grad." + p.getKey(), file.tensor("grad." + p.getKey()), grad, GRADIENT);
        }
    }

    private static int intArg(Map<String, String> meta, String key) {
        return Integer.parseInt(meta.get(key));
    }
}
