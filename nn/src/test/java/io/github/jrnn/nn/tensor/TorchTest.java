package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.random.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shapes and generator plumbing of {@link Torch}; values are compared with torch in the random package's tests. */
class TorchTest {

    @Test
    void shapesFollowPyTorch() {
        Generator g = new Generator(0);
        assertArrayEquals(new int[0], Torch.randn(g).shape());
        assertEquals(1, Torch.randn(g).numel());
        assertArrayEquals(new int[] {2, 0, 3}, Torch.rand(g, 2, 0, 3).shape());
        LongTensor ints = Torch.randint(g, -3, 3, 4, 5);
        assertArrayEquals(new int[] {4, 5}, ints.shape());
        for (long v : ints.data()) {
            assertTrue(v >= -3 && v < 3, "randint value " + v);
        }
        long[] perm = Torch.randperm(g, 50);
        long[] sorted = perm.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void defaultGeneratorOverloadsUseTheSeededDefault() {
        Torch.manualSeed(11);
        Tensor a = Torch.randn(20);
        Tensor b = Torch.rand(3);
        LongTensor c = Torch.randint(0, 1000, 2);
        long[] d = Torch.randperm(5);
        Generator g = new Generator(11);
        assertEquals(Torch.randn(g, 20), a);
        assertEquals(Torch.rand(g, 3), b);
        assertEquals(Torch.randint(g, 0, 1000, 2), c);
        assertArrayEquals(Torch.randperm(g, 5), d);
    }

    @Test
    void samplingMethodsWithoutAGeneratorDrawFromTheSeededDefault() {
        Tensor probs = Tensor.of(new float[] {0.1f, 0.0f, 0.6f, 0.3f, 0.2f, 0.2f, 0.2f, 0.4f}, 2, 4);
        Torch.manualSeed(5);
        LongTensor with = probs.multinomial(6, true);
        LongTensor without = probs.multinomial(3, false);
        Tensor coins = probs.bernoulli();
        Generator g = new Generator(5);
        assertEquals(Torch.multinomial(g, probs, 6, true), with);
        assertEquals(Torch.multinomial(g, probs, 3, false), without);
        assertEquals(Torch.bernoulli(g, probs), coins);
    }

    @Test
    void longItemIsTheOneElementOrARefusalNamingTheShape() {
        assertEquals(7L, LongTensor.of(new long[] {7}, 1, 1).item());
        assertEquals(-3L, LongTensor.of(new long[] {-3}).item());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LongTensor.of(new long[] {1, 2}, 2).item());
        assertTrue(e.getMessage().startsWith("only one element tensors can be converted to Python scalars; hint: this"
                + " tensor has shape [2] (2 elements)"), e.getMessage());
    }

    @Test
    void negativeDimensionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.randn(2, -1));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }
}
