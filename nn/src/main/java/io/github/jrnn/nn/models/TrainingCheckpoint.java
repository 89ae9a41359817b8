package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsEntry;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and resumes training: a module's parameters and its optimizer's state in one safetensors file, so that a
 * resumed run continues exactly as the uninterrupted one would (same parameters, moment buffers and step counts,
 * bit for bit).
 *
 * <p>Layout: tensors {@code model.<parameter name>} (the module's state dict) and {@code optimizer.state.<i>.<buffer>}
 * (see {@link Optimizer#stateTensors()}); metadata {@code format = jrnn-training-checkpoint} and the optimizer's
 * settings as {@code optimizer.<key>}. Writing is atomic (temporary file, sync, rename): a failed save leaves an
 * existing file untouched. Loading checks everything first and changes nothing when it refuses.
 *
 * <p>Thread safety: call {@link #save} and {@link #load} from the training thread that owns the module and the
 * optimizer (between steps); they read or write both.
 */
public final class TrainingCheckpoint {

    static final String FORMAT_KEY = "format";
    static final String FORMAT = "jrnn-training-checkpoint";
    private static final String MODEL = "model.";
    private static final String OPTIMIZER = "optimizer.";

    private TrainingCheckpoint() {
    }

    /**
     * Writes the module's parameters and the optimizer's state to {@code path} (atomically).
     *
     * @param path the file to write
     * @param module the model being trained
     * @param optimizer its optimizer
     * @throws IOException when the file cannot be written (the previous file at {@code path} is then intact)
     */
    public static void save(Path path, Module module, Optimizer optimizer) throws IOException {
        SafeTensorsWriter writer = new SafeTensorsWriter();
        writer.putMetadata(FORMAT_KEY, FORMAT);
        optimizer.hyperparameters().forEach((k, v) -> writer.putMetadata(OPTIMIZER + k, v));
        module.stateDict().forEach((name, t) -> writer.putTensor(MODEL + name, t));
        optimizer.stateTensors().forEach((name, t) -> writer.putTensor(OPTIMIZER + name, t));
        writer.write(path);
    }

    /**
     * Restores the module's parameters (strictly: every parameter present with its shape) and the optimizer's state
     * from a file written by {@link #save}. The optimizer must have been built with the same settings.
     *
     * @param path the file written by {@link #save}
     * @param module the model, built with the same architecture
     * @param optimizer its optimizer, built with the same settings
     * @throws CheckpointFormatException when the file is not a readable training checkpoint
     * @throws IllegalArgumentException  when it does not fit the module or the optimizer (nothing is changed)
     */
    public static void load(Path path, Module module, Optimizer optimizer) throws IOException {
        try (SafeTensorsFile file = SafeTensors.open(path)) {
            load(file, module, optimizer);
        }
    }

    private static void load(SafeTensorsFile file, Module module, Optimizer optimizer) throws IOException {
        Path path = file.path();
        if (!FORMAT.equals(file.metadata().get(FORMAT_KEY))) {
            throw new IllegalArgumentException(path + " is not a jrnn training checkpoint (metadata '" + FORMAT_KEY
                    + "' is " + file.metadata().get(FORMAT_KEY) + "); a module checkpoint loads with"
                    + " ModuleCheckpoints.load");
        }
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (SafeTensorsEntry entry : file.entries()) {
            String name = entry.name();
            if (name.startsWith(MODEL)) {
                model.put(name.substring(MODEL.length()), entry.toTensor());
            } else if (name.startsWith(OPTIMIZER)) {
                state.put(name.substring(OPTIMIZER.length()), entry.toTensor());
            } else {
                throw new CheckpointFormatException(path, name, "unexpected tensor in a training checkpoint"
                        + " (names start with '" + MODEL + "' or '" + OPTIMIZER + "')");
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        file.metadata().forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER)) {
                settings.put(k.substring(OPTIMIZER.length()), v);
            }
        });
        Map<String, Tensor> previous = module.stateDict();
        module.loadStateDict(model, true);
        try {
            optimizer.loadState(state, settings);
        } catch (RuntimeException e) {
            module.loadStateDict(previous, true); // all or nothing
            throw e;
        }
    }
}
