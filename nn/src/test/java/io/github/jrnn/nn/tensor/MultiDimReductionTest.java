package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.testing.GoldenJson;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sum / mean over several dimensions: torch's refusals (texts from tools/make_multidim_golden.py; the values and
 * gradients are TensorOpsGoldenTest's {@code *_dims_*} cases) and what a reduction over no dimension records.
 */
class MultiDimReductionTest {

    private static final Tensor X = Torch.arange(0, 120, 1).reshape(2, 3, 4, 5);

    @Test
    void refusalsStartWithTorchsMessages() {
        Map<String, Object> torch = GoldenJson.object(GoldenJson.load("/golden/tensor_ops_multidim_errors.json"));
        IllegalArgumentException repeated = assertThrows(IllegalArgumentException.class,
                () -> X.sum(new int[] {0, -4}, false));
        assertTrue(repeated.getMessage().startsWith((String) torch.get("sum_dims_repeated")),
                repeated.getMessage());
        IndexOutOfBoundsException range = assertThrows(IndexOutOfBoundsException.class,
                () -> X.mean(new int[] {1, 4}, false));
        assertTrue(range.getMessage().startsWith((String) torch.get("mean_dims_out_of_range")), range.getMessage());
    }

    @Test
    void anEmptyListReducesEverythingAndKeepdimKeepsEveryDimension() {
        Tensor all = X.sum(new int[0], true);
        assertArrayEquals(new int[] {1, 1, 1, 1}, all.shape());
        assertEquals(119 * 120 / 2f, all.item()); // 0 + 1 + ... + 119, exact in float
        assertEquals(X.sum().item(), X.sum(new int[0], false).item());
    }

    @Test
    void nothingIsRecordedWithoutGradMode() {
        Tensor x = X.copy().requiresGrad(true);
        try (GradMode.Scope _ = GradMode.noGrad()) {
            assertNull(x.mean(new int[] {0, 2}, false).gradFn());
        }
        assertEquals("MeanBackward1", x.mean(new int[] {0, 2}, false).gradFn().name());
    }
}
