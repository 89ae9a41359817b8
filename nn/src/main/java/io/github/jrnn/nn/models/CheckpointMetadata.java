package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reading of a checkpoint's {@code __metadata__}, where {@code tools/export_torch.py} stores the module class
 * ({@code module}) and its constructor arguments as strings ({@code hidden_size = "4"}, {@code bias = "true"}).
 * A missing key means PyTorch's default, which the caller passes in.
 *
 * <p>Every malformed value is a {@link CheckpointFormatException} naming the file, the key, what was expected and
 * what was given, e.g. {@code gru.safetensors: metadata 'hidden_size' must be a positive integer, got 'four'}.
 */
public final class CheckpointMetadata {
    /** Keys that describe where a file came from and never change how it is loaded. */
    static final Set<String> INFORMATIONAL = Set.of("torch_version", "format");

    private final Path file;
    private final Map<String, String> values;

    /**
     * The metadata of {@code checkpoint}.
     *
     * @param checkpoint a read or opened checkpoint
     */
    public CheckpointMetadata(SafeTensorsFile checkpoint) {
        this(checkpoint.path(), checkpoint.metadata());
    }

    /**
     * Metadata {@code values} read from {@code file} (used in messages).
     *
     * @param file the file named in messages
     * @param values the metadata, key to value
     */
    public CheckpointMetadata(Path file, Map<String, String> values) {
        this.file = file;
        this.values = Map.copyOf(values);
    }

    /**
     * The file the metadata came from.
     *
     * @return the file named in messages
     */
    public Path file() {
        return file;
    }

    /**
     * The raw value, or null when the key is absent.
     *
     * @param key the key
     * @return the value as written, or null
     */
    public String raw(String key) {
        return values.get(key);
    }

    /**
     * True when the key is present.
     *
     * @param key the key
     * @return whether the metadata has it
     */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * The value of a key that must be present.
     *
     * @param key the key
     * @param what what the key means, for the message
     * @return the value as written
     * @throws CheckpointFormatException when it is absent; {@code what} says what the key means, for the message
     */
    public String required(String key, String what) throws CheckpointFormatException {
        String v = values.get(key);
        if (v == null) {
            throw problem("has no metadata '" + key + "' (" + what + ")");
        }
        return v;
    }

    /**
     * The integer value of {@code key}, at least {@code min}, or {@code fallback} when absent.
     *
     * @param key the key
     * @param fallback the value when the key is absent
     * @param min the smallest value allowed
     * @return the value
     * @throws CheckpointFormatException when the value is not an integer or is below {@code min}
     */
    public int intValue(String key, int fallback, int min) throws CheckpointFormatException {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        String expected = min == 1 ? "a positive integer" : min == 0 ? "a non-negative integer"
                : "an integer >= " + min;
        int parsed;
        try {
            parsed = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw problem("metadata '" + key + "' must be " + expected + ", got '" + v + "'");
        }
        if (parsed < min) {
            throw problem("metadata '" + key + "' must be " + expected + ", got " + parsed);
        }
        return parsed;
    }

    /**
     * The integer value of a key that must be present, at least {@code min}.
     *
     * @param key the key
     * @param min the smallest value allowed
     * @return the value
     * @throws CheckpointFormatException when the key is absent, or the value is not an integer or is below {@code min}
     */
    public int requiredInt(String key, int min) throws CheckpointFormatException {
        required(key, "an integer constructor argument");
        return intValue(key, 0, min);
    }

    /**
     * The boolean value of {@code key} ({@code true}/{@code false}, Python's {@code True}/{@code False} too).
     *
     * @param key the key
     * @param fallback the value when the key is absent
     * @return the value
     * @throws CheckpointFormatException when the value is not a boolean
     */
    public boolean boolValue(String key, boolean fallback) throws CheckpointFormatException {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip()) {
            case "true", "True" -> true;
            case "false", "False" -> false;
            default -> throw problem("metadata '" + key + "' must be true or false, got '" + v + "'");
        };
    }

    /**
     * The finite number value of {@code key} within [{@code min}, {@code max}], or {@code fallback}.
     *
     * @param key the key
     * @param fallback the value when the key is absent
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value
     * @throws CheckpointFormatException when the value is not a finite number or is outside [{@code min}, {@code max}]
     */
    public double doubleValue(String key, double fallback, double min, double max) throws CheckpointFormatException {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw problem("metadata '" + key + "' must be a number in [" + min + ", " + max + "], got '" + v + "'");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw problem("metadata '" + key + "' must be a number in [" + min + ", " + max + "], got " + v);
        }
        return parsed;
    }

    /**
     * The value of {@code key}, which must be one of {@code allowed}, or {@code fallback} when absent.
     *
     * @param key the key
     * @param fallback the value when the key is absent
     * @param allowed the values allowed
     * @return the value
     * @throws CheckpointFormatException when the value is not one of {@code allowed}
     */
    public String choice(String key, String fallback, String... allowed) throws CheckpointFormatException {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (!Arrays.asList(allowed).contains(v)) {
            throw problem("metadata '" + key + "' must be one of " + String.join(", ", allowed) + ", got '" + v
                    + "'");
        }
        return v;
    }

    /**
     * Refuses keys a module of kind {@code module} does not take (a misspelt {@code hiden_size} would otherwise
     * silently mean the default). Informational keys ({@code torch_version}) are always allowed.
     *
     * @param module the module kind, for the message
     * @param known the keys that kind takes
     * @throws CheckpointFormatException naming every unknown key
     */
    public void checkKnownKeys(String module, Set<String> known) throws CheckpointFormatException {
        List<String> unknown = new ArrayList<>();
        for (String k : new TreeSet<>(values.keySet())) {
            if (!known.contains(k) && !INFORMATIONAL.contains(k) && !k.equals("module")) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw problem("metadata " + unknown + (unknown.size() == 1 ? " is" : " are") + " not an argument of "
                    + module + " (it takes " + String.join(", ", new TreeSet<>(known)) + ")");
        }
    }

    private CheckpointFormatException problem(String message) {
        return new CheckpointFormatException(file, null, message);
    }
}
