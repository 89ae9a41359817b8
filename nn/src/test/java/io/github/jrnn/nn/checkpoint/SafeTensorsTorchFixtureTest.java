package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Reads {@code torch_dtypes.safetensors}, written from torch tensors by {@code tools/make_safetensors_fixtures.py}
 * (through {@code tools/safetensors_io.py}), and compares every value with what torch says the tensors hold
 * ({@code torch_dtypes.expected.txt}: float32 bit patterns of {@code t.to(torch.float32)}, integers of
 * {@code t.to(torch.int64)}).
 */
class SafeTensorsTorchFixtureTest {

    /** One line of the expected file. */
    private record Expected(String name, DType dtype, int[] shape, boolean floats, String[] values) {
    }

    @Test
    void readsEveryDtypeExactlyAsTorchConvertsIt() throws Exception {
        SafeTensorsFile file = SafeTensors.read(resource("torch_dtypes.safetensors"));
        Map<String, String> expectedMeta = new LinkedHashMap<>();
        List<Expected> expected = readExpected(expectedMeta);

        assertEquals(expected.stream().map(Expected::name).toList(), List.copyOf(file.names()),
                "tensor names in file order");
        assertEquals(expectedMeta, file.metadata());
        assertEquals(List.copyOf(expectedMeta.keySet()), List.copyOf(file.metadata().keySet()), "metadata order");

        for (Expected e : expected) {
            SafeTensorsEntry entry = file.entry(e.name());
            assertEquals(e.dtype(), entry.dtype(), e.name());
            assertArrayEquals(e.shape(), entry.shape(), e.name());
            assertEquals(e.values().length, entry.numel(), e.name());
            if (e.floats()) {
                Tensor t = entry.toTensor();
                assertArrayEquals(e.shape(), t.shape(), e.name());
                int[] gotBits = new int[t.numel()];
                int[] wantBits = new int[t.numel()];
                for (int i = 0; i < gotBits.length; i++) {
                    gotBits[i] = Float.floatToRawIntBits(t.data()[i]);
                    wantBits[i] = Integer.parseUnsignedInt(e.values()[i], 16);
                }
                assertArrayEquals(wantBits, gotBits, e.name() + " float32 bit patterns");
            } else {
                long[] want = Arrays.stream(e.values()).mapToLong(Long::parseLong).toArray();
                assertArrayEquals(want, entry.toLongs(), e.name());
            }
        }
    }

    @Test
    void integerTensorsWithinIntRangeReadAsInts() throws Exception {
        SafeTensorsFile file = SafeTensors.read(resource("torch_dtypes.safetensors"));
        assertArrayEquals(new int[] {7, -8, Integer.MAX_VALUE, Integer.MIN_VALUE}, file.entry("i32").toInts());
        assertArrayEquals(new int[] {0, 1, 128, 255}, file.entry("u8").toInts());
        assertArrayEquals(new int[] {1, 0, 1}, file.entry("bool").toInts());
    }

    private static List<Expected> readExpected(Map<String, String> meta) throws IOException {
        String text;
        try (InputStream in = SafeTensorsTorchFixtureTest.class.getResourceAsStream(
                "/checkpoint/torch_dtypes.expected.txt")) {
            assertNotNull(in, "fixture torch_dtypes.expected.txt (run tools/make_safetensors_fixtures.py)");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Expected> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("meta ")) {
                String[] kv = line.substring(5).split(" ", 2);
                meta.put(kv[0], kv[1]);
                continue;
            }
            String[] f = line.split(" ");
            int[] shape = f[2].equals("-") ? new int[0]
                    : Arrays.stream(f[2].split(",")).mapToInt(Integer::parseInt).toArray();
            out.add(new Expected(f[0], DType.valueOf(f[1]), shape, f[3].equals("f32bits"),
                    Arrays.copyOfRange(f, 4, f.length)));
        }
        return out;
    }

    static Path resource(String name) throws URISyntaxException {
        var url = SafeTensorsTorchFixtureTest.class.getResource("/checkpoint/" + name);
        assertNotNull(url, "fixture " + name + " (run tools/make_safetensors_fixtures.py)");
        return Path.of(url.toURI());
    }
}
