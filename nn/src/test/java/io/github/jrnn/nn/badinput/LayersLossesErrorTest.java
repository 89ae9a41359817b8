package io.github.jrnn.nn.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.layers.Flatten;
import io.github.jrnn.nn.layers.LayerNorm;
import io.github.jrnn.nn.layers.LogSoftmax;
import io.github.jrnn.nn.layers.Softmax;
import io.github.jrnn.nn.layers.Tanh;
import io.github.jrnn.nn.loss.BCEWithLogitsLoss;
import io.github.jrnn.nn.loss.L1Loss;
import io.github.jrnn.nn.loss.Reduction;
import io.github.jrnn.nn.loss.SmoothL1Loss;
import io.github.jrnn.nn.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The new layers and losses refuse bad input with torch's message (golden/layers_losses/errors.json, recorded by
 * tools/make_layers_losses_golden.py from torch 1.13) at the start of jrnn's: torch's IndexError is an
 * IndexOutOfBoundsException, its RuntimeError and ValueError an IllegalArgumentException. Plus jrnn's own
 * refusals of arguments torch accepts differently (null, non-finite, a target of another shape).
 */
class LayersLossesErrorTest {

    private static final Pattern ENTRY = Pattern.compile("^ \"(\\w+)\": \"(.*)\",?$");

    private static Map<String, String> torchMessages() throws IOException {
        Map<String, String> messages = new TreeMap<>();
        try (InputStream in = LayersLossesErrorTest.class.getResourceAsStream("/golden/layers_losses/errors.json")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = ENTRY.matcher(line);
                if (m.matches()) {
                    messages.put(m.group(1), m.group(2).replace("\\\"", "\""));
                }
            }
        }
        return messages;
    }

    private static Tensor randn(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.numel(); i++) {
            t.data()[i] = (float) Math.sin(i + 1.0);
        }
        return t;
    }

    private record Refusal(Class<? extends RuntimeException> type, Executable call) {
    }

    private static Map<String, Refusal> calls() {
        Tensor x = randn(3, 4);
        Tensor t = randn(3, 4);
        Map<String, Refusal> m = new LinkedHashMap<>();
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        m.put("bce_target_shape", new Refusal(iae, () -> new BCEWithLogitsLoss().forward(x, randn(3, 2))));
        m.put("bce_weight_shape", new Refusal(iae,
                () -> new BCEWithLogitsLoss(Tensor.full(1f, 3), Reduction.MEAN, null).forward(x, t)));
        m.put("bce_pos_weight_shape", new Refusal(iae,
                () -> new BCEWithLogitsLoss(null, Reduction.MEAN, Tensor.full(1f, 3)).forward(x, t)));
        m.put("smooth_l1_negative_beta", new Refusal(iae, () -> new SmoothL1Loss(Reduction.MEAN, -1.0)));
        m.put("layer_norm_1d_shape", new Refusal(iae, () -> new LayerNorm(4).forward(randn(2, 3))));
        m.put("layer_norm_2d_shape", new Refusal(iae, () -> new LayerNorm(3, 4).forward(randn(2, 4, 3))));
        m.put("layer_norm_too_few_dims", new Refusal(iae, () -> new LayerNorm(3, 4).forward(randn(4))));
        m.put("softmax_dim", new Refusal(ioobe, () -> new Softmax(2).forward(x)));
        m.put("log_softmax_dim", new Refusal(ioobe, () -> new LogSoftmax(-3).forward(x)));
        m.put("flatten_dim", new Refusal(ioobe, () -> new Flatten().forward(randn(3))));
        m.put("reduction_name", new Refusal(iae, () -> new L1Loss(Reduction.parse("avg"))));
        return m;
    }

    @Test
    void everyRefusalStartsWithTorchsMessage() throws IOException {
        Map<String, String> torch = torchMessages();
        Map<String, Refusal> calls = calls();
        assertEquals(torch.keySet(), new TreeMap<>(calls).keySet(), "the script's cases and this test's");
        calls.forEach((name, refusal) -> {
            RuntimeException e = assertThrows(refusal.type(), refusal.call(), name);
            assertTrue(e.getMessage().startsWith(torch.get(name)), name + ": expected torch's \"" + torch.get(name)
                    + "\" first, got \"" + e.getMessage() + "\"");
        });
    }

    @Test
    void jrnnsOwnRefusalsNameTheArgument() {
        Tensor x = randn(3, 4);
        assertMessage("L1Loss: target size [3, 2] must be the same as input size [3, 4]",
                () -> new L1Loss().forward(x, randn(3, 2)));
        assertMessage("SmoothL1Loss: input and target must not be null", () -> new SmoothL1Loss().forward(x, null));
        assertMessage("BCEWithLogitsLoss: input and target must not be null",
                () -> new BCEWithLogitsLoss().forward(null, x));
        assertMessage("BCEWithLogitsLoss: reduction must not be null",
                () -> new BCEWithLogitsLoss(null, null, null));
        assertMessage("BCEWithLogitsLoss: weight of shape [2, 3, 4] would broadcast the input's shape [3, 4]",
                () -> new BCEWithLogitsLoss(randn(2, 3, 4), Reduction.SUM, null).forward(x, randn(3, 4)));
        assertMessage("SmoothL1Loss: beta must be finite, got Infinity",
                () -> new SmoothL1Loss(Reduction.MEAN, Double.POSITIVE_INFINITY));
        assertMessage("LayerNorm: normalized_shape must name at least one dimension", () -> new LayerNorm());
        assertMessage("LayerNorm: normalized_shape dimensions must be >= 0, got [3, -1]", () -> new LayerNorm(3, -1));
        assertMessage("LayerNorm: eps must be >= 0 and finite, got NaN",
                () -> new LayerNorm(new int[] {3}, Double.NaN, true, null));
        assertMessage("Tanh.forward: input must not be null", () -> new Tanh().forward(null));
        assertMessage("input must not be null", () -> new LayerNorm(4).forward(null));
    }

    private static void assertMessage(String start, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), "expected \"" + start + "\" first, got \"" + e.getMessage()
                + "\"");
    }
}
