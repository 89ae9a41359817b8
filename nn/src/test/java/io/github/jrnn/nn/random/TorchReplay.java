package io.github.jrnn.nn.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays the call forms of {@code tools/make_random_golden.py} on a jrnn {@link Generator} and compares each result
 * with what torch recorded, bitwise.
 */
final class TorchReplay {

    private TorchReplay() {
    }

    /** Seeds a fresh generator like {@code torch.manual_seed(seed)} and checks every step of the case. */
    static void replay(GoldenFixture.Case c) {
        Generator g = new Generator(c.seed());
        for (GoldenFixture.Step step : c.steps()) {
            check(c + " " + step.call(), g, step);
        }
    }

    private static void check(String where, Generator g, GoldenFixture.Step step) {
        String[] a = step.args();
        switch (step.op()) {
            case "uniform" -> {
                float[] got = new float[Integer.parseInt(a[0])];
                g.uniform(got, 0, got.length, Double.parseDouble(a[1]), Double.parseDouble(a[2]));
                assertBitwise(where, step.result().floats(), got);
            }
            case "state" -> assertArrayEquals(step.result().bytes(), g.getState(), where);
            default -> fail("test does not know fixture call " + step.call());
        }
    }

    /** Asserts equal length and equal float bits element by element, naming the first differing index. */
    static void assertBitwise(String where, float[] expected, float[] got) {
        assertEquals(expected.length, got.length, where + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(got[i])) {
                fail(where + ": element " + i + " expected " + expected[i] + " (bits "
                        + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ") but got " + got[i]
                        + " (bits " + Integer.toHexString(Float.floatToRawIntBits(got[i])) + ")");
            }
        }
    }
}
