package io.github.jrnn.nn.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state-dict API around the golden fixtures: format sniffing, safetensors, conversions, prefixes, limits. */
class StateDictsTest {
    private static final Path DIR = StateDictsTorchFixtureTest.DIR;

    @Test
    void safetensorsKeepsEveryDtypeAndTheBytesAsStored() throws IOException {
        Path file = Path.of("src/test/resources/checkpoint/torch_dtypes.safetensors");
        StateDict sd = StateDicts.read(file);
        assertEquals(CheckpointFormat.SAFETENSORS, sd.format());
        try (SafeTensorsFile raw = SafeTensors.open(file)) {
            assertEquals(raw.metadata(), sd.metadata());
            assertEquals(List.copyOf(raw.names()), List.copyOf(sd.names()));
            for (SafeTensorsEntry e : raw.entries()) {
                StoredTensor t = sd.tensor(e.name());
                assertEquals(e.dtype(), t.dtype());
                assertArrayEquals(e.storedBytes(), t.toBytes(), e.name()); // F64 not rounded: bit for bit
                assertTrue(t.isContiguous());
                if (e.dtype().isFloatingPoint()) {
                    assertArrayEquals(e.toTensor().data(), t.toTensor().data(), e.name());
                } else {
                    assertArrayEquals(e.toLongs(), t.toLongs(), e.name());
                }
            }
        }
        assertEquals(Map.of(), sd.moduleVersions());
    }

    @ParameterizedTest
    @ValueSource(strings = {"composite_nested", "views", "dtypes", "legacy", "big_endian", "training_checkpoint"})
    void convertingToSafetensorsKeepsEveryNameDtypeShapeAndBit(String name, @TempDir Path dir) throws IOException {
        StateDict sd = StateDicts.read(DIR.resolve(name + ".pt"));
        SafeTensorsWriter writer = new SafeTensorsWriter().putMetadata(sd.metadata());
        sd.tensors().forEach(writer::putTensor);
        Path out = dir.resolve(name + ".safetensors");
        writer.write(out);
        StateDict back = StateDicts.read(out);
        assertEquals(CheckpointFormat.SAFETENSORS, back.format());
        assertEquals(sd.metadata(), back.metadata());
        assertEquals(List.copyOf(sd.names()), List.copyOf(back.names()));
        for (StoredTensor t : sd.tensors().values()) {
            StoredTensor b = back.tensor(t.name());
            assertEquals(t.dtype(), b.dtype(), t.name());
            assertArrayEquals(t.shape(), b.shape(), t.name());
            assertArrayEquals(t.toBytes(), b.toBytes(), t.name());
        }
    }

    @Test
    void tiedWeightsAreOneStorageUnderTwoNames() throws IOException {
        StateDict sd = StateDicts.read(DIR.resolve("tied_weights.pt"));
        assertSame(sd.tensor("embed.weight").storage(), sd.tensor("decoder.weight").storage());
        assertNotSame(sd.tensor("embed.weight").storage(), sd.tensor("decoder.bias").storage());
        assertEquals(sd.names().size() - 1, sd.storages().size());
    }

    @Test
    void withPrefixGivesTheModelInsideATrainingCheckpoint() throws IOException {
        StateDict sd = StateDicts.read(DIR.resolve("training_checkpoint.pt"));
        StateDict model = sd.withPrefix("model");
        assertEquals(List.of("weight", "bias"), List.copyOf(model.names()));
        assertSame(sd.tensor("model.weight"), model.tensor("weight"));
        assertEquals(Map.of("", 1L), model.moduleVersions());
        assertEquals("3", sd.metadata().get("epoch"));
        assertEquals("0.001", sd.metadata().get("lr"));
        assertEquals("1180591620717411303424", sd.metadata().get("big")); // 2**70 as LONG1
        assertEquals("torch.float16", sd.metadata().get("dtype"));
        CheckpointFormatException none = assertThrows(CheckpointFormatException.class, () -> sd.withPrefix("enc"));
        assertTrue(none.getMessage().contains("no tensor name starts with 'enc.'"), none.getMessage());
    }

    @Test
    void conversionsRefuseTheOtherKindOfDtypeNamingTheTensor() throws IOException {
        StateDict sd = StateDicts.read(DIR.resolve("dtypes.pt"));
        CheckpointFormatException asFloat = assertThrows(CheckpointFormatException.class,
                () -> sd.tensor("i16").toTensor());
        assertTrue(asFloat.getMessage().endsWith("tensor 'i16': expected a floating-point tensor (F32, F64, F16 or"
                + " BF16), got I16; read integer tensors with toLongs() or toLongTensor()"), asFloat.getMessage());
        CheckpointFormatException asLong = assertThrows(CheckpointFormatException.class,
                () -> sd.tensor("bf16").toLongs());
        assertTrue(asLong.getMessage().endsWith("tensor 'bf16': expected an integer tensor (I64, I32, I16, I8, U8 or"
                + " BOOL), got BF16; read floating-point tensors with toTensor()"), asLong.getMessage());
        CheckpointFormatException missing = assertThrows(CheckpointFormatException.class, () -> sd.tensor("f8"));
        assertTrue(missing.getMessage().endsWith("tensor 'f8': missing; the file holds [f32, f64, f16, bf16, i64,"
                + " i32, i16, i8, u8, bool, i64_transposed, f16_strided]"), missing.getMessage());
        StoredTensor t = sd.tensor("i64_transposed"); // torch.arange(6).reshape(2, 3).t()
        assertArrayEquals(new long[] {1, 3}, t.strides());
        assertEquals(false, t.isContiguous());
        assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, t.toLongs());
    }

    @Test
    void unknownContentIsRefusedWithItsFirstBytes() {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> StateDicts.read("GIF89a....".getBytes(), "x.pt"));
        assertEquals("not a torch.save file (zip or legacy) nor a safetensors file: it starts with bytes 47 49 46 38"
                + " 39 61 2e 2e 2e 2e", e.problem());
        CheckpointFormatException empty = assertThrows(CheckpointFormatException.class,
                () -> StateDicts.read(new byte[0], "empty.pt"));
        assertTrue(empty.problem().endsWith("it starts with nothing (empty)"), empty.problem());
        byte[] tar = new byte[512];
        System.arraycopy("ustar".getBytes(), 0, tar, 257, 5);
        CheckpointFormatException old = assertThrows(CheckpointFormatException.class,
                () -> StateDicts.read(tar, "old.tar"));
        assertTrue(old.problem().startsWith("a tar archive: torch.save's format before PyTorch 0.4"), old.problem());
    }

    @Test
    void aStreamLongerThanTheLimitIsRefusedAsItArrives() {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> InMemoryChannel.readAll(new ByteArrayInputStream(new byte[11]), Path.of("s3://m.pt"), 10));
        assertTrue(e.getMessage().startsWith("s3:/m.pt: the stream has more than 10 bytes"), e.getMessage());
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> StateDicts.read(DIR.resolve("nope.pt")));
        CheckpointFormatException dir = assertThrows(CheckpointFormatException.class, () -> StateDicts.read(DIR));
        assertTrue(dir.problem().equals("not a regular file"), dir.problem());
    }

    @Test
    void pythonFloatsPrintAsPythonsRepr() {
        double[] values = {0.001, 1e-05, 2.5e-05, 1e16, 1e22, 123456789.123, 1.0, -0.0, 0.1, 5e-324,
                1234567890123456.0, 1e-4, 9999999999999998.0, Double.NaN, Double.NEGATIVE_INFINITY};
        String[] python = {"0.001", "1e-05", "2.5e-05", "1e+16", "1e+22", "123456789.123", "1.0", "-0.0", "0.1",
                "5e-324", "1234567890123456.0", "0.0001", "9999999999999998.0", "nan", "-inf"};
        String[] ours = Arrays.stream(values).mapToObj(PickledStateDict::pythonFloat).toArray(String[]::new);
        assertArrayEquals(python, ours);
    }

    @Test
    void theMemoAndTheStackAreBounded() throws IOException {
        int n = RestrictedUnpickler.MAX_MEMO + 1;
        byte[] memo = new byte[3 + n + 1];
        memo[0] = (byte) 0x80;
        memo[1] = 4;
        memo[2] = 'N';
        Arrays.fill(memo, 3, 3 + n, (byte) 0x94); // MEMOIZE
        memo[memo.length - 1] = '.';
        assertTrue(unpickle(memo).contains("the memo holds more than 1048576 entries"));
        byte[] stack = new byte[2 + RestrictedUnpickler.MAX_STACK + 2];
        stack[0] = (byte) 0x80;
        stack[1] = 2;
        Arrays.fill(stack, 2, stack.length - 1, (byte) 'N');
        stack[stack.length - 1] = '.';
        assertTrue(unpickle(stack).contains("more than 1048576 items on the stack"));
    }

    private static String unpickle(byte[] pickle) throws IOException {
        ChannelInput in = new ChannelInput(InMemoryChannel.of(pickle), Path.of("p"), "data.pkl", 0, pickle.length);
        RestrictedUnpickler u = new RestrictedUnpickler(in, "data.pkl", false, RestrictedUnpickler.newStorageMap());
        return assertThrows(CheckpointFormatException.class, u::load).getMessage();
    }
}
