package io.github.jrnn.properties.nn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.opentest4j.AssertionFailedError;

/**
 * One generated scenario for the module properties: constructor options, sequence length L, batch N, whether
 * initial states are given, and the seed every weight and input is drawn from.
 */
record RecurrentCase(RecurrentOptions options, int steps, int batch, boolean withStates, long seed) {

    /**
     * Sizes are small, with explicit edge cases around the 16-float vector width (15, 16, 17) so that vector
     * bodies, tails and both together are exercised.
     */
    static Arbitrary<Integer> size() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 8), Arbitraries.of(15, 16, 17));
    }

    /** Any mode, 1-3 layers, any flags, proj_size for some LSTMs. */
    static Arbitrary<RecurrentCase> any(boolean allowBidirectional, int maxLayers) {
        Arbitrary<RecurrentOptions> options = Combinators.combine(
                Arbitraries.of(RecurrentMode.class), size(), size(), Arbitraries.integers().between(1, maxLayers),
                Arbitraries.of(true, false), Arbitraries.of(true, false),
                allowBidirectional ? Arbitraries.of(false, true) : Arbitraries.just(false))
                .as((mode, in, hidden, layers, bias, batchFirst, bidir) -> new RecurrentOptions(mode, in, hidden,
                        layers, bias, batchFirst, 0.0, bidir, 0))
                .flatMap(o -> o.mode() != RecurrentMode.LSTM || o.hiddenSize() == 1 ? Arbitraries.just(o)
                        : Arbitraries.integers().between(0, o.hiddenSize() - 1).map(p -> withProj(o, p)));
        return Combinators.combine(options, Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 4),
                Arbitraries.of(true, false), Arbitraries.longs().between(0, 1_000_000))
                .as(RecurrentCase::new);
    }

    static RecurrentOptions withProj(RecurrentOptions o, int proj) {
        return new RecurrentOptions(o.mode(), o.inputSize(), o.hiddenSize(), o.numLayers(), o.bias(), o.batchFirst(),
                o.dropout(), o.bidirectional(), proj);
    }

    static RecurrentOptions withBatchFirst(RecurrentOptions o, boolean batchFirst) {
        return new RecurrentOptions(o.mode(), o.inputSize(), o.hiddenSize(), o.numLayers(), o.bias(), batchFirst,
                o.dropout(), o.bidirectional(), o.projSize());
    }

    /** The module of these options with weights drawn from the case's seed, in eval mode. */
    RNNBase module(RecurrentOptions o, Kernels kernels) {
        RNNBase m = RNNBase.create(o, new Generator(seed), kernels);
        m.eval();
        return m;
    }

    /** A tensor of uniform(-1, 1) values from a generator derived from the seed and a salt. */
    Tensor uniform(int salt, int... shape) {
        Tensor t = Tensor.zeros(shape);
        new Generator(seed * 31 + salt).uniform(t.data(), 0, t.numel(), -1, 1);
        return t;
    }

    int states() {
        return options.numLayers() * options.numDirections();
    }

    /** h_0 (D * layers, N, H_out) or null when the case gives no states. */
    Tensor h0() {
        return withStates ? uniform(2, states(), batch, options.hiddenOutSize()) : null;
    }

    /** c_0 (D * layers, N, H) for LSTM cases with states, else null. */
    Tensor c0() {
        return withStates && options.mode() == RecurrentMode.LSTM ? uniform(3, states(), batch, options.hiddenSize())
                : null;
    }

    /** |actual - expected| <= absolute + relative * |expected| for every element. */
    static void assertClose(String what, float[] expected, float[] actual, double absolute, double relative) {
        if (expected.length != actual.length) {
            throw new AssertionFailedError(what + ": " + expected.length + " elements expected, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (!(d <= absolute + relative * Math.abs(expected[i]))) {
                throw new AssertionFailedError(what + ": element " + i + " expected " + expected[i] + ", got "
                        + actual[i] + " (|d| = " + d + ")");
            }
        }
    }
}
