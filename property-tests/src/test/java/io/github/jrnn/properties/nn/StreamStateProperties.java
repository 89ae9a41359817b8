package io.github.jrnn.properties.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentStream;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A stream's stored state is the whole of what it remembers: a second stream of the same module that loads it
 * continues the sequence bit for bit, whatever the mode, layer count and projection, and however the state is
 * placed in a larger array (the per-key state of a stream processor, one stream serving every key).
 */
class StreamStateProperties {

    @Provide
    Arbitrary<RecurrentCase> unidirectional() {
        return RecurrentCase.any(false, 3);
    }

    @Property(tries = 200)
    void storedStateContinuesInAnotherStreamBitForBit(@ForAll("unidirectional") RecurrentCase c,
                                                       @ForAll("offsets") int offset) {
        RNNBase module = c.module(c.options(), KernelProvider.kernels());
        int in = c.options().inputSize();
        int hOut = c.options().hiddenOutSize();
        int before = c.steps();
        int after = 3;
        Tensor xs = c.uniform(7, before + after, in);
        RecurrentStream first = module.stream();
        float[] out = new float[hOut];
        for (int t = 0; t < before; t++) {
            first.step(xs.data(), t * in, out, 0);
        }
        int size = first.stateSize();
        int layers = c.options().numLayers();
        boolean lstm = c.options().mode() == RecurrentMode.LSTM;
        assertEquals(layers * hOut + (lstm ? layers * c.options().hiddenSize() : 0), size, "stateSize");
        float[] keyed = new float[offset + size + 5];
        first.storeState(keyed, offset);
        assertArrayEquals(first.hidden().data(), Arrays.copyOfRange(keyed, offset, offset + layers * hOut),
                "h comes first in the stored state");
        if (lstm) {
            assertArrayEquals(first.cell().data(), Arrays.copyOfRange(keyed, offset + layers * hOut,
                    offset + size), "c follows h");
        }

        RecurrentStream second = module.stream();
        second.step(xs.data(), 0, out, 0); // some other key's state, to be overwritten
        second.loadState(keyed, offset);
        float[] a = new float[hOut];
        float[] b = new float[hOut];
        for (int t = before; t < before + after; t++) {
            first.step(xs.data(), t * in, a, 0);
            second.step(xs.data(), t * in, b, 0);
            assertArrayEquals(a, b, "step " + t + " after the state moved");
        }
        assertArrayEquals(first.hidden().data(), second.hidden().data(), "h after the steps");
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.integers().between(0, 40);
    }
}
