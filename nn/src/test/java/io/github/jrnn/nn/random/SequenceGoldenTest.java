package io.github.jrnn.nn.random;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** interleaved calls and reseeding recorded by {@code tools/make_random_golden.py} (sequence.safetensors), replayed and compared bitwise. */
class SequenceGoldenTest {

    @TestFactory
    Stream<DynamicTest> matchesTorchBitwise() {
        return GoldenFixture.load("sequence.safetensors").cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> TorchReplay.replay(c)));
    }
}
