package io.github.jrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.checkpoint.CheckpointFormat;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;
import io.github.jrnn.nn.checkpoint.StoredTensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./jrnn convert}: torch.save files (zip, legacy, big-endian, views, tied, every dtype) and safetensors to
 * safetensors with every name, dtype, shape and bit unchanged and the metadata carried over; every refusal is
 * exit 2, one line on stderr, no output file and an existing output untouched.
 */
class ConvertCommandTest {

    @TempDir
    Path dir;

    private static final byte[] PREVIOUS = "previous output".getBytes(StandardCharsets.UTF_8);

    static Path resource(String name) throws Exception {
        return Path.of(ConvertCommandTest.class.getResource("/" + name).toURI());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"checkpoint/torch/dtypes.pt", "checkpoint/torch/views.pt",
            "checkpoint/torch/tied_weights.pt", "checkpoint/torch/legacy.pt", "checkpoint/torch/big_endian.pt",
            "checkpoint/torch/training_checkpoint.pt", "checkpoint/torch/zip64.pt", "composites/tied_lm.pt",
            "composites/sequential_mlp.f16.pt", "composites/char_gru.bf16.pt", "composites/tied_lm.safetensors"})
    void everyNameDtypeShapeAndBitIsKept(String name) throws Exception {
        Path in = resource(name);
        Path out = dir.resolve("out.safetensors");
        CliRun run = CliRun.of("convert", in.toString(), out.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
        StateDict source = StateDicts.read(in);
        StateDict converted = StateDicts.read(out);
        assertTrue(run.out().startsWith("jrnn convert: wrote " + out + ": " + source.tensors().size()
                + " tensors from " + source.format()), run.out());
        assertEquals(CheckpointFormat.SAFETENSORS, converted.format());
        assertEquals(List.copyOf(source.names()), List.copyOf(converted.names()), "names in order");
        for (String n : source.names()) {
            StoredTensor a = source.tensor(n);
            StoredTensor b = converted.tensor(n);
            assertEquals(a.dtype(), b.dtype(), n);
            assertArrayEquals(a.shape(), b.shape(), n);
            assertArrayEquals(a.toBytes(), b.toBytes(), n + ": bits");
        }
        assertEquals(source.metadata(), converted.metadata(), "metadata carried over");
    }

    @Test
    void aTrainingCheckpointsScalarsBecomeMetadata() throws Exception {
        Path out = dir.resolve("ckpt.safetensors");
        assertEquals(0, CliRun.of("convert", resource("checkpoint/torch/training_checkpoint.pt").toString(),
                out.toString()).status());
        assertFalse(StateDicts.read(out).metadata().isEmpty(), "epoch, lr, ... as strings");
    }

    /** Every refused and hostile torch fixture with the text its refusal must contain. */
    static Stream<Arguments> refusedFiles() throws Exception {
        return Stream.of("refused", "hostile").flatMap(dirName -> {
            try {
                return Files.readAllLines(resource("checkpoint/torch/" + dirName + ".expected.txt")).stream()
                        .filter(l -> !l.isBlank()).map(l -> l.split("\t", 2))
                        .map(f -> Arguments.of("checkpoint/torch/" + dirName + "/" + f[0], f[1]));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFiles")
    void refusedFilesExitTwoWithOneLineAndNoOutput(String name, String expected) throws Exception {
        Path fresh = dir.resolve("fresh.safetensors");
        Path existing = dir.resolve("existing.safetensors");
        Files.write(existing, PREVIOUS);
        String in = resource(name).toString();
        assertRefused(expected, "convert", in, fresh.toString());
        assertFalse(Files.exists(fresh), "no output file");
        assertRefused(expected, "convert", in, existing.toString());
        assertArrayEquals(PREVIOUS, Files.readAllBytes(existing), "an existing output untouched");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(existing), files.toList(), "no temporary file left");
        }
    }

    @Test
    void badUsageIsRefused() throws Exception {
        Path in = resource("composites/tied_lm.pt");
        Path existing = dir.resolve("existing.safetensors");
        Files.write(existing, PREVIOUS);
        assertRefused("expected IN OUT.safetensors, got 1 argument", "convert", in.toString());
        assertRefused("unknown option '--force'", "convert", "--force", in.toString(), existing.toString());
        assertRefused("OUT must end with .safetensors (convert writes safetensors), got " + in, "convert",
                in.toString(), in.toString());
        assertRefused("IN " + dir.resolve("absent.pt") + ": no such file", "convert",
                dir.resolve("absent.pt").toString(), existing.toString());
        Files.createDirectory(dir.resolve("d.safetensors"));
        assertRefused("is a directory", "convert", in.toString(), dir.resolve("d.safetensors").toString());
        assertRefused("cannot create the file", "convert", in.toString(),
                dir.resolve("no/such/dir/o.safetensors").toString());
        assertArrayEquals(PREVIOUS, Files.readAllBytes(existing));
    }

    /** Exit 2, exactly one line on stderr containing {@code expected}, nothing on stdout. */
    static void assertRefused(String expected, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(2, run.status(), "exit status; stderr: " + run.err());
        assertEquals(1, run.errLines(), "one line on stderr, got: " + run.err());
        assertTrue(run.err().startsWith("jrnn " + args[0] + ": "), run.err());
        assertTrue(run.err().contains(expected), "expected '" + expected + "' in: " + run.err());
        assertEquals("", run.out(), "nothing on stdout");
    }
}
