package io.github.jrnn.nn.random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the golden fixtures that {@code tools/make_random_golden.py} writes: safetensors files (8-byte
 * little-endian header length, JSON header, raw little-endian data) whose tensor names have the form
 * {@code <case>@<seed>/<step>/<call>}. {@link #cases()} groups them into replayable cases.
 */
final class GoldenFixture {

    /** One recorded tensor: dtype (safetensors code), shape and raw little-endian bytes. */
    record Entry(String dtype, int[] shape, ByteBuffer data) {
        float[] floats() {
            expect("F32");
            float[] out = new float[data.remaining() / 4];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        long[] longs() {
            expect("I64");
            long[] out = new long[data.remaining() / 8];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            return out;
        }

        byte[] bytes() {
            expect("U8");
            byte[] out = new byte[data.remaining()];
            data.duplicate().get(out);
            return out;
        }

        private void expect(String d) {
            if (!dtype.equals(d)) {
                throw new IllegalStateException("fixture tensor has dtype " + dtype + ", test expected " + d);
            }
        }
    }

    /** One recorded call: its text (e.g. {@code uniform(3,0.0,1.0)}) and what torch returned. */
    record Step(String call, Entry result) {
        String op() {
            return call.substring(0, call.indexOf('('));
        }

        /** The comma-separated arguments inside the parentheses. */
        String[] args() {
            String inner = call.substring(call.indexOf('(') + 1, call.length() - 1);
            return inner.isEmpty() ? new String[0] : inner.split(",");
        }
    }

    /** A case: seed the generator with {@code seed}, then replay {@code steps} in order. */
    record Case(String label, long seed, List<Step> steps) {
        @Override
        public String toString() {
            return label + "@" + Long.toUnsignedString(seed);
        }
    }

    private final Map<String, Entry> entries;

    private GoldenFixture(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /** Loads {@code golden/random/<file>} from the test class path. */
    static GoldenFixture load(String file) {
        String resource = "/golden/random/" + file;
        try (InputStream in = GoldenFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing; run tools/make_random_golden.py");
            }
            ByteBuffer all = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = Math.toIntExact(all.getLong(0));
            String header = new String(all.array(), 8, headerLength, java.nio.charset.StandardCharsets.UTF_8);
            return new GoldenFixture(parseHeader(header, all.slice(8 + headerLength,
                    all.capacity() - 8 - headerLength)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Entry> parseHeader(String header, ByteBuffer data) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(header)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("__metadata__")) {
                    p.skipChildren();
                    continue;
                }
                String dtype = null;
                List<Integer> shape = new ArrayList<>();
                long begin = 0;
                long end = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "dtype" -> dtype = p.getText();
                        case "shape" -> {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                shape.add(p.getIntValue());
                            }
                        }
                        case "data_offsets" -> {
                            p.nextToken();
                            begin = p.getLongValue();
                            p.nextToken();
                            end = p.getLongValue();
                            p.nextToken();
                        }
                        default -> p.skipChildren();
                    }
                }
                ByteBuffer slice = data.slice(Math.toIntExact(begin), Math.toIntExact(end - begin));
                out.put(name, new Entry(dtype, shape.stream().mapToInt(Integer::intValue).toArray(), slice));
            }
        }
        return out;
    }

    /** All cases in the file, their steps in recorded order. */
    List<Case> cases() {
        Map<String, TreeMap<Integer, Step>> grouped = new TreeMap<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            String[] parts = e.getKey().split("/", 3);
            grouped.computeIfAbsent(parts[0], k -> new TreeMap<>())
                    .put(Integer.parseInt(parts[1]), new Step(parts[2], e.getValue()));
        }
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, Step>> g : grouped.entrySet()) {
            String[] labelSeed = g.getKey().split("@");
            cases.add(new Case(labelSeed[0], Long.parseUnsignedLong(labelSeed[1]),
                    List.copyOf(g.getValue().values())));
        }
        return cases;
    }

    /** The integer arguments of a shape list such as {@code 4x6} (the separator used inside call texts). */
    static int[] shapeArg(String text) {
        return Arrays.stream(text.split("x")).mapToInt(Integer::parseInt).toArray();
    }
}
