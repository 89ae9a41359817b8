package io.github.jrnn.properties.fuzz;

import io.github.jrnn.nn.checkpoint.DType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A well-formed safetensors file described independently of jrnn's reader and writer: tensors of every dtype with
 * raw little-endian bytes, metadata, a data section whose order may differ from the header order, and space
 * padding. {@link #bytes()} renders it with this class's own JSON encoder; {@link #header()} gives the header as
 * editable entries so fuzz edits can change one field and render again.
 *
 * @param tensors   in header order
 * @param metadata  the {@code __metadata__} map (omitted from the header when empty)
 * @param data      the data section
 * @param padding   spaces after the header's JSON object
 */
record ValidCheckpoint(List<TensorSpec> tensors, Map<String, String> metadata, byte[] data, int padding) {

    /** One tensor: its byte range [begin, end) in the data section. */
    record TensorSpec(String name, DType dtype, int[] shape, long begin, long end) {
        long numel() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * One top-level header entry: the name and either the tensor's fields (name to raw JSON value, in order) or,
     * for {@code __metadata__} and edited entries, the raw JSON value.
     */
    record HeaderEntry(String name, LinkedHashMap<String, String> fields, String raw) {
        String valueJson() {
            if (fields == null) {
                return raw;
            }
            StringBuilder sb = new StringBuilder("{");
            fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
            return sb.append('}').toString();
        }

        HeaderEntry copy() {
            return new HeaderEntry(name, fields == null ? null : new LinkedHashMap<>(fields), raw);
        }
    }

    /** The header as editable entries, {@code __metadata__} first when there is metadata. */
    List<HeaderEntry> header() {
        List<HeaderEntry> out = new ArrayList<>();
        if (!metadata.isEmpty()) {
            StringBuilder sb = new StringBuilder("{");
            metadata.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(quote(k)).append(':')
                    .append(quote(v)));
            out.add(new HeaderEntry("__metadata__", null, sb.append('}').toString()));
        }
        for (TensorSpec t : tensors) {
            LinkedHashMap<String, String> fields = new LinkedHashMap<>();
            fields.put("dtype", quote(t.dtype().name()));
            StringBuilder shape = new StringBuilder("[");
            for (int d : t.shape()) {
                shape.append(shape.length() > 1 ? "," : "").append(d);
            }
            fields.put("shape", shape.append(']').toString());
            fields.put("data_offsets", "[" + t.begin() + "," + t.end() + "]");
            out.add(new HeaderEntry(t.name(), fields, null));
        }
        return out;
    }

    /** The file: 8-byte little-endian header length, the header JSON plus padding, the data. */
    byte[] bytes() {
        return file(header(), padding, data);
    }

    /** A file with the given header entries, padding and data section, with a correct length field. */
    static byte[] file(List<HeaderEntry> header, int padding, byte[] data) {
        StringBuilder json = new StringBuilder("{");
        for (HeaderEntry e : header) {
            json.append(json.length() > 1 ? "," : "").append(quote(e.name())).append(':').append(e.valueJson());
        }
        json.append('}').append(" ".repeat(padding));
        byte[] h = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + h.length + data.length);
        writeLong(out, h.length);
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** The position of the data section in {@link #bytes()}. */
    long dataStart() {
        return bytes().length - (long) data.length;
    }

    static void writeLong(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    /** The tensor's values decoded from the raw bytes: float32 for float dtypes, longs otherwise. */
    Object expectedValues(TensorSpec t) {
        int n = (int) t.numel();
        int size = t.dtype().byteSize();
        int at = (int) t.begin();
        if (t.dtype().isFloatingPoint()) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                long bits = littleEndian(at + i * size, size);
                out[i] = switch (t.dtype()) {
                    case F32 -> Float.intBitsToFloat((int) bits);
                    case F64 -> (float) Double.longBitsToDouble(bits);
                    case F16 -> Float.float16ToFloat((short) bits);
                    case BF16 -> Float.intBitsToFloat((int) bits << 16);
                    default -> throw new AssertionError(t.dtype());
                };
            }
            return out;
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long bits = littleEndian(at + i * size, size);
            out[i] = switch (t.dtype()) {
                case I64, U8, BOOL -> bits;
                case I32 -> (int) bits;
                case I16 -> (short) bits;
                case I8 -> (byte) bits;
                default -> throw new AssertionError(t.dtype());
            };
        }
        return out;
    }

    /** The unsigned little-endian number of {@code size} bytes at {@code at} in the data section. */
    private long littleEndian(int at, int size) {
        long v = 0;
        for (int b = size - 1; b >= 0; b--) {
            v = (v << 8) | (data[at + b] & 0xFF);
        }
        return v;
    }

    /** A JSON string literal; control characters, quotes and backslashes escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
