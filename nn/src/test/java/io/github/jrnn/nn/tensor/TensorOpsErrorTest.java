package io.github.jrnn.nn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Refused calls give torch's message (golden/tensor_ops/errors.json, written by tools/make_tensor_ops_golden.py
 * from torch 1.13's exceptions) at the start of jrnn's, and the exception type jrnn uses for torch's: a bad
 * dimension (torch's IndexError) is an IndexOutOfBoundsException, everything else (RuntimeError) an
 * IllegalArgumentException.
 */
class TensorOpsErrorTest {

    private static final Pattern ENTRY = Pattern.compile("^ \"(\\w+)\": \"(.*)\",?$");

    private static Map<String, String> torchMessages() throws IOException {
        Map<String, String> messages = new TreeMap<>();
        try (InputStream in = TensorOpsErrorTest.class.getResourceAsStream("/golden/tensor_ops/errors.json")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = ENTRY.matcher(line);
                if (m.matches()) {
                    messages.put(m.group(1), m.group(2).replace("\\\"", "\""));
                }
            }
        }
        return messages;
    }

    private static Tensor ones(int... shape) {
        return Tensor.full(1f, shape);
    }

    private static BoolTensor trues(int... shape) {
        boolean[] values = new boolean[Tensor.checkedNumel(shape)];
        java.util.Arrays.fill(values, true);
        return BoolTensor.of(values, shape);
    }

    /** The same calls as the script's, by name, with the exception class jrnn throws. */
    private static Map<String, Map.Entry<Class<? extends RuntimeException>, Executable>> calls() {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> index = IndexOutOfBoundsException.class;
        Map<String, Map.Entry<Class<? extends RuntimeException>, Executable>> calls = new TreeMap<>();
        calls.put("add_mismatch", Map.entry(iae, () -> ones(2, 5).add(ones(2, 4))));
        calls.put("sum_dim_out_of_range", Map.entry(index, () -> ones(2, 3).sum(2, false)));
        calls.put("softmax_dim_out_of_range", Map.entry(index, () -> ones(2, 3).softmax(-3)));
        calls.put("mm_mismatch", Map.entry(iae, () -> ones(2, 3).matmul(ones(2, 3))));
        calls.put("dot_mismatch", Map.entry(iae, () -> ones(3).matmul(ones(4))));
        calls.put("vm_mismatch", Map.entry(iae, () -> ones(4).matmul(ones(3, 2))));
        calls.put("mv_mismatch", Map.entry(iae, () -> ones(2, 3).matmul(ones(4))));
        calls.put("batched_inner_mismatch", Map.entry(iae, () -> ones(2, 3, 4).matmul(ones(2, 5, 6))));
        calls.put("batch_broadcast_mismatch", Map.entry(iae, () -> ones(3, 2, 5).matmul(ones(4, 5, 2))));
        calls.put("matmul_0d", Map.entry(iae, () -> Torch.matmul(ones(), ones(3))));
        calls.put("t_3d", Map.entry(iae, () -> ones(2, 3, 4).t()));
        calls.put("bmm_2d", Map.entry(iae, () -> ones(2, 3).bmm(ones(2, 3, 3))));
        calls.put("bmm_mismatch", Map.entry(iae, () -> ones(2, 2, 3).bmm(ones(2, 4, 3))));
        calls.put("topk_too_many", Map.entry(iae, () -> ones(2, 3).topk(4, 1, true)));
        calls.put("max_empty", Map.entry(iae, () -> ones(0).max()));
        calls.put("max_dim_empty", Map.entry(iae, () -> ones(0, 3).max(0, false)));
        calls.put("where_mismatch", Map.entry(iae, () -> Torch.where(trues(2), ones(3), ones(2))));
        calls.put("masked_fill_mismatch", Map.entry(iae, () -> ones(2, 3).maskedFill(trues(2, 4), 1f)));
        calls.put("argmax_empty", Map.entry(iae, () -> ones(0).argmax()));
        calls.put("max_dim_out_of_range", Map.entry(index, () -> ones(2, 3).max(2, false)));
        return calls;
    }

    @Test
    void everyRefusalStartsWithTorchsMessage() throws IOException {
        Map<String, String> torch = torchMessages();
        var calls = calls();
        assertFalse(torch.isEmpty(), "no messages read from errors.json");
        assertEquals(torch.keySet(), calls.keySet(), "the script's calls and this test's must be the same");
        for (var call : calls.entrySet()) {
            RuntimeException e = assertThrows(call.getValue().getKey(), call.getValue().getValue(), call.getKey());
            String expected = torch.get(call.getKey());
            assertTrue(e.getMessage().startsWith(expected), call.getKey() + ": torch says \"" + expected
                    + "\", jrnn said \"" + e.getMessage() + "\"");
        }
    }

    @Test
    void broadcastMismatchAddsAHintNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ones(2, 5).mul(ones(4)));
        assertTrue(e.getMessage().contains("[2, 5] and [4]"), e.getMessage());
    }
}
