package io.github.jrnn.properties.fuzz;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.DType;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsEntry;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads fuzzed bytes the two ways a user can ({@link SafeTensors#read}, and {@link SafeTensors#open} then every
 * tensor), each bounded by a timeout ({@link Bounded}), and reduces the result to an {@link Outcome}: every tensor
 * loaded, or a {@link CheckpointFormatException}. Anything else (another exception, an error, a hang, the two ways
 * disagreeing) is an {@link AssertionError} naming the input.
 */
final class Loads {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("jrnn-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Loads() {
    }

    /** One loaded tensor: its dtype, shape and values (float[] or long[]). */
    record Loaded(DType dtype, int[] shape, Object values) {
    }

    /** What a load gave: the tensors by name and the metadata, or the refusal. */
    record Outcome(Map<String, Loaded> tensors, Map<String, String> metadata, CheckpointFormatException refused) {
        boolean loaded() {
            return refused == null;
        }
    }

    /** Loads {@code bytes} both ways; both must succeed with the same tensors, or both refuse. */
    static Outcome load(byte[] bytes) {
        Path file = DIR.resolve("fuzz-" + Thread.currentThread().threadId() + ".safetensors");
        try {
            Files.write(file, bytes);
            Outcome eager = bounded(() -> eager(file), bytes);
            Outcome lazy = bounded(() -> lazy(file), bytes);
            if (eager.loaded() != lazy.loaded()) {
                throw new AssertionError("SafeTensors.read " + (eager.loaded() ? "loaded" : "refused") + " but"
                        + " SafeTensors.open " + (lazy.loaded() ? "loaded" : "refused") + " " + describe(bytes)
                        + ": " + (eager.loaded() ? lazy.refused() : eager.refused()));
            }
            if (eager.loaded()) {
                Fuzz.assertSameTensors(eager.tensors(), lazy.tensors(), "read vs open of " + describe(bytes));
            }
            return eager;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the temp directory goes at exit
            }
        }
    }

    private interface Load {
        Outcome run() throws IOException;
    }

    private static Outcome bounded(Load load, byte[] bytes) {
        return Bounded.run(() -> {
            try {
                return load.run();
            } catch (CheckpointFormatException refused) {
                return new Outcome(null, null, refused);
            }
        }, () -> describe(bytes));
    }

    private static Outcome eager(Path file) throws IOException {
        SafeTensorsFile f = SafeTensors.read(file);
        return new Outcome(values(f), f.metadata(), null);
    }

    private static Outcome lazy(Path file) throws IOException {
        try (SafeTensorsFile f = SafeTensors.open(file)) {
            return new Outcome(values(f), f.metadata(), null);
        }
    }

    private static Map<String, Loaded> values(SafeTensorsFile f) throws IOException {
        Map<String, Loaded> out = new LinkedHashMap<>();
        for (SafeTensorsEntry e : f.entries()) {
            Object values = e.dtype().isFloatingPoint() ? e.toTensor().data() : e.toLongs();
            out.put(e.name(), new Loaded(e.dtype(), e.shape(), values));
        }
        return out;
    }

    /** The input for a failure report: its length and its first bytes in hex (jqwik also prints the sample). */
    static String describe(byte[] bytes) {
        int shown = Math.min(bytes.length, 160);
        return bytes.length + " bytes starting " + HexFormat.of().formatHex(bytes, 0, shown)
                + (shown < bytes.length ? "..." : "");
    }
}
