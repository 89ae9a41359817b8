package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradMode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorsTest {

    @Test
    void addSumsElementwiseAndSendsTheGradientToBothInputs() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {10, 20, 30}, 3).requiresGrad(true);
        Tensor sum = Tensors.add(a, b);
        assertArrayEquals(new float[] {11, 22, 33}, sum.data());
        assertEquals("AddBackward", sum.gradFn().name());
        sum.backward(Tensor.of(new float[] {0.5f, -1, 2}, 3));
        assertArrayEquals(new float[] {0.5f, -1, 2}, a.grad().data());
        assertArrayEquals(new float[] {0.5f, -1, 2}, b.grad().data());
    }

    @Test
    void addingATensorToItselfDoublesItsGradient() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensors.add(a, a).backward(Tensor.of(new float[] {1, 3}, 2));
        assertArrayEquals(new float[] {2, 6}, a.grad().data());
    }

    @Test
    void addRecordsNothingWhenNoInputNeedsAGradient() {
        assertNull(Tensors.add(Tensor.zeros(2), Tensor.zeros(2)).gradFn());
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        try (GradMode.Scope _ = GradMode.noGrad()) {
            assertNull(Tensors.add(a, a).gradFn());
        }
    }

    @Test
    void addRefusesDifferentShapesAndNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensors.add(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensors.add(null, Tensor.zeros(1)));
    }
}
