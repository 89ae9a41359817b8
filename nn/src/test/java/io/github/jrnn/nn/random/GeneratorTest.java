package io.github.jrnn.nn.random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {

    @Test
    void engineIsStandardMt19937() {
        // Published MT19937 reference values for seed 5489: the first output, and the 10000th output that the
        // C++ standard requires of std::mt19937.
        Generator g = new Generator(5489);
        assertEquals(3499211612L, g.random());
        for (int i = 2; i < 10000; i++) {
            g.random();
        }
        assertEquals(4123659995L, g.random());
    }

    @Test
    void random64PutsFirstDrawInHighHalf() {
        Generator a = new Generator(5489);
        Generator b = new Generator(5489);
        long hi = a.random();
        long lo = a.random();
        assertEquals((hi << 32) | lo, b.random64());
    }

    @Test
    void onlyLow32BitsOfSeedReachTheTwisterButInitialSeedKeepsAll64() {
        Generator a = new Generator(5);
        Generator b = new Generator((1L << 32) + 5);
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.random(), b.random());
        }
        assertEquals((1L << 32) + 5, b.initialSeed());
        assertEquals(-1L, new Generator(-1L).initialSeed());
    }

    @Test
    void setSeedRestartsTheStream() {
        Generator g = new Generator(9);
        long first = g.random64();
        g.random64();
        assertSame(g, g.setSeed(9));
        assertEquals(first, g.random64());
    }

    @Test
    void defaultGeneratorIsSharedAndManualSeedReseedsIt() {
        assertSame(Generator.defaultGenerator(), Generator.manualSeed(42));
        long expected = new Generator(42).random();
        assertEquals(expected, Generator.defaultGenerator().random());
        assertEquals(Generator.DEFAULT_SEED, new Generator().initialSeed());
    }

    @Test
    void stateRoundTripsAndResumesTheStream() {
        Generator g = new Generator(123);
        float[] skip = new float[700];
        g.uniform(skip, 0, skip.length, 0, 1);
        byte[] state = g.getState();
        assertEquals(Generator.STATE_BYTES, state.length);
        long next = g.random64();
        Generator h = new Generator(1);
        h.setState(state);
        assertArrayEquals(state, h.getState());
        assertEquals(next, h.random64());
        assertEquals(123, h.initialSeed());
    }

    @Test
    void setStateRejectsWrongLengthAndImpossiblePosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Generator().setState(new byte[10]));
        assertTrue(e.getMessage().contains("5056") && e.getMessage().contains("10 bytes"), e.getMessage());
        byte[] zeroLeft = new byte[Generator.STATE_BYTES];
        e = assertThrows(IllegalArgumentException.class, () -> new Generator().setState(zeroLeft));
        assertTrue(e.getMessage().contains("left=0"), e.getMessage());
    }

    @Test
    void uniformFillsOnlyTheSliceAndChecksArguments() {
        float[] out = new float[5];
        new Generator(0).uniform(out, 1, 3, -1, 1);
        assertEquals(0f, out[0]);
        assertEquals(0f, out[4]);
        assertNotEquals(0f, out[1]);
        float[] expected = new float[3];
        new Generator(0).uniform(expected, 0, 3, -1, 1);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 1, 4));

        Generator g = new Generator(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.uniform(out, 0, 3, 1, 0));
        assertTrue(e.getMessage().contains("from=1.0 > to=0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.uniform(out, 0, 3, -3e38, 3e38));
        assertTrue(e.getMessage().contains("to-from"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.uniform(out, 0, 3, Double.NaN, 1));
        assertTrue(e.getMessage().contains("from"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.uniform(out, 3, 3, 0, 1));
        assertTrue(e.getMessage().contains("offset=3") && e.getMessage().contains("length 5"), e.getMessage());
    }

    @Test
    void equalBoundsGiveTheBound() {
        float[] out = new float[4];
        new Generator(0).uniform(out, 0, 4, 1, 1);
        assertArrayEquals(new float[] {1, 1, 1, 1}, out);
    }

    @Test
    void scalarNormalCachesTheSecondValueOfEachPair() {
        // torch: randn(1) twice after a seed equals randn(2): the second call takes the cached r*sin(theta).
        Generator a = new Generator(5);
        float[] one = new float[1];
        float[] two = new float[1];
        a.normal(one, 0, 1, 0, 1);
        a.normal(two, 0, 1, 0, 1);
        float[] pair = new float[2];
        new Generator(5).normal(pair, 0, 2, 0, 1);
        assertArrayEquals(pair, new float[] {one[0], two[0]});
        // The cached value is standardised: a later call applies its own mean and std.
        Generator b = new Generator(5);
        b.normal(one, 0, 1, 0, 1);
        b.normal(two, 0, 1, 10, 2);
        assertEquals((float) Math.fma((double) pair[1], 2.0, 10.0), two[0], 1e-5f);
    }

    @Test
    void reseedingDropsTheCachedNormal() {
        Generator g = new Generator(5);
        float[] x = new float[1];
        g.normal(x, 0, 1, 0, 1);
        float first = x[0];
        g.setSeed(5);
        g.normal(x, 0, 1, 0, 1);
        assertEquals(first, x[0]);
    }

    @Test
    void dropoutWithPZeroOrOneDrawsNothing() {
        Generator g = new Generator(8);
        byte[] before = g.getState();
        float[] mask = new float[20];
        g.dropoutMask(mask, 0, 20, 0.0);
        for (float v : mask) {
            assertEquals(1f, v);
        }
        g.dropoutMask(mask, 0, 20, 1.0);
        for (float v : mask) {
            assertEquals(0f, v);
        }
        assertArrayEquals(before, g.getState());
    }

    @Test
    void dropoutMaskIsZeroOrInverseKeepProbability() {
        float[] mask = new float[1000];
        new Generator(3).dropoutMask(mask, 0, mask.length, 0.3);
        float scale = 1f / (float) 0.7;
        int kept = 0;
        for (float v : mask) {
            assertTrue(v == 0f || v == scale, "mask value " + v);
            kept += v == 0f ? 0 : 1;
        }
        assertTrue(kept > 600 && kept < 800, "kept " + kept + " of 1000 at p = 0.3");
    }

    @Test
    void distributionArgumentsAreCheckedWithPyTorchMessages() {
        Generator g = new Generator(0);
        float[] f = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.normal(f, 0, 4, 0, -1));
        assertEquals("normal expects std >= 0.0, but found std -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.bernoulli(f, 0, 4, 1.5));
        assertEquals("bernoulli_ expects p to be in [0, 1], but got p=1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.dropoutMask(f, 0, 4, -0.1));
        assertEquals("dropout probability has to be between 0 and 1, but got -0.1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.randint(new long[2], 0, 2, 5, 5));
        assertEquals("random_ expects 'from' to be less than 'to', but got from=5 >= to=5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.randperm(-1));
        assertEquals("n must be non-negative, got -1", e.getMessage());
    }

    @Test
    void randpermOfZeroOrOneDrawsNothing() {
        Generator g = new Generator(8);
        byte[] before = g.getState();
        assertArrayEquals(new long[0], g.randperm(0));
        assertArrayEquals(new long[] {0}, g.randperm(1));
        assertArrayEquals(before, g.getState());
    }

    @Test
    void concurrentFillsAreEachAContiguousRunOfTheStream() throws Exception {
        int threads = 4;
        int block = 5000;
        Generator shared = new Generator(77);
        float[][] got = new float[threads][block];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            float[] out = got[t];
            workers[t] = new Thread(() -> shared.normal(out, 0, block, 0, 1));
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        Generator sequential = new Generator(77);
        java.util.List<float[]> expectedBlocks = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            float[] b = new float[block];
            sequential.normal(b, 0, block, 0, 1);
            expectedBlocks.add(b);
        }
        java.util.Set<Integer> matched = new java.util.HashSet<>();
        for (float[] g : got) {
            int index = -1;
            for (int i = 0; i < threads; i++) {
                if (java.util.Arrays.equals(expectedBlocks.get(i), g)) {
                    index = i;
                }
            }
            assertTrue(index >= 0, "a concurrent fill is not one contiguous run of the stream");
            matched.add(index);
        }
        assertEquals(threads, matched.size());
    }
}
