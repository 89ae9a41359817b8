package io.github.jrnn.bench.peers;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The models and reference data that {@code tools/export_peer_models.py} writes with torch, shared by every engine
 * of the side-by-side benchmarks (one seeded module per mode and hidden size, input = hidden, one layer):
 * {@code models/{mode}_h{H}.safetensors} (jrnn), {@code .onnx} (ONNX Runtime), {@code .pt} (TorchScript for DJL),
 * {@code data/{mode}_h{H}_b{N}.safetensors} (input (100, N, H) and torch's output, h_n, c_n from zero states) and
 * {@code data/train_{mode}.safetensors} (the train step's input, target, loss and gradients).
 *
 * <p>The folder is the system property {@value #PROPERTY} (the study passes it to every fork), else
 * {@code bench/results/peer-models} under the working directory ({@code ./jrnn bench} runs from the project root).
 */
public final class PeerModels {

    /** System property naming the export folder. */
    public static final String PROPERTY = "jrnn.bench.models";
    /** The exporter, relative to the project root. */
    public static final String SCRIPT = "tools/export_peer_models.py";
    /** The default folder, relative to the project root. */
    public static final String DEFAULT_DIR = "bench/results/peer-models";

    private PeerModels() {
    }

    /** The export folder; it must hold the exporter's manifest (written last, so a half-done export has none). */
    public static Path dir() {
        Path dir = Path.of(System.getProperty(PROPERTY, DEFAULT_DIR)).toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            throw new IllegalStateException("no exported peer models in " + dir + " (manifest.json missing): run"
                    + " /usr/bin/python3 " + SCRIPT + " " + dir + " from the project root, or ./jrnn bench, which"
                    + " exports them when missing; -D" + PROPERTY + "=DIR names another folder");
        }
        return dir;
    }

    /** {@code models/{mode}_h{hidden}.{extension}}: extension safetensors (jrnn), onnx or pt. */
    public static Path model(String mode, int hidden, String extension) {
        return existing(dir().resolve("models").resolve(stem(mode, hidden) + "." + extension));
    }

    /** Input and torch's outputs of a whole sequence from zero states. */
    public static SequenceReference sequence(String mode, int hidden, int batch) {
        Path file = existing(dir().resolve("data").resolve(stem(mode, hidden) + "_b" + batch + ".safetensors"));
        Map<String, float[]> t = read(file);
        return new SequenceReference(t.get("input"), new Outputs(t.get("output"), t.get("h_n"), t.get("c_n")));
    }

    /** The train step's input, target, torch's loss and its gradient of every parameter (by PyTorch name). */
    public static TrainReference train(String mode) {
        Path file = existing(dir().resolve("data").resolve("train_" + mode.toLowerCase(Locale.ROOT)
                + ".safetensors"));
        Map<String, float[]> t = read(file);
        Map<String, float[]> grads = new LinkedHashMap<>();
        t.forEach((name, values) -> {
            if (name.startsWith("grad.")) {
                grads.put(name.substring("grad.".length()), values);
            }
        });
        return new TrainReference(t.get("input"), t.get("target"), t.get("loss")[0], grads);
    }

    /**
     * A whole sequence: input (steps, batch, hidden) row-major, and torch's outputs on it from zero states.
     *
     * @param input    (steps * batch * hidden) floats
     * @param expected torch's output, h_n and (LSTM) c_n
     */
    public record SequenceReference(float[] input, Outputs expected) {
    }

    /**
     * The train step's data and torch's first forward and backward on it (before any optimizer step).
     *
     * @param input  (steps, batch, hidden) floats
     * @param target same shape as the output
     * @param loss   MSELoss (mean) of the output against the target
     * @param grads  gradient of each parameter, by PyTorch name (weight_ih_l0, ...)
     */
    public record TrainReference(float[] input, float[] target, float loss, Map<String, float[]> grads) {
    }

    private static String stem(String mode, int hidden) {
        return mode.toLowerCase(Locale.ROOT) + "_h" + hidden;
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: this export is incomplete or from another"
                    + " version of " + SCRIPT + "; delete " + dir() + " and export again");
        }
        return file;
    }

    private static Map<String, float[]> read(Path file) {
        try (SafeTensorsFile f = SafeTensors.read(file)) {
            Map<String, float[]> tensors = new LinkedHashMap<>();
            for (String name : f.names()) {
                tensors.put(name, f.tensor(name).data());
            }
            return tensors;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
