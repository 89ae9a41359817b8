package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The autograd contract of the sequence modules: when a node is recorded and when not, that recording does not
 * change the forward numbers, accumulation across backward calls, frozen parameters, and the refusal of a second
 * backward through one graph.
 */
class RecurrentAutogradTest {

    private static Tensor uniform(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        new Generator(seed).uniform(t.data(), 0, t.numel(), -1, 1);
        return t;
    }

    private static RNNBase module(RecurrentMode mode, Generator g, Kernels kernels) {
        return RNNBase.create(new RecurrentOptions(mode, 5, 6, 2, true, false, 0.4, true,
                mode == RecurrentMode.LSTM ? 3 : 0), g, kernels);
    }

    @ParameterizedTest
    @EnumSource(RecurrentMode.class)
    void recordingKeepsTheForwardNumbersBitForBit(RecurrentMode mode) {
        for (Kernels kernels : List.of(KernelProvider.kernels(), KernelProvider.checkedScalar())) {
            Generator g = new Generator(1);
            RNNBase m = module(mode, g, kernels);
            m.train(); // with inter-layer dropout: both passes draw the same masks after reseeding
            Tensor x = uniform(2, 4, 3, 5);
            PackedSequence packed = PackedSequences.packPaddedSequence(x, new int[] {2, 4, 3}, false, false);
            g.setSeed(9);
            RecurrentOutput recorded = m.forward(x, null, null);
            PackedRecurrentOutput recordedPacked = m.forward(packed, null, null);
            assertNotNull(recorded.output().gradFn());
            RecurrentOutput lean;
            PackedRecurrentOutput leanPacked;
            try (GradMode.Scope _ = GradMode.noGrad()) {
                g.setSeed(9);
                lean = m.forward(x, null, null);
                leanPacked = m.forward(packed, null, null);
            }
            assertArrayEquals(lean.output().data(), recorded.output().data(), mode + " output");
            assertArrayEquals(lean.hN().data(), recorded.hN().data(), mode + " h_n");
            assertArrayEquals(leanPacked.output().data().data(), recordedPacked.output().data().data(),
                    mode + " packed output");
            assertArrayEquals(leanPacked.hN().data(), recordedPacked.hN().data(), mode + " packed h_n");
            if (mode == RecurrentMode.LSTM) {
                assertArrayEquals(lean.cN().data(), recorded.cN().data(), "c_n");
                assertArrayEquals(leanPacked.cN().data(), recordedPacked.cN().data(), "packed c_n");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = RecurrentMode.class, names = {"GRU", "LSTM"})
    void withoutRecordingNothingIsSavedAndNoNodeIsMade(RecurrentMode mode) {
        RecordingKernels spy = RecordingKernels.create();
        RNNBase m = module(mode, new Generator(1), spy);
        Tensor x = uniform(2, 4, 3, 5).requiresGrad(true);
        try (GradMode.Scope _ = GradMode.noGrad()) {
            RecurrentOutput out = m.forward(x, null, null);
            assertTrue(out.output().isLeaf() && out.hN().isLeaf());
            assertFalse(out.output().requiresGrad());
        }
        assertEquals(0, spy.gateCallsWithWorkspace(), "inference passes no gate workspace");

        for (Parameter p : m.parameters()) {
            p.value().requiresGrad(false);
        }
        RecurrentOutput frozen = m.forward(x.detach(), null, null);
        assertNull(frozen.output().gradFn(), "nothing requires grad: no node");
        assertEquals(0, spy.gateCallsWithWorkspace());

        RecurrentOutput recorded = m.forward(x, null, null);
        assertEquals(mode == RecurrentMode.GRU ? "GruBackward" : "LstmBackward", recorded.output().gradFn().name());
        assertSame(recorded.output().gradFn(), recorded.hN().gradFn(), "one node for the whole call");
        assertTrue(spy.gateCallsWithWorkspace() > 0, "the recorded pass saves the gate activations");
    }

    private static Tensor loss(RNNBase m, Tensor x, Tensor h0, Tensor c0) {
        RecurrentOutput out = m.forward(x, h0, c0);
        Tensor[] values = out.cN() == null ? new Tensor[] {out.output(), out.hN()}
                : new Tensor[] {out.output(), out.hN(), out.cN()};
        float[][] upstream = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            upstream[i] = uniform(5 + i, values[i].shape()).data();
        }
        return WeightedSum.of(values, upstream);
    }

    @ParameterizedTest
    @EnumSource(RecurrentMode.class)
    void gradientsAccumulateAcrossBackwardCallsAndASecondBackwardThroughOneGraphFails(RecurrentMode mode) {
        RNNBase m = module(mode, new Generator(1), KernelProvider.checkedScalar());
        m.eval();
        Tensor x = uniform(2, 4, 3, 5).requiresGrad(true);
        Tensor h0 = uniform(3, 4, 3, m.options().hiddenOutSize()).requiresGrad(true);
        Tensor c0 = mode == RecurrentMode.LSTM ? uniform(4, 4, 3, m.options().hiddenSize()).requiresGrad(true) : null;
        Tensor first = loss(m, x, h0, c0);
        first.backward();
        List<float[]> once = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            once.add(p.grad().data().clone());
        }
        float[] xOnce = x.grad().data().clone();
        float[] hOnce = h0.grad().data().clone();
        float[] cOnce = c0 == null ? null : c0.grad().data().clone();

        IllegalStateException e = assertThrows(IllegalStateException.class, first::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());

        loss(m, x, h0, c0).backward();
        for (int i = 0; i < once.size(); i++) {
            assertArrayEquals(doubled(once.get(i)), m.parameters().get(i).grad().data(), "parameter " + i);
        }
        assertArrayEquals(doubled(xOnce), x.grad().data(), "input");
        assertArrayEquals(doubled(hOnce), h0.grad().data(), "h_0");
        if (c0 != null) {
            assertArrayEquals(doubled(cOnce), c0.grad().data(), "c_0");
        }
    }

    private static float[] doubled(float[] g) {
        float[] d = g.clone();
        KernelProvider.checkedScalar().scale(d.length, 2f, d, 0);
        return d;
    }

    @Test
    void aFrozenParameterAndAnInputWithoutGradReceiveNothingWhileTheRestTrains() {
        RNNBase m = module(RecurrentMode.LSTM, new Generator(1), KernelProvider.checkedScalar());
        Map<String, Parameter> params = m.namedParameters();
        params.get("weight_hh_l1_reverse").value().requiresGrad(false);
        Tensor x = uniform(2, 4, 3, 5);
        RecurrentOutput out = m.forward(x, null, null);
        out.output().backward(uniform(7, out.output().shape()));
        assertNull(params.get("weight_hh_l1_reverse").grad());
        assertNull(x.grad());
        params.forEach((name, p) -> {
            if (!name.equals("weight_hh_l1_reverse")) {
                assertNotNull(p.grad(), name);
            }
        });
    }

    @Test
    void batchFirstAndUnbatchedGradientsAreTheTimeMajorOnesInTheCallersLayout() {
        RecurrentOptions tm = new RecurrentOptions(RecurrentMode.GRU, 5, 4, 2, true, false, 0, true, 0);
        RecurrentOptions bf = new RecurrentOptions(RecurrentMode.GRU, 5, 4, 2, true, true, 0, true, 0);
        RNNBase timeMajor = RNNBase.create(tm, new Generator(3), KernelProvider.checkedScalar());
        RNNBase batchFirst = RNNBase.create(bf, new Generator(3), KernelProvider.checkedScalar());
        Tensor x = uniform(2, 4, 2, 5).requiresGrad(true);
        Tensor xb = x.detach().transpose(0, 1).requiresGrad(true);
        Tensor g = uniform(4, 4, 2, 8);
        timeMajor.forward(x, null, null).output().backward(g);
        batchFirst.forward(xb, null, null).output().backward(g.transpose(0, 1));
        assertArrayEquals(x.grad().transpose(0, 1).data(), xb.grad().data(), "batch_first input gradient");
        assertArrayEquals(timeMajor.parameters().get(0).grad().data(), batchFirst.parameters().get(0).grad().data());

        Tensor sequence = x.detach().transpose(0, 1).select(1);        // (L, 5): sequence 1 of the batch
        Tensor one = sequence.unsqueeze(1).detach().requiresGrad(true); // (L, 1, 5): it alone as a batch
        Tensor unbatched = sequence.copy().requiresGrad(true);
        Tensor g1 = g.transpose(0, 1).select(1);
        RNNBase a = RNNBase.create(tm, new Generator(3), KernelProvider.checkedScalar());
        RNNBase b = RNNBase.create(tm, new Generator(3), KernelProvider.checkedScalar());
        a.forward(one, null, null).output().backward(g1.unsqueeze(1));
        b.forward(unbatched, null, null).output().backward(g1);
        assertArrayEquals(one.grad().data(), unbatched.grad().data(), "unbatched input gradient");
        assertArrayEquals(a.parameters().get(1).grad().data(), b.parameters().get(1).grad().data());
    }
}
