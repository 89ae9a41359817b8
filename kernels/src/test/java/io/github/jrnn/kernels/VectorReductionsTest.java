package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorReductions}' two forms of the lane sum, the vector's rotation steps and the lane-by-lane tree over a
 * stored accumulator, add the same operands in the same order: the kernels that hand their lane sums through memory
 * give the bits they gave when they passed the vector (at the width this JVM runs with).
 */
class VectorReductionsTest {

    private static final int CASES = 2_000;

    @Test
    void storedLanesSumToTheBitsOfTheVectorSum() {
        SplittableRandom random = new SplittableRandom(5);
        int orderSensitive = 0;
        for (int c = 0; c < CASES; c++) {
            float[] buffer = new float[3 * L];
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] = spread(random);
            }
            int offset = random.nextInt(2 * L + 1);
            float[] lanes = buffer.clone();
            float expected = VectorReductions.sum(FloatVector.fromArray(S, buffer, offset));
            float actual = VectorReductions.sum(lanes, offset);
            int at = c;
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                    () -> "case " + at + ": " + expected + " from the vector, " + actual + " from the stored lanes");
            if (Float.floatToRawIntBits(leftToRight(buffer, offset)) != Float.floatToRawIntBits(expected)) {
                orderSensitive++;
            }
        }
        // the inputs must tell summation orders apart, or the agreement above would prove nothing about the order
        int sensitive = orderSensitive;
        assertTrue(sensitive > CASES / 4, () -> "only " + sensitive + " of " + CASES
                + " cases sum differently left to right");
    }

    /** A float of random sign and magnitude between 2^-12 and 2^12: sums of several depend on their order. */
    private static float spread(SplittableRandom random) {
        float magnitude = (float) Math.scalb(1 + random.nextDouble(), random.nextInt(-12, 13));
        return random.nextBoolean() ? magnitude : -magnitude;
    }

    private static float leftToRight(float[] lanes, int offset) {
        float sum = 0f;
        for (int i = offset; i < offset + L; i++) {
            sum += lanes[i];
        }
        return sum;
    }
}
