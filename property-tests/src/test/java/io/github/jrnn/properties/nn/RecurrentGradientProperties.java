package io.github.jrnn.properties.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentOptions;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of backpropagation through time in the sequence modules.
 *
 * <p>The loss is {@code L = sum(output * g_out) + sum(h_n * g_h) [+ sum(c_n * g_c)]}, back-propagated one term per
 * forward call (the gradients accumulate in the leaves, as in PyTorch), so accumulation is exercised as well.
 */
class RecurrentGradientProperties {

    /**
     * Per-sequence against whole-batch parameter gradients: both sum the same per-row products, in another order
     * (one product over all rows against one per sequence, then added), so they differ by float rounding only:
     * {@code 1e-5 + 1e-5 |batch|} per element.
     */
    static final double SUM_ABSOLUTE = 1e-5;
    static final double SUM_RELATIVE = 1e-5;

    /**
     * Vector against scalar kernels, {@code 1e-4 + 1e-4 |scalar|}: the golden gradient test holds each to that
     * bound against torch on the fixtures, and a mistake in a vector backward kernel (a wrong lane, a missed tail)
     * is of the order of the gradient itself. (Observed differences are float rounding, below 1e-6 + 1e-6 |scalar|
     * over these cases: the kernels differ only in activation approximations and summation order.)
     */
    static final double KERNEL_ABSOLUTE = 1e-4;
    static final double KERNEL_RELATIVE = 1e-4;

    private static final Kernels SCALAR = KernelProvider.checkedScalar();

    /** A case and the lengths of its packed batch (the caller's order, not sorted). */
    record PackedCase(RecurrentCase c, int[] lengths) {
    }

    @Provide
    Arbitrary<PackedCase> packedCase() {
        return RecurrentCase.any(true, 2).flatMap(c -> Arbitraries.integers().between(1, c.steps())
                .array(int[].class).ofMinSize(1).ofMaxSize(4).map(lengths -> new PackedCase(c, lengths)));
    }

    /** Gradients of the loss over a packed batch: the parameters', the packed data's and h_0's (or null). */
    private record Gradients(List<float[]> parameters, float[] input, float[] h0) {
    }

    @Property(tries = 150)
    void theGradientOfAPackedBatchIsTheSumOfItsSequencesGradients(@ForAll("packedCase") PackedCase pc) {
        RecurrentCase c = pc.c();
        RecurrentOptions o = c.options();
        int n = pc.lengths().length;
        int states = c.states();
        int hOut = o.hiddenOutSize();
        List<Tensor> sequences = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sequences.add(c.uniform(10 + i, pc.lengths()[i], o.inputSize()));
        }
        PackedSequence packed = PackedSequences.packSequence(sequences, false);
        Tensor data = packed.data().requiresGrad(true);
        Tensor h0 = c.withStates() ? c.uniform(2, states, n, hOut).requiresGrad(true) : null;
        Tensor c0 = c.withStates() && o.mode().gates() == 4 ? c.uniform(3, states, n, o.hiddenSize()) : null;
        int width = o.numDirections() * hOut;
        Tensor gOut = c.uniform(4, data.size(0), width);
        Tensor gH = c.uniform(5, states, n, hOut);
        Tensor gC = c.uniform(6, states, n, o.hiddenSize());

        RNNBase batch = c.module(o, SCALAR);
        batch.forward(packed, h0, c0).output().data().backward(gOut);
        batch.forward(packed, h0, c0).hN().backward(gH);
        if (c0 != null) {
            batch.forward(packed, h0, c0).cN().backward(gC);
        }

        // each sequence alone as a batch of one: (L_i, 1, H_in), the same data in either batch_first layout
        RNNBase single = c.module(o, SCALAR);
        int[] batchSizes = packed.batchSizes();
        int[] position = packed.unsortedIndices();
        for (int i = 0; i < n; i++) {
            int length = pc.lengths()[i];
            int sorted = position == null ? i : position[i];
            Tensor x = sequences.get(i).copy().reshape(o.batchFirst() ? new int[] {1, length, o.inputSize()}
                    : new int[] {length, 1, o.inputSize()}).detach().requiresGrad(true);
            Tensor hi = h0 == null ? null : column(h0, i, n).requiresGrad(true);
            Tensor ci = c0 == null ? null : column(c0, i, n);
            Tensor gOutI = Tensor.zeros(x.size(0), x.size(1), width);
            for (int t = 0, row = 0; t < length; row += batchSizes[t], t++) {
                System.arraycopy(gOut.data(), (row + sorted) * width, gOutI.data(), t * width, width);
            }
            single.forward(x, hi, ci).output().backward(gOutI);
            single.forward(x, hi, ci).hN().backward(column(gH, i, n));
            if (ci != null) {
                single.forward(x, hi, ci).cN().backward(column(gC, i, n));
            }
            // the input and h_0 gradients of a sequence depend on its rows only: bitwise the batch's rows
            for (int t = 0, row = 0; t < length; row += batchSizes[t], t++) {
                float[] expected = new float[o.inputSize()];
                System.arraycopy(data.grad().data(), (row + sorted) * o.inputSize(), expected, 0, o.inputSize());
                float[] got = new float[o.inputSize()];
                System.arraycopy(x.grad().data(), t * o.inputSize(), got, 0, o.inputSize());
                assertArrayEquals(expected, got, "input gradient of sequence " + i + " at step " + t);
            }
            if (hi != null) {
                assertArrayEquals(column(h0.grad(), i, n).data(), hi.grad().data(), "h_0 gradient of sequence " + i);
            }
        }
        List<Parameter> expected = batch.parameters();
        List<Parameter> summed = single.parameters();
        for (int p = 0; p < expected.size(); p++) {
            assertNotNull(expected.get(p).grad());
            RecurrentCase.assertClose("parameter " + batch.namedParameters().keySet().toArray()[p],
                    expected.get(p).grad().data(), summed.get(p).grad().data(), SUM_ABSOLUTE, SUM_RELATIVE);
        }
    }

    /** Entry i of dimension 1 of a (S, N, W) state as a (S, 1, W) tensor (a leaf). */
    private static Tensor column(Tensor state, int i, int n) {
        int s = state.size(0);
        int w = state.size(2);
        Tensor out = Tensor.zeros(s, 1, w);
        for (int k = 0; k < s; k++) {
            System.arraycopy(state.data(), (k * n + i) * w, out.data(), k * w, w);
        }
        return out;
    }

    @Provide
    Arbitrary<RecurrentCase> anyCase() {
        return RecurrentCase.any(true, 3);
    }

    @Property(tries = 150)
    void vectorAndScalarKernelsGiveTheSameGradients(@ForAll("anyCase") RecurrentCase c, @ForAll boolean packed) {
        Gradients vector = gradients(c, KernelProvider.checkedVector(), packed);
        Gradients scalar = gradients(c, SCALAR, packed);
        for (int p = 0; p < scalar.parameters().size(); p++) {
            RecurrentCase.assertClose("parameter " + p, scalar.parameters().get(p), vector.parameters().get(p),
                    KERNEL_ABSOLUTE, KERNEL_RELATIVE);
        }
        RecurrentCase.assertClose("input", scalar.input(), vector.input(), KERNEL_ABSOLUTE, KERNEL_RELATIVE);
        if (c.withStates()) {
            RecurrentCase.assertClose("h_0", scalar.h0(), vector.h0(), KERNEL_ABSOLUTE, KERNEL_RELATIVE);
        }
    }

    /**
     * The gradients of the case's loss on the given kernels, on a padded input or on it packed (differentiably,
     * so the input gradient is the padded one either way) with lengths derived from the seed: unsorted, the
     * longest one somewhere in the batch.
     */
    private static Gradients gradients(RecurrentCase c, Kernels kernels, boolean packed) {
        RecurrentOptions o = c.options();
        RNNBase m = c.module(o, kernels);
        Tensor x = (o.batchFirst() ? c.uniform(1, c.batch(), c.steps(), o.inputSize())
                : c.uniform(1, c.steps(), c.batch(), o.inputSize())).requiresGrad(true);
        Tensor h0 = c.h0() == null ? null : c.h0().requiresGrad(true);
        Tensor c0 = c.c0();
        int[] lengths = new int[c.batch()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 1 + (int) ((c.seed() + 5L * i) % c.steps());
        }
        lengths[(int) (c.seed() % c.batch())] = c.steps();
        // one forward per loss term (a graph, including its packing node, is spent by its backward)
        Tensor output = packed
                ? m.forward(PackedSequences.packPaddedSequence(x, lengths, o.batchFirst(), false), h0,
                c0).output().data()
                : m.forward(x, h0, c0).output();
        output.backward(c.uniform(4, output.shape()));
        Tensor hN = packed
                ? m.forward(PackedSequences.packPaddedSequence(x, lengths, o.batchFirst(), false), h0,
                c0).hN()
                : m.forward(x, h0, c0).hN();
        hN.backward(c.uniform(5, hN.shape()));
        List<float[]> params = new ArrayList<>();
        for (Parameter q : m.parameters()) {
            params.add(q.grad().data());
        }
        return new Gradients(params, x.grad().data(), h0 == null ? null : h0.grad().data());
    }
}
