package io.github.jrnn.nn.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every call recorded by {@code tools/make_random_golden.py} in {@code golden/random/*.safetensors}, replayed on a
 * jrnn {@link Generator} seeded as torch was ({@link TorchReplay}) and compared bitwise: values, and the
 * generator state byte for byte where the case recorded {@code torch.get_rng_state()}.
 */
class RandomGoldenTest {

    /** Fixture file to the torch calls it records. */
    private static final Map<String, String> FIXTURES = Map.of(
            "uniform.safetensors", "torch.empty(n).uniform_(from, to) and torch.get_rng_state()",
            "randn.safetensors", "torch.randn",
            "normal.safetensors", "torch.rand and normal_",
            "bernoulli.safetensors", "bernoulli_ and F.dropout",
            "integers.safetensors", "torch.randint and torch.randperm",
            "init.safetensors", "nn.init and module default initialisation",
            "sequence.safetensors", "interleaved calls and reseeding");

    @TestFactory
    Stream<DynamicNode> matchesTorchBitwise() {
        return new TreeSet<>(FIXTURES.keySet()).stream().map(file -> DynamicContainer.dynamicContainer(
                file + ": " + FIXTURES.get(file),
                GoldenFixture.load(file).cases().stream()
                        .map(c -> DynamicTest.dynamicTest(c.toString(), () -> TorchReplay.replay(c)))));
    }

    @Test
    void everyFixtureTheScriptWroteIsReplayed() throws IOException, URISyntaxException {
        Path dir = Path.of(RandomGoldenTest.class.getResource("/golden/random").toURI());
        TreeSet<String> written = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).forEach(written::add);
        }
        assertEquals(new TreeSet<>(FIXTURES.keySet()), written);
    }
}
