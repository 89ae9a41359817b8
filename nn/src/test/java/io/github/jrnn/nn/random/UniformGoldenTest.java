package io.github.jrnn.nn.random;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * {@code torch.empty(n).uniform_(from, to)} and {@code torch.get_rng_state()} recorded by
 * {@code tools/make_random_golden.py} (uniform.safetensors): every value bitwise, the state byte for byte.
 */
class UniformGoldenTest {

    @TestFactory
    Stream<DynamicTest> uniformMatchesTorchBitwise() {
        return GoldenFixture.load("uniform.safetensors").cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> TorchReplay.replay(c)));
    }
}
