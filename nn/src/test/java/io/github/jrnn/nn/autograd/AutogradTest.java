package io.github.jrnn.nn.autograd;

import io.github.jrnn.nn.tensor.Tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AutogradTest {

    private static Tensor leaf() {
        return Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
    }

    @Test
    void gradientFlowsBackThroughViewsTransposeAndSelect() {
        // x = [[a b c], [d e f]] -> reshape(3, 2) = [[a b], [c d], [e f]] -> transpose = [[a c e], [b d f]]
        // -> select(1) = [b d f]; so the gradient [1 2 3] lands on b, d, f.
        Tensor x = leaf();
        Tensor z = x.reshape(3, 2).transpose(0, 1).select(1);
        assertArrayEquals(new float[] {2, 4, 6}, z.data());
        z.backward(Tensor.of(new float[] {1, 2, 3}, 3));
        assertArrayEquals(new float[] {0, 1, 0, 2, 0, 3}, x.grad().data());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilCleared() {
        Tensor x = leaf();
        x.unsqueeze(0).squeeze(0).view(-1).backward(Tensor.full(1f, 6));
        x.copy().backward(Tensor.full(2f, 2, 3));
        assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3}, x.grad().data());
        x.clearGrad();
        assertNull(x.grad());
    }

    @Test
    void aSecondBackwardThroughTheSameGraphIsRefused() {
        Tensor y = leaf().reshape(6);
        y.backward(Tensor.full(1f, 6));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.backward(Tensor.full(1f, 6)));
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void backwardWithoutGradientNeedsAOneElementTensor() {
        Tensor y = leaf().reshape(6);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("only for scalar outputs") && e.getMessage().contains("[6]"),
                e.getMessage());
    }

    @Test
    void backwardOfATensorThatNeedsNoGradientExplainsWhy() {
        Tensor y = Tensor.zeros(1).reshape(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void noGradScopeRecordsNothingAndRestoresTheMode() {
        Tensor x = leaf();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            Tensor y = x.reshape(6);
            assertTrue(y.isLeaf());
            assertFalse(y.requiresGrad());
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(x.reshape(6).isLeaf());
    }

    @Test
    void noGradBodyReturnsItsResultUnrecordedAndRestoresTheModeEvenWhenItThrows() {
        Tensor x = leaf();
        Tensor y = GradMode.noGrad(() -> x.reshape(6));
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
        assertTrue(GradMode.isEnabled());

        IllegalStateException thrown = new IllegalStateException("body failed");
        try (GradMode.Scope _ = GradMode.noGrad()) {
            // nested: the inner call must restore "off", the outer scope "on"
            assertThrows(IllegalStateException.class, () -> GradMode.noGrad(() -> {
                throw thrown;
            }));
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradMode.noGrad((java.util.function.Supplier<Tensor>) null));
        assertTrue(e.getMessage().contains("body"), e.getMessage());
    }

    @Test
    void requiresGradCanOnlyBeChangedOnLeaves() {
        Tensor y = leaf().reshape(6);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("leaf"), e.getMessage());
        assertTrue(y.detach().isLeaf());
        assertFalse(y.detach().requiresGrad());
    }

    @Test
    void mismatchedGradientShapeIsRefused() {
        Tensor y = leaf().reshape(6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("[6]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }
}
