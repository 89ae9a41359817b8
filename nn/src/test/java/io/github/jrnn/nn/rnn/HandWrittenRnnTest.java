package io.github.jrnn.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed document's example: the RNN equations written out by hand,
 * {@code H_t = tanh(X_t W_ih^T + b_ih + H_{t-1} W_hh^T + b_hh)}, computed here in double with plain loops on the
 * weights of an {@code RNN(6, 3)}, equal the module's output and h_n within 1e-5.
 */
class HandWrittenRnnTest {

    @Test
    void rnnEqualsTheHandWrittenRecurrence() {
        int in = 6;
        int hidden = 3;
        int steps = 5;
        int batch = 2;
        Generator g = new Generator(42);
        RNN rnn = RNN.builder(in, hidden).generator(g).build();
        float[] x = new float[steps * batch * in];
        g.uniform(x, 0, x.length, -2, 2);
        Map<String, Tensor> w = rnn.stateDict();
        float[] wIh = w.get("weight_ih_l0").data();
        float[] wHh = w.get("weight_hh_l0").data();
        float[] bIh = w.get("bias_ih_l0").data();
        float[] bHh = w.get("bias_hh_l0").data();

        double[][] h = new double[batch][hidden];
        double[] expected = new double[steps * batch * hidden];
        for (int t = 0; t < steps; t++) {
            double[][] next = new double[batch][hidden];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    double s = bIh[j] + bHh[j];
                    for (int i = 0; i < in; i++) {
                        s += x[(t * batch + b) * in + i] * (double) wIh[j * in + i];
                    }
                    for (int k = 0; k < hidden; k++) {
                        s += h[b][k] * wHh[j * hidden + k];
                    }
                    next[b][j] = Math.tanh(s);
                    expected[(t * batch + b) * hidden + j] = next[b][j];
                }
            }
            h = next;
        }

        RecurrentOutput out = rnn.forward(Tensor.of(x, steps, batch, in));
        assertArrayEquals(new int[] {steps, batch, hidden}, out.output().shape());
        assertArrayEquals(new int[] {1, batch, hidden}, out.hN().shape());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], out.output().data()[i], 1e-5, "output element " + i);
        }
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                assertEquals(h[b][j], out.hN().data()[b * hidden + j], 1e-5, "h_n[0][" + b + "][" + j + "]");
            }
        }
    }
}
