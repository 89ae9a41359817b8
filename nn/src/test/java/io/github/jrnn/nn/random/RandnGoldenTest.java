package io.github.jrnn.nn.random;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** torch.randn recorded by {@code tools/make_random_golden.py} (randn.safetensors), replayed and compared bitwise. */
class RandnGoldenTest {

    @TestFactory
    Stream<DynamicTest> matchesTorchBitwise() {
        return GoldenFixture.load("randn.safetensors").cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> TorchReplay.replay(c)));
    }
}
