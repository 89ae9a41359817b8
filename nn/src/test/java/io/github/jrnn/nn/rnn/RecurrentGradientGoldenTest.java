package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.models.CheckpointMetadata;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.testing.TorchTolerance;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Backpropagation through time against torch 1.13: every fixture of {@code tools/make_recurrent_grad_golden.py}
 * (nn.RNN / nn.GRU / nn.LSTM with every option, on padded, unbatched and packed input) runs forward and backward
 * through jrnn with the chosen kernels and with the scalar reference, and every gradient (each parameter, the
 * input rows, h_0, c_0) is compared with torch's {@code .grad} within {@code 1e-4 + 1e-4 |expected|}; the forward
 * results within {@code 1e-5 + 1e-5 |expected|}.
 */
class RecurrentGradientGoldenTest {

    private static final String DIR = "/golden/recurrent_grad";

    @Test
    void theFixturesCoverEveryModeInputKindAndLossShape() throws Exception {
        List<String> names = fixtures().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(80, names.size(), "5 modes x 16 covering rows");
        for (String mode : List.of("rnn_tanh_", "rnn_relu_", "gru_", "lstm_", "lstm_proj_")) {
            for (String part : List.of("_batched", "_unbatched", "_packed_sorted", "_packed_unsorted",
                    "_packed_equal", "_l1_", "_l2_", "_l3_", "_bidir_", "_uni_", "_bf_", "_tm_", "_nobias_",
                    "_bias_", "_h0given", "_h0omitted")) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(mode) && n.contains(part)), mode + part);
            }
        }
        for (String loss : List.of("_lossall", "_lossoutput", "_lossstates")) {
            assertTrue(names.stream().anyMatch(n -> n.contains(loss)), loss);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyGradientMatchesTorch() throws Exception {
        Map<String, Kernels> kernels = new LinkedHashMap<>();
        kernels.put(KernelProvider.kernels().name(), KernelProvider.kernels());
        kernels.put("scalar reference", KernelProvider.checkedScalar());
        return fixtures().stream().flatMap(file -> kernels.entrySet().stream().map(k ->
                DynamicTest.dynamicTest(file.getFileName() + " [" + k.getKey() + "]",
                        () -> check(file, k.getValue()))));
    }

    private static void check(Path path, Kernels kernels) throws IOException {
        SafeTensorsFile file = SafeTensors.read(path);
        CheckpointMetadata meta = new CheckpointMetadata(file);
        String name = path.getFileName().toString();
        RecurrentMode mode = meta.has("nonlinearity")
                ? RecurrentMode.forNonlinearity(meta.raw("nonlinearity")) : RecurrentMode.valueOf(meta.raw("mode"));
        RecurrentOptions options = new RecurrentOptions(mode, meta.requiredInt("input_size", 1),
                meta.requiredInt("hidden_size", 1), meta.requiredInt("num_layers", 1), meta.boolValue("bias", true),
                meta.boolValue("batch_first", false), meta.doubleValue("dropout", 0, 0, 1),
                meta.boolValue("bidirectional", false), meta.intValue("proj_size", 0, 0));
        RNNBase module = RNNBase.create(options, new Generator(0), kernels);
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String n : file.names()) {
            if (n.startsWith("state.")) {
                state.put(n.substring("state.".length()), file.tensor(n));
            }
        }
        module.loadStateDict(state, true);
        module.train();

        Tensor h0 = file.contains("h0") ? file.tensor("h0").requiresGrad(true) : null;
        Tensor c0 = file.contains("c0") ? file.tensor("c0").requiresGrad(true) : null;
        boolean packed = meta.raw("input_kind").startsWith("packed");
        Tensor inputRows = packed ? pack(file, meta, file.tensor("input")).data() : file.tensor("input");
        Outputs out = forward(module, file, meta, inputRows.requiresGrad(true), h0, c0);
        double fwd = TorchTolerance.FORWARD;
        TorchTolerance.assertClose(name + ": output", file.tensor("expected.output"), out.rows(), fwd);
        TorchTolerance.assertClose(name + ": h_n", file.tensor("expected.h_n"), out.hN(), fwd);
        if (mode == RecurrentMode.LSTM) {
            TorchTolerance.assertClose(name + ": c_n", file.tensor("expected.c_n"), out.cN(), fwd);
        }
        lossOf(name, file, meta, out).backward();

        double bound = TorchTolerance.GRADIENT;
        for (Map.Entry<String, Parameter> p : module.namedParameters().entrySet()) {
            assertNotNull(p.getValue().grad(), name + ": " + p.getKey() + " received no gradient");
            TorchTolerance.assertClose(name + ": grad " + p.getKey(), file.tensor("grad." + p.getKey()),
                    p.getValue().grad(), bound);
        }
        TorchTolerance.assertClose(name + ": grad input", file.tensor("grad.input").data(),
                inputRows.grad().data(), bound);
        if (h0 != null) {
            TorchTolerance.assertClose(name + ": grad h_0", file.tensor("grad.h0"), h0.grad(), bound);
        }
        if (c0 != null) {
            TorchTolerance.assertClose(name + ": grad c_0", file.tensor("grad.c0"), c0.grad(), bound);
        }
        if (packed) {
            // again from the padded input through packPaddedSequence, as a training loop packs an embedding's output
            Tensor padded = file.tensor("input").requiresGrad(true);
            Tensor packedRows = pack(file, meta, padded).data();
            lossOf(name, file, meta, forward(module, file, meta, packedRows, h0 == null ? null : h0.detach(),
                    c0 == null ? null : c0.detach())).backward();
            TorchTolerance.assertClose(name + ": grad padded input", file.tensor("grad.padded_input"), padded.grad(),
                    bound);
        }
    }

    private static PackedSequence pack(SafeTensorsFile file, CheckpointMetadata meta, Tensor padded)
            throws IOException {
        return PackedSequences.packPaddedSequence(padded, file.entry("lengths").toInts(),
                meta.boolValue("batch_first", false), meta.boolValue("enforce_sorted", true));
    }

    /** The module's results: output rows (the padded output or the packed data), h_n, c_n, the packed output. */
    private record Outputs(Tensor rows, Tensor hN, Tensor cN, PackedSequence packed) {
    }

    /** Runs the module on the fixture's input given as {@code inputRows}: the input tensor or packed data. */
    private static Outputs forward(RNNBase module, SafeTensorsFile file, CheckpointMetadata meta, Tensor inputRows,
                                   Tensor h0, Tensor c0) throws IOException {
        if (meta.raw("input_kind").startsWith("packed")) {
            PackedSequence structure = pack(file, meta, file.tensor("input"));
            PackedRecurrentOutput out = module.forward(structure.withData(inputRows), h0, c0);
            return new Outputs(out.output().data(), out.hN(), out.cN(), out.output());
        }
        RecurrentOutput out = module.forward(inputRows, h0, c0);
        return new Outputs(out.output(), out.hN(), out.cN(), null);
    }

    /** The fixture's loss {@code sum_term sum(value * upstream.term)} over its loss terms. */
    private static Tensor lossOf(String name, SafeTensorsFile file, CheckpointMetadata meta, Outputs out)
            throws IOException {
        List<Tensor> values = new ArrayList<>();
        List<float[]> upstream = new ArrayList<>();
        for (String term : meta.raw("loss_terms").split(",")) {
            values.add(switch (term) {
                case "output" -> out.rows();
                case "padded_output" -> PackedSequences.padPackedSequence(out.packed(),
                        meta.boolValue("batch_first", false), 0f, null).padded();
                case "h_n" -> out.hN();
                case "c_n" -> out.cN();
                default -> throw new IllegalStateException(name + ": loss term " + term);
            });
            upstream.add(file.tensor("upstream." + term).data());
        }
        return WeightedSum.of(values.toArray(Tensor[]::new), upstream.toArray(float[][]::new));
    }


    private static List<Path> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(RecurrentGradientGoldenTest.class.getResource(DIR).toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
    }
}
