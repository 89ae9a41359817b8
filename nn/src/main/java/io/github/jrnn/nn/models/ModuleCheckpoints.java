package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsEntry;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Modules to and from safetensors checkpoints in the layout of {@code tools/export_torch.py}: the module's state
 * dict under PyTorch's names as F32, and {@code __metadata__} holding {@code module} (the torch.nn class name) and
 * the constructor arguments as strings; a missing argument means PyTorch's default.
 *
 * <pre>
 * module = RNN | GRU | LSTM:  input_size, hidden_size (required), num_layers = 1, bias = true, batch_first = false,
 *                             dropout = 0.0, bidirectional = false, nonlinearity = tanh (RNN), proj_size = 0 (LSTM)
 * module = RNNCell | GRUCell | LSTMCell:  input_size, hidden_size (required), bias = true, nonlinearity = tanh
 *                             (RNNCell)
 * module = Linear:            in_features, out_features (required), bias = true
 * </pre>
 *
 * <p>Loading is strict, like {@code load_state_dict(strict=True)}: every parameter the metadata implies must be in
 * the file with its exact shape, and nothing else may be. Every problem (malformed file, unknown module, bad or
 * unknown metadata, missing/unexpected/mis-shaped tensors) is a {@link CheckpointFormatException} naming the file.
 * A loaded module is in training mode, as a new PyTorch module is; call {@code eval()} for inference.
 *
 * <p>Thread safety: stateless; loads of different files, or of one file, may run on many threads at once. A save
 * reads the module's parameters, so it must not overlap optimizer steps or state-dict loads of that module.
 */
public final class ModuleCheckpoints {

    private ModuleCheckpoints() {
    }

    /**
     * Reads {@code file} and builds the module it describes (see the class comment). The file is opened with
     * {@link SafeTensors#open}, so each tensor is decoded straight into the array the state dict hands over.
     */
    public static Module load(Path file) throws IOException {
        try (SafeTensorsFile checkpoint = SafeTensors.open(file)) {
            return load(checkpoint);
        }
    }

    /** Builds the module {@code checkpoint} describes and loads its tensors strictly. */
    public static Module load(SafeTensorsFile checkpoint) throws IOException {
        CheckpointMetadata meta = new CheckpointMetadata(checkpoint);
        String kind = meta.required("module", "the torch.nn class, e.g. GRU; tools/export_torch.py writes it");
        Module module;
        try {
            module = ModuleMetadata.build(meta, kind);
        } catch (IllegalArgumentException e) {
            // The module's own constructor checks (e.g. proj_size >= hidden_size), in PyTorch's words.
            throw new CheckpointFormatException(checkpoint.path(), null, "metadata describes no valid " + kind + ": "
                    + e.getMessage(), e);
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (SafeTensorsEntry e : checkpoint.entries()) {
            state.put(e.name(), e.toTensor());
        }
        try {
            module.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(checkpoint.path(), null, e.getMessage(), e);
        }
        return module;
    }

    /** Writes {@code module}'s metadata and state dict to {@code file} atomically (see {@link SafeTensorsWriter}). */
    public static void save(Module module, Path file) throws IOException {
        SafeTensorsWriter writer = new SafeTensorsWriter().putMetadata(metadata(module));
        module.stateDict().forEach(writer::putTensor);
        writer.write(file);
    }

    /**
     * The {@code __metadata__} describing {@code module}: its class and every constructor argument, spelled as
     * {@code tools/export_torch.py} spells them.
     *
     * @throws IllegalArgumentException for a module type checkpoints do not describe
     */
    public static Map<String, String> metadata(Module module) {
        return ModuleMetadata.describe(module);
    }
}
