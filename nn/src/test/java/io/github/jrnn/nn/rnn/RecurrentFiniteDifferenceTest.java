package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.testing.FiniteDifferences;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.random.Generator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Backpropagation through time against central differences, for every mode and option, including what the torch
 * goldens cannot pin: inter-layer dropout in training mode (the module's generator is reseeded before every
 * forward, so the analytic pass and every perturbed pass see the same masks) together with proj_size, packing and
 * bidirectional stacks.
 *
 * <p>The loss is {@code L = sum(output * g_out) + sum(h_n * g_h) + sum(c_n * g_c)} with fixed random g, computed
 * in double from the float forward results. Every element of every parameter, of the input rows and of h_0 / c_0
 * is perturbed by {@value #STEP} both ways; the numeric derivative {@code (L(+) - L(-)) / (2 STEP)} must match the
 * analytic gradient within {@value #ABSOLUTE} + {@value #RELATIVE} |analytic|. That bound is the float noise of
 * the method: the truncation error is about STEP^2 / 6 |L'''| (about 1e-6 here) and the rounding error of L (a
 * few float ulps summed over ~100 outputs, ~1e-6) divided by 2 STEP is ~1e-4. A bookkeeping mistake (a wrong row,
 * a missing term) shows up as errors of order 0.1. Scalar kernels; the perturbed passes run without recording, so
 * they also check that the lean forward computes what the recorded one does.
 */
class RecurrentFiniteDifferenceTest {

    static final double STEP = 5e-3;
    static final double ABSOLUTE = 3e-4;
    static final double RELATIVE = 3e-3;
    static final double ONE_SIDED_ABSOLUTE = 1e-2;
    private static final Kernels SCALAR = KernelProvider.checkedScalar();
    private static final long DROPOUT_SEED = 11;

    /** One scenario: the options, how the input is given, whether states are passed, training mode. */
    record Case(String name, RecurrentOptions options, String input, boolean states, boolean training) {
    }

    private static RecurrentOptions options(RecurrentMode mode, int layers, boolean bias, boolean batchFirst,
                                            double dropout, boolean bidirectional, int proj) {
        return new RecurrentOptions(mode, 3, 4, layers, bias, batchFirst, dropout, bidirectional, proj);
    }

    static List<Case> cases() {
        return List.of(
                new Case("rnn_tanh_l2_bidir_dropout_padded_h0", options(RecurrentMode.RNN_TANH, 2, true, false, 0.3,
                        true, 0), "padded", true, true),
                new Case("rnn_relu_l2_dropout_packed_unsorted_h0", options(RecurrentMode.RNN_RELU, 2, true, false,
                        0.5, false, 0), "packed_unsorted", true, true),
                new Case("rnn_relu_l1_bidir_batch_first_nobias", options(RecurrentMode.RNN_RELU, 1, false, true, 0,
                        true, 0), "padded", false, true),
                new Case("rnn_tanh_l2_bidir_eval_ignores_dropout_packed_sorted", options(RecurrentMode.RNN_TANH, 2,
                        true, false, 0.4, true, 0), "packed_sorted", true, false),
                new Case("gru_l3_bidir_dropout_packed_unsorted_h0", options(RecurrentMode.GRU, 3, true, false, 0.3,
                        true, 0), "packed_unsorted", true, true),
                new Case("gru_l1_unbatched_nobias", options(RecurrentMode.GRU, 1, false, false, 0, false, 0),
                        "unbatched", false, true),
                new Case("gru_l2_bidir_batch_first_dropout_unbatched_h0", options(RecurrentMode.GRU, 2, true, true,
                        0.2, true, 0), "unbatched", true, true),
                new Case("lstm_l2_bidir_batch_first_dropout_padded_states", options(RecurrentMode.LSTM, 2, true,
                        true, 0.3, true, 0), "padded", true, true),
                new Case("lstm_l3_dropout_packed_equal", options(RecurrentMode.LSTM, 3, false, false, 0.3, false,
                        0), "packed_equal", false, true),
                new Case("lstm_proj_l2_bidir_dropout_packed_unsorted_states", options(RecurrentMode.LSTM, 2, true,
                        false, 0.25, true, 2), "packed_unsorted", true, true),
                new Case("lstm_proj_l1_unbatched_nobias_states", options(RecurrentMode.LSTM, 1, false, false, 0,
                        false, 3), "unbatched", true, true),
                new Case("lstm_proj_l2_batch_first_dropout_padded", options(RecurrentMode.LSTM, 2, true, true, 0.5,
                        false, 1), "padded", false, true));
    }

    @TestFactory
    Stream<DynamicTest> analyticGradientsMatchCentralDifferences() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    /** The module, its inputs and the upstream gradients of one case, and the loss as a function of them. */
    private static final class Setup {
        final Case c;
        final Generator generator = new Generator(5);
        final RNNBase module;
        final Tensor padded;           // the padded / unbatched input, or the source of the packed one
        final PackedSequence packed;   // null unless packed
        final Tensor h0;
        final Tensor c0;
        final float[][] upstream = new float[3][];

        Setup(Case c) {
            this.c = c;
            RecurrentOptions o = c.options();
            module = RNNBase.create(o, generator, SCALAR);
            module.train(c.training());
            int steps = 4;
            int batch = 3;
            int states = o.numLayers() * o.numDirections();
            boolean unbatched = c.input().equals("unbatched");
            padded = unbatched ? uniform(1, steps, o.inputSize())
                    : o.batchFirst() ? uniform(1, batch, steps, o.inputSize())
                    : uniform(1, steps, batch, o.inputSize());
            packed = switch (c.input()) {
                case "packed_unsorted" -> PackedSequences.packPaddedSequence(padded, new int[] {3, 4, 2},
                        o.batchFirst(), false);
                case "packed_sorted" -> PackedSequences.packPaddedSequence(padded, new int[] {4, 3, 1},
                        o.batchFirst(), true);
                case "packed_equal" -> PackedSequences.packPaddedSequence(padded, new int[] {4, 4, 4},
                        o.batchFirst(), true);
                default -> null;
            };
            int[] stateBatch = unbatched ? new int[0] : new int[] {batch};
            h0 = c.states() ? uniform(2, concat(states, stateBatch, o.hiddenOutSize())) : null;
            c0 = c.states() && o.mode() == RecurrentMode.LSTM
                    ? uniform(3, concat(states, stateBatch, o.hiddenSize())) : null;
        }

        Tensor inputRows() {
            return packed != null ? packed.data() : padded;
        }

        /** output (as the caller sees it: padded or the packed data), h_n and c_n of one forward. */
        Tensor[] forward() {
            generator.setSeed(DROPOUT_SEED);
            if (packed != null) {
                PackedRecurrentOutput out = module.forward(packed, h0, c0);
                return new Tensor[] {out.output().data(), out.hN(), out.cN()};
            }
            RecurrentOutput out = module.forward(padded, h0, c0);
            return new Tensor[] {out.output(), out.hN(), out.cN()};
        }

        /** The loss of a forward without recording, in double. */
        double loss() {
            try (GradMode.Scope _ = GradMode.noGrad()) {
                Tensor[] out = forward();
                double sum = 0;
                for (int i = 0; i < out.length; i++) {
                    if (out[i] == null) {
                        continue;
                    }
                    if (upstream[i] == null) {
                        upstream[i] = uniform(10 + i, out[i].shape()).data();
                    }
                    float[] v = out[i].data();
                    for (int j = 0; j < v.length; j++) {
                        sum += (double) v[j] * upstream[i][j];
                    }
                }
                return sum;
            }
        }

        /** Runs the recorded forward and one backward of the same loss. */
        void backward() {
            loss(); // draws the upstream gradients
            Tensor[] out = forward();
            List<Tensor> values = new ArrayList<>();
            List<float[]> weights = new ArrayList<>();
            for (int i = 0; i < out.length; i++) {
                if (out[i] != null) {
                    values.add(out[i]);
                    weights.add(upstream[i]);
                }
            }
            WeightedSum.of(values.toArray(Tensor[]::new), weights.toArray(float[][]::new)).backward();
        }

        private static Tensor uniform(int salt, int... shape) {
            Tensor t = Tensor.zeros(shape);
            new Generator(100 + salt).uniform(t.data(), 0, t.numel(), -1, 1);
            return t;
        }

        private static int[] concat(int first, int[] middle, int last) {
            int[] s = new int[middle.length + 2];
            s[0] = first;
            System.arraycopy(middle, 0, s, 1, middle.length);
            s[s.length - 1] = last;
            return s;
        }
    }

    private static void check(Case c) {
        Setup s = new Setup(c);
        Map<String, Tensor> wrt = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> p : s.module.namedParameters().entrySet()) {
            wrt.put(p.getKey(), p.getValue().value());
        }
        wrt.put("input", s.inputRows().requiresGrad(true));
        if (s.h0 != null) {
            wrt.put("h_0", s.h0.requiresGrad(true));
        }
        if (s.c0 != null) {
            wrt.put("c_0", s.c0.requiresGrad(true));
        }
        s.backward();
        boolean relu = c.options().mode() == RecurrentMode.RNN_RELU;
        int elements = 0;
        int kinks = 0;
        for (Map.Entry<String, Tensor> e : wrt.entrySet()) {
            Tensor t = e.getValue();
            assertNotNull(t.grad(), c.name() + ": " + e.getKey() + " received no gradient");
            float[] analytic = t.grad().data();
            float[] v = t.data();
            for (int i = 0; i < v.length; i++) {
                elements++;
                float saved = v[i];
                float up = (float) (saved + STEP);
                float down = (float) (saved - STEP);
                FiniteDifferences.write(t, i, up);
                double plus = s.loss();
                FiniteDifferences.write(t, i, down);
                double minus = s.loss();
                FiniteDifferences.write(t, i, saved);
                double a = analytic[i];
                double central = (plus - minus) / ((double) up - down); // the float steps, not exactly 2 STEP
                if (within(central, a, ABSOLUTE, RELATIVE)) {
                    continue;
                }
                if (relu) {
                    // a relu kink inside [x - STEP, x + STEP]: the side without it still has L's slope at x
                    double here = s.loss();
                    double right = (plus - here) / ((double) up - saved);
                    double left = (here - minus) / ((double) saved - down);
                    if (within(right, a, ONE_SIDED_ABSOLUTE, RELATIVE)
                            || within(left, a, ONE_SIDED_ABSOLUTE, RELATIVE)) {
                        kinks++;
                        continue;
                    }
                }
                throw new AssertionFailedError(c.name() + ": d loss / d " + e.getKey() + "[" + i + "]: analytic "
                        + a + ", central difference " + central + " (|d| = " + Math.abs(central - a) + ")");
            }
        }
        // the one-sided fallback must stay the exception, or the check would degrade into a weaker one (a relu
        // network has ~100 pre-activations per weight, so a STEP-sized move crosses a kink in ~15% of elements)
        if (kinks * 4 > elements) {
            throw new AssertionFailedError(c.name() + ": " + kinks + " of " + elements
                    + " elements needed a one-sided difference");
        }
    }

    private static boolean within(double numeric, double analytic, double absolute, double relative) {
        return Math.abs(numeric - analytic) <= absolute + relative * Math.abs(analytic);
    }
}
