package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensorsHeader.TensorInfo;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contents of a checked safetensors file: the string metadata ({@code __metadata__}) and the tensors in the
 * order the header lists them. Either fully read ({@link SafeTensors#read}: nothing refers back to the file, and
 * {@link #close()} does nothing) or open ({@link SafeTensors#open}: each tensor is read from the file when its values
 * are asked for, until {@link #close()}).
 *
 * <p>Thread safety: immutable; every method may be called from many threads at once, including the reads of an
 * open file's tensors. Closing an open file while other threads still read its tensors makes those reads fail.
 */
public final class SafeTensorsFile implements Closeable {
    /** How many names a "missing tensor" message lists before it stops. */
    private static final int NAMES_IN_MESSAGES = 20;

    private final Path path;
    private final Map<String, String> metadata;
    private final Map<String, SafeTensorsEntry> entries;
    private final List<TensorInfo> infos;
    private final SafeTensorsData data; // the open file, or null when every tensor is already read

    /** An open file whose tensors are read from {@code data} on request. */
    SafeTensorsFile(Path path, Map<String, String> metadata, List<TensorInfo> infos, SafeTensorsData data) {
        this.path = path;
        this.metadata = metadata;
        this.infos = List.copyOf(infos);
        this.data = data;
        Map<String, SafeTensorsEntry> byName = new LinkedHashMap<>();
        for (TensorInfo t : infos) {
            byName.put(t.name(), SafeTensorsEntry.lazy(path, t, data));
        }
        this.entries = Collections.unmodifiableMap(byName);
    }

    private SafeTensorsFile(Path path, Map<String, String> metadata, List<TensorInfo> infos,
                            Map<String, SafeTensorsEntry> loaded) {
        this.path = path;
        this.metadata = metadata;
        this.infos = infos;
        this.data = null;
        this.entries = Collections.unmodifiableMap(loaded);
    }

    /** The header's tensor descriptions in header order. */
    List<TensorInfo> infos() {
        return infos;
    }

    /** A copy with every tensor's values read into memory, which no longer needs the file. */
    SafeTensorsFile loadAll() throws IOException {
        Map<String, SafeTensorsEntry> loaded = new LinkedHashMap<>();
        for (SafeTensorsEntry e : entries.values()) {
            loaded.put(e.name(), e.loaded());
        }
        return new SafeTensorsFile(path, metadata, infos, loaded);
    }

    /** Releases the file of an {@linkplain SafeTensors#open open} checkpoint; does nothing for a fully read one. */
    @Override
    public void close() throws IOException {
        if (data != null) {
            data.close();
        }
    }

    /**
     * The file this was read from (used in messages).
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * The {@code __metadata__} map in file order (empty when the file has none); unmodifiable.
     *
     * @return key to value
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensor names in file order; unmodifiable.
     *
     * @return the names
     */
    public Set<String> names() {
        return entries.keySet();
    }

    /**
     * The tensors in file order; unmodifiable.
     *
     * @return the entries
     */
    public List<SafeTensorsEntry> entries() {
        return List.copyOf(entries.values());
    }

    /**
     * True when the file holds a tensor with this name.
     *
     * @param name the tensor's name
     * @return whether it is in the file
     */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * The tensor with this name.
     *
     * @param name the tensor's name
     * @return its entry
     * @throws CheckpointFormatException when there is none; the message lists the names the file holds
     */
    public SafeTensorsEntry entry(String name) throws CheckpointFormatException {
        SafeTensorsEntry e = entries.get(name);
        if (e == null) {
            throw new CheckpointFormatException(path, name, "missing; the file holds " + describeNames());
        }
        return e;
    }

    /**
     * Shorthand for {@code entry(name).toTensor()}: the named tensor as float32.
     *
     * @param name the tensor's name
     * @return a new float32 tensor
     * @throws IOException when the tensor is missing or cannot be read or converted
     */
    public Tensor tensor(String name) throws IOException {
        return entry(name).toTensor();
    }

    /** The names as a list for messages, e.g. {@code [input, h_0]}, shortened when there are many. */
    private String describeNames() {
        if (entries.isEmpty()) {
            return "no tensors";
        }
        List<String> shown = new ArrayList<>();
        for (String n : entries.keySet()) {
            if (shown.size() == NAMES_IN_MESSAGES) {
                shown.add("... " + (entries.size() - NAMES_IN_MESSAGES) + " more");
                break;
            }
            shown.add(n);
        }
        return shown.toString();
    }
}
