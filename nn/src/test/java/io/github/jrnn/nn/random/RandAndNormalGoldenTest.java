package io.github.jrnn.nn.random;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** torch.rand and normal_ recorded by {@code tools/make_random_golden.py} (normal.safetensors), replayed and compared bitwise. */
class RandAndNormalGoldenTest {

    @TestFactory
    Stream<DynamicTest> matchesTorchBitwise() {
        return GoldenFixture.load("normal.safetensors").cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> TorchReplay.replay(c)));
    }
}
