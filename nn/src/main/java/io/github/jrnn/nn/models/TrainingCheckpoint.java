package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsEntry;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.optim.LearningRateScheduler;
import io.github.jrnn.nn.optim.Optimizer;
import io.github.jrnn.nn.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and resumes training: a module's parameters, its optimizer's state and its learning-rate schedulers' state
 * in one safetensors file, so that a resumed run continues exactly as the uninterrupted one would (same
 * parameters, moment buffers, step counts, group learning rates and schedule, bit for bit).
 *
 * <p>Layout: tensors {@code model.<parameter name>} (the module's state dict) and {@code optimizer.state.<i>.<buffer>}
 * (see {@link Optimizer#stateTensors()}); metadata {@code format = jrnn-training-checkpoint}, the optimizer's
 * settings and parameter groups as {@code optimizer.<key>} (see {@link Optimizer#hyperparameters()}), and, when
 * schedulers are saved, {@code schedulers = <count>} and each one's state as {@code scheduler.<i>.<key>} (see
 * {@link LearningRateScheduler#stateDict()}). Files written before groups and schedulers existed still load (into
 * an optimizer with one group and no schedulers). Writing is atomic (temporary file, sync, rename): a failed save
 * leaves an existing file untouched. Loading checks everything first and changes nothing when it refuses.
 *
 * <p>Thread safety: call {@link #save} and {@link #load} from the training thread that owns the module and the
 * optimizer (between steps); they read or write both.
 */
public final class TrainingCheckpoint {

    static final String FORMAT_KEY = "format";
    static final String FORMAT = "jrnn-training-checkpoint";
    private static final String MODEL = "model.";
    private static final String OPTIMIZER = "optimizer.";
    private static final String SCHEDULERS = "schedulers";
    private static final String SCHEDULER = "scheduler.";

    private TrainingCheckpoint() {
    }

    /**
     * Writes the module's parameters and the optimizer's state to {@code path} (atomically).
     *
     * @param path the file to write
     * @param module the model being trained
     * @param optimizer its optimizer
     * @param schedulers the optimizer's learning-rate schedulers, in an order {@link #load} is given them again
     * @throws IOException when the file cannot be written (the previous file at {@code path} is then intact)
     */
    public static void save(Path path, Module module, Optimizer optimizer, LearningRateScheduler... schedulers)
            throws IOException {
        SafeTensorsWriter writer = new SafeTensorsWriter();
        writer.putMetadata(FORMAT_KEY, FORMAT);
        optimizer.hyperparameters().forEach((k, v) -> writer.putMetadata(OPTIMIZER + k, v));
        if (schedulers.length > 0) {
            writer.putMetadata(SCHEDULERS, String.valueOf(schedulers.length));
        }
        for (int i = 0; i < schedulers.length; i++) {
            String prefix = SCHEDULER + i + ".";
            schedulers[i].stateDict().forEach((k, v) -> writer.putMetadata(prefix + k, v));
        }
        module.stateDict().forEach((name, t) -> writer.putTensor(MODEL + name, t));
        optimizer.stateTensors().forEach((name, t) -> writer.putTensor(OPTIMIZER + name, t));
        writer.write(path);
    }

    /**
     * Restores the module's parameters (strictly: every parameter present with its shape), the optimizer's state
     * (buffers and group options) and the schedulers' state from a file written by {@link #save}. The optimizer and
     * schedulers must have been built with the same settings, the schedulers given in the order they were saved.
     *
     * @param path the file written by {@link #save}
     * @param module the model, built with the same architecture
     * @param optimizer its optimizer, built with the same settings and group sizes
     * @param schedulers its schedulers, as many as were saved (none for a file saved without)
     * @throws CheckpointFormatException when the file is not a readable training checkpoint
     * @throws IllegalArgumentException  when it does not fit the module, the optimizer or the schedulers (nothing
     *                                   is changed)
     */
    public static void load(Path path, Module module, Optimizer optimizer, LearningRateScheduler... schedulers)
            throws IOException {
        try (SafeTensorsFile file = SafeTensors.open(path)) {
            load(file, module, optimizer, schedulers);
        }
    }

    private static void load(SafeTensorsFile file, Module module, Optimizer optimizer,
                             LearningRateScheduler[] schedulers) throws IOException {
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
        List<Map<String, String>> schedulerStates = schedulerStates(file, schedulers.length);
        Map<String, Tensor> previousModel = module.stateDict();
        Map<String, Tensor> previousState = optimizer.stateTensors();
        Map<String, String> previousSettings = optimizer.hyperparameters();
        List<Map<String, String>> previousSchedulers = new ArrayList<>();
        for (LearningRateScheduler s : schedulers) {
            previousSchedulers.add(s.stateDict());
        }
        module.loadStateDict(model, true);
        int loaded = -1; // how many schedulers were restored; -1 while the optimizer is not
        try {
            optimizer.loadState(state, settings);
            for (loaded = 0; loaded < schedulers.length; loaded++) {
                schedulers[loaded].loadStateDict(schedulerStates.get(loaded));
            }
        } catch (RuntimeException e) {
            // all or nothing: put back whatever was already restored
            for (int i = 0; i < loaded; i++) {
                schedulers[i].loadStateDict(previousSchedulers.get(i));
            }
            if (loaded >= 0) {
                optimizer.loadState(previousState, previousSettings);
            }
            module.loadStateDict(previousModel, true);
            throw e;
        }
    }

    /** Each saved scheduler's state, after checking that the file holds as many as were given. */
    private static List<Map<String, String>> schedulerStates(SafeTensorsFile file, int given) {
        Map<String, String> metadata = file.metadata();
        String saved = metadata.getOrDefault(SCHEDULERS, "0");
        if (!saved.equals(String.valueOf(given))) {
            throw new IllegalArgumentException(file.path() + " holds the state of " + saved + " learning-rate"
                    + " schedulers, " + given + " were given to restore (pass the schedulers saved with it, in"
                    + " the same order)");
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < given; i++) {
            String prefix = SCHEDULER + i + ".";
            Map<String, String> state = new LinkedHashMap<>();
            metadata.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    state.put(k.substring(prefix.length()), v);
                }
            });
            out.add(state);
        }
        return out;
    }
}
