package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.layers.Dropout;
import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.layers.Flatten;
import io.github.jrnn.nn.layers.Identity;
import io.github.jrnn.nn.layers.LayerNorm;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.LogSoftmax;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.ReLU;
import io.github.jrnn.nn.layers.Sequential;
import io.github.jrnn.nn.layers.Sigmoid;
import io.github.jrnn.nn.layers.Softmax;
import io.github.jrnn.nn.layers.Tanh;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNN;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RNNCell;
import io.github.jrnn.nn.rnn.RecurrentCellBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The translation between a module and the {@code __metadata__} that describes it: {@code module} (the torch.nn
 * class name) and its constructor arguments as strings, spelled as {@code tools/export_torch.py} spells them.
 * A missing argument means PyTorch's default; an argument the class does not take is refused.
 */
final class ModuleMetadata {
    /** The {@code module} values jrnn builds. */
    static final List<String> KINDS = List.of("RNN", "GRU", "LSTM", "RNNCell", "GRUCell", "LSTMCell", "Linear",
            "Embedding", "Dropout", "LayerNorm", "Tanh", "ReLU", "Sigmoid", "Softmax", "LogSoftmax", "Identity",
            "Flatten", "Sequential");

    private static final Set<String> RECURRENT_KEYS = Set.of("input_size", "hidden_size", "num_layers", "bias",
            "batch_first", "dropout", "bidirectional");

    private ModuleMetadata() {
    }

    /**
     * The class jrnn builds for {@code kind}.
     *
     * @return the class, or null for a kind jrnn does not build ({@link #build} then explains)
     */
    static Class<? extends Module> type(String kind) {
        return switch (kind) {
            case "RNN" -> RNN.class;
            case "GRU" -> GRU.class;
            case "LSTM" -> LSTM.class;
            case "RNNCell" -> RNNCell.class;
            case "GRUCell" -> GRUCell.class;
            case "LSTMCell" -> LSTMCell.class;
            case "Linear" -> Linear.class;
            case "Embedding" -> Embedding.class;
            case "Dropout" -> Dropout.class;
            case "LayerNorm" -> LayerNorm.class;
            case "Tanh" -> Tanh.class;
            case "ReLU" -> ReLU.class;
            case "Sigmoid" -> Sigmoid.class;
            case "Softmax" -> Softmax.class;
            case "LogSoftmax" -> LogSoftmax.class;
            case "Identity" -> Identity.class;
            case "Flatten" -> Flatten.class;
            case "Sequential" -> Sequential.class;
            default -> null;
        };
    }

    /** True for the modules described by their arguments alone (every kind but Sequential and user classes). */
    static boolean isJrnnLeaf(Module module) {
        return module instanceof RNNBase || module instanceof RecurrentCellBase || module instanceof Linear
                || module instanceof Embedding || module instanceof Dropout || LayerMetadata.isLayer(module);
    }

    /**
     * A new module for {@code tree} with placeholder weights: jrnn's kinds from their arguments, Sequential from
     * its children {@code 0 .. n-1}.
     *
     * @throws CheckpointFormatException for a kind jrnn does not build (a user's class), malformed arguments or
     *                                   children; the message names the module's path
     * @throws IllegalArgumentException  when a module's constructor refuses its arguments
     */
    static Module build(Path file, ModuleTree tree, String path) throws CheckpointFormatException {
        String where = path.isEmpty() ? "" : "module '" + path + "': ";
        if (tree.kind().equals("Sequential")) {
            if (!tree.arguments().isEmpty()) {
                throw new CheckpointFormatException(file, null, where + "Sequential takes no arguments, got "
                        + tree.arguments().keySet());
            }
            List<Module> modules = new ArrayList<>();
            for (int i = 0; i < tree.children().size(); i++) {
                ModuleTree child = tree.children().get(Integer.toString(i));
                if (child == null) {
                    throw new CheckpointFormatException(file, null, where + "Sequential's children must be named 0 to "
                            + (tree.children().size() - 1) + ", got " + tree.children().keySet());
                }
                modules.add(build(file, child, path.isEmpty() ? Integer.toString(i) : path + "." + i));
            }
            return new Sequential(modules.toArray(Module[]::new));
        }
        if (type(tree.kind()) == null) {
            throw new CheckpointFormatException(file, null, where + "metadata 'module' is '" + tree.kind() + "', which"
                    + " jrnn cannot build (it builds " + String.join(", ", KINDS) + "); for a model class of your own"
                    + " use ModuleCheckpoints.loadInto(path, new " + tree.kind() + "(...))");
        }
        if (!tree.children().isEmpty()) {
            throw new CheckpointFormatException(file, null, where + tree.kind() + " has no children, got "
                    + tree.children().keySet());
        }
        Map<String, String> values = new LinkedHashMap<>(tree.arguments());
        values.put("module", tree.kind());
        try {
            return build(new CheckpointMetadata(file, values), tree.kind());
        } catch (CheckpointFormatException e) {
            if (path.isEmpty()) {
                throw e;
            }
            throw new CheckpointFormatException(file, null, where + e.problem(), e);
        }
    }

    /**
     * A new module of class {@code kind} with the arguments in {@code meta} and placeholder weights.
     *
     * @throws CheckpointFormatException for an unknown class or a missing, malformed or unknown argument
     * @throws IllegalArgumentException  when the module's constructor refuses the combination of arguments
     */
    static Module build(CheckpointMetadata meta, String kind) throws CheckpointFormatException {
        // The weights are overwritten by the checkpoint; a private generator keeps the global one's sequence
        // untouched by loading.
        Generator init = new Generator();
        return switch (kind) {
            case "RNN", "GRU", "LSTM" -> RNNBase.create(recurrentOptions(meta, kind), init, null);
            case "RNNCell", "GRUCell", "LSTMCell" -> cell(meta, kind, init);
            case "Linear" -> {
                meta.checkKnownKeys(kind, Set.of("in_features", "out_features", "bias"));
                yield new Linear(meta.requiredInt("in_features", 0), meta.requiredInt("out_features", 0),
                        meta.boolValue("bias", true), init, null);
            }
            case "Embedding" -> {
                meta.checkKnownKeys(kind, Set.of("num_embeddings", "embedding_dim", "padding_idx"));
                Integer paddingIdx = meta.has("padding_idx")
                        ? meta.intValue("padding_idx", 0, Integer.MIN_VALUE) : null;
                yield new Embedding(meta.requiredInt("num_embeddings", 0), meta.requiredInt("embedding_dim", 0),
                        paddingIdx, init);
            }
            case "Dropout" -> {
                meta.checkKnownKeys(kind, Set.of("p", "inplace"));
                if (meta.boolValue("inplace", false)) {
                    throw new CheckpointFormatException(meta.file(), null, "metadata 'inplace' must be false: jrnn's"
                            + " Dropout never works in place");
                }
                yield new Dropout(meta.doubleValue("p", 0.5, 0.0, 1.0), null, null);
            }
            case "LayerNorm", "Tanh", "ReLU", "Sigmoid", "Softmax", "LogSoftmax", "Identity", "Flatten" ->
                    LayerMetadata.build(meta, kind);
            default -> throw new CheckpointFormatException(meta.file(), null, "metadata 'module' is '" + kind
                    + "', which jrnn cannot build as a single module");
        };
    }

    private static RecurrentOptions recurrentOptions(CheckpointMetadata meta, String kind)
            throws CheckpointFormatException {
        Set<String> known = new HashSet<>(RECURRENT_KEYS);
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
        return new RecurrentOptions(mode,
                meta.requiredInt("input_size", 1),
                meta.requiredInt("hidden_size", 1),
                meta.intValue("num_layers", 1, 1),
                meta.boolValue("bias", true),
                meta.boolValue("batch_first", false),
                meta.doubleValue("dropout", 0.0, 0.0, 1.0),
                meta.boolValue("bidirectional", false),
                projSize);
    }

    private static RecurrentCellBase cell(CheckpointMetadata meta, String kind, Generator init)
            throws CheckpointFormatException {
        boolean rnn = kind.equals("RNNCell");
        meta.checkKnownKeys(kind, rnn ? Set.of("input_size", "hidden_size", "bias", "nonlinearity")
                : Set.of("input_size", "hidden_size", "bias"));
        int inputSize = meta.requiredInt("input_size", 1);
        int hiddenSize = meta.requiredInt("hidden_size", 1);
        boolean bias = meta.boolValue("bias", true);
        return switch (kind) {
            case "RNNCell" -> new RNNCell(inputSize, hiddenSize, bias,
                    meta.choice("nonlinearity", "tanh", "tanh", "relu"), init, null);
            case "GRUCell" -> new GRUCell(inputSize, hiddenSize, bias, init, null);
            default -> new LSTMCell(inputSize, hiddenSize, bias, init, null);
        };
    }

    /**
     * The metadata describing {@code module}: its class and every constructor argument.
     *
     * @throws IllegalArgumentException for a module type checkpoints do not describe
     */
    static Map<String, String> describe(Module module) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (module) {
            case RNNBase rnn -> {
                RecurrentOptions o = rnn.options();
                m.put("module", rnn instanceof RNN ? "RNN" : rnn instanceof LSTM ? "LSTM" : "GRU");
                m.put("input_size", Integer.toString(o.inputSize()));
                m.put("hidden_size", Integer.toString(o.hiddenSize()));
                m.put("num_layers", Integer.toString(o.numLayers()));
                m.put("bias", Boolean.toString(o.bias()));
                m.put("batch_first", Boolean.toString(o.batchFirst()));
                m.put("dropout", Double.toString(o.dropout()));
                m.put("bidirectional", Boolean.toString(o.bidirectional()));
                if (rnn instanceof RNN r) {
                    m.put("nonlinearity", r.nonlinearity());
                }
                if (rnn instanceof LSTM) {
                    m.put("proj_size", Integer.toString(o.projSize()));
                }
            }
            case RecurrentCellBase cell -> {
                m.put("module", cell instanceof RNNCell ? "RNNCell" : cell instanceof LSTMCell ? "LSTMCell"
                        : "GRUCell");
                m.put("input_size", Integer.toString(cell.inputSize()));
                m.put("hidden_size", Integer.toString(cell.hiddenSize()));
                m.put("bias", Boolean.toString(cell.bias()));
                if (cell instanceof RNNCell r) {
                    m.put("nonlinearity", r.nonlinearity());
                }
            }
            case Linear linear -> {
                m.put("module", "Linear");
                m.put("in_features", Integer.toString(linear.inFeatures()));
                m.put("out_features", Integer.toString(linear.outFeatures()));
                m.put("bias", Boolean.toString(linear.namedParameters().containsKey("bias")));
            }
            case Dropout dropout -> {
                m.put("module", "Dropout");
                m.put("p", Double.toString(dropout.p()));
            }
            case Embedding embedding -> {
                m.put("module", "Embedding");
                m.put("num_embeddings", Integer.toString(embedding.numEmbeddings()));
                m.put("embedding_dim", Integer.toString(embedding.embeddingDim()));
                if (embedding.paddingIdx() != null) {
                    m.put("padding_idx", Integer.toString(embedding.paddingIdx()));
                }
            }
            case null -> throw new IllegalArgumentException("module must not be null");
            default -> {
                if (!LayerMetadata.isLayer(module)) {
                    throw new IllegalArgumentException("cannot describe a " + module.getClass().getSimpleName()
                            + " by its arguments (jrnn's kinds: " + String.join(", ", KINDS) + "; composites are"
                            + " described by ModuleTree.of)");
                }
                m.putAll(LayerMetadata.describe(module));
            }
        }
        return m;
    }
}
