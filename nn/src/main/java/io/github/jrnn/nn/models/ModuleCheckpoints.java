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
     * Reads {@code file} and builds the module it describes (see the class comment), of whatever kind it is. The
     * file is opened with {@link SafeTensors#open}, so each tensor is decoded straight into the array the state
     * dict hands over. When the caller knows the kind, {@link #load(Path, Class)} returns it without a cast.
     *
     * @param file the checkpoint
     * @return the module, in training mode
     * @throws CheckpointFormatException when the file is malformed or describes no module jrnn builds
     * @throws IOException               when the file cannot be read
     */
    public static Module load(Path file) throws IOException {
        return load(file, Module.class);
    }

    /**
     * Reads {@code file} and builds the module it describes, which must be a {@code type}:
     * {@code GRU gru = ModuleCheckpoints.load(path, GRU.class)}. A supertype accepts every kind below it
     * ({@code RNNBase.class}: RNN, GRU or LSTM; {@code Module.class}: anything). The kind is checked from the
     * metadata before any tensor is read.
     *
     * @param file the checkpoint
     * @param type the module class the caller expects
     * @param <M>  that class
     * @return the module, in training mode
     * @throws CheckpointFormatException when the file holds another kind of module (the message names the
     *                                   expected and the found one), is malformed, or describes no module jrnn
     *                                   builds
     * @throws IOException               when the file cannot be read
     * @throws IllegalArgumentException  when {@code type} is null
     */
    public static <M extends Module> M load(Path file, Class<M> type) throws IOException {
        checkType(type);
        try (SafeTensorsFile checkpoint = SafeTensors.open(file)) {
            return load(checkpoint, type);
        }
    }

    /**
     * Builds the module {@code checkpoint} describes and loads its tensors strictly.
     *
     * @param checkpoint an open or read checkpoint; it stays open
     * @return the module, in training mode
     * @throws CheckpointFormatException when the file describes no module jrnn builds or its tensors do not fit
     * @throws IOException               when a tensor cannot be read
     */
    public static Module load(SafeTensorsFile checkpoint) throws IOException {
        return load(checkpoint, Module.class);
    }

    /**
     * As {@link #load(Path, Class)} for a checkpoint already open.
     *
     * @param checkpoint an open or read checkpoint; it stays open
     * @param type       the module class the caller expects
     * @param <M>        that class
     * @return the module, in training mode
     * @throws CheckpointFormatException when the file holds another kind of module, or describes no module jrnn
     *                                   builds or its tensors do not fit
     * @throws IOException               when a tensor cannot be read
     * @throws IllegalArgumentException  when {@code type} is null
     */
    public static <M extends Module> M load(SafeTensorsFile checkpoint, Class<M> type) throws IOException {
        checkType(type);
        CheckpointMetadata meta = new CheckpointMetadata(checkpoint);
        String kind = meta.required("module", "the torch.nn class, e.g. GRU; tools/export_torch.py writes it");
        Class<? extends Module> found = ModuleMetadata.type(kind);
        if (found != null && !type.isAssignableFrom(found)) {
            throw new CheckpointFormatException(checkpoint.path(), null, "metadata 'module' is '" + kind + "', but "
                    + type.getSimpleName() + " was expected; load it with " + kind
                    + ".class (or Module.class for any kind)");
        }
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
        return type.cast(module);
    }

    private static void checkType(Class<?> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null: pass the module class you expect, e.g."
                    + " GRU.class, or Module.class for any kind");
        }
    }

    /**
     * Writes {@code module}'s metadata and state dict to {@code file} atomically (see {@link SafeTensorsWriter}).
     *
     * @param module a module of a kind checkpoints describe (see {@link #metadata})
     * @param file the file to write
     * @throws IOException when the file cannot be written (the previous file at {@code file} is then intact)
     */
    public static void save(Module module, Path file) throws IOException {
        SafeTensorsWriter writer = new SafeTensorsWriter().putMetadata(metadata(module));
        module.stateDict().forEach(writer::putTensor);
        writer.write(file);
    }

    /**
     * The {@code __metadata__} describing {@code module}: its class and every constructor argument, spelled as
     * {@code tools/export_torch.py} spells them.
     *
     * @param module the module
     * @return {@code module} and the constructor arguments, as strings
     * @throws IllegalArgumentException for a module type checkpoints do not describe
     */
    public static Map<String, String> metadata(Module module) {
        return ModuleMetadata.describe(module);
    }
}
