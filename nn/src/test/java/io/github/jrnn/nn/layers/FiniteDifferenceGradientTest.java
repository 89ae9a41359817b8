package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;
import static io.github.jrnn.nn.testing.FiniteDifferences.assertMatches;
import static io.github.jrnn.nn.testing.FiniteDifferences.gradient;
import static io.github.jrnn.nn.testing.FiniteDifferences.weightedSum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.loss.BCEWithLogitsLoss;
import io.github.jrnn.nn.loss.Reduction;
import io.github.jrnn.nn.loss.SmoothL1Loss;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNNCell;
import io.github.jrnn.nn.rnn.RecurrentCellBase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each module's backward against central differences of its own forward (scalar kernels, small sizes), on the
 * loss {@code L = sum(out * g)} for a fixed random g: step {@value #STEP}, agreement within
 * {@value #ABSOLUTE} + {@value #RELATIVE} * |numerical|. The error budget (on
 * {@link io.github.jrnn.nn.testing.FiniteDifferences}) is below 2e-4, so the bound leaves a factor 2.5; the largest
 * difference seen in these cases is 5e-5, while a wrong gradient term is off by 1e-2 or more. The cells run two
 * steps, so the gradient also travels from the second step's hx (and cx) into the first step.
 */
class FiniteDifferenceGradientTest {

    static final double STEP = 1e-2;
    static final double ABSOLUTE = 5e-4;
    static final double RELATIVE = 5e-4;

    private static final Kernels SCALAR = KernelProvider.checkedScalar();
    private static final int IN = 3;
    private static final int HIDDEN = 4;
    private static final int BATCH = 2;

    /** A tensor the check differentiates: a parameter's value or an input leaf. */
    private record Leaf(String name, Tensor tensor) {
    }

    /**
     * Runs {@code forward} once with recording, back-propagates g, then compares every leaf's gradient with the
     * central differences of {@code sum(forward() * g)}.
     */
    private static void check(String what, List<Leaf> leaves, Supplier<Tensor> forward, long seed) {
        Tensor out = forward.get();
        float[] g = uniform(seed, out.numel());
        out.backward(Tensor.of(g.clone(), out.shape()));
        for (Leaf leaf : leaves) {
            Tensor grad = leaf.tensor().grad();
            assertNotNull(grad, what + ": no gradient reached " + leaf.name());
            double[] numeric = gradient(leaf.tensor(), STEP, () -> weightedSum(forward.get(), g));
            assertMatches(what + " " + leaf.name(), numeric, grad.data(), ABSOLUTE, RELATIVE);
        }
    }

    private static List<Leaf> parameters(Module m) {
        List<Leaf> leaves = new ArrayList<>();
        m.namedParameters().forEach((name, p) -> leaves.add(new Leaf(name, p.value())));
        return leaves;
    }

    private static float[] uniform(long seed, int n) {
        float[] v = new float[n];
        new Generator(seed).uniform(v, 0, n, -1, 1);
        return v;
    }

    private static Tensor input(long seed, int... shape) {
        Tensor t = Tensor.of(uniform(seed, Tensor.checkedNumel(shape)), shape);
        return t.requiresGrad(true);
    }

    @Test
    void linearWithBiasOn3dInput() {
        Linear m = new Linear(IN, 5, true, new Generator(1), SCALAR);
        Tensor x = input(2, 2, 3, IN);
        List<Leaf> leaves = parameters(m);
        leaves.add(new Leaf("input", x));
        check("Linear 3-D", leaves, () -> m.forward(x), 3);
    }

    @Test
    void linearWithoutBiasOn2dInput() {
        Linear m = new Linear(IN, 5, false, new Generator(4), SCALAR);
        Tensor x = input(5, 4, IN);
        List<Leaf> leaves = parameters(m);
        leaves.add(new Leaf("input", x));
        check("Linear 2-D", leaves, () -> m.forward(x), 6);
    }

    @Test
    void layerNormOverTwoTrailingDimensionsWithAffine() {
        LayerNorm m = new LayerNorm(new int[] {2, 3}, 1e-5, true, SCALAR);
        for (Parameter p : m.parameters()) { // not the initial ones and zeros: every term of the gradient counts
            new Generator(14).uniform(p.data(), 0, p.numel(), 0.5f, 1.5f);
            p.markModified();
        }
        Tensor x = input(15, 4, 2, 3);
        List<Leaf> leaves = parameters(m);
        leaves.add(new Leaf("input", x));
        check("LayerNorm (2, 3)", leaves, () -> m.forward(x), 16);
    }

    @Test
    void bceWithLogitsWithWeightAndPosWeight() {
        Tensor x = input(17, 3, 4);
        Tensor target = Tensor.of(uniform(18, 12), 3, 4);
        for (int i = 0; i < 12; i++) {
            target.data()[i] = (target.data()[i] + 1) / 2; // soft targets in [0, 1]
        }
        Tensor weight = Tensor.of(new float[] {0.5f, 1f, 2f, 1.5f}, 4);
        Tensor posWeight = Tensor.of(new float[] {3f, 1f, 0.5f, 2f}, 4);
        BCEWithLogitsLoss loss = new BCEWithLogitsLoss(weight, Reduction.NONE, posWeight);
        check("BCEWithLogits", List.of(new Leaf("input", x)), () -> loss.forward(x, target), 19);
    }

    @Test
    void smoothL1AwayFromItsKinks() {
        // |d| near beta or 0 would straddle a kink within one step: the inputs keep |d| in [0.1, 0.4] or above 0.6
        float[] d = {0.1f, -0.3f, 0.4f, -0.2f, 0.9f, -1.4f, 0.7f, -0.65f};
        Tensor target = Tensor.of(uniform(20, 8), 8);
        float[] x0 = new float[8];
        for (int i = 0; i < 8; i++) {
            x0[i] = target.data()[i] + d[i];
        }
        Tensor x = Tensor.of(x0, 8).requiresGrad(true);
        SmoothL1Loss loss = new SmoothL1Loss(Reduction.NONE, 0.5);
        check("SmoothL1", List.of(new Leaf("input", x)), () -> loss.forward(x, target), 21);
    }

    @Test
    void embeddingWithRepeatedIndices() {
        Embedding m = new Embedding(6, 3, null, new Generator(7), SCALAR);
        long[] indices = {1, 4, 4, 0, 1, 1};
        check("Embedding", parameters(m), () -> m.forward(indices, 2, 3), 8);
    }

    /**
     * The padding row is read by the forward, so its numerical derivative is not zero; PyTorch (and jrnn) treat
     * it as constant and give it no gradient. The other rows match central differences.
     */
    @Test
    void embeddingPaddingRowGetsNoGradient() {
        int dim = 3;
        int padding = 2;
        Embedding m = new Embedding(5, dim, padding, new Generator(9), SCALAR);
        Tensor weight = m.namedParameters().get("weight").value();
        weight.data()[padding * dim] = 0.5f; // a non-zero padding row, so that the forward really depends on it
        long[] indices = {2, 0, 2, 4, 0};
        Tensor out = m.forward(indices);
        float[] g = uniform(10, out.numel());
        out.backward(Tensor.of(g.clone(), out.shape()));
        double[] numeric = gradient(weight, STEP, () -> weightedSum(m.forward(indices), g));
        float[] analytic = weight.grad().data();
        for (int j = 0; j < dim; j++) {
            assertEquals(0.0, analytic[padding * dim + j], 0.0, "padding row gradient");
            assertTrue(Math.abs(numeric[padding * dim + j]) > 1e-2, "the padding row is used by the forward");
            numeric[padding * dim + j] = 0;
        }
        assertMatches("Embedding padding", numeric, analytic, ABSOLUTE, RELATIVE);
    }

    /** A fixed mask: the dropout's generator is reseeded before every forward, so each draws the same mask. */
    @Test
    void dropoutWithAFixedMask() {
        Generator generator = new Generator();
        Dropout m = new Dropout(0.4, generator, SCALAR);
        Tensor x = input(11, 4, 5);
        Supplier<Tensor> forward = () -> {
            generator.setSeed(12);
            return m.forward(x);
        };
        check("Dropout", List.of(new Leaf("input", x)), forward, 13);
        // The gradient is g * mask: zero exactly where the forward dropped the element, g / 0.6 elsewhere.
        Tensor out = forward.get();
        float[] grad = x.grad().data();
        int dropped = 0;
        for (int i = 0; i < grad.length; i++) {
            if (out.data()[i] == 0) {
                assertEquals(0.0, grad[i], 0.0, "gradient of a dropped element " + i);
                dropped++;
            }
        }
        assertTrue(dropped > 0 && dropped < grad.length, "the mask keeps some elements and drops some");
    }

    @Test
    void dropoutInEvaluationModeIsTheIdentityWithoutANode() {
        Dropout m = new Dropout(0.4, new Generator(1), SCALAR);
        m.eval();
        Tensor x = input(1, 3);
        assertSame(x, m.forward(x));
        assertNull(x.gradFn());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tanh", "relu"})
    void rnnCellBatchedOverTwoSteps(String nonlinearity) {
        RNNCell cell = new RNNCell(IN, HIDDEN, true, nonlinearity, new Generator(20), SCALAR);
        checkTwoSteps("RNNCell " + nonlinearity, cell, true, true, (x1, x2, hx, cx) ->
                cell.forward(x2, cell.forward(x1, hx)));
    }

    @Test
    void rnnCellUnbatchedWithoutBias() {
        RNNCell cell = new RNNCell(IN, HIDDEN, false, "tanh", new Generator(21), SCALAR);
        checkTwoSteps("RNNCell unbatched", cell, false, true, (x1, x2, hx, cx) ->
                cell.forward(x2, cell.forward(x1, hx)));
    }

    @Test
    void gruCellBatchedOverTwoSteps() {
        GRUCell cell = new GRUCell(IN, HIDDEN, true, new Generator(22), SCALAR);
        checkTwoSteps("GRUCell", cell, true, true, (x1, x2, hx, cx) -> cell.forward(x2, cell.forward(x1, hx)));
    }

    @Test
    void gruCellUnbatchedFromZeroState() {
        GRUCell cell = new GRUCell(IN, HIDDEN, false, new Generator(23), SCALAR);
        checkTwoSteps("GRUCell unbatched", cell, false, false, (x1, x2, hx, cx) ->
                cell.forward(x2, cell.forward(x1)));
    }

    /** Differentiates h2 of two LSTM steps: step one's h and c both receive gradient from step two. */
    @Test
    void lstmCellBatchedThroughTheHiddenState() {
        LSTMCell cell = new LSTMCell(IN, HIDDEN, true, new Generator(24), SCALAR);
        checkTwoSteps("LSTMCell h", cell, true, true, (x1, x2, hx, cx) -> {
            LSTMCell.State s = cell.forward(x1, hx, cx);
            return cell.forward(x2, s.h(), s.c()).h();
        });
    }

    /** Differentiates c2: the second step's h' output gets no gradient (a null output gradient). */
    @Test
    void lstmCellUnbatchedThroughTheCellState() {
        LSTMCell cell = new LSTMCell(IN, HIDDEN, false, new Generator(25), SCALAR);
        checkTwoSteps("LSTMCell c", cell, false, true, (x1, x2, hx, cx) -> {
            LSTMCell.State s = cell.forward(x1, hx, cx);
            return cell.forward(x2, s.h(), s.c()).c();
        });
    }

    @Test
    void lstmCellBatchedFromZeroStates() {
        LSTMCell cell = new LSTMCell(IN, HIDDEN, true, new Generator(26), SCALAR);
        checkTwoSteps("LSTMCell zero states", cell, true, false, (x1, x2, hx, cx) -> {
            LSTMCell.State s = cell.forward(x1);
            return cell.forward(x2, s.h(), s.c()).h();
        });
    }

    private interface TwoSteps {
        Tensor run(Tensor x1, Tensor x2, Tensor hx, Tensor cx);
    }

    private static void checkTwoSteps(String what, RecurrentCellBase cell, boolean batched, boolean withStates,
                                      TwoSteps steps) {
        int[] xShape = batched ? new int[] {BATCH, IN} : new int[] {IN};
        int[] hShape = batched ? new int[] {BATCH, HIDDEN} : new int[] {HIDDEN};
        Tensor x1 = input(30, xShape);
        Tensor x2 = input(31, xShape);
        Tensor hx = withStates ? input(32, hShape) : null;
        Tensor cx = withStates && cell instanceof LSTMCell ? input(33, hShape) : null;
        List<Leaf> leaves = parameters(cell);
        leaves.add(new Leaf("x1", x1));
        leaves.add(new Leaf("x2", x2));
        if (hx != null) {
            leaves.add(new Leaf("hx", hx));
        }
        if (cx != null) {
            leaves.add(new Leaf("cx", cx));
        }
        check(what, leaves, () -> steps.run(x1, x2, hx, cx), 34);
    }
}
