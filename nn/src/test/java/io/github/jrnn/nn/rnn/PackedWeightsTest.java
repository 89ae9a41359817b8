package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.loss.MSELoss;
import io.github.jrnn.nn.optim.SGD;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Modules keep their weights packed between calls and pack them again exactly when a weight changed: every way
 * jrnn changes parameters (optimizer step, loadStateDict, resetParameters, Tensor.set, markModified after a direct
 * write) reaches the next forward and every open stream, and nothing else repacks.
 */
class PackedWeightsTest {

    private static Tensor input() {
        Tensor x = Tensor.zeros(4, 2, 3);
        new Generator(5).uniform(x.data(), 0, x.numel(), -1, 1);
        return x;
    }

    private static float[] forward(RNNBase m, Tensor x) {
        try (GradMode.Scope _ = GradMode.noGrad()) {
            return m.forward(x).output().data();
        }
    }

    /** A module of the same options built fresh from {@code m}'s current weights: what m must compute now. */
    private static float[] freshForward(RNNBase m, Tensor x) {
        RNNBase fresh = RNNBase.create(m.options(), new Generator(99), m.kernels());
        Map<String, Tensor> state = m.stateDict();
        fresh.loadStateDict(state, true);
        return forward(fresh, x);
    }

    @Test
    void versionMovesWithEveryInPlaceChangeAndIsSharedByViews() {
        Tensor t = Tensor.zeros(2, 3);
        long v0 = t.version();
        t.set(1f, 0, 1);
        assertEquals(v0 + 1, t.version());
        Tensor view = t.view(6);
        view.set(2f, 4);
        assertEquals(v0 + 2, t.version(), "a change through a view is a change of the base");
        t.detach().markModified();
        assertEquals(v0 + 3, view.version(), "detach shares data and version");
        Tensor copy = t.copy();
        copy.set(5f, 1, 1);
        assertEquals(v0 + 3, t.version(), "a copy has data and a version of its own");
    }

    @Test
    void anOptimizerStepReachesTheNextForward() {
        LSTM m = LSTM.builder(3, 5).numLayers(2).projSize(2).generator(new Generator(1)).build();
        Tensor x = input();
        float[] before = forward(m, x);
        Tensor loss = new MSELoss().forward(m.forward(x).output(), Tensor.zeros(4, 2, 2));
        loss.backward();
        new SGD(m.parameters(), 0.5).step();
        float[] after = forward(m, x);
        assertFalse(Arrays.equals(before, after), "the step changed the weights");
        assertArrayEquals(freshForward(m, x), after, "forward after the step uses the stepped weights");
    }

    @Test
    void loadingResettingAndDirectWritesReachForwardAndOpenStreams() {
        GRU m = GRU.builder(3, 4).generator(new Generator(1)).build();
        Tensor x = input();
        RecurrentStream stream = m.stream();
        float[] frame = Arrays.copyOf(x.data(), 3);
        float[] out = new float[4];
        forward(m, x); // packs the current weights

        GRU other = GRU.builder(3, 4).generator(new Generator(2)).build();
        m.loadStateDict(other.stateDict(), true);
        assertArrayEquals(forward(other, x), forward(m, x), "loadStateDict");
        stream.step(frame, 0, out, 0);
        float[] expected = new float[4];
        other.stream().step(frame, 0, expected, 0);
        assertArrayEquals(expected, out, "an open stream steps with the loaded weights");

        m.resetParameters(new Generator(3));
        assertArrayEquals(freshForward(m, x), forward(m, x), "resetParameters");

        Parameter wHh = m.parameters().get(1);
        float[] packedBefore = forward(m, x);
        wHh.data()[0] += 1f;
        wHh.markModified();
        float[] written = forward(m, x);
        assertNotEquals(Arrays.toString(packedBefore), Arrays.toString(written));
        assertArrayEquals(freshForward(m, x), written, "a direct write announced with markModified");

        wHh.value().set(-3f, 2, 1);
        assertArrayEquals(freshForward(m, x), forward(m, x), "Tensor.set");
    }

    @Test
    void unchangedWeightsKeepTheirPackedCopy() {
        GRUCell cell = new GRUCell(3, 4, true, new Generator(1), null);
        PackedWeights packed = packedOf(cell);
        cell.forward(Tensor.zeros(1, 3), null);
        PackedWeights.Snapshot first = packed.current();
        cell.forward(Tensor.zeros(1, 3), null);
        assertSame(first, packed.current(), "no weight changed: the same packed copy");
        cell.parameters().get(0).markModified();
        assertFalse(first == packed.current(), "a changed weight is packed again");
    }

    private static PackedWeights packedOf(RecurrentCellBase cell) {
        return cell.packedWeights();
    }
}
