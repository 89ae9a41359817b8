package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's dropout placement: on each layer's output except the last, in training mode only; h_n of a layer is
 * its state before the dropout. Runs on the scalar kernels so that equal computations are bitwise equal.
 */
class RecurrentDropoutTest {

    private static Tensor input() {
        Tensor x = Tensor.zeros(6, 3, 5);
        new Generator(3).uniform(x.data(), 0, x.numel(), -1, 1);
        return x;
    }

    private static GRU gru(int layers) {
        return GRU.builder(5, 8).numLayers(layers).dropout(0.5).generator(new Generator(21))
                .kernels(KernelProvider.checkedScalar()).build();
    }

    @Test
    void dropoutActsBetweenLayersInTrainingButLeavesTheFirstLayersStateAlone() {
        GRU g = gru(2);
        g.eval();
        RecurrentOutput eval = g.forward(input());
        g.train();
        RecurrentOutput train = g.forward(input());
        assertFalse(Arrays.equals(eval.output().data(), train.output().data()), "the second layer saw dropout");
        assertArrayEquals(eval.hN().select(0).data(), train.hN().select(0).data(), "layer 0's h_n is pre-dropout");
    }

    @Test
    void aSingleLayerHasNoDropoutEvenInTraining() {
        GRU g = gru(1);
        RecurrentOutput train = g.forward(input());
        g.eval();
        assertArrayEquals(g.forward(input()).output().data(), train.output().data());
    }

    @Test
    void evalModeIgnoresTheDropoutProbability() {
        GRU withDropout = gru(3);
        GRU without = GRU.builder(5, 8).numLayers(3).generator(new Generator(21))
                .kernels(KernelProvider.checkedScalar()).build();
        withDropout.eval();
        assertArrayEquals(without.forward(input()).output().data(), withDropout.forward(input()).output().data());
    }
}
