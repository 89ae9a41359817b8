package io.github.jrnn.nn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.testing.FiniteDifferences;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Recording rules of the tensor operations (a node named like torch's grad_fn when an input requires grad, none
 * under {@code GradMode.noGrad()} or when nothing requires grad) and central-difference checks of backward
 * formulas through compositions that the golden cases do not chain: attention-like softmax over a non-last
 * dimension of a broadcast product, masked fill before log-softmax, p-norms and logsumexp.
 */
class TensorOpsAutogradTest {

    private static Tensor random(Generator g, int... shape) {
        return Torch.randn(g, shape).requiresGrad(true);
    }

    @Test
    void operationsRecordTheirNodeOnlyWhenAnInputRequiresGradAndRecordingIsOn() {
        Generator g = new Generator(3);
        Tensor x = random(g, 2, 3);
        Tensor plain = Torch.randn(g, 2, 3);
        assertEquals("MulBackward0", x.mul(plain).gradFn().name());
        assertEquals("SoftmaxBackward0", x.softmax(0).gradFn().name());
        assertEquals("BmmBackward0", x.unsqueeze(0).matmul(plain.t().unsqueeze(0)).gradFn().name());
        assertNull(plain.mul(plain).gradFn());
        try (GradMode.Scope _ = GradMode.noGrad()) {
            Tensor y = x.mul(plain).sum(1, true).logSoftmax(0);
            assertNull(y.gradFn());
            assertEquals(false, y.requiresGrad());
        }
    }

    private static void check(String what, Tensor input, Function<Tensor, Tensor> f) {
        Tensor out = f.apply(input);
        float[] weights = Torch.randn(new Generator(7), out.shape()).data();
        out.backward(Tensor.of(weights, out.shape()));
        double[] numeric = FiniteDifferences.gradient(input, 1e-2,
                () -> FiniteDifferences.weightedSum(f.apply(input), weights));
        FiniteDifferences.assertMatches(what, numeric, input.grad().data(), 2e-3, 2e-3);
    }

    @Test
    void compositionsAgreeWithCentralDifferences() {
        Generator g = new Generator(5);
        Tensor keys = Torch.randn(g, 4, 1, 3);
        check("softmax over dim 0 of a broadcast product", random(g, 2, 3),
                q -> keys.mul(q).sum(-1, false).softmax(0));
        boolean[] pad = {false, false, true, false, true};
        check("masked log-softmax", random(g, 2, 5),
                x -> x.maskedFill(BoolTensor.of(pad, 5), -1e9f).logSoftmax(-1).exp().mul(x.sigmoid()));
        check("3-norm along 1", random(g, 3, 4), x -> x.norm(3f, 1, true).div(x.abs().add(1f)));
        check("logsumexp along 0 then matmul", random(g, 3, 4),
                x -> x.logsumexp(0, true).matmul(x.t()).tanh());
        check("batched matmul with a broadcast batch", random(g, 2, 1, 3, 2),
                x -> x.matmul(keys.view(2, 2, 3).clamp(-1f, 1f)).pow(2f));
    }
}
