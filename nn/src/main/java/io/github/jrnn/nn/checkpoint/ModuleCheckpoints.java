package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.Module;
import io.github.jrnn.nn.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.RNN;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Modules to and from safetensors checkpoints in the layout of {@code tools/export_torch.py}: the module's state
 * dict under PyTorch's names as F32, and {@code __metadata__} holding {@code module} (the torch.nn class name) and
 * the constructor arguments as strings; a missing argument means PyTorch's default.
 *
 * <pre>
 * module = RNN | GRU | LSTM:  input_size, hidden_size (required), num_layers = 1, bias = true, batch_first = false,
 *                             dropout = 0.0, bidirectional = false, nonlinearity = tanh (RNN), proj_size = 0 (LSTM)
 * </pre>
 *
 * <p>Loading is strict, like {@code load_state_dict(strict=True)}: every parameter the metadata implies must be in
 * the file with its exact shape, and nothing else may be. Every problem (malformed file, unknown module, bad or
 * unknown metadata, missing/unexpected/mis-shaped tensors) is a {@link CheckpointFormatException} naming the file.
 * A loaded module is in training mode, as a new PyTorch module is; call {@code eval()} for inference.
 */
public final class ModuleCheckpoints {
    private static final Set<String> RECURRENT_KEYS = Set.of("input_size", "hidden_size", "num_layers", "bias",
            "batch_first", "dropout", "bidirectional");

    private ModuleCheckpoints() {
    }

    /** Reads {@code file} and builds the module it describes (see the class comment). */
    public static Module load(Path file) throws IOException {
        return load(SafeTensors.read(file));
    }

    /** Builds the module {@code checkpoint} describes and loads its tensors strictly. */
    public static Module load(SafeTensorsFile checkpoint) throws CheckpointFormatException {
        CheckpointMetadata meta = new CheckpointMetadata(checkpoint);
        String kind = meta.required("module", "the torch.nn class, e.g. GRU; tools/export_torch.py writes it");
        Module module;
        try {
            module = switch (kind) {
                case "RNN", "GRU", "LSTM" -> recurrent(meta, kind);
                default -> throw new CheckpointFormatException(checkpoint.path(), null, "metadata 'module' is '"
                        + kind + "', which jrnn cannot build (it loads RNN, GRU, LSTM)");
            };
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
        if (module instanceof RNNBase rnn) {
            return recurrentMetadata(rnn);
        }
        throw new IllegalArgumentException("cannot describe a " + (module == null ? "null module"
                : module.getClass().getSimpleName()) + " in a checkpoint (supported: RNN, GRU, LSTM)");
    }

    private static RNNBase recurrent(CheckpointMetadata meta, String kind) throws CheckpointFormatException {
        Set<String> known = new java.util.HashSet<>(RECURRENT_KEYS);
        RecurrentMode mode;
        int projSize = 0;
        switch (kind) {
            case "RNN" -> {
                known.add("nonlinearity");
                mode = RecurrentMode.forNonlinearity(meta.choice("nonlinearity", "tanh", "tanh", "relu"));
            }
            case "GRU" -> mode = RecurrentMode.GRU;
            default -> {
                known.add("proj_size");
                mode = RecurrentMode.LSTM;
                projSize = meta.intValue("proj_size", 0, 0);
            }
        }
        meta.checkKnownKeys(kind, known);
        RecurrentOptions options = new RecurrentOptions(mode,
                meta.requiredInt("input_size", 1),
                meta.requiredInt("hidden_size", 1),
                meta.intValue("num_layers", 1, 1),
                meta.boolValue("bias", true),
                meta.boolValue("batch_first", false),
                meta.doubleValue("dropout", 0.0, 0.0, 1.0),
                meta.boolValue("bidirectional", false),
                projSize);
        // The initial weights are overwritten by the checkpoint; a private generator keeps the global one's
        // sequence untouched by loading.
        return RNNBase.create(options, new Generator(), null);
    }

    private static Map<String, String> recurrentMetadata(RNNBase rnn) {
        RecurrentOptions o = rnn.options();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("module", rnn instanceof RNN ? "RNN" : rnn instanceof LSTM ? "LSTM" : "GRU");
        m.put("input_size", Integer.toString(o.inputSize()));
        m.put("hidden_size", Integer.toString(o.hiddenSize()));
        m.put("num_layers", Integer.toString(o.numLayers()));
        m.put("bias", Boolean.toString(o.bias()));
        m.put("batch_first", Boolean.toString(o.batchFirst()));
        m.put("dropout", Double.toString(o.dropout()));
        m.put("bidirectional", Boolean.toString(o.bidirectional()));
        if (o.mode() == RecurrentMode.RNN_TANH || o.mode() == RecurrentMode.RNN_RELU) {
            m.put("nonlinearity", o.mode().nonlinearity());
        }
        if (o.mode() == RecurrentMode.LSTM) {
            m.put("proj_size", Integer.toString(o.projSize()));
        }
        return m;
    }
}
