package io.github.jrnn.nn.init;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fan and gain arithmetic and argument checks of {@link Init}; the drawn values themselves are compared with torch
 * bitwise in {@code io.github.jrnn.nn.random.RandomGoldenTest} (init.safetensors).
 */
class InitTest {

    @Test
    void fansFollowPyTorch() {
        assertEquals(new Init.Fans(3, 5), Init.fans(5, 3));
        // (out, in, k1, k2): receptive field k1 * k2 multiplies both fans.
        assertEquals(new Init.Fans(3 * 2 * 2, 4 * 2 * 2), Init.fans(4, 3, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.fans(7));
        assertTrue(e.getMessage().startsWith("Fan in and fan out can not be computed for tensor with fewer than 2 "
                + "dimensions"), e.getMessage());
    }

    @Test
    void gainsAreCalculateGainValues() {
        assertEquals(1.0, Nonlinearity.SIGMOID.gain(null));
        assertEquals(5.0 / 3, Nonlinearity.TANH.gain(null));
        assertEquals(Math.sqrt(2.0), Nonlinearity.RELU.gain(null));
        assertEquals(Math.sqrt(2.0 / (1 + 0.01 * 0.01)), Nonlinearity.LEAKY_RELU.gain(null));
        assertEquals(Math.sqrt(2.0 / 6.000000000000001), Nonlinearity.LEAKY_RELU.gain(Math.sqrt(5)));
        assertEquals(0.75, Nonlinearity.SELU.gain(null));
        assertEquals(Nonlinearity.CONV_TRANSPOSE2D, Nonlinearity.fromTorchName("conv_transpose2d"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nonlinearity.fromTorchName("gelu"));
        assertEquals("Unsupported nonlinearity gelu", e.getMessage());
    }

    @Test
    void fanModeParsesLikePyTorch() {
        assertEquals(FanMode.FAN_OUT, FanMode.fromTorchName("FAN_OUT"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FanMode.fromTorchName("fan_avg"));
        assertEquals("Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']", e.getMessage());
    }

    @Test
    void kaimingOnAZeroElementTensorDrawsNothing() {
        Generator g = new Generator(1);
        byte[] before = g.getState();
        Init.kaimingUniform(g, Tensor.zeros(0, 3), 0, FanMode.FAN_IN, Nonlinearity.RELU);
        Init.linearDefault(g, new float[0], 4, 0, null);
        assertArrayEquals(before, g.getState());
    }

    @Test
    void linearBiasBoundIsOneOverSqrtFanIn() {
        float[] weight = new float[4 * 9];
        float[] bias = new float[4];
        Init.linearDefault(new Generator(2), weight, 4, 9, bias);
        float weightBound = (float) (Math.sqrt(3.0) * (Math.sqrt(2.0 / 6.000000000000001) / 3));
        for (float w : weight) {
            assertTrue(Math.abs(w) <= weightBound, "weight " + w + " outside kaiming bound " + weightBound);
        }
        for (float b : bias) {
            assertTrue(Math.abs(b) <= 1f / 3, "bias " + b + " outside 1/sqrt(9)");
        }
    }

    @Test
    void embeddingZeroesThePaddingRowCountingNegativeFromTheEnd() {
        float[] weight = new float[5 * 3];
        Init.embeddingDefault(new Generator(3), weight, 5, 3, -2);
        for (int j = 0; j < 3; j++) {
            assertEquals(0f, weight[3 * 3 + j]);
        }
        float[] plain = new float[5 * 3];
        Init.embeddingDefault(new Generator(3), plain, 5, 3);
        for (int i = 0; i < 15; i++) {
            assertEquals(i / 3 == 3 ? 0f : plain[i], weight[i]);
        }
    }

    @Test
    void moduleHelpersCheckTheirArguments() {
        Generator g = new Generator(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.embeddingDefault(g, new float[6], 3, 2, 3));
        assertTrue(e.getMessage().startsWith("Padding_idx must be within num_embeddings")
                && e.getMessage().contains("got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.linearDefault(g, new float[6], 2, 3,
                new float[3]));
        assertEquals("bias must have out_features = 2 elements, got 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.linearDefault(g, new float[5], 2, 3, null));
        assertTrue(e.getMessage().contains("holds 6 elements, but data has 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.recurrentDefault(g, -1, List.of()));
        assertEquals("hidden_size must be non-negative, got -1", e.getMessage());
    }

    @Test
    void recurrentDefaultBoundIsOneOverSqrtHidden() {
        float[] a = new float[200];
        float[] b = new float[50];
        Init.recurrentDefault(new Generator(4), 16, List.of(a, b));
        for (float v : a) {
            assertTrue(Math.abs(v) <= 0.25f, "value " + v);
        }
        // Whole arrays in list order: b continues the stream where a ended.
        float[] both = new float[250];
        new Generator(4).uniform(both, 0, 250, -0.25, 0.25);
        assertArrayEquals(java.util.Arrays.copyOfRange(both, 200, 250), b);
    }
}
