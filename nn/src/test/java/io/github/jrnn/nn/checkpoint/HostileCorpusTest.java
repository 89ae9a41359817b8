package io.github.jrnn.nn.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed corpus {@code src/test/resources/checkpoint/hostile/}: every case of
 * {@link SafeTensorsHostileFilesTest#hostileFiles()} as a file named after it, so fuzzers (the jqwik properties in
 * {@code property-tests/.../fuzz}, Jazzer) can start from them. The test fails when the corpus and the cases drift
 * apart; regenerate with
 * {@code ./jrnn test -pl nn -am -Dtest=HostileCorpusTest -Djrnn.hostile.write=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HostileCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/checkpoint/hostile");

    /** File name to contents, one per hostile case, e.g. {@code header-length-above-the-cap.safetensors}. */
    static Map<String, Arguments> cases() {
        Map<String, Arguments> out = new LinkedHashMap<>();
        SafeTensorsHostileFilesTest.hostileFiles().forEach(a -> {
            String what = (String) a.get()[0];
            String name = what.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "")
                    + ".safetensors";
            if (out.put(name, a) != null) {
                throw new IllegalStateException("two hostile cases map to the file name " + name);
            }
        });
        return out;
    }

    @Test
    void committedCorpusHoldsExactlyTheHostileCasesAndEachIsRefused() throws IOException {
        Map<String, Arguments> cases = cases();
        if (Boolean.getBoolean("jrnn.hostile.write")) {
            Files.createDirectories(CORPUS);
            for (Map.Entry<String, Arguments> c : cases.entrySet()) {
                Files.write(CORPUS.resolve(c.getKey()), (byte[]) c.getValue().get()[1]);
            }
        }
        TreeSet<String> committed = new TreeSet<>();
        try (var files = Files.list(CORPUS)) {
            files.forEach(f -> committed.add(f.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(cases.keySet()), committed, "corpus files (regenerate: see the class comment)");
        for (Map.Entry<String, Arguments> c : cases.entrySet()) {
            Object[] a = c.getValue().get();
            Path file = CORPUS.resolve(c.getKey());
            assertTrue(Arrays.equals((byte[]) a[1], Files.readAllBytes(file)), c.getKey() + " differs from its case");
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(file),
                    c.getKey());
            assertEquals(a[2], e.tensor(), e.getMessage());
            assertTrue(e.getMessage().contains((String) a[3]), e.getMessage());
        }
        assertTrue(committed.size() >= 40, "corpus size " + committed.size());
    }
}
