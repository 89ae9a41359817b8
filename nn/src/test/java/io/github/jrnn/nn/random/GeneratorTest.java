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
}
