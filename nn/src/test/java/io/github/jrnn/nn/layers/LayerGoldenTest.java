package io.github.jrnn.nn.layers;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.GRADIENT;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code layer_*} case of tools/make_layers_losses_golden.py (torch 1.13): the Java twin of the torch module,
 * built from the case's constructor arguments and given torch's weight and bias, prints torch's repr, computes
 * torch's output, and under the upstream gradient {@code grad_output} gives torch's input, weight and bias
 * gradients.
 */
class LayerGoldenTest {

    static List<Path> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(LayerGoldenTest.class.getResource("/golden/layers_losses").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> p.getFileName().toString().startsWith("layer_")).sorted().toList();
            assertFalse(all.size() < 18, "expected the 18 layer cases under " + dir + ", got " + all.size());
            return all;
        }
    }

    /** The Java module for torch's {@code module} with the arguments the script recorded. */
    static Module twin(Map<String, String> meta) {
        return switch (meta.get("module")) {
            case "LayerNorm" -> new LayerNorm(Arrays.stream(meta.get("normalized_shape").split(","))
                    .mapToInt(Integer::parseInt).toArray(), Double.parseDouble(meta.get("eps")),
                    Boolean.parseBoolean(meta.get("elementwise_affine")), null);
            case "Tanh" -> new Tanh();
            case "ReLU" -> new ReLU();
            case "Sigmoid" -> new Sigmoid();
            case "Softmax" -> new Softmax(Integer.parseInt(meta.get("dim")));
            case "LogSoftmax" -> new LogSoftmax(Integer.parseInt(meta.get("dim")));
            case "Identity" -> new Identity();
            case "Flatten" -> new Flatten(Integer.parseInt(meta.get("start_dim")),
                    Integer.parseInt(meta.get("end_dim")));
            default -> throw new IllegalStateException("no Java twin for " + meta.get("module"));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputAndGradientsMatchTorch(Path file) throws IOException {
        SafeTensorsFile golden = SafeTensors.read(file);
        String name = file.getFileName().toString();
        Module module = withTorchParameters(golden, name);
        assertEquals(golden.metadata().get("repr"), module.toString(), name + " repr");
        Map<String, Parameter> params = module.namedParameters();
        Tensor input = golden.tensor("input").requiresGrad(true);
        Tensor output = ((TensorLayer) module).forward(input);
        assertClose(name + " output", golden.tensor("output"), output, FORWARD);
        if (module instanceof Identity) {
            assertSame(input, output, "Identity returns its input itself, as torch");
        }
        output.backward(golden.tensor("grad_output"));
        assertClose(name + " input_grad", golden.tensor("input_grad"), input.grad(), GRADIENT);
        for (String p : List.of("weight", "bias")) {
            if (golden.contains(p)) {
                assertClose(name + " " + p + "_grad", golden.tensor(p + "_grad"), params.get(p).grad(), GRADIENT);
            }
        }
    }

    /** The twin with torch's weight and bias copied in (the script set them to random values). */
    private static Module withTorchParameters(SafeTensorsFile golden, String name) throws IOException {
        Module module = twin(golden.metadata());
        Map<String, Parameter> params = module.namedParameters();
        for (String p : List.of("weight", "bias")) {
            assertEquals(golden.contains(p), params.containsKey(p), name + ": has " + p);
            if (golden.contains(p)) {
                System.arraycopy(golden.tensor(p).data(), 0, params.get(p).data(), 0, params.get(p).numel());
            }
        }
        return module;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void noGradientIsRecordedWhenNothingRequiresOne(Path file) throws IOException {
        SafeTensorsFile golden = SafeTensors.read(file);
        String name = file.getFileName().toString();
        Module module = withTorchParameters(golden, name);
        module.parameters().forEach(p -> p.value().requiresGrad(false));
        Tensor output = ((TensorLayer) module).forward(golden.tensor("input"));
        assertNull(output.gradFn(), name + ": a recorded node without any input requiring grad");
        assertClose(name + " output", golden.tensor("output"), output, FORWARD);
    }
}
