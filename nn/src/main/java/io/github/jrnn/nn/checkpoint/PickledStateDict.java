package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.checkpoint.PickleValues.DTypeConstant;
import io.github.jrnn.nn.checkpoint.PickleValues.PyDict;
import io.github.jrnn.nn.checkpoint.PickleValues.PyList;
import io.github.jrnn.nn.checkpoint.PickleValues.PyTuple;
import io.github.jrnn.nn.checkpoint.PickleValues.StorageRef;
import io.github.jrnn.nn.checkpoint.PickleValues.TensorRef;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the object a torch pickle built into a {@link StateDict}: {@link #flatten} walks it (the root must be a
 * dict) into dotted names of tensors and plain values, at most {@value #MAX_DEPTH} containers deep, which also
 * stops a container that holds itself; {@link #assemble} then reads the storages the tensors use, after checking
 * they fit in memory together, and builds the {@link StoredTensor}s (BOOL elements must be 0 or 1).
 */
final class PickledStateDict {
    static final int MAX_DEPTH = 100;

    /** The walked pickle: tensor views, plain values as strings, and module versions, by flattened name. */
    record Flat(Map<String, TensorRef> tensors, Map<String, String> metadata, Map<String, Long> versions) {
    }

    /** Reads a storage's bytes, little-endian, exactly {@code numel * dtype size} of them. */
    @FunctionalInterface
    interface StorageReader {
        byte[] read(StorageRef storage) throws IOException;
    }

    private PickledStateDict() {
    }

    static Flat flatten(Path file, String what, Object root) throws CheckpointFormatException {
        if (!(root instanceof PyDict dict)) {
            String type = PickleValues.typeName(root);
            throw new CheckpointFormatException(file, null, what + ": the file holds " + article(type) + " " + type
                    + ", not a dict of tensors; hint: save a dict, e.g. torch.save(model.state_dict(), path)"
                    + " or torch.save({'name': tensor}, path)");
        }
        Flat flat = new Flat(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        walk(file, what, dict, "", 0, flat);
        return flat;
    }

    private static void walk(Path file, String what, Object value, String path, int depth, Flat flat)
            throws CheckpointFormatException {
        if (value instanceof PyDict || value instanceof PyList || value instanceof PyTuple) {
            if (depth == MAX_DEPTH) {
                throw new CheckpointFormatException(file, null, what + ": containers nested deeper than " + MAX_DEPTH
                        + " levels (or a container that holds itself) at '" + shorten(path) + "'");
            }
        }
        switch (value) {
            case PyDict d -> {
                for (Map.Entry<Object, Object> e : d.items.entrySet()) {
                    walk(file, what, e.getValue(), join(path, e.getKey().toString()), depth + 1, flat);
                }
                if (d.attributes.get("_metadata") instanceof PyDict versions) {
                    versions.items.forEach((prefix, info) -> {
                        if (info instanceof PyDict i && i.items.get("version") instanceof Long v) {
                            flat.versions().put(join(path, prefix.toString()), v);
                        }
                    });
                }
            }
            case PyList l -> walkItems(file, what, l.items, path, depth, flat);
            case PyTuple t -> walkItems(file, what, t.items, path, depth, flat);
            case TensorRef t -> {
                checkNew(file, what, path, flat);
                flat.tensors().put(path, t);
            }
            case StorageRef s -> throw new CheckpointFormatException(file, path, what + ": a bare storage, not a"
                    + " tensor; save tensors");
            case null, default -> {
                checkNew(file, what, path, flat);
                flat.metadata().put(path, repr(file, what, path, value));
            }
        }
    }

    private static void walkItems(Path file, String what, List<Object> items, String path, int depth, Flat flat)
            throws CheckpointFormatException {
        for (int i = 0; i < items.size(); i++) {
            walk(file, what, items.get(i), join(path, Integer.toString(i)), depth + 1, flat);
        }
    }

    private static void checkNew(Path file, String what, String path, Flat flat) throws CheckpointFormatException {
        if (flat.tensors().containsKey(path) || flat.metadata().containsKey(path)) {
            throw new CheckpointFormatException(file, path, what + ": two values have this name once nested names"
                    + " are joined with '.'");
        }
    }

    /** Python's {@code repr} of a plain value (a str as itself). */
    private static String repr(Path file, String what, String path, Object value) throws CheckpointFormatException {
        return switch (value) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case BigInteger b -> b.toString();
            case Double d -> pythonFloat(d);
            case String s -> s;
            case DTypeConstant d -> d.qualifiedName();
            default -> throw new CheckpointFormatException(file, path, what + ": " + PickleValues.typeName(value)
                    + " is not a tensor, a container or a plain value");
        };
    }

    /** Python's {@code repr(float)}: the shortest digits that round-trip, exponent form below 1e-4 and from 1e16. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String sign = (Double.doubleToRawLongBits(d) < 0) ? "-" : "";
        if (d == 0) {
            return sign + "0.0";
        }
        // Double.toString gives the shortest round-tripping digits (JDK 19+), as Python's repr does, except that it
        // always prints two digits where one would do (4.9E-324 for Python's 5e-324): try one digit first.
        double magnitude = Math.abs(d);
        BigDecimal b = new BigDecimal(Double.toString(magnitude)).stripTrailingZeros();
        BigDecimal oneDigit = b.round(new MathContext(1, RoundingMode.HALF_EVEN));
        if (oneDigit.doubleValue() == magnitude) {
            b = oneDigit.stripTrailingZeros();
        }
        String digits = b.unscaledValue().toString();
        int exponent = digits.length() - 1 - b.scale(); // of the first digit
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        if (exponent < 0) {
            return sign + "0." + "0".repeat(-exponent - 1) + digits;
        }
        if (exponent >= digits.length() - 1) {
            return sign + digits + "0".repeat(exponent - digits.length() + 1) + ".0";
        }
        return sign + digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
    }

    /**
     * Reads the storages the tensors use (each once, in order of first use) and builds the state dict. Refused
     * before any is read when together they need more bytes than the JVM's maximum heap.
     */
    static StateDict assemble(Path file, CheckpointFormat format, Flat flat, StorageReader reader)
            throws IOException {
        Map<String, StorageRef> used = new LinkedHashMap<>();
        long total = 0;
        for (TensorRef t : flat.tensors().values()) {
            if (used.putIfAbsent(t.storage().key(), t.storage()) == null) {
                total += t.storage().numel() * t.storage().dtype().byteSize(); // each below 2^31: no overflow
            }
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (total > heap) {
            throw new CheckpointFormatException(file, null, "the " + used.size() + " storages need " + total
                    + " bytes, more than the JVM's maximum heap of " + heap + " bytes (-Xmx)");
        }
        Map<String, TensorStorage> storages = new LinkedHashMap<>();
        for (StorageRef s : used.values()) {
            storages.put(s.key(), new TensorStorage(s.key(), s.dtype(), reader.read(s)));
        }
        Map<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : flat.tensors().entrySet()) {
            TensorRef r = e.getValue();
            StoredTensor t = new StoredTensor(file, e.getKey(), storages.get(r.storage().key()), r.offset(),
                    r.shape(), r.strides(), r.numel());
            checkBool(file, t);
            tensors.put(e.getKey(), t);
        }
        return new StateDict(file, format, tensors, flat.metadata(), flat.versions());
    }

    /**
     * Every element a BOOL tensor views must be 0 or 1, as torch writes them (storage bytes outside the view may be
     * junk). A view that repeats storage elements (a stride of 0, overlapping strides) has more elements than its
     * storage; it is checked on the storage span it reaches instead, so the work is bounded by the bytes read.
     */
    static void checkBool(Path file, StoredTensor t) throws CheckpointFormatException {
        if (t.dtype() != DType.BOOL || t.numel() == 0) {
            return;
        }
        ByteBuffer bytes = t.storage().buffer();
        long[] bad = {-1, 0};
        if (t.numel() <= t.storage().numel()) {
            t.forEachElement((i, at) -> {
                int b = bytes.get((int) at) & 0xFF;
                if (b > 1 && bad[0] < 0) {
                    bad[0] = i;
                    bad[1] = b;
                }
            });
        } else {
            long last = t.storageOffset();
            int[] shape = t.shape();
            long[] strides = t.strides();
            for (int d = 0; d < shape.length; d++) {
                last += (shape[d] - 1L) * strides[d]; // checked against the storage when the file was read
            }
            for (long at = t.storageOffset(); at <= last && bad[0] < 0; at++) {
                int b = bytes.get((int) at) & 0xFF;
                if (b > 1) {
                    bad[0] = at - t.storageOffset();
                    bad[1] = b;
                }
            }
        }
        if (bad[0] >= 0) {
            throw new CheckpointFormatException(file, t.name(), "BOOL element " + bad[0] + " is " + bad[1]
                    + ", expected 0 or 1");
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : key.isEmpty() ? path : path + "." + key;
    }

    private static String article(String type) {
        return "aeiouAEIOU".indexOf(type.charAt(0)) >= 0 ? "an" : "a";
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
