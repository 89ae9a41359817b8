package io.github.jrnn.nn.tensor;

import static io.github.jrnn.nn.testing.GoldenJson.floats;
import static io.github.jrnn.nn.testing.GoldenJson.list;
import static io.github.jrnn.nn.testing.GoldenJson.longs;
import static io.github.jrnn.nn.testing.GoldenJson.number;
import static io.github.jrnn.nn.testing.GoldenJson.object;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.jrnn.nn.testing.GoldenJson;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TorchTopK} lists equal values in torch 1.13's order (golden/sampling/sampling.json "topk_ties", written by
 * tools/make_sampling_golden.py from {@code torch.topk} on lines of few distinct values): the partial-sort path
 * ({@code 64 k <= n}), the select-then-sort path below and above libstdc++'s 16-element insertion-sort threshold,
 * and k = n.
 */
class TorchTopKTest {

    static Stream<Map<String, Object>> ties() {
        return list(object(GoldenJson.load("/golden/sampling/sampling.json")).get("topk_ties")).stream()
                .map(GoldenJson::object);
    }

    @ParameterizedTest(name = "{index}: k = {0}")
    @MethodSource("ties")
    void tiesComeInTorchsOrder(Map<String, Object> c) {
        float[] values = floats(c.get("values"));
        int[] top = TorchTopK.largest(values, (int) number(c.get("k")));
        assertArrayEquals(longs(c.get("indices")), Arrays.stream(top).asLongStream().toArray(),
                values.length + " values, k = " + c.get("k"));
    }
}
