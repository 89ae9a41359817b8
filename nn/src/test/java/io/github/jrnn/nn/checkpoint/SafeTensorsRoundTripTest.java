package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link SafeTensorsWriter} writes, {@link SafeTensors} reads back bit for bit, in order. */
class SafeTensorsRoundTripTest {

    @TempDir
    Path dir;

    private static Tensor random(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] data = new float[Tensor.checkedNumel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.of(data, shape);
    }

    @Test
    void tensorsLongsAndMetadataSurviveInOrder() throws Exception {
        Tensor w = random(1, 12, 5);
        Tensor scalar = Tensor.of(new float[] {-2.5f});
        Tensor empty = Tensor.zeros(0, 4);
        // Larger than one 64 KiB chunk, and not a multiple of it, so chunked reading and writing are exercised.
        Tensor big = random(2, 3, 7001);
        Tensor special = Tensor.of(new float[] {Float.NaN, Float.intBitsToFloat(0x7fc12345), -0.0f,
                Float.POSITIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE}, 6);
        long[] lengths = {5, 3, Long.MIN_VALUE, Long.MAX_VALUE};
        Path file = dir.resolve("m.safetensors");

        new SafeTensorsWriter()
                .putMetadata("module", "LSTM")
                .putMetadata(Map.of("quote\"back\\slash", "line\nbreak \u00e9\u2713 \ud83d\ude00"))
                .putTensor("weight_ih_l0", w)
                .putTensor("scalar", scalar.reshape())
                .putTensor("empty", empty)
                .putLongs("lengths", lengths, 2, 2)
                .putTensor("big", big)
                .putTensor("special", special)
                .write(file);

        SafeTensorsFile read = SafeTensors.read(file);
        assertEquals(List.of("weight_ih_l0", "scalar", "empty", "lengths", "big", "special"),
                List.copyOf(read.names()));
        assertEquals(Map.of("module", "LSTM", "quote\"back\\slash", "line\nbreak \u00e9\u2713 \ud83d\ude00"),
                read.metadata());
        assertEquals(w, read.tensor("weight_ih_l0"));
        assertEquals(0, read.tensor("scalar").dim());
        assertEquals(-2.5f, read.tensor("scalar").data()[0]);
        assertArrayEquals(new int[] {0, 4}, read.tensor("empty").shape());
        assertEquals(big, read.tensor("big"));
        assertEquals(DType.I64, read.entry("lengths").dtype());
        assertArrayEquals(new int[] {2, 2}, read.entry("lengths").shape());
        assertArrayEquals(lengths, read.entry("lengths").toLongs());
        float[] got = read.tensor("special").data();
        for (int i = 0; i < got.length; i++) {
            assertEquals(Float.floatToRawIntBits(special.data()[i]), Float.floatToRawIntBits(got[i]), "element " + i);
        }
    }

    @Test
    void bytesInMemoryAreTheFilesBytesAndReadBack() throws Exception {
        // Several 64 KiB chunks, longs and metadata: toBytes must write what write(Path) writes, byte for byte.
        SafeTensorsWriter writer = new SafeTensorsWriter().putMetadata("k", "v").putTensor("w", random(3, 5, 9001))
                .putLongs("n", new long[] {7, -1}, 2);
        Path file = dir.resolve("same.safetensors");
        writer.write(file);
        byte[] bytes = writer.toBytes();
        assertArrayEquals(Files.readAllBytes(file), bytes);
        StateDict fromBytes = StateDicts.read(bytes, "mem");
        assertEquals(List.of("w", "n"), List.copyOf(fromBytes.names()));
        assertEquals("v", fromBytes.metadata().get("k"));
    }

    @Test
    void headerIsSpacePaddedSoDataStartsAtAMultipleOfEight() throws Exception {
        for (int nameLength = 1; nameLength <= 9; nameLength++) {
            Path file = dir.resolve("p" + nameLength + ".safetensors");
            new SafeTensorsWriter().putTensor("x".repeat(nameLength), Tensor.of(new float[] {1f, 2f}, 2))
                    .write(file);
            byte[] bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, (8 + n) % 8, "data section offset for name length " + nameLength);
            assertEquals(8 + n + 8, bytes.length, "8-byte length, header, two floats");
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            assertTrue(header.stripTrailing().endsWith("}"), header);
            assertTrue(header.substring(header.lastIndexOf('}') + 1).chars().allMatch(c -> c == ' '), header);
            assertEquals(1f, ByteBuffer.wrap(bytes, (int) (8 + n), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        }
    }

    @Test
    void writeReplacesAnExistingFile() throws Exception {
        Path file = dir.resolve("m.safetensors");
        new SafeTensorsWriter().putTensor("a", random(3, 4)).write(file);
        new SafeTensorsWriter().putTensor("b", random(4, 2, 2)).write(file);
        SafeTensorsFile read = SafeTensors.read(file);
        assertEquals(List.of("b"), List.copyOf(read.names()));
        assertEquals(random(4, 2, 2), read.tensor("b"));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary files left");
        }
    }

    @Test
    void fileWithoutTensorsOrMetadataRoundTrips() throws Exception {
        Path file = dir.resolve("empty.safetensors");
        new SafeTensorsWriter().write(file);
        SafeTensorsFile read = SafeTensors.read(file);
        assertTrue(read.names().isEmpty());
        assertTrue(read.metadata().isEmpty());
    }

    @Test
    void writerRefusesBadNamesAndShapes() {
        SafeTensorsWriter w = new SafeTensorsWriter().putTensor("a", Tensor.zeros(1));
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> w.putTensor("a", Tensor.zeros(2)));
        assertEquals("duplicate tensor name 'a'", dup.getMessage());
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> w.putLongs("__metadata__", new long[] {1}, 1));
        assertTrue(reserved.getMessage().contains("reserved for metadata"), reserved.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> w.putLongs("lengths", new long[] {1, 2, 3}, 2));
        assertEquals("'lengths': shape [2] holds 2 elements, but values has 3", shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.putTensor("", Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> w.putMetadata("k", null));
    }
}
