package io.github.jrnn.nn.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files the reader must refuse, each with the text its message must contain, from the manifests
 * {@code refused.expected.txt} (files torch writes that are not state dicts: a TorchScript archive, a whole pickled
 * module, a bare tensor, a numpy array, deflated entries) and {@code hostile.expected.txt} (hand-built: code
 * execution gadgets, memo and stack abuse, deep nesting, huge length fields, storages shorter than their tensors,
 * broken zips and truncations); see {@code tools/make_torch_pickle_fixtures.py}. Each is read from a path, from bytes
 * and from a stream; each must give a {@link CheckpointFormatException} naming the file, and nothing else.
 */
class StateDictsRefusalTest {

    static Stream<Arguments> refusals() {
        return Stream.concat(manifest("refused"), manifest("hostile"));
    }

    static Stream<Arguments> manifest(String kind) {
        try {
            List<Arguments> out = new ArrayList<>();
            for (String line : Files.readAllLines(StateDictsTorchFixtureTest.DIR.resolve(kind + ".expected.txt"),
                    StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    String[] parts = line.split("\t", 2);
                    out.add(Arguments.of(StateDictsTorchFixtureTest.DIR.resolve(kind).resolve(parts[0]), parts[1]));
                }
            }
            return out.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedWithAMessageThatSaysWhy(Path file, String expected) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getFileName().toString();
        List<CheckpointFormatException> refusals = List.of(
                assertThrows(CheckpointFormatException.class, () -> StateDicts.read(file)),
                assertThrows(CheckpointFormatException.class, () -> StateDicts.read(bytes, name)),
                assertThrows(CheckpointFormatException.class,
                        () -> StateDicts.read(new ByteArrayInputStream(bytes), name)));
        for (CheckpointFormatException e : refusals) {
            assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
            assertTrue(e.getMessage().startsWith(file.toString()) || e.getMessage().startsWith(name),
                    e.getMessage());
        }
        assertEquals(refusals.get(1).problem(), refusals.get(2).problem());
    }

    @Test
    void everyHostileFileIsInTheManifest() throws IOException {
        TreeSet<String> listed = new TreeSet<>();
        manifest("hostile").forEach(a -> listed.add(((Path) a.get()[0]).getFileName().toString()));
        TreeSet<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(StateDictsTorchFixtureTest.DIR.resolve("hostile"))) {
            files.forEach(f -> present.add(f.getFileName().toString()));
        }
        assertEquals(present, listed);
        assertTrue(listed.size() >= 60, "hostile corpus size " + listed.size());
    }
}
