package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormat;
import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.tensor.LongTensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole models to and from safetensors checkpoints: the state dict under PyTorch's names (parameters and float
 * buffers as F32, integer buffers as I64, a tied parameter under each of its names) and, in {@code __metadata__},
 * the {@link ModuleTree}: every module's kind and constructor arguments as strings, children under their dotted
 * paths, and the layout version {@code jrnn_layout}. {@code tools/export_torch.py} writes the same layout from
 * PyTorch. The arguments of jrnn's kinds (a missing one means PyTorch's default):
 *
 * <pre>
 * RNN | GRU | LSTM:  input_size, hidden_size (required), num_layers = 1, bias = true, batch_first = false,
 *                    dropout = 0.0, bidirectional = false, nonlinearity = tanh (RNN), proj_size = 0 (LSTM)
 * RNNCell | GRUCell | LSTMCell:  input_size, hidden_size (required), bias = true, nonlinearity = tanh (RNNCell)
 * Linear:            in_features, out_features (required), bias = true
 * Embedding:         num_embeddings, embedding_dim (required), padding_idx = none
 * Dropout:           p = 0.5
 * LayerNorm:         normalized_shape (required, comma-separated: 3,4), eps = 1e-5, elementwise_affine = true
 * Softmax | LogSoftmax:  dim (required)
 * Flatten:           start_dim = 1, end_dim = -1
 * Tanh | ReLU | Sigmoid | Identity:  no arguments
 * Sequential:        no arguments; children 0, 1, ...
 * </pre>
 *
 * <p>{@link #load(Path, Class)} builds models made of these kinds; a model with a class of the user's own (its
 * kind is the class's simple name) is loaded with {@link #loadInto(Path, Module)} into an instance the caller
 * constructs, after checking that the instance's tree is the file's. A file with a newer layout than
 * {@link ModuleTree#LAYOUT} is refused.
 *
 * <p>Loading is strict, like {@code load_state_dict(strict=True)}: every state-dict name of the model must be in
 * the file with its exact shape and dtype kind, and nothing else may be. Every problem (malformed file, unknown
 * module, bad or unknown metadata, another tree, missing/unexpected/mis-shaped tensors) is a
 * {@link CheckpointFormatException} naming the file. A loaded module is in training mode, as a new PyTorch module
 * is; call {@code eval()} for inference.
 *
 * <p>Thread safety: stateless; loads of different files, or of one file, may run on many threads at once. A save
 * reads the module's state, so it must not overlap optimizer steps or state-dict loads of that module.
 */
public final class ModuleCheckpoints {

    private ModuleCheckpoints() {
    }

    /**
     * Reads {@code file} and builds the model it describes, of whatever kind it is; {@link #load(Path, Class)}
     * returns it without a cast when the caller knows the kind.
     *
     * @param file the checkpoint
     * @return the module, in training mode
     * @throws CheckpointFormatException when the file is malformed or describes no model jrnn builds
     * @throws IOException               when the file cannot be read
     */
    public static Module load(Path file) throws IOException {
        return load(file, Module.class);
    }

    /**
     * Reads {@code file} and builds the model it describes, which must be a {@code type}:
     * {@code GRU gru = ModuleCheckpoints.load(path, GRU.class)}, {@code Sequential s = load(path,
     * Sequential.class)}. A supertype accepts every kind below it ({@code RNNBase.class}: RNN, GRU or LSTM;
     * {@code Module.class}: anything). The kind is checked from the metadata before any module is built.
     *
     * @param file the checkpoint
     * @param type the module class the caller expects
     * @param <M>  that class
     * @return the module, in training mode
     * @throws CheckpointFormatException when the file holds another kind of module (the message names the
     *                                   expected and the found one), is malformed, or describes no model jrnn
     *                                   builds (a class of the user's own: the message says to use
     *                                   {@link #loadInto})
     * @throws IOException               when the file cannot be read
     * @throws IllegalArgumentException  when {@code type} is null
     */
    public static <M extends Module> M load(Path file, Class<M> type) throws IOException {
        checkType(type);
        return load(StateDicts.read(file), type);
    }

    /**
     * As {@link #load(Path, Class)} for a checkpoint already read ({@link StateDicts#read}, e.g. from bytes or a
     * stream).
     *
     * @param checkpoint the file's tensors and metadata
     * @param type       the module class the caller expects
     * @param <M>        that class
     * @return the module, in training mode
     * @throws CheckpointFormatException when the checkpoint holds another kind of module, or describes no model
     *                                   jrnn builds, or its tensors do not fit
     * @throws IllegalArgumentException  when {@code type} is null
     */
    public static <M extends Module> M load(StateDict checkpoint, Class<M> type) throws CheckpointFormatException {
        checkType(type);
        Path file = checkpoint.source();
        ModuleTree tree = tree(checkpoint);
        Class<? extends Module> found = ModuleMetadata.type(tree.kind());
        if (found != null && !type.isAssignableFrom(found)) {
            throw new CheckpointFormatException(file, null, "metadata 'module' is '" + tree.kind() + "', but "
                    + type.getSimpleName() + " was expected; load it with " + tree.kind()
                    + ".class (or Module.class for any kind)");
        }
        Module module = build(file, tree);
        loadStrictly(checkpoint, module);
        return type.cast(module);
    }

    /**
     * Loads {@code file} into {@code model}, an instance of a class of the caller's own (or any module) that
     * has the file's tree: the same kinds with the same arguments under the same names, checked before any
     * tensor is copied. {@code CharModel m = ModuleCheckpoints.loadInto(path, new CharModel());}
     *
     * @param file  the checkpoint, written by {@link #save} or {@code tools/export_torch.py}
     * @param model the model to load into
     * @param <M>   its class
     * @return {@code model}, loaded
     * @throws CheckpointFormatException when the file's tree differs from the model's (every difference is
     *                                   named), or the tensors do not fit, or the file is malformed; nothing was
     *                                   copied then
     * @throws IOException               when the file cannot be read
     * @throws IllegalArgumentException  when {@code model} is null
     */
    public static <M extends Module> M loadInto(Path file, M model) throws IOException {
        checkModel(model);
        return loadInto(StateDicts.read(file), model);
    }

    /**
     * As {@link #loadInto(Path, Module)} for a checkpoint already read ({@link StateDicts#read}, e.g. from bytes
     * or a stream).
     *
     * @param checkpoint the file's tensors and metadata
     * @param model      the model to load into
     * @param <M>        its class
     * @return {@code model}, loaded
     * @throws CheckpointFormatException when the checkpoint's tree differs from the model's, or the tensors do not
     *                                   fit; nothing was copied then
     * @throws IllegalArgumentException  when {@code model} is null
     */
    public static <M extends Module> M loadInto(StateDict checkpoint, M model) throws CheckpointFormatException {
        checkModel(model);
        Path file = checkpoint.source();
        ModuleTree expected = normalize(file, tree(checkpoint), "");
        List<String> differences = expected.differences(ModuleTree.of(model));
        if (!differences.isEmpty()) {
            throw new CheckpointFormatException(file, null, "its module tree differs from the model's: "
                    + String.join("; ", differences));
        }
        loadStrictly(checkpoint, model);
        return model;
    }

    /**
     * Writes {@code module}'s tree and state dict to {@code file} atomically (see {@link SafeTensorsWriter}).
     *
     * @param module any module; one of a class of the caller's own loads back with {@link #loadInto}
     * @param file   the file to write
     * @throws IOException when the file cannot be written (the previous file at {@code file} is then intact)
     */
    public static void save(Module module, Path file) throws IOException {
        writer(module).write(file);
    }

    /**
     * {@code module}'s checkpoint as bytes, exactly what {@link #save} writes to a file; read it back with
     * {@link StateDicts#read(byte[], String)} and {@link #load(StateDict, Class)}.
     *
     * @param module any module
     * @return the safetensors content
     * @throws IOException when the checkpoint is larger than one Java array (2 GiB)
     */
    public static byte[] toBytes(Module module) throws IOException {
        return writer(module).toBytes();
    }

    private static SafeTensorsWriter writer(Module module) {
        SafeTensorsWriter writer = new SafeTensorsWriter().putMetadata(metadata(module));
        module.stateDict().forEach(writer::putTensor);
        for (Map.Entry<String, LongTensor> b : module.namedIntegerBuffers().entrySet()) {
            writer.putLongs(b.getKey(), b.getValue().data(), b.getValue().shape());
        }
        return writer;
    }

    /**
     * The {@code __metadata__} describing {@code module}: {@link ModuleTree#of}{@code (module).toMetadata()},
     * spelled as {@code tools/export_torch.py} spells it.
     *
     * @param module the module
     * @return the layout, each module's kind and its constructor arguments, as strings
     */
    public static Map<String, String> metadata(Module module) {
        return ModuleTree.of(module).toMetadata();
    }

    private static ModuleTree tree(StateDict checkpoint) throws CheckpointFormatException {
        if (checkpoint.format() != CheckpointFormat.SAFETENSORS) {
            throw new CheckpointFormatException(checkpoint.source(), null, "a torch.save file holds tensors but no"
                    + " module description; build the model in Java and call"
                    + " model.loadStateDict(StateDicts.read(path), true)");
        }
        return ModuleTree.fromMetadata(checkpoint.source(), checkpoint.metadata());
    }

    private static Module build(Path file, ModuleTree tree) throws CheckpointFormatException {
        try {
            return ModuleMetadata.build(file, tree, "");
        } catch (IllegalArgumentException e) {
            // The module's own constructor checks (e.g. proj_size >= hidden_size), in PyTorch's words.
            throw new CheckpointFormatException(file, null, "metadata describes no valid " + tree.kind() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The tree with every jrnn module's arguments spelled in full, as {@link ModuleTree#of} spells them. */
    private static ModuleTree normalize(Path file, ModuleTree tree, String path) throws CheckpointFormatException {
        if (ModuleMetadata.type(tree.kind()) != null && !tree.kind().equals("Sequential")) {
            return ModuleTree.of(ModuleMetadata.build(file, tree, path));
        }
        Map<String, ModuleTree> children = new LinkedHashMap<>();
        for (Map.Entry<String, ModuleTree> c : tree.children().entrySet()) {
            children.put(c.getKey(), normalize(file, c.getValue(), path.isEmpty() ? c.getKey()
                    : path + "." + c.getKey()));
        }
        return new ModuleTree(tree.kind(), tree.arguments(), children);
    }

    private static void loadStrictly(StateDict checkpoint, Module module) throws CheckpointFormatException {
        try {
            module.loadStateDict(checkpoint, true);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(checkpoint.source(), null, e.getMessage(), e);
        }
    }

    private static void checkModel(Module model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null: pass the instance to load into, e.g."
                    + " new CharModel()");
        }
    }

    private static void checkType(Class<?> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null: pass the module class you expect, e.g."
                    + " GRU.class, or Module.class for any kind");
        }
    }
}
