package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Sequential;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The shape of a model as a checkpoint's {@code __metadata__} describes it: each module's kind, its constructor
 * arguments and its children by attribute name. Flattened into metadata (layout {@value #LAYOUT}), the root's keys
 * are plain and a descendant's carry its dotted path, like the state dict's names:
 * <pre>
 * jrnn_layout = 2
 * module = CharModel                    a user's class: its simple name, no arguments
 * embed.module = Embedding              embed.num_embeddings = 65    embed.embedding_dim = 32
 * lstm.module = LSTM                    lstm.input_size = 32         lstm.hidden_size = 64 ...
 * head.module = Linear                  head.in_features = 64 ...
 * </pre>
 * Kinds: jrnn's modules by their torch.nn class name (RNN, GRU, LSTM, RNNCell, GRUCell, LSTMCell, Linear,
 * Embedding, Dropout, LayerNorm, Tanh, ReLU, Sigmoid, Softmax, LogSoftmax, Identity, Flatten, with the arguments of
 * {@link ModuleCheckpoints}), {@code Sequential} (children {@code 0, 1,
 * ...}), and any other class by its simple name. Layout 1 (no {@code jrnn_layout} key: the files of jrnn before
 * composites and of older {@code tools/export_torch.py}) is a single module with the same root keys.
 *
 * @param kind      the module's class name (torch.nn's for jrnn modules)
 * @param arguments the constructor arguments as strings, empty for Sequential and user classes
 * @param children  the children by attribute name, in registration order
 */
public record ModuleTree(String kind, Map<String, String> arguments, Map<String, ModuleTree> children) {
    /** The metadata layout this jrnn writes and the newest it reads. */
    public static final int LAYOUT = 2;
    /** The metadata key holding the layout. */
    public static final String LAYOUT_KEY = "jrnn_layout";
    /** The deepest module tree read, so that a hostile file cannot exhaust the stack. */
    private static final int MAX_DEPTH = 100;

    /**
     * Copies both maps, unmodifiable and in order.
     *
     * @param kind      the module's class name
     * @param arguments the constructor arguments as strings
     * @param children  the children by attribute name
     */
    public ModuleTree {
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    /**
     * The tree of {@code module}: jrnn modules with their arguments, Sequential and user classes with their
     * children.
     *
     * @param module any module
     * @return its tree
     */
    public static ModuleTree of(Module module) {
        if (module == null) {
            throw new IllegalArgumentException("module must not be null");
        }
        Map<String, ModuleTree> children = new LinkedHashMap<>();
        module.namedChildren().forEach((name, child) -> children.put(name, of(child)));
        if (ModuleMetadata.isJrnnLeaf(module)) {
            Map<String, String> args = new LinkedHashMap<>(ModuleMetadata.describe(module));
            String kind = args.remove("module");
            return new ModuleTree(kind, args, children);
        }
        String kind = module instanceof Sequential ? "Sequential" : className(module.getClass());
        return new ModuleTree(kind, Map.of(), children);
    }

    /**
     * The tree that {@code metadata} describes (either layout), refusing a newer layout than {@value #LAYOUT}.
     *
     * @param file     the file, named in messages
     * @param metadata the file's {@code __metadata__}
     * @return the tree
     * @throws CheckpointFormatException when the layout is newer or malformed, or a key belongs to no module
     */
    public static ModuleTree fromMetadata(Path file, Map<String, String> metadata) throws CheckpointFormatException {
        int layout = layout(file, metadata);
        Map<String, Map<String, String>> nodes = new TreeMap<>();
        List<String> order = new ArrayList<>();
        metadata.forEach((key, value) -> {
            if (key.equals("module") || layout > 1 && key.endsWith(".module")) {
                String path = key.equals("module") ? "" : key.substring(0, key.length() - ".module".length());
                nodes.put(path, new LinkedHashMap<>());
                order.add(path);
            }
        });
        if (!nodes.containsKey("")) {
            throw new CheckpointFormatException(file, null, "has no metadata 'module' (the torch.nn class, e.g. GRU;"
                    + " tools/export_torch.py writes it)");
        }
        for (String node : order) {
            int dot = node.lastIndexOf('.');
            if (dot > 0 && !nodes.containsKey(node.substring(0, dot))) {
                throw new CheckpointFormatException(file, null, "metadata '" + node + ".module' has no parent"
                        + " module '" + node.substring(0, dot) + ".module'");
            }
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            int dot = layout > 1 ? key.lastIndexOf('.') : -1;
            String path = dot < 0 ? "" : key.substring(0, dot);
            Map<String, String> node = nodes.get(path);
            if (node == null) {
                throw new CheckpointFormatException(file, null, "metadata '" + key + "' belongs to no module (there"
                        + " is no '" + path + ".module')");
            }
            if (!key.equals(LAYOUT_KEY) && !(path.isEmpty() && CheckpointMetadata.INFORMATIONAL.contains(key))) {
                node.put(dot < 0 ? key : key.substring(dot + 1), e.getValue());
            }
        }
        Map<String, List<String>> childrenOf = new LinkedHashMap<>();
        for (String node : order) {
            if (!node.isEmpty()) {
                int dot = node.lastIndexOf('.');
                childrenOf.computeIfAbsent(dot < 0 ? "" : node.substring(0, dot), p -> new ArrayList<>()).add(node);
            }
        }
        return build(file, "", nodes, childrenOf, 0);
    }

    private static int layout(Path file, Map<String, String> metadata) throws CheckpointFormatException {
        String v = metadata.get(LAYOUT_KEY);
        if (v == null) {
            return 1;
        }
        int layout;
        try {
            layout = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new CheckpointFormatException(file, null, "metadata '" + LAYOUT_KEY + "' must be an integer, got '"
                    + v + "'");
        }
        if (layout > LAYOUT) {
            throw new CheckpointFormatException(file, null, "its module layout " + layout + " is newer than this"
                    + " jrnn reads (layouts 1 to " + LAYOUT + "); load it with a newer jrnn");
        }
        if (layout < 1) {
            throw new CheckpointFormatException(file, null, "metadata '" + LAYOUT_KEY + "' must be 1 to " + LAYOUT
                    + ", got " + layout);
        }
        return layout;
    }

    private static ModuleTree build(Path file, String path, Map<String, Map<String, String>> nodes,
                                    Map<String, List<String>> childrenOf, int depth)
            throws CheckpointFormatException {
        if (depth > MAX_DEPTH) {
            throw new CheckpointFormatException(file, null, "its module tree is nested deeper than " + MAX_DEPTH
                    + " levels (at '" + path + "')");
        }
        Map<String, String> args = new LinkedHashMap<>(nodes.get(path));
        String kind = args.remove("module");
        Map<String, ModuleTree> children = new LinkedHashMap<>();
        for (String child : childrenOf.getOrDefault(path, List.of())) {
            int dot = child.lastIndexOf('.');
            children.put(dot < 0 ? child : child.substring(dot + 1), build(file, child, nodes, childrenOf, depth + 1));
        }
        return new ModuleTree(kind, args, children);
    }

    /**
     * The metadata of this tree in layout {@value #LAYOUT} (see the class comment).
     *
     * @return key to value, the layout first
     */
    public Map<String, String> toMetadata() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(LAYOUT_KEY, Integer.toString(LAYOUT));
        flatten("", out);
        return out;
    }

    private void flatten(String prefix, Map<String, String> out) {
        out.put(prefix + "module", kind);
        arguments.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((name, child) -> child.flatten(prefix + name + ".", out));
    }

    /**
     * The differences from {@code other} as lines naming the path ({@code lstm: LSTM(hidden_size=64) here,
     * LSTM(hidden_size=32) there}); arguments are compared as written, so compare trees that spell every argument
     * (as {@link #of} and jrnn's writers do).
     *
     * @param other the tree to compare with
     * @return one line per differing module, empty when the trees are the same
     */
    public List<String> differences(ModuleTree other) {
        List<String> out = new ArrayList<>();
        compare("", other, out);
        return out;
    }

    private void compare(String path, ModuleTree other, List<String> out) {
        String where = path.isEmpty() ? "(root)" : path;
        if (!kind.equals(other.kind) || !arguments.equals(other.arguments)) {
            out.add(where + ": " + node() + " in the file, " + other.node() + " in the model");
            return;
        }
        String prefix = path.isEmpty() ? "" : path + ".";
        children.forEach((name, child) -> {
            ModuleTree theirs = other.children.get(name);
            if (theirs == null) {
                out.add(prefix + name + ": " + child.node() + " in the file, no such child in the model");
            } else {
                child.compare(prefix + name, theirs, out);
            }
        });
        other.children.forEach((name, child) -> {
            if (!children.containsKey(name)) {
                out.add(prefix + name + ": no such child in the file, " + child.node() + " in the model");
            }
        });
    }

    /** This node alone: {@code LSTM(input_size=8, hidden_size=16, ...)} or {@code CharModel}. */
    private String node() {
        if (arguments.isEmpty()) {
            return kind;
        }
        StringJoiner args = new StringJoiner(", ", kind + "(", ")");
        arguments.forEach((k, v) -> args.add(k + "=" + v));
        return args.toString();
    }

    /**
     * The tree, one module per line, children indented by two spaces: {@code (root) CharModel},
     * {@code lstm: LSTM(...)}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(root) ").append(node());
        appendChildren(sb, "  ");
        return sb.toString();
    }

    private void appendChildren(StringBuilder sb, String indent) {
        children.forEach((name, child) -> {
            sb.append('\n').append(indent).append(name).append(": ").append(child.node());
            child.appendChildren(sb, indent + "  ");
        });
    }

    private static String className(Class<?> type) {
        return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
    }
}
