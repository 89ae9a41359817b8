package io.github.jrnn.nn.tensor;

import static io.github.jrnn.nn.testing.GoldenJson.floats;
import static io.github.jrnn.nn.testing.GoldenJson.list;
import static io.github.jrnn.nn.testing.GoldenJson.longs;
import static io.github.jrnn.nn.testing.GoldenJson.number;
import static io.github.jrnn.nn.testing.GoldenJson.object;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.random.Sampling;
import io.github.jrnn.nn.testing.GoldenJson;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded sampling equals torch 1.13's bit for bit (golden/sampling/sampling.json, written by
 * tools/make_sampling_golden.py): {@code torch.multinomial} with and without replacement on 1-D and 2-D weights,
 * {@code exponential_}, {@code torch.bernoulli(p)}, rand/randn/randint with shapes, and torch's refusals. After each
 * call the next {@code torch.rand(5)} is compared too, so the generator's state after the call (how many draws the
 * call took, refusals included) is torch's.
 */
class SamplingGoldenTest {

    private static final Map<String, Object> GOLDEN = object(GoldenJson.load("/golden/sampling/sampling.json"));

    static Stream<Map<String, Object>> multinomial() {
        return list(GOLDEN.get("multinomial")).stream().map(GoldenJson::object);
    }

    static Stream<Map<String, Object>> exponential() {
        return list(GOLDEN.get("exponential")).stream().map(GoldenJson::object);
    }

    static Stream<Map<String, Object>> bernoulli() {
        return list(GOLDEN.get("bernoulli")).stream().map(GoldenJson::object);
    }

    static Stream<Map<String, Object>> creation() {
        return list(GOLDEN.get("creation")).stream().map(GoldenJson::object);
    }

    static Stream<Map<String, Object>> errors() {
        return list(GOLDEN.get("errors")).stream().map(GoldenJson::object);
    }

    /** {@code torch.manual_seed(seed)}: a generator seeded as torch's default one is. */
    private static Generator seeded(Map<String, Object> c) {
        return new Generator(((Number) c.get("seed")).longValue());
    }

    private static int[] ints(Object shape) {
        return java.util.Arrays.stream(longs(shape)).mapToInt(Math::toIntExact).toArray();
    }

    private static Tensor tensor(Map<String, Object> c, String values) {
        return Tensor.of(floats(c.get(values)), ints(c.get("shape")));
    }

    /** The draw after the call equals torch's: the call left the generator where torch's was left. */
    private static void assertNextDraw(Map<String, Object> c, Generator g) {
        assertArrayEquals(floats(c.get("next_rand")), Torch.rand(g, 5).data(),
                c.get("name") + ": torch.rand(5) after the call");
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("multinomial")
    void multinomialDrawsTorchsCategories(Map<String, Object> c) {
        Generator g = seeded(c);
        LongTensor r = Torch.multinomial(g, tensor(c, "probs"), (int) number(c.get("num_samples")),
                (Boolean) c.get("replacement"));
        assertArrayEquals(ints(c.get("result_shape")), r.shape(), c.get("name") + ": shape");
        assertArrayEquals(longs(c.get("result")), r.data(), c.get("name") + ": sampled categories");
        assertNextDraw(c, g);
        Generator again = seeded(c);
        LongTensor method = tensor(c, "probs").multinomial((int) number(c.get("num_samples")),
                (Boolean) c.get("replacement"), again);
        assertArrayEquals(longs(c.get("result")), method.data(), c.get("name") + ": probs.multinomial(...)");
        assertNextDraw(c, again);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("exponential")
    void exponentialDrawsAreTorchsBitForBit(Map<String, Object> c) {
        Generator g = seeded(c);
        float[] out = new float[(int) number(c.get("n"))];
        Sampling.exponential(g, out, 0, out.length, number(c.get("lambda")));
        assertArrayEquals(floats(c.get("result")), out, c.get("name") + ": values");
        assertNextDraw(c, g);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("bernoulli")
    void bernoulliOfATensorOfProbabilitiesIsTorchs(Map<String, Object> c) {
        Generator g = seeded(c);
        Tensor r = Torch.bernoulli(g, tensor(c, "p"));
        assertArrayEquals(ints(c.get("shape")), r.shape());
        assertArrayEquals(floats(c.get("result")), r.data(), c.get("name") + ": values");
        assertNextDraw(c, g);
        Generator again = seeded(c);
        assertArrayEquals(floats(c.get("result")), tensor(c, "p").bernoulli(again).data(), c.get("name")
                + ": p.bernoulli(g)");
        assertNextDraw(c, again);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("creation")
    void randRandnAndRandintWithShapesAreTorchs(Map<String, Object> c) {
        Generator g = seeded(c);
        int[] shape = ints(c.get("shape"));
        switch ((String) c.get("call")) {
            case "rand" -> assertArrayEquals(floats(c.get("result")), Torch.rand(g, shape).data());
            case "randn" -> assertArrayEquals(floats(c.get("result")), Torch.randn(g, shape).data());
            default -> {
                LongTensor r = Torch.randint(g, (long) number(c.get("low")), (long) number(c.get("high")), shape);
                assertArrayEquals(shape, r.shape());
                assertArrayEquals(longs(c.get("result")), r.data());
            }
        }
        assertNextDraw(c, g);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("errors")
    void refusalsGiveTorchsMessageAfterTorchsDraws(Map<String, Object> c) {
        Generator g = seeded(c);
        Tensor probs = tensor(c, "probs");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            if (c.get("call").equals("multinomial")) {
                Torch.multinomial(g, probs, (int) number(c.get("num_samples")), (Boolean) c.get("replacement"));
            } else {
                Torch.bernoulli(g, probs);
            }
        });
        // torch appends "  (Could this error message be improved? ...)" to its bare TORCH_CHECK texts
        String torch = ((String) c.get("message")).split(" {2}\\(Could this error message be improved")[0];
        assertTrue(e.getMessage().startsWith(torch), c.get("name") + ": torch says '" + torch + "', jrnn '"
                + e.getMessage() + "'");
        assertEquals(e.getMessage().length() > torch.length(), true, c.get("name") + ": a hint follows");
        assertNextDraw(c, g);
    }
}
