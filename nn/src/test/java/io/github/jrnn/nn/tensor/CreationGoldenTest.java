package io.github.jrnn.nn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

/**
 * Creation and inspection against torch 1.13 ({@code golden/shape/creation.safetensors}): {@code arange} values bit
 * for bit and sizes by {@code ceil((end - start) / step)}, {@code eye}, {@code allclose} (defaults, tolerances,
 * NaN, infinities, broadcasting) and {@code equal}; plus {@code ones}/{@code full}/{@code *Like}, {@code item} and
 * the creation errors in torch's words.
 */
class CreationGoldenTest {

    @TestFactory
    Stream<DynamicTest> creationAndComparisonEqualTorchs() throws Exception {
        SafeTensorsFile f = ShapeOpSpec.fixture("creation.safetensors");
        Map<String, String> meta = f.metadata();
        return meta.keySet().stream().filter(k -> k.startsWith("args.")).sorted()
                .map(k -> DynamicTest.dynamicTest(k.substring(5), () -> {
                    String[] kindAndCase = k.substring(5).split("\\.", 2);
                    String c = kindAndCase[1];
                    String[] args = meta.get(k).isEmpty() ? new String[0] : meta.get(k).split(" ");
                    switch (kindAndCase[0]) {
                        case "arange" -> {
                            Tensor expected = f.tensor("arange." + c);
                            Tensor got = Torch.arange(Double.parseDouble(args[0]), Double.parseDouble(args[1]),
                                    Double.parseDouble(args[2]));
                            assertArrayEquals(expected.shape(), got.shape());
                            assertArrayEquals(expected.data(), got.data());
                        }
                        case "eye" -> assertEquals(f.tensor("eye." + c), Torch.eye(Integer.parseInt(args[0]),
                                Integer.parseInt(args[1])));
                        case "allclose" -> {
                            Tensor a = f.tensor("a." + c);
                            Tensor b = f.tensor("b." + c);
                            boolean close = args.length == 0 ? a.allclose(b)
                                    : a.allclose(b, Double.parseDouble(args[0]), Double.parseDouble(args[1]));
                            assertEquals(Boolean.parseBoolean(meta.get("close." + c).toLowerCase()), close);
                            assertEquals(Boolean.parseBoolean(meta.get("equal." + c).toLowerCase()), a.equal(b));
                        }
                        default -> throw new IllegalStateException(k);
                    }
                }));
    }

    @Test
    void filledCreationsHaveTheShapeAndValue() {
        assertEquals(Tensor.of(new float[] {1, 1, 1, 1, 1, 1}, 2, 3), Torch.ones(2, 3));
        assertEquals(Tensor.of(new float[] {2.5f, 2.5f}, 2), Torch.full(2.5f, 2));
        Tensor x = Tensor.of(new float[] {4, 5, 6}, 3, 1).requiresGrad(true);
        assertEquals(Tensor.zeros(3, 1), Torch.zerosLike(x));
        assertEquals(Torch.ones(3, 1), Torch.onesLike(x));
        assertEquals(Torch.full(-1f, 3, 1), Torch.fullLike(x, -1f));
        assertNull(Torch.onesLike(x).gradFn());
        assertFalse(Torch.onesLike(x).requiresGrad());
        assertEquals(Tensor.of(new float[] {0, 1, 2, 3}, 4), Torch.arange(4));
        assertSame(x, x.contiguous());
    }

    @Test
    void itemReadsTheOneElementAndRefusesMore() {
        assertEquals(-2.5f, Tensor.of(new float[] {-2.5f}, 1, 1).item());
        assertEquals(3f, Torch.full(3f).item());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Torch.ones(2, 3).item());
        assertTrue(e.getMessage().startsWith("only one element tensors can be converted to Python scalars; hint:"),
                e.getMessage());
    }

    @Test
    void creationErrorsUseTorchsWords() {
        // texts of torch 1.13: torch.ones(-1), torch.eye(-1), torch.arange(0, 1, 0), torch.arange(0, 1, -1)
        assertMessage("Trying to create tensor with negative dimension -1: [-1]", () -> Torch.ones(-1));
        assertMessage("n must be greater or equal to 0, got -1", () -> Torch.eye(-1));
        assertMessage("step must be nonzero", () -> Torch.arange(0, 1, 0));
        assertMessage("upper bound and larger bound inconsistent with step sign", () -> Torch.arange(0, 1, -1));
        // torch.allclose(torch.zeros(2, 3), torch.zeros(4))
        assertMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
                () -> Tensor.zeros(2, 3).allclose(Tensor.zeros(4)));
    }

    private static void assertMessage(String torch, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(torch + "; hint: "), () -> "expected " + torch + "; got "
                + e.getMessage());
    }
}
