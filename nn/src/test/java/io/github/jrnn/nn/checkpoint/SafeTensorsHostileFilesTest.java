package io.github.jrnn.nn.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed and malicious safetensors files: each must give a {@link CheckpointFormatException} whose message
 * names the file, the tensor when there is one, and the problem, and never an unchecked exception or error.
 */
class SafeTensorsHostileFilesTest {

    @TempDir
    Path dir;

    /** 8-byte little-endian length, then the header bytes as given, then the data. */
    static byte[] file(long headerLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(headerLength).put(header).put(data).array();
    }

    /** A file with a correct length field for {@code json} followed by {@code dataBytes} zero bytes. */
    static byte[] file(String json, int dataBytes) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return file(header.length, header, new byte[dataBytes]);
    }

    static Arguments bad(String what, byte[] bytes, String tensor, String messagePart) {
        return Arguments.of(what, bytes, tensor, messagePart);
    }

    static final String F32_2X2 = "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}";

    static Stream<Arguments> hostileFiles() {
        return Stream.of(
                bad("empty file", new byte[0], null, "fewer than the 8-byte header length"),
                bad("5 bytes", new byte[5], null, "file has 5 bytes"),
                bad("header length 2^64-1", file(-1L, new byte[0], new byte[0]), null,
                        "header length 18446744073709551615 is larger than the limit of 100000000"),
                bad("header length above the cap", file(200_000_000L, "{}".getBytes(), new byte[0]), null,
                        "header length 200000000 is larger than the limit"),
                bad("header length beyond the file", file(1000, "{}".getBytes(), new byte[0]), null,
                        "header length 1000 is larger than the 2 bytes that follow it"),
                bad("empty header", file("", 0), null, "header must be a JSON object, got nothing"),
                bad("header is an array", file("[]", 0), null, "header must be a JSON object, got an array"),
                bad("header is a string", file("\"x\"", 0), null, "header must be a JSON object, got a string"),
                bad("unterminated JSON", file("{\"w\":", 0), null, "header is not valid JSON"),
                bad("text after the object", file("{} {}", 0), null, "unexpected an object after the header"),
                bad("garbage after the object", file("{}xyz", 0), null, "header is not valid JSON"),
                bad("invalid UTF-8", file(5, new byte[] {'{', '"', (byte) 0xff, '"', '}'}, new byte[0]), null,
                        "header is not valid UTF-8"),
                bad("nesting too deep", file("{\"w\":{\"shape\":[[[1]]]}}", 0), null,
                        "header is not valid JSON: Document nesting depth (4) exceeds the maximum allowed (3"),
                bad("entry not an object", file("{\"w\":[1,2]}", 0), "w",
                        "header entry must be an object with dtype, shape and data_offsets, got an array"),
                bad("unknown dtype", file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1),
                        "w", "unknown dtype 'F8_E4M3'"),
                bad("dtype not a string", file("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                        "w", "dtype must be a string, got a number"),
                bad("missing shape", file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4),
                        "w", "header entry has no shape"),
                bad("unknown field", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],"
                        + "\"strides\":[1]}}", 4), "w", "unknown field 'strides'"),
                bad("duplicate field", file("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],"
                        + "\"data_offsets\":[0,4]}}", 4), "w", "duplicate field 'dtype'"),
                bad("negative dimension", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2,3],\"data_offsets\":[0,4]}}",
                        4), "w", "shape value -2 is negative"),
                bad("fractional dimension", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],"
                        + "\"data_offsets\":[0,4]}}", 4), "w", "shape must hold integers, got a number 2.5"),
                bad("string dimension", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}",
                        8), "w", "shape must hold integers, got a string"),
                bad("dimension above 2^63", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],"
                        + "\"data_offsets\":[0,4]}}", 4), "w", "shape value 99999999999999999999 is too large"),
                bad("dimension with 30 digits", file("{\"w\":{\"dtype\":\"F32\",\"shape\":["
                        + "1".repeat(30) + "],\"data_offsets\":[0,4]}}", 4), null,
                        "header is not valid JSON: Number value length (30) exceeds the maximum allowed (20"),
                bad("dimension above int", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                        + "\"data_offsets\":[0,4]}}", 4), "w", "dimension 0 of shape [4294967296, 4294967296]"
                        + " is larger than 2147483647"),
                bad("element count above int, offsets small", file("{\"w\":{\"dtype\":\"F32\","
                        + "\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", 4), "w",
                        "data_offsets [0, 4] hold 4 bytes, but F32 shape [65536, 65536] needs 17179869184"),
                bad("element count above 2^63", file("{\"w\":{\"dtype\":\"U8\",\"shape\":[2147483647,"
                        + "2147483647,2147483647],\"data_offsets\":[0,4]}}", 4), "w",
                        "shape [2147483647, 2147483647, 2147483647] has more than 2^63 - 1 elements"),
                bad("byte size above 2^63", file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2147483647,"
                        + "2147483647,2],\"data_offsets\":[0,4]}}", 4), "w",
                        "F64 shape [2147483647, 2147483647, 2] needs more than 2^63 - 1 bytes"),
                bad("three offsets", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8),
                        "w", "data_offsets must be [begin, end], got 3 numbers"),
                bad("offsets backwards", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}",
                        8), "w", "data_offsets [8, 4] end before they begin"),
                bad("offsets do not match the shape", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],"
                        + "\"data_offsets\":[0,40]}}", 40), "w",
                        "data_offsets [0, 40] hold 40 bytes, but F32 shape [3, 4] needs 48"),
                bad("data section truncated", file("{" + F32_2X2 + "}", 12), "w",
                        "reach past the end of the data section, which has 12 bytes"),
                bad("offsets beyond a huge range", file("{\"w\":{\"dtype\":\"U8\",\"shape\":[2],"
                        + "\"data_offsets\":[9223372036854775805,9223372036854775807]}}", 2), "w",
                        "reach past the end of the data section"),
                bad("overlapping tensors", file("{" + F32_2X2 + ",\"v\":{\"dtype\":\"F32\",\"shape\":[2],"
                        + "\"data_offsets\":[8,16]}}", 16), "v", "overlap tensor 'w' at [0, 16]"),
                bad("gap between tensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                        8), "w", "leave a gap: the previous tensor ends at 0"),
                bad("trailing bytes", file("{" + F32_2X2 + "}", 20), null, "4 trailing bytes after the last tensor"),
                bad("data without tensors", file("{}", 3), null, "3 trailing bytes after the last tensor"),
                bad("duplicate tensor name", file("{" + F32_2X2 + "," + F32_2X2 + "}", 16), "w",
                        "duplicate name in header"),
                bad("metadata is an array", file("{\"__metadata__\":[\"a\"]}", 0), null,
                        "__metadata__ must be an object mapping strings to strings, got an array"),
                bad("metadata value is a number", file("{\"__metadata__\":{\"hidden_size\":4}}", 0), null,
                        "__metadata__ value of 'hidden_size' must be a string, got a number"),
                bad("metadata value is an object", file("{\"__metadata__\":{\"a\":{\"b\":\"c\"}}}", 0), null,
                        "__metadata__ value of 'a' must be a string, got an object"),
                bad("duplicate metadata key", file("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0), null,
                        "duplicate __metadata__ key 'a'"),
                bad("tensor name too long", file("{\"" + "n".repeat(70_000) + "\":{}}", 0), null,
                        "header is not valid JSON: Name length (70000) exceeds the maximum allowed (65536"),
                bad("BOOL value 2", boolFile(new byte[] {1, 0, 2}), "b", "BOOL element 2 is 2, expected 0 or 1"),
                bad("nesting 10000 deep", file("{\"w\":{\"shape\":" + "[".repeat(10_000), 0), null,
                        "header is not valid JSON: Document nesting depth (4) exceeds the maximum allowed (3"),
                bad("exponent dimension", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1e400],"
                        + "\"data_offsets\":[0,4]}}", 4), "w", "shape must hold integers, got a number 1e400"),
                bad("negative offset", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
                        + "\"data_offsets\":[-4,0]}}", 4), "w", "data_offsets value -4 is negative"),
                bad("shape is an object", file("{\"w\":{\"dtype\":\"F32\",\"shape\":{\"0\":1},"
                        + "\"data_offsets\":[0,4]}}", 4), "w", "shape must be an array of integers, got an object"),
                bad("byte order mark before the header", file("\uFEFF{}", 0), null, "header is not valid JSON"),
                bad("NUL bytes as padding", file("{}\0\0", 0), null, "header is not valid JSON"),
                bad("NaN dimension", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[NaN],"
                        + "\"data_offsets\":[0,4]}}", 4), null, "header is not valid JSON"));
    }

    private static byte[] boolFile(byte[] values) {
        byte[] header = ("{\"b\":{\"dtype\":\"BOOL\",\"shape\":[" + values.length + "],\"data_offsets\":[0,"
                + values.length + "]}}").getBytes(StandardCharsets.UTF_8);
        return file(header.length, header, values);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void hostileFileIsRefusedWithAMessageNamingTheProblem(String what, byte[] bytes, String tensor,
                                                          String messagePart) throws Exception {
        Path path = dir.resolve("hostile.safetensors");
        Files.write(path, bytes);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(path),
                what);
        assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
        assertEquals(tensor, e.tensor(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart),
                "expected the message to contain '" + messagePart + "', got: " + e.getMessage());
    }

    @Test
    void everyTruncationOfAValidFileIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(SafeTensorsTorchFixtureTest.resource("torch_dtypes.safetensors"));
        Path path = dir.resolve("truncated.safetensors");
        for (int length = 0; length < whole.length; length++) {
            Files.write(path, Arrays.copyOf(whole, length));
            assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(path), "prefix of " + length);
        }
    }

    /**
     * Every single-byte corruption of the header either still parses (e.g. a changed digit in a value that stays
     * consistent, or a changed letter in a name) or is refused with a {@link CheckpointFormatException}: never
     * another exception.
     */
    @Test
    void corruptingAnyHeaderByteNeverEscapesAsAnotherException() throws Exception {
        byte[] whole = Files.readAllBytes(SafeTensorsTorchFixtureTest.resource("torch_dtypes.safetensors"));
        int headerEnd = 8 + (int) ByteBuffer.wrap(whole, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] replacements = {'0', '9', '-', '"', '{', '[', ']', ',', ' ', 0, (byte) 0xc3, (byte) 0xff};
        Path path = dir.resolve("corrupt.safetensors");
        int refused = 0;
        for (int i = 0; i < headerEnd; i++) {
            for (byte r : replacements) {
                byte[] copy = whole.clone();
                copy[i] = r;
                Files.write(path, copy);
                try {
                    SafeTensors.read(path);
                } catch (CheckpointFormatException expected) {
                    refused++;
                } catch (Throwable other) {
                    fail("byte " + i + " set to " + r + ": " + other, other);
                }
            }
        }
        assertTrue(refused > headerEnd, "most corruptions are refused, got " + refused);
    }

    @Test
    void rangesMayBeListedOutOfOffsetOrder() throws Exception {
        // The reference writer orders the data by dtype, so header order need not be offset order.
        String json = "{\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[4,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[12,12]}}   ";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putLong(-7);
        Path path = dir.resolve("order.safetensors");
        Files.write(path, file(header.length, header, data.array()));
        SafeTensorsFile f = SafeTensors.read(path);
        assertEquals(List.of("b", "a", "z"), List.copyOf(f.names()));
        assertArrayEquals(new long[] {-7}, f.entry("b").toLongs());
        assertEquals(1.5f, f.tensor("a").data()[0]);
        assertEquals(0, f.tensor("z").numel());
    }

    @Test
    void wrongKindOfAccessIsRefused() throws Exception {
        SafeTensorsFile f = SafeTensors.read(SafeTensorsTorchFixtureTest.resource("torch_dtypes.safetensors"));
        CheckpointFormatException asFloat = assertThrows(CheckpointFormatException.class,
                () -> f.entry("i64").toTensor());
        assertTrue(asFloat.getMessage().endsWith("tensor 'i64': expected a floating-point tensor (F32, F64, F16 or"
                + " BF16), got I64; read integer tensors with toLongs() or toInts()"), asFloat.getMessage());
        CheckpointFormatException asLong = assertThrows(CheckpointFormatException.class,
                () -> f.entry("f16").toLongs());
        assertTrue(asLong.getMessage().endsWith("tensor 'f16': expected an integer tensor (I64, I32, I16, I8, U8 or"
                + " BOOL), got F16"), asLong.getMessage());
        CheckpointFormatException narrow = assertThrows(CheckpointFormatException.class,
                () -> f.entry("i64").toInts());
        assertTrue(narrow.getMessage().endsWith("tensor 'i64': element 2 is -4611686018427387904, outside the int"
                + " range [-2147483648, 2147483647]"), narrow.getMessage());
        CheckpointFormatException missing = assertThrows(CheckpointFormatException.class, () -> f.entry("h_0"));
        assertTrue(missing.getMessage().endsWith("tensor 'h_0': missing; the file holds [f32, f64, f16, bf16, i64,"
                + " i32, u8, bool, scalar, empty]"), missing.getMessage());
    }

    @Test
    void directoriesAndMissingFilesAreNotRead() {
        CheckpointFormatException notFile = assertThrows(CheckpointFormatException.class,
                () -> SafeTensors.read(dir));
        assertEquals(dir + ": not a regular file", notFile.getMessage());
        assertThrows(NoSuchFileException.class, () -> SafeTensors.read(dir.resolve("absent.safetensors")));
    }
}
