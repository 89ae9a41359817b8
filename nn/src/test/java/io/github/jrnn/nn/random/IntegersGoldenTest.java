package io.github.jrnn.nn.random;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** torch.randint and torch.randperm recorded by {@code tools/make_random_golden.py} (integers.safetensors), replayed and compared bitwise. */
class IntegersGoldenTest {

    @TestFactory
    Stream<DynamicTest> matchesTorchBitwise() {
        return GoldenFixture.load("integers.safetensors").cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> TorchReplay.replay(c)));
    }
}
