package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#topkAlong} gives torch 1.13's indices for equal values, which the properties cannot check (any
 * order of ties is a correct selection; torch's is libstdc++'s): golden/topk_ties.txt, written by
 * tools/make_topk_kernel_golden.py from {@code torch.topk} on lines of few distinct values, on both of torch's
 * paths (partial sort when 64 k <= n, else nth_element then sort) around their thresholds, the largest and the
 * smallest, with NaN, +-Inf and -0.0 among the ties, and along the middle dim of 3-D tensors. Values are compared
 * bit for bit (-0.0 is not 0.0), indices exactly, for both implementations.
 */
class TopKTiesGoldenTest {

    /** One torch.topk call on an (outer, size, inner) tensor along size, and its result. */
    record Case(boolean largest, int outer, int size, int inner, int k, float[] x, int[] indices, float[] values) {
        @Override
        public String toString() {
            return (largest ? "largest" : "smallest") + " " + k + " of (" + outer + ", " + size + ", " + inner + ")";
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = TopKTiesGoldenTest.class.getResourceAsStream("/golden/topk_ties.txt");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String header = reader.readLine(); header != null; header = reader.readLine()) {
                int[] h = Arrays.stream(fields(header, "case")).mapToInt(Integer::parseInt).toArray();
                float[] x = floats(fields(reader.readLine(), "x"));
                int[] indices = Arrays.stream(fields(reader.readLine(), "indices")).mapToInt(Integer::parseInt)
                        .toArray();
                float[] values = floats(fields(reader.readLine(), "values"));
                Case c = new Case(h[0] == 1, h[1], h[2], h[3], h[4], x, indices, values);
                for (Kernels impl : List.of(KernelProvider.checkedScalar(), KernelProvider.checkedVector())) {
                    cases.add(Arguments.of(impl, c));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases.stream();
    }

    /** The fields of a line after its tag. */
    private static String[] fields(String line, String tag) {
        String[] parts = line.split(" ");
        if (!parts[0].equals(tag)) {
            throw new IllegalStateException("golden/topk_ties.txt: expected a '" + tag + "' line, got " + line);
        }
        return Arrays.copyOfRange(parts, 1, parts.length);
    }

    private static float[] floats(String[] fields) {
        float[] out = new float[fields.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.parseFloat(fields[i]);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void equalValuesComeWithTorchsIndices(Kernels impl, Case c) {
        int n = c.outer * c.k * c.inner;
        assertEquals(c.outer * c.size * c.inner, c.x.length, "golden file: x");
        float[] values = new float[n];
        int[] indices = new int[n];
        impl.topkAlong(c.largest, c.outer, c.size, c.inner, c.k, c.x.clone(), 0, values, 0, indices, 0);
        assertArrayEquals(c.indices, indices, c + ": indices");
        for (int e = 0; e < n; e++) {
            assertEquals(Float.floatToIntBits(c.values[e]), Float.floatToIntBits(values[e]),
                    c + ": value " + e + " (" + values[e] + ", expected " + c.values[e] + ")");
        }
    }
}
