package io.github.jrnn.nn.rnn;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.models.CheckpointMetadata;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
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
 * Runs every fixture of {@code tools/make_recurrent_golden.py} (torch 1.13: nn.RNN / nn.GRU / nn.LSTM on padded,
 * unbatched and packed input, and the three cells) through jrnn, with the chosen kernels and with the scalar
 * reference, and compares output, h_n and c_n with torch within 1e-5 + 1e-5 |expected|.
 */
class RecurrentGoldenTest {

    private static final String DIR = "/golden/recurrent";

    @Test
    void theFixturesCoverEveryModeAndInputKind() throws Exception {
        List<Path> files = fixtures();
        assertTrue(files.size() >= 100, "expected the full fixture set, found " + files.size());
        for (String prefix : List.of("rnn_tanh_", "rnn_relu_", "gru_", "lstm_", "lstm_proj_", "cell_rnncell_tanh",
                "cell_rnncell_relu", "cell_grucell", "cell_lstmcell")) {
            for (String kind : prefix.startsWith("cell") ? List.of("_batched", "_unbatched")
                    : List.of("_batched", "_unbatched", "_packed_sorted", "_packed_unsorted", "_packed_equal")) {
                assertTrue(files.stream().map(p -> p.getFileName().toString())
                        .anyMatch(n -> n.startsWith(prefix) && n.contains(kind)), prefix + " x " + kind);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesTorch() throws Exception {
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
        if (meta.raw("module").endsWith("Cell")) {
            checkCell(name, file, meta, kernels);
        } else {
            checkSequence(name, file, meta, kernels);
        }
    }

    private static void checkSequence(String name, SafeTensorsFile file, CheckpointMetadata meta, Kernels kernels)
            throws IOException {
        RecurrentMode mode = meta.has("nonlinearity")
                ? RecurrentMode.forNonlinearity(meta.raw("nonlinearity")) : RecurrentMode.valueOf(meta.raw("mode"));
        RecurrentOptions options = new RecurrentOptions(mode, meta.requiredInt("input_size", 1),
                meta.requiredInt("hidden_size", 1), meta.requiredInt("num_layers", 1), meta.boolValue("bias", true),
                meta.boolValue("batch_first", false), meta.doubleValue("dropout", 0, 0, 1),
                meta.boolValue("bidirectional", false), meta.intValue("proj_size", 0, 0));
        RNNBase module = RNNBase.create(options, new Generator(initSeed(meta)), kernels);
        load(module, file);
        module.eval();
        Tensor input = file.tensor("input");
        Tensor h0 = file.contains("h0") ? file.tensor("h0") : null;
        Tensor c0 = file.contains("c0") ? file.tensor("c0") : null;
        Tensor hN;
        Tensor cN;
        if (meta.raw("input_kind").startsWith("packed")) {
            PackedSequence packed = PackedSequences.packPaddedSequence(input, file.entry("lengths").toInts(),
                    options.batchFirst(), meta.boolValue("enforce_sorted", true));
            PackedRecurrentOutput out = module.forward(packed, h0, c0);
            assertArrayEquals(file.entry("expected.batch_sizes").toInts(), out.output().batchSizes(),
                    name + ": batch_sizes");
            if (file.contains("expected.sorted_indices")) {
                assertArrayEquals(file.entry("expected.sorted_indices").toInts(), out.output().sortedIndices(),
                        name + ": sorted_indices");
            } else {
                assertNull(out.output().sortedIndices(), name + ": sorted_indices");
            }
            assertClose(name + ": output (packed data)", file.tensor("expected.output"), out.output().data(),
                    FORWARD);
            assertClose(name + ": pad_packed_sequence(output)", file.tensor("expected.padded_output"),
                    PackedSequences.padPackedSequence(out.output(), options.batchFirst(), 0f, null).padded(),
                    FORWARD);
            hN = out.hN();
            cN = out.cN();
        } else {
            RecurrentOutput out = module.forward(input, h0, c0);
            assertClose(name + ": output", file.tensor("expected.output"), out.output(), FORWARD);
            hN = out.hN();
            cN = out.cN();
        }
        assertClose(name + ": h_n", file.tensor("expected.h_n"), hN, FORWARD);
        if (mode == RecurrentMode.LSTM) {
            assertClose(name + ": c_n", file.tensor("expected.c_n"), cN, FORWARD);
        } else {
            assertNull(cN, name + ": c_n of " + mode);
        }
    }

    private static void checkCell(String name, SafeTensorsFile file, CheckpointMetadata meta, Kernels kernels)
            throws IOException {
        int in = meta.requiredInt("input_size", 1);
        int hidden = meta.requiredInt("hidden_size", 1);
        boolean bias = meta.boolValue("bias", true);
        Generator g = new Generator(initSeed(meta));
        Tensor input = file.tensor("input");
        Tensor hx = file.contains("hx") ? file.tensor("hx") : null;
        switch (meta.raw("module")) {
            case "RNNCell" -> {
                RNNCell cell = new RNNCell(in, hidden, bias, meta.raw("nonlinearity"), g, kernels);
                load(cell, file);
                assertClose(name + ": h'", file.tensor("expected.h"), cell.forward(input, hx), FORWARD);
            }
            case "GRUCell" -> {
                GRUCell cell = new GRUCell(in, hidden, bias, g, kernels);
                load(cell, file);
                assertClose(name + ": h'", file.tensor("expected.h"), cell.forward(input, hx), FORWARD);
            }
            case "LSTMCell" -> {
                LSTMCell cell = new LSTMCell(in, hidden, bias, g, kernels);
                load(cell, file);
                LSTMCell.State s = cell.forward(input, hx, file.contains("cx") ? file.tensor("cx") : null);
                assertClose(name + ": h'", file.tensor("expected.h"), s.h(), FORWARD);
                assertClose(name + ": c'", file.tensor("expected.c"), s.c(), FORWARD);
            }
            default -> throw new IllegalStateException("unknown module " + meta.raw("module") + " in " + name);
        }
    }

    private static long initSeed(CheckpointMetadata meta) throws IOException {
        return Long.parseLong(meta.required("init_seed", "the seed torch.manual_seed got before building the module"));
    }

    /**
     * Checks that the module built from {@code Generator(init_seed)} holds torch's initial parameters bit for bit
     * (same names, order, shapes and draws), then loads the fixture's {@code state.*} tensors strictly.
     */
    private static void load(Module module, SafeTensorsFile file) throws IOException {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String n : file.names()) {
            if (n.startsWith("state.")) {
                state.put(n.substring("state.".length()), file.tensor(n));
            }
        }
        assertEquals(List.copyOf(state.keySet()), List.copyOf(module.namedParameters().keySet()),
                "parameter names in PyTorch's registration order");
        assertEquals(state, module.stateDict(), "initial parameters from the seeded generator, bit for bit");
        module.loadStateDict(state, true);
    }

    private static List<Path> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(RecurrentGoldenTest.class.getResource(DIR).toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
    }
}
