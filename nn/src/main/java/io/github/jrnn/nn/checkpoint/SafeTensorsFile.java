package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contents of a safetensors file, fully read and checked by {@link SafeTensors#read}: the string metadata
 * ({@code __metadata__}) and the tensors in the order the header lists them.
 *
 * <p>Nothing refers back to the file once it is read; instances are immutable and safe to share between threads.
 */
public final class SafeTensorsFile {
    /** How many names a "missing tensor" message lists before it stops. */
    private static final int NAMES_IN_MESSAGES = 20;

    private final Path path;
    private final Map<String, String> metadata;
    private final Map<String, SafeTensorsEntry> entries;

    SafeTensorsFile(Path path, Map<String, String> metadata, List<SafeTensorsEntry> entries) {
        this.path = path;
        this.metadata = metadata;
        Map<String, SafeTensorsEntry> byName = new LinkedHashMap<>();
        for (SafeTensorsEntry e : entries) {
            byName.put(e.name(), e);
        }
        this.entries = Collections.unmodifiableMap(byName);
    }

    /** The file this was read from (used in messages). */
    public Path path() {
        return path;
    }

    /** The {@code __metadata__} map in file order (empty when the file has none); unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor names in file order; unmodifiable. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The tensors in file order; unmodifiable. */
    public List<SafeTensorsEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** True when the file holds a tensor with this name. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * The tensor with this name.
     *
     * @throws CheckpointFormatException when there is none; the message lists the names the file holds
     */
    public SafeTensorsEntry entry(String name) throws CheckpointFormatException {
        SafeTensorsEntry e = entries.get(name);
        if (e == null) {
            throw new CheckpointFormatException(path, name, "missing; the file holds " + describeNames());
        }
        return e;
    }

    /** Shorthand for {@code entry(name).toTensor()}: the named tensor as float32. */
    public Tensor tensor(String name) throws CheckpointFormatException {
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
