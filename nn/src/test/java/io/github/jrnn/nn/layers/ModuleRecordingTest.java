package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.tensor.Tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNNCell;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * When Linear, Embedding, Dropout and the cells record a backward node, and what recording changes: nothing in the
 * values (a recorded forward is bitwise the unrecorded one), no node under {@code noGrad}, gradients only for what
 * requires them, and the graph's saved state is freed after one backward.
 */
class ModuleRecordingTest {

    private static Tensor uniform(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        new Generator(seed).uniform(t.data(), 0, t.numel(), -1, 1);
        return t;
    }

    /** The forward's result with recording on (checking its node's name) equals the one under noGrad, bitwise. */
    private static void recordsExactlyOneNodeWithoutChangingTheValue(String nodeName, Supplier<Tensor> forward) {
        Tensor recorded = forward.get();
        assertNotNull(recorded.gradFn(), nodeName + " recorded");
        assertEquals(nodeName, recorded.gradFn().name());
        Tensor plain;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            plain = forward.get();
        }
        assertNull(plain.gradFn(), nodeName + ": nothing recorded under noGrad");
        assertArrayEquals(plain.data(), recorded.data(), nodeName + ": same values with and without recording");
    }

    @Test
    void everyModuleNamesItsNodeAndComputesTheSameValuesWhenRecording() {
        Linear linear = new Linear(3, 2, true, new Generator(1), null);
        Tensor x3 = uniform(2, 4, 3);
        recordsExactlyOneNodeWithoutChangingTheValue("LinearBackward", () -> linear.forward(x3));

        Embedding embedding = new Embedding(5, 3, 0, new Generator(3), null);
        recordsExactlyOneNodeWithoutChangingTheValue("EmbeddingBackward",
                () -> embedding.forward(new long[] {0, 4, 4, 1}));

        Generator masks = new Generator();
        Dropout dropout = new Dropout(0.5, masks, null);
        Tensor x = uniform(4, 3, 5).requiresGrad(true);
        recordsExactlyOneNodeWithoutChangingTheValue("DropoutBackward", () -> {
            masks.setSeed(5);
            return dropout.forward(x);
        });

        RNNCell rnn = new RNNCell(3, 4, true, "relu", new Generator(6), null);
        GRUCell gru = new GRUCell(3, 4, true, new Generator(7), null);
        LSTMCell lstm = new LSTMCell(3, 4, true, new Generator(8), null);
        Tensor input = uniform(9, 2, 3);
        Tensor hx = uniform(10, 2, 4);
        Tensor cx = uniform(11, 2, 4);
        recordsExactlyOneNodeWithoutChangingTheValue("RNNCellBackward", () -> rnn.forward(input, hx));
        recordsExactlyOneNodeWithoutChangingTheValue("GRUCellBackward", () -> gru.forward(input, hx));
        recordsExactlyOneNodeWithoutChangingTheValue("LSTMCellBackward", () -> lstm.forward(input, hx, cx).h());
        recordsExactlyOneNodeWithoutChangingTheValue("LSTMCellBackward", () -> lstm.forward(input, hx, cx).c());
        LSTMCell.State s = lstm.forward(input, hx, cx);
        assertTrue(s.h().gradFn() == s.c().gradFn(), "h' and c' are the two outputs of one node");
    }

    @Test
    void theCellDoesNotModifyItsStates() {
        LSTMCell lstm = new LSTMCell(3, 4, true, new Generator(8), null);
        Tensor hx = uniform(10, 2, 4);
        Tensor cx = uniform(11, 2, 4);
        float[] h = hx.data().clone();
        float[] c = cx.data().clone();
        lstm.forward(uniform(9, 2, 3), hx, cx).h().backward(Tensor.full(1f, 2, 4));
        assertArrayEquals(h, hx.data());
        assertArrayEquals(c, cx.data());
    }

    @Test
    void aFrozenParameterGetsNoGradientAndAnInputWithoutRequiresGradNone() {
        Linear linear = new Linear(3, 2, true, new Generator(1), null);
        Parameter weight = linear.namedParameters().get("weight");
        weight.value().requiresGrad(false);
        Tensor x = uniform(2, 4, 3);
        linear.forward(x).backward(Tensor.full(1f, 4, 2));
        assertNull(weight.grad(), "frozen weight");
        assertArrayEquals(new float[] {4, 4}, linear.namedParameters().get("bias").grad().data(), "bias = row sums");
        assertNull(x.grad(), "the input does not require grad");

        linear.namedParameters().get("bias").value().requiresGrad(false);
        assertNull(linear.forward(x).gradFn(), "nothing requires grad: no node");
    }

    @Test
    void gradientsAccumulateOverCallsAndTheGraphIsUsedOnce() {
        GRUCell gru = new GRUCell(3, 4, false, new Generator(7), null);
        Tensor input = uniform(9, 3);
        Tensor h = gru.forward(input);
        h.backward(Tensor.full(1f, 4));
        float[] once = gru.namedParameters().get("weight_ih").grad().data().clone();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.backward(Tensor.full(1f, 4)));
        assertTrue(e.getMessage().contains("GRUCellBackward") && e.getMessage().contains("second time"),
                e.getMessage());
        gru.forward(input).backward(Tensor.full(1f, 4));
        float[] twice = gru.namedParameters().get("weight_ih").grad().data();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-6 * Math.abs(once[i]), "element " + i);
        }
    }

    @Test
    void theParametersOfAModuleAreWhatTheOptimizerUpdates() {
        Embedding embedding = new Embedding(4, 2, null, new Generator(3), null);
        List<Parameter> params = embedding.parameters();
        embedding.forward(new int[] {1, 1, 3}).backward(Tensor.full(1f, 3, 2));
        assertArrayEquals(new float[] {0, 0, 2, 2, 0, 0, 1, 1}, params.get(0).grad().data(),
                "row 1 twice, row 3 once");
    }
}
