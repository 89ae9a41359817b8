package io.github.jrnn.nn.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contents of a checkpoint file as {@link StateDicts#read} found them: the tensors by name in file order, each
 * with its stored dtype, shape, strides and storage ({@link StoredTensor}), and what else the file says about them.
 *
 * <ul>
 *   <li>{@link #tensors()}: for a torch file, the tensors of the pickled dict. Nested dicts, lists and tuples are
 *   flattened to dotted names, as PyTorch names nested modules: {@code {"model": {"rnn.weight_ih_l0": t}}} gives
 *   {@code model.rnn.weight_ih_l0}, a list element its index ({@code optimizer.param_groups.0.lr}).</li>
 *   <li>{@link #metadata()}: a safetensors file's {@code __metadata__}; for a torch file, the plain values of the
 *   pickled dict (ints, floats, strings, bools, None, dtypes) under their flattened names, rendered as Python's
 *   {@code repr} would (a str as itself), e.g. {@code epoch -> 3}, {@code lr -> 0.001}.</li>
 *   <li>{@link #moduleVersions()}: the {@code version} of each module prefix in a PyTorch state dict's
 *   {@code _metadata} ({@code "" -> 1}, {@code "rnn" -> 1}); empty for safetensors.</li>
 * </ul>
 *
 * <p>Thread safety: immutable.
 */
public final class StateDict {
    /** How many names a "missing tensor" message lists before it stops. */
    private static final int NAMES_IN_MESSAGES = 20;

    private final Path source;
    private final CheckpointFormat format;
    private final Map<String, StoredTensor> tensors;
    private final Map<String, String> metadata;
    private final Map<String, Long> moduleVersions;

    StateDict(Path source, CheckpointFormat format, Map<String, StoredTensor> tensors, Map<String, String> metadata,
              Map<String, Long> moduleVersions) {
        this.source = source;
        this.format = format;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.moduleVersions = Collections.unmodifiableMap(new LinkedHashMap<>(moduleVersions));
    }

    /**
     * The file (or the name given to a stream) this was read from, for messages.
     *
     * @return the file read, or null for bytes and streams
     */
    public Path source() {
        return source;
    }

    /**
     * The format detected from the content.
     *
     * @return the format the content was recognised as
     */
    public CheckpointFormat format() {
        return format;
    }

    /**
     * The tensors by name in file order; unmodifiable.
     *
     * @return the tensors by name, in file order (unmodifiable)
     */
    public Map<String, StoredTensor> tensors() {
        return tensors;
    }

    /**
     * The tensor names in file order; unmodifiable.
     *
     * @return the tensor names, in file order
     */
    public Set<String> names() {
        return tensors.keySet();
    }

    /**
     * True when a tensor has this name.
     *
     * @param name a tensor name
     * @return true when the state dict holds a tensor of that name
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * The tensor called {@code name}.
     *
     * @param name a tensor name
     * @return the tensor of that name
     * @throws CheckpointFormatException when there is none; the message lists the names the file holds
     */
    public StoredTensor tensor(String name) throws CheckpointFormatException {
        StoredTensor t = tensors.get(name);
        if (t == null) {
            throw new CheckpointFormatException(source, name, "missing; the file holds " + describeNames());
        }
        return t;
    }

    /**
     * The distinct storages, in order of first use; tensors that share one (tied weights) list it once.
     *
     * @return the distinct storages, each once, in the order first used
     */
    public List<TensorStorage> storages() {
        Set<TensorStorage> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        List<TensorStorage> out = new ArrayList<>();
        for (StoredTensor t : tensors.values()) {
            if (distinct.add(t.storage())) {
                out.add(t.storage());
            }
        }
        return out;
    }

    /**
     * String metadata (see the class comment); unmodifiable.
     *
     * @return the metadata entries (unmodifiable; empty when the file has none)
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Module prefix to the {@code version} in a PyTorch state dict's {@code _metadata}; unmodifiable.
     *
     * @return module prefix to version (unmodifiable; empty when the file records none)
     */
    public Map<String, Long> moduleVersions() {
        return moduleVersions;
    }

    /**
     * The tensors whose names start with {@code prefix + "."}, with that prefix removed: the model's state dict
     * inside a training checkpoint, e.g. {@code read(path).withPrefix("model")}. Metadata and module versions are
     * narrowed the same way.
     *
     * @param prefix the dotted prefix, without its trailing dot
     * @return the tensors under the prefix, renamed without it
     * @throws CheckpointFormatException when no tensor has that prefix; the message lists the names there are
     */
    public StateDict withPrefix(String prefix) throws CheckpointFormatException {
        String p = prefix + ".";
        Map<String, StoredTensor> inner = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (name.startsWith(p)) {
                inner.put(name.substring(p.length()), t);
            }
        });
        if (inner.isEmpty()) {
            throw new CheckpointFormatException(source, null, "no tensor name starts with '" + p + "'; the file"
                    + " holds " + describeNames());
        }
        Map<String, String> innerMetadata = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k.startsWith(p)) {
                innerMetadata.put(k.substring(p.length()), v);
            }
        });
        Map<String, Long> innerVersions = new LinkedHashMap<>();
        moduleVersions.forEach((k, v) -> {
            if (k.equals(prefix) || k.startsWith(p)) {
                innerVersions.put(k.equals(prefix) ? "" : k.substring(p.length()), v);
            }
        });
        return new StateDict(source, format, inner, innerMetadata, innerVersions);
    }

    /** E.g. {@code m.pt (TORCH_ZIP): 4 tensors}. */
    @Override
    public String toString() {
        return source + " (" + format + "): " + tensors.size() + " tensors";
    }

    private String describeNames() {
        if (tensors.isEmpty()) {
            return "no tensors";
        }
        Set<String> shown = new LinkedHashSet<>();
        for (String n : tensors.keySet()) {
            if (shown.size() == NAMES_IN_MESSAGES) {
                shown.add("... " + (tensors.size() - NAMES_IN_MESSAGES) + " more");
                break;
            }
            shown.add(n);
        }
        return shown.toString();
    }
}
