package io.github.jrnn.properties.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RNNCell;
import io.github.jrnn.nn.rnn.RecurrentCellBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentOptions;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Structural invariants of the sequence modules, each comparing two ways of computing the same recurrence.
 *
 * <p>All run on the scalar reference kernels and compare bitwise: both sides perform the same float operations on
 * the same rows in the same order (the kernels compute every row of a product independently), so any difference is
 * a layout or bookkeeping bug. Agreement of the vector kernels is {@link KernelAgreementProperties}' job.
 */
class RecurrentEquivalenceProperties {

    private static final Kernels SCALAR = KernelProvider.checkedScalar();

    @Provide
    Arbitrary<RecurrentCase> singleUnidirectionalLayer() {
        return RecurrentCase.any(false, 1).map(c -> new RecurrentCase(
                RecurrentCase.withBatchFirst(RecurrentCase.withProj(c.options(), 0), false), c.steps(), c.batch(),
                c.withStates(), c.seed()));
    }

    @Property(tries = 200)
    void sequenceModuleEqualsSteppingItsCellByHand(@ForAll("singleUnidirectionalLayer") RecurrentCase c) {
        RecurrentOptions o = c.options();
        RNNBase module = c.module(o, SCALAR);
        RecurrentCellBase cell = cellOf(o);
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        module.stateDict().forEach((name, t) -> renamed.put(name.replace("_l0", ""), t));
        cell.loadStateDict(renamed, true);

        Tensor x = c.uniform(1, c.steps(), c.batch(), o.inputSize());
        Tensor h0 = c.h0();
        Tensor c0 = c.c0();
        RecurrentOutput out = module.forward(x, h0, c0);

        Tensor h = h0 == null ? null : h0.select(0);
        Tensor cs = c0 == null ? null : c0.select(0);
        for (int t = 0; t < c.steps(); t++) {
            Tensor xt = x.select(t);
            switch (cell) {
                case LSTMCell lstm -> {
                    LSTMCell.State s = lstm.forward(xt, h, cs);
                    h = s.h();
                    cs = s.c();
                }
                case GRUCell gru -> h = gru.forward(xt, h);
                case RNNCell rnn -> h = rnn.forward(xt, h);
                default -> throw new IllegalStateException();
            }
            assertArrayEquals(h.data(), out.output().select(t).data(), "output at step " + t);
        }
        assertArrayEquals(h.data(), out.hN().data(), "h_n");
        if (o.mode() == RecurrentMode.LSTM) {
            assertArrayEquals(cs.data(), out.cN().data(), "c_n");
        }
    }

    private static RecurrentCellBase cellOf(RecurrentOptions o) {
        Generator g = new Generator(0);
        return switch (o.mode()) {
            case RNN_TANH -> new RNNCell(o.inputSize(), o.hiddenSize(), o.bias(), "tanh", g, SCALAR);
            case RNN_RELU -> new RNNCell(o.inputSize(), o.hiddenSize(), o.bias(), "relu", g, SCALAR);
            case GRU -> new GRUCell(o.inputSize(), o.hiddenSize(), o.bias(), g, SCALAR);
            case LSTM -> new LSTMCell(o.inputSize(), o.hiddenSize(), o.bias(), g, SCALAR);
        };
    }

    @Provide
    Arbitrary<RecurrentCase> singleBidirectionalLayer() {
        return RecurrentCase.any(true, 1).map(c -> {
            RecurrentOptions o = c.options();
            return new RecurrentCase(new RecurrentOptions(o.mode(), o.inputSize(), o.hiddenSize(), 1, o.bias(), false,
                    0.0, true, o.projSize()), c.steps(), c.batch(), c.withStates(), c.seed());
        });
    }

    @Property(tries = 200)
    void bidirectionalLayerEqualsAForwardPassPlusAPassOverTheReversedSequence(
            @ForAll("singleBidirectionalLayer") RecurrentCase c) {
        RecurrentOptions o = c.options();
        RecurrentOptions uni = new RecurrentOptions(o.mode(), o.inputSize(), o.hiddenSize(), 1, o.bias(), false, 0.0,
                false, o.projSize());
        RNNBase bi = c.module(o, SCALAR);
        RNNBase forward = c.module(uni, SCALAR);
        RNNBase reverse = c.module(uni, SCALAR);
        Map<String, Tensor> fw = new LinkedHashMap<>();
        Map<String, Tensor> rv = new LinkedHashMap<>();
        bi.stateDict().forEach((name, t) -> {
            if (name.endsWith("_reverse")) {
                rv.put(name.substring(0, name.length() - "_reverse".length()), t);
            } else {
                fw.put(name, t);
            }
        });
        forward.loadStateDict(fw, true);
        reverse.loadStateDict(rv, true);

        int steps = c.steps();
        int batch = c.batch();
        int hOut = o.hiddenOutSize();
        Tensor x = c.uniform(1, steps, batch, o.inputSize());
        Tensor reversed = Tensor.zeros(steps, batch, o.inputSize());
        int block = batch * o.inputSize();
        for (int t = 0; t < steps; t++) {
            System.arraycopy(x.data(), (steps - 1 - t) * block, reversed.data(), t * block, block);
        }
        Tensor h0 = c.h0();
        Tensor c0 = c.c0();
        RecurrentOutput both = bi.forward(x, h0, c0);
        RecurrentOutput fwd = forward.forward(x, half(h0, 0), half(c0, 0));
        RecurrentOutput rev = reverse.forward(reversed, half(h0, 1), half(c0, 1));

        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                float[] row = new float[2 * hOut];
                System.arraycopy(fwd.output().data(), (t * batch + b) * hOut, row, 0, hOut);
                System.arraycopy(rev.output().data(), ((steps - 1 - t) * batch + b) * hOut, row, hOut, hOut);
                float[] got = new float[2 * hOut];
                System.arraycopy(both.output().data(), (t * batch + b) * 2 * hOut, got, 0, 2 * hOut);
                assertArrayEquals(row, got, "output at step " + t + ", sequence " + b);
            }
        }
        assertArrayEquals(concat(fwd.hN(), rev.hN()), both.hN().data(), "h_n");
        if (o.mode() == RecurrentMode.LSTM) {
            assertArrayEquals(concat(fwd.cN(), rev.cN()), both.cN().data(), "c_n");
        }
    }

    /** Entry {@code index} of a (2, N, H) state as a (1, N, H) state, or null. */
    private static Tensor half(Tensor state, int index) {
        return state == null ? null : state.select(index).unsqueeze(0);
    }

    private static float[] concat(Tensor a, Tensor b) {
        float[] out = new float[a.numel() + b.numel()];
        System.arraycopy(a.data(), 0, out, 0, a.numel());
        System.arraycopy(b.data(), 0, out, a.numel(), b.numel());
        return out;
    }

    @Provide
    Arbitrary<RecurrentCase> anyCase() {
        return RecurrentCase.any(true, 3);
    }

    @Property(tries = 200)
    void batchFirstEqualsTheTransposedCall(@ForAll("anyCase") RecurrentCase c) {
        RNNBase batchFirst = c.module(RecurrentCase.withBatchFirst(c.options(), true), SCALAR);
        RNNBase timeMajor = c.module(RecurrentCase.withBatchFirst(c.options(), false), SCALAR);
        Tensor x = c.uniform(1, c.batch(), c.steps(), c.options().inputSize());
        Tensor h0 = c.h0();
        Tensor c0 = c.c0();
        RecurrentOutput bf = batchFirst.forward(x, h0, c0);
        RecurrentOutput tm = timeMajor.forward(x.transpose(0, 1), h0, c0);
        assertArrayEquals(tm.output().transpose(0, 1).shape(), bf.output().shape(), "output shape");
        assertArrayEquals(tm.output().transpose(0, 1).data(), bf.output().data(), "output");
        assertArrayEquals(tm.hN().data(), bf.hN().data(), "h_n (never transposed)");
        if (c.options().mode() == RecurrentMode.LSTM) {
            assertArrayEquals(tm.cN().data(), bf.cN().data(), "c_n");
        }
    }
}
