package io.github.jrnn.nn.optim;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The trajectories written by tools/make_optimizer_golden.py: jrnn's SGD/Adam/AdamW fed torch's recorded gradients
 * end with torch's parameters and optimizer state, and a run saved halfway to a file and resumed in a new optimizer
 * ends bit-identical to the uninterrupted run.
 */
class OptimizerGoldenTest {

    private static final int PARAMS = 2;

    static List<Path> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(OptimizerGoldenTest.class.getResource("/golden/optim").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
            assertFalse(all.isEmpty(), "no optimizer fixtures under " + dir);
            return all;
        }
    }

    private static List<Parameter> initialParameters(SafeTensorsFile golden) throws IOException {
        List<Parameter> params = new ArrayList<>();
        for (int i = 0; i < PARAMS; i++) {
            params.add(new Parameter(golden.tensor("p" + i + ".init")));
        }
        return params;
    }

    static Optimizer build(Map<String, String> m, List<Parameter> params) {
        double lr = Double.parseDouble(m.get("lr"));
        String kind = m.get("optimizer");
        if (kind.equals("SGD")) {
            return new SGD(params, lr, number(m, "momentum", 0), number(m, "dampening", 0),
                    number(m, "weight_decay", 0), Boolean.parseBoolean(m.getOrDefault("nesterov", "false")));
        }
        double beta1 = number(m, "beta1", 0.9);
        double beta2 = number(m, "beta2", 0.999);
        double eps = number(m, "eps", 1e-8);
        boolean amsgrad = Boolean.parseBoolean(m.getOrDefault("amsgrad", "false"));
        return kind.equals("AdamW")
                ? new AdamW(params, lr, beta1, beta2, eps, number(m, "weight_decay", 1e-2), amsgrad)
                : new Adam(params, lr, beta1, beta2, eps, number(m, "weight_decay", 0), amsgrad);
    }

    private static double number(Map<String, String> m, String key, double fallback) {
        return m.containsKey(key) ? Double.parseDouble(m.get(key)) : fallback;
    }

    /** Steps {@code from} (inclusive) to {@code to} (exclusive) with the recorded gradients. */
    private static void steps(SafeTensorsFile golden, Optimizer opt, int from, int to) throws IOException {
        for (int step = from; step < to; step++) {
            opt.zeroGrad();
            for (int i = 0; i < PARAMS; i++) {
                String name = "grad." + step + ".p" + i;
                if (golden.contains(name)) {
                    // The gradient reaches the parameter through a recorded view, as from any loss.
                    Parameter p = opt.parameters().get(i);
                    p.value().view(-1).backward(golden.tensor(name).view(-1));
                }
            }
            opt.step();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trajectoryEndsWithTorchsParametersAndState(Path file) throws IOException {
        SafeTensorsFile golden = SafeTensors.read(file);
        String name = file.getFileName().toString();
        List<Parameter> params = initialParameters(golden);
        Optimizer opt = build(golden.metadata(), params);
        steps(golden, opt, 0, Integer.parseInt(golden.metadata().get("steps")));
        for (int i = 0; i < PARAMS; i++) {
            assertClose(name + " p" + i, golden.tensor("p" + i + ".final"), params.get(i).value(), FORWARD);
        }
        Map<String, Tensor> state = opt.stateTensors();
        List<String> torchState = golden.names().stream().filter(n -> n.startsWith("state.")).sorted().toList();
        assertEquals(torchState, state.keySet().stream().sorted().toList(), name + ": state buffer names");
        for (String key : torchState) {
            assertClose(name + " " + key, golden.tensor(key), state.get(key), FORWARD);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRunResumedFromASavedFileContinuesExactly(Path file, @TempDir Path dir) throws IOException {
        SafeTensorsFile golden = SafeTensors.read(file);
        int total = Integer.parseInt(golden.metadata().get("steps"));
        int half = total / 2;

        List<Parameter> straight = initialParameters(golden);
        Optimizer uninterrupted = build(golden.metadata(), straight);
        steps(golden, uninterrupted, 0, total);

        List<Parameter> first = initialParameters(golden);
        Optimizer before = build(golden.metadata(), first);
        steps(golden, before, 0, half);
        Path saved = dir.resolve("optimizer.safetensors");
        SafeTensorsWriter writer = new SafeTensorsWriter();
        before.hyperparameters().forEach(writer::putMetadata);
        before.stateTensors().forEach(writer::putTensor);
        for (int i = 0; i < PARAMS; i++) {
            writer.putTensor("p" + i, first.get(i).value());
        }
        writer.write(saved);

        SafeTensorsFile reloaded = SafeTensors.read(saved);
        List<Parameter> resumedParams = new ArrayList<>();
        Map<String, Tensor> buffers = new HashMap<>();
        for (int i = 0; i < PARAMS; i++) {
            resumedParams.add(new Parameter(reloaded.tensor("p" + i)));
        }
        for (String n : reloaded.names()) {
            if (n.startsWith("state.")) {
                buffers.put(n, reloaded.tensor(n));
            }
        }
        Optimizer resumed = build(golden.metadata(), resumedParams);
        resumed.loadState(buffers, reloaded.metadata());
        steps(golden, resumed, half, total);
        for (int i = 0; i < PARAMS; i++) {
            assertArrayEquals(straight.get(i).data(), resumedParams.get(i).data(),
                    file.getFileName() + " p" + i + " after resuming at step " + half);
        }
    }
}
