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
 * {@link Tensor#topk} lists equal values with torch 1.13's indices (golden/sampling/sampling.json "topk_ties",
 * written by tools/make_sampling_golden.py from {@code torch.topk} on tensors of few distinct values): the
 * partial-sort path ({@code 64 k <= n}), the select-then-sort path below and above libstdc++'s 16-element
 * insertion-sort threshold, k = n, the smallest, NaN and -0.0 among the ties, and 2-D and 3-D tensors along inner
 * and outer dims. Values are compared bit for bit (-0.0 is not 0.0, NaN is NaN), indices exactly.
 */
class TopkTiesGoldenTest {

    static Stream<Map<String, Object>> ties() {
        return list(object(GoldenJson.load("/golden/sampling/sampling.json")).get("topk_ties")).stream()
                .map(GoldenJson::object);
    }

    @ParameterizedTest(name = "{index}: k = {0}")
    @MethodSource("ties")
    void tiesComeWithTorchsIndices(Map<String, Object> c) {
        int[] shape = Arrays.stream(longs(c.get("shape"))).mapToInt(Math::toIntExact).toArray();
        int k = (int) number(c.get("k"));
        int dim = (int) number(c.get("dim"));
        boolean largest = (Boolean) c.get("largest");
        ValuesAndIndices top = Tensor.of(floats(c.get("values")), shape).topk(k, dim, largest);
        String what = Tensor.shapeString(shape) + ", k = " + k + ", dim = " + dim + ", largest = " + largest;
        assertArrayEquals(longs(c.get("indices")), top.indices().data(), what + ": indices");
        assertArrayEquals(floats(c.get("top")), top.values().data(), what + ": values");
    }
}
