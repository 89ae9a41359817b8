package io.github.jrnn.properties.nn;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.rnn.PackedRecurrentOutput;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The same module computation on the Vector API kernels and on the scalar reference gives the same outputs within
 * twice the PyTorch agreement bound, {@code |vector - scalar| <= 2e-5 + 2e-5 |scalar|}: each must agree with
 * PyTorch within 1e-5 + 1e-5 |expected| (the golden tests), so by the triangle inequality they agree with each
 * other within twice that.
 */
class KernelAgreementProperties {

    static final double ABSOLUTE = 2e-5;
    static final double RELATIVE = 2e-5;

    @Provide
    Arbitrary<RecurrentCase> anyCase() {
        return RecurrentCase.any(true, 3);
    }

    @Property(tries = 200)
    void vectorAndScalarKernelsGiveTheSameModuleOutputs(@ForAll("anyCase") RecurrentCase c) {
        RNNBase vector = c.module(c.options(), KernelProvider.checkedVector());
        RNNBase scalar = c.module(c.options(), KernelProvider.checkedScalar());
        Tensor x = c.options().batchFirst() ? c.uniform(1, c.batch(), c.steps(), c.options().inputSize())
                : c.uniform(1, c.steps(), c.batch(), c.options().inputSize());
        RecurrentOutput v = vector.forward(x, c.h0(), c.c0());
        RecurrentOutput s = scalar.forward(x, c.h0(), c.c0());
        RecurrentCase.assertClose("output", s.output().data(), v.output().data(), ABSOLUTE, RELATIVE);
        RecurrentCase.assertClose("h_n", s.hN().data(), v.hN().data(), ABSOLUTE, RELATIVE);
        if (c.options().mode() == RecurrentMode.LSTM) {
            RecurrentCase.assertClose("c_n", s.cN().data(), v.cN().data(), ABSOLUTE, RELATIVE);
        }
    }

    @Property(tries = 100)
    void vectorAndScalarKernelsGiveTheSamePackedOutputs(@ForAll("anyCase") RecurrentCase c) {
        int[] lengths = new int[c.batch()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 1 + (int) ((c.seed() + 7L * i) % c.steps());
        }
        lengths[(int) (c.seed() % c.batch())] = c.steps();
        Tensor x = c.options().batchFirst() ? c.uniform(1, c.batch(), c.steps(), c.options().inputSize())
                : c.uniform(1, c.steps(), c.batch(), c.options().inputSize());
        PackedSequence p = PackedSequences.packPaddedSequence(x, lengths, c.options().batchFirst(), false);
        PackedRecurrentOutput v = c.module(c.options(), KernelProvider.checkedVector()).forward(p, c.h0(),
                c.c0());
        PackedRecurrentOutput s = c.module(c.options(), KernelProvider.checkedScalar()).forward(p, c.h0(),
                c.c0());
        RecurrentCase.assertClose("packed output", s.output().data().data(), v.output().data().data(), ABSOLUTE,
                RELATIVE);
        RecurrentCase.assertClose("h_n", s.hN().data(), v.hN().data(), ABSOLUTE, RELATIVE);
    }
}
