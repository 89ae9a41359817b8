package io.github.jrnn.properties.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.rnn.PackedRecurrentOutput;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentOptions;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Packed batches: a packed batch of variable-length sequences computes exactly what each sequence computes alone,
 * and packing then padding gives back the padded batch. The module runs on the scalar kernels and is compared
 * bitwise (each sequence's rows see the same operations in both computations).
 */
class PackedSequenceProperties {

    private static final Kernels SCALAR = KernelProvider.checkedScalar();

    @Provide
    Arbitrary<List<Integer>> lengths() {
        return Arbitraries.integers().between(1, 6).list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<RecurrentCase> anyCase() {
        return RecurrentCase.any(true, 3);
    }

    @Property(tries = 200)
    void packedBatchEqualsRunningEachSequenceAlone(@ForAll("anyCase") RecurrentCase any,
                                                   @ForAll("lengths") List<Integer> lengthList,
                                                   @ForAll boolean enforceSorted) {
        int[] lengths = lengthList.stream().mapToInt(Integer::intValue).toArray();
        if (enforceSorted) {
            lengths = lengthList.stream().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        }
        int steps = lengthList.stream().max(Integer::compare).orElseThrow();
        int batch = lengths.length;
        RecurrentCase c = new RecurrentCase(any.options(), steps, batch, any.withStates(), any.seed());
        RecurrentOptions o = c.options();
        RNNBase module = c.module(o, SCALAR);
        boolean bf = o.batchFirst();
        Tensor padded = bf ? c.uniform(1, batch, steps, o.inputSize()) : c.uniform(1, steps, batch, o.inputSize());
        Tensor h0 = c.h0();
        Tensor c0 = c.c0();
        PackedSequence packed = PackedSequences.packPaddedSequence(padded, lengths, bf, enforceSorted);
        PackedRecurrentOutput out = module.forward(packed, h0, c0);
        Tensor outPadded = PackedSequences.padPackedSequence(out.output(), false, 0f, null).padded();
        int width = o.numDirections() * o.hiddenOutSize();

        Tensor timeMajor = bf ? padded.transpose(0, 1) : padded;
        for (int i = 0; i < batch; i++) {
            int len = lengths[i];
            Tensor alone = Tensor.zeros(len, o.inputSize());
            for (int t = 0; t < len; t++) {
                System.arraycopy(timeMajor.data(), (t * batch + i) * o.inputSize(), alone.data(), t * o.inputSize(),
                        o.inputSize());
            }
            RecurrentOutput single = module.forward(alone, column(h0, i), column(c0, i));
            for (int t = 0; t < len; t++) {
                float[] got = new float[width];
                System.arraycopy(outPadded.data(), (t * batch + i) * width, got, 0, width);
                assertArrayEquals(single.output().select(t).data(), got, "sequence " + i + ", step " + t);
            }
            assertArrayEquals(single.hN().data(), column(out.hN(), i).data(), "h_n of sequence " + i);
            if (o.mode() == RecurrentMode.LSTM) {
                assertArrayEquals(single.cN().data(), column(out.cN(), i).data(), "c_n of sequence " + i);
            }
        }
    }

    /** {@code state[:, i, :]} of a (S, N, H) state as an unbatched (S, H) state, or null. */
    private static Tensor column(Tensor state, int i) {
        if (state == null) {
            return null;
        }
        int s = state.size(0);
        int n = state.size(1);
        int h = state.size(2);
        Tensor out = Tensor.zeros(s, h);
        for (int k = 0; k < s; k++) {
            System.arraycopy(state.data(), (k * n + i) * h, out.data(), k * h, h);
        }
        return out;
    }

    @Property(tries = 300)
    void packingThenPaddingGivesBackThePaddedBatch(@ForAll("lengths") List<Integer> lengthList,
                                                   @ForAll boolean batchFirst, @ForAll boolean enforceSorted) {
        int[] lengths = lengthList.stream().mapToInt(Integer::intValue).toArray();
        if (enforceSorted) {
            lengths = lengthList.stream().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        }
        int steps = lengthList.stream().max(Integer::compare).orElseThrow();
        int batch = lengths.length;
        Tensor padded = batchFirst ? Tensor.zeros(batch, steps, 2, 3) : Tensor.zeros(steps, batch, 2, 3);
        for (int i = 0; i < padded.numel(); i++) {
            padded.data()[i] = -1f;
        }
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                int row = batchFirst ? b * steps + t : t * batch + b;
                for (int k = 0; k < 6; k++) {
                    padded.data()[row * 6 + k] = 1000 * b + 10 * t + k;
                }
            }
        }
        PackedSequence p = PackedSequences.packPaddedSequence(padded, lengths, batchFirst, enforceSorted);
        PackedSequences.PaddedSequence back = PackedSequences.padPackedSequence(p, batchFirst, -1f, null);
        assertArrayEquals(padded.shape(), back.padded().shape());
        assertArrayEquals(padded.data(), back.padded().data());
        assertArrayEquals(lengths, back.lengths());
    }
}
