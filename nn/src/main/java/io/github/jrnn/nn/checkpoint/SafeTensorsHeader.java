package io.github.jrnn.nn.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed JSON header of a safetensors file: the string metadata and, in header order, each tensor's dtype,
 * shape and byte range in the data section.
 *
 * <p>Everything that can be checked without the data is checked here, per tensor: the dtype is known, every
 * dimension is a non-negative integer of at most {@code Integer.MAX_VALUE}, the element count and byte size fit a
 * {@code long}, and {@code end - begin} equals {@code numel * dtype size}. The layout of the ranges against each other
 * and against the file size is checked
 * by {@link SafeTensors}, which knows the file size. The header is untrusted input: the JSON parser runs under
 * {@link StreamReadConstraints} (nesting, name, string and number length) and no value from it sizes an
 * allocation before it has been checked.
 */
final class SafeTensorsHeader {

    /** The largest header accepted, in bytes (the limit the reference implementation uses too). */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The key of the optional string-to-string metadata object. */
    static final String METADATA_KEY = "__metadata__";

    /**
     * One tensor's description: its dtype, shape, element count and byte range [begin, end) relative to the start
     * of the data section. The element count may exceed what one Java array holds; such a tensor is refused only
     * when its values are asked for (see {@link SafeTensors#MAX_TENSOR_ELEMENTS}).
     */
    record TensorInfo(String name, DType dtype, int[] shape, long numel, long begin, long end) {
    }

    // Depth 3 is the deepest a valid header goes: top object > tensor object > shape array.
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(3)
                    .maxNameLength(1 << 16)
                    .maxStringLength(1 << 24)
                    // 20 digits hold every unsigned 64-bit value; anything longer is refused unparsed.
                    .maxNumberLength(20)
                    .maxDocumentLength(MAX_HEADER_BYTES)
                    .build())
            .build();

    final Map<String, String> metadata;
    final List<TensorInfo> tensors;

    private SafeTensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors) {
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableList(tensors);
    }

    /** Parses the header bytes (UTF-8 JSON, possibly padded with spaces) of {@code file}. */
    static SafeTensorsHeader parse(Path file, byte[] utf8) throws CheckpointFormatException {
        String text = decodeUtf8(file, utf8);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new CheckpointFormatException(file, null,
                        "header must be a JSON object, got " + describe(first));
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!names.add(name)) {
                    throw new CheckpointFormatException(file, name, "duplicate name in header");
                }
                JsonToken value = p.nextToken();
                if (METADATA_KEY.equals(name)) {
                    readMetadata(file, p, value, metadata);
                } else {
                    tensors.add(readTensorInfo(file, p, value, name));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new CheckpointFormatException(file, null, "header JSON object is not closed");
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new CheckpointFormatException(file, null,
                        "unexpected " + describe(after) + " after the header's JSON object");
            }
        } catch (CheckpointFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            // Constraint violations (too deep, too long) carry no location.
            String where = e.getLocation() == null ? "" : " (at character " + e.getLocation().getCharOffset() + ")";
            throw new CheckpointFormatException(file, null, "header is not valid JSON: " + e.getOriginalMessage()
                    + where, e);
        } catch (IOException e) {
            // The parser reads from a String, so this is a parse error that is not a JsonProcessingException.
            throw new CheckpointFormatException(file, null, "header is not valid JSON: " + e.getMessage(), e);
        }
        return new SafeTensorsHeader(metadata, tensors);
    }

    private static String decodeUtf8(Path file, byte[] utf8) throws CheckpointFormatException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(file, null, "header is not valid UTF-8", e);
        }
    }

    private static void readMetadata(Path file, JsonParser p, JsonToken value, Map<String, String> metadata)
            throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new CheckpointFormatException(file, null,
                    METADATA_KEY + " must be an object mapping strings to strings, got " + describe(value));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v != JsonToken.VALUE_STRING) {
                throw new CheckpointFormatException(file, null, METADATA_KEY + " value of '" + key
                        + "' must be a string, got " + describe(v));
            }
            if (metadata.putIfAbsent(key, p.getText()) != null) {
                throw new CheckpointFormatException(file, null, "duplicate " + METADATA_KEY + " key '" + key + "'");
            }
        }
    }

    private static TensorInfo readTensorInfo(Path file, JsonParser p, JsonToken value, String name)
            throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw new CheckpointFormatException(file, name,
                    "header entry must be an object with dtype, shape and data_offsets, got " + describe(value));
        }
        String dtypeName = null;
        List<Long> shape = null;
        List<Long> offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (dtypeName != null) {
                        throw duplicateField(file, name, field);
                    }
                    if (v != JsonToken.VALUE_STRING) {
                        throw new CheckpointFormatException(file, name, "dtype must be a string, got " + describe(v));
                    }
                    dtypeName = p.getText();
                }
                case "shape" -> {
                    if (shape != null) {
                        throw duplicateField(file, name, field);
                    }
                    shape = readIntegers(file, p, v, name, "shape");
                }
                case "data_offsets" -> {
                    if (offsets != null) {
                        throw duplicateField(file, name, field);
                    }
                    offsets = readIntegers(file, p, v, name, "data_offsets");
                }
                default -> throw new CheckpointFormatException(file, name, "unknown field '" + field
                        + "' (expected dtype, shape and data_offsets)");
            }
        }
        if (dtypeName == null || shape == null || offsets == null) {
            String missing = dtypeName == null ? "dtype" : shape == null ? "shape" : "data_offsets";
            throw new CheckpointFormatException(file, name, "header entry has no " + missing);
        }
        DType dtype = DType.fromName(dtypeName);
        if (dtype == null) {
            throw new CheckpointFormatException(file, name, "unknown dtype '" + dtypeName
                    + "' (jrnn reads F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        if (offsets.size() != 2) {
            throw new CheckpointFormatException(file, name,
                    "data_offsets must be [begin, end], got " + offsets.size() + " numbers " + offsets);
        }
        int[] dims = checkShape(file, name, shape);
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (end < begin) {
            throw new CheckpointFormatException(file, name, "data_offsets " + offsets + " end before they begin");
        }
        long numel = elementCount(file, name, shape, dims);
        long needed;
        try {
            needed = Math.multiplyExact(numel, dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw new CheckpointFormatException(file, name, dtype + " shape " + shape + " needs more than 2^63 - 1"
                    + " bytes");
        }
        if (end - begin != needed) {
            throw new CheckpointFormatException(file, name, "data_offsets " + offsets + " hold " + (end - begin)
                    + " bytes, but " + dtype + " shape " + shape + " needs " + needed);
        }
        return new TensorInfo(name, dtype, dims, numel, begin, end);
    }

    /** Dimensions as ints: a jrnn shape is an {@code int[]}, so a larger dimension can never be loaded. */
    private static int[] checkShape(Path file, String name, List<Long> shape) throws CheckpointFormatException {
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            long d = shape.get(i);
            if (d > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(file, name, "dimension " + i + " of shape " + shape
                        + " is larger than " + Integer.MAX_VALUE + ", the largest Java array");
            }
            dims[i] = (int) d;
        }
        return dims;
    }

    /** The product of the dimensions, refused (never wrapped) when it does not fit a long. */
    private static long elementCount(Path file, String name, List<Long> shape, int[] dims)
            throws CheckpointFormatException {
        long numel = 1;
        try {
            for (int d : dims) {
                numel = Math.multiplyExact(numel, d);
            }
        } catch (ArithmeticException overflow) {
            if (shape.contains(0L)) {
                return 0; // a zero dimension empties the tensor whatever the others are
            }
            throw new CheckpointFormatException(file, name, "shape " + shape + " has more than 2^63 - 1 elements");
        }
        return numel;
    }

    /** A JSON array of non-negative integers that fit a long (shape dims or data offsets). */
    private static List<Long> readIntegers(Path file, JsonParser p, JsonToken value, String name, String field)
            throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new CheckpointFormatException(file, name, field + " must be an array of integers, got "
                    + describe(value));
        }
        List<Long> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new CheckpointFormatException(file, name, field + " must hold integers, got " + describe(t)
                        + (t == JsonToken.VALUE_NUMBER_FLOAT ? " " + p.getText() : ""));
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new CheckpointFormatException(file, name, field + " value " + p.getText()
                        + " is too large (more than 2^63 - 1)");
            }
            long v = p.getLongValue();
            if (v < 0) {
                throw new CheckpointFormatException(file, name, field + " value " + v + " is negative");
            }
            out.add(v);
        }
        return out;
    }

    private static CheckpointFormatException duplicateField(Path file, String name, String field) {
        return new CheckpointFormatException(file, name, "duplicate field '" + field + "'");
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing (empty header)";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
