package io.github.jrnn.nn.models;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.layers.Flatten;
import io.github.jrnn.nn.layers.Identity;
import io.github.jrnn.nn.layers.LayerNorm;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.LogSoftmax;
import io.github.jrnn.nn.layers.ReLU;
import io.github.jrnn.nn.layers.Sequential;
import io.github.jrnn.nn.layers.Sigmoid;
import io.github.jrnn.nn.layers.Softmax;
import io.github.jrnn.nn.layers.Tanh;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LayerNorm and the activation layers in module checkpoints: a torch {@code Sequential(Linear, LayerNorm, Tanh,
 * Linear)} exported by tools/export_torch.py (golden/layers_losses/sequential_model.safetensors, written by
 * tools/make_layers_losses_golden.py) loads by name and computes torch's output; every new kind round-trips
 * through {@link ModuleCheckpoints#save} and {@link ModuleCheckpoints#load} with its arguments and weights.
 */
class LayerCheckpointsTest {

    @TempDir
    Path dir;

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(LayerCheckpointsTest.class.getResource("/golden/layers_losses/" + name).toURI());
    }

    @Test
    void aTorchExportedSequentialWithLayerNormLoadsAndComputesTorchsOutput() throws Exception {
        Sequential model = ModuleCheckpoints.load(golden("sequential_model.safetensors"), Sequential.class);
        SafeTensorsFile io = SafeTensors.read(golden("sequential_io.safetensors"));
        assertEquals(io.metadata().get("repr"), model.toString());
        assertInstanceOf(LayerNorm.class, model.get(1));
        assertInstanceOf(Tanh.class, model.get(2));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"),
                List.copyOf(model.stateDict().keySet()));
        assertClose("Sequential output", io.tensor("output"), model.forward(io.tensor("input")), FORWARD);
    }

    @Test
    void everyNewLayerKindRoundTripsWithItsArgumentsAndWeights() throws IOException {
        Generator g = new Generator(7);
        LayerNorm norm = new LayerNorm(new int[] {2, 3}, 1e-3, true, null);
        for (int i = 0; i < 6; i++) {
            norm.namedParameters().get("weight").data()[i] = 0.5f + i;
            norm.namedParameters().get("bias").data()[i] = -0.25f * i;
        }
        Sequential model = new Sequential(new Flatten(0, 0), norm, new LayerNorm(new int[] {3}, 0.5, false, null),
                new Tanh(), new ReLU(), new Sigmoid(), new Softmax(-1), new LogSoftmax(1), new Identity(),
                new Flatten(), new Linear(6, 2, true, g, null));
        Path file = dir.resolve("layers.safetensors");
        ModuleCheckpoints.save(model, file);
        Sequential loaded = ModuleCheckpoints.load(file, Sequential.class);
        assertEquals(model.toString(), loaded.toString());
        assertEquals(ModuleTree.of(model), ModuleTree.of(loaded));
        assertEquals(model.stateDict().keySet(), loaded.stateDict().keySet());
        model.stateDict().forEach((name, t) -> assertArrayEquals(t.data(), loaded.stateDict().get(name).data(), name));
        Tensor x = Tensor.zeros(4, 2, 3);
        for (int i = 0; i < x.numel(); i++) {
            x.data()[i] = (float) Math.cos(i);
        }
        assertArrayEquals(model.forward(x).data(), loaded.forward(x).data(), "the same model computes the same");
    }

    /** A file with {@code metadata} and {@code tensors}. */
    private Path file(Map<String, String> metadata, Map<String, Tensor> tensors) throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter().putMetadata(metadata);
        tensors.forEach(w::putTensor);
        Path file = dir.resolve("layer" + System.nanoTime() + ".safetensors");
        w.write(file);
        return file;
    }

    @Test
    void missingArgumentsMeanTorchsDefaults() throws IOException {
        LayerNorm norm = (LayerNorm) ModuleCheckpoints.load(file(Map.of("module", "LayerNorm", "normalized_shape",
                "3,4"), Map.of("weight", Tensor.full(2f, 3, 4), "bias", Tensor.full(-1f, 3, 4))));
        assertEquals("LayerNorm((3, 4), eps=1e-05, elementwise_affine=True)", norm.toString());
        assertArrayEquals(Tensor.full(2f, 3, 4).data(), norm.stateDict().get("weight").data());
        Flatten flatten = (Flatten) ModuleCheckpoints.load(file(Map.of("module", "Flatten"), Map.of()));
        assertEquals("Flatten(start_dim=1, end_dim=-1)", flatten.toString());
    }

    private String refused(Map<String, String> metadata) throws IOException {
        Path file = file(metadata, Map.of());
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> ModuleCheckpoints.load(file));
        return e.problem();
    }

    @Test
    void malformedLayerMetadataIsRefusedNamingTheKey() throws IOException {
        assertEquals("metadata 'normalized_shape' must be comma-separated dimensions >= 0 (e.g. 3,4), got '3;4'",
                refused(Map.of("module", "LayerNorm", "normalized_shape", "3;4")));
        assertEquals("metadata 'normalized_shape' must be comma-separated dimensions >= 0 (e.g. 3,4), got '-2'",
                refused(Map.of("module", "LayerNorm", "normalized_shape", "-2")));
        assertTrue(refused(Map.of("module", "LayerNorm")).startsWith("has no metadata 'normalized_shape'"));
        assertTrue(refused(Map.of("module", "Softmax")).startsWith("has no metadata 'dim'"));
        assertTrue(refused(Map.of("module", "Tanh", "inplace", "false")).contains("inplace"));
    }
}
