package io.github.jrnn.nn.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON golden fixture written by a tools/ script into plain values: objects as {@code Map<String, Object>}
 * (in file order), arrays as {@code List<Object>}, integers as {@code Long}, other numbers as {@code Double}
 * (Python writes the shortest text that reads back to its double, so the values are torch's exactly; its
 * {@code NaN} and {@code Infinity} are accepted), strings, booleans and null.
 */
public final class GoldenJson {

    private GoldenJson() {
    }

    /** Parses the class-path resource {@code path}, e.g. {@code /golden/scheduler/schedules.json}. */
    public static Object load(String path) {
        try (InputStream in = GoldenJson.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing; run its tools/make_*_golden.py script");
            }
            JsonFactory json = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
            try (JsonParser p = json.createParser(in)) {
                p.nextToken();
                return value(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object as a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    /** A JSON array as a list. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** A JSON number as a double. */
    public static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    /** A JSON array of numbers as doubles. */
    public static double[] doubles(Object value) {
        return list(value).stream().mapToDouble(GoldenJson::number).toArray();
    }

    /** A JSON array of numbers (float32 values written as doubles) as floats, exactly. */
    public static float[] floats(Object value) {
        List<Object> l = list(value);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) number(l.get(i));
        }
        return out;
    }

    /** A JSON array of integers as longs. */
    public static long[] longs(Object value) {
        return list(value).stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    }

    /** A nested JSON array of numbers, flattened row-major, as floats. */
    public static float[] flatFloats(Object value) {
        List<Float> out = new ArrayList<>();
        flatten(value, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void flatten(Object value, List<Float> out) {
        if (value instanceof List<?> l) {
            l.forEach(v -> flatten(v, out));
        } else {
            out.add((float) number(value));
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected JSON token " + t);
        }
    }
}
