package io.github.jrnn.nn.random;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** nn.init and module default initialisation recorded by {@code tools/make_random_golden.py} (init.safetensors), replayed and compared bitwise. */
class InitGoldenTest {

    @TestFactory
    Stream<DynamicTest> matchesTorchBitwise() {
        return GoldenFixture.load("init.safetensors").cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> TorchReplay.replay(c)));
    }
}
