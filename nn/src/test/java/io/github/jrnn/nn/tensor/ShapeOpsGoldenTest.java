package io.github.jrnn.nn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The shape and indexing operations against torch 1.13 ({@code tools/make_tensor_shape_golden.py},
 * {@code golden/shape/ops.safetensors}): for every case the outputs equal torch's exactly (they only move
 * elements), and the gradients of {@code sum_k (out_k * w_k).sum()} with torch's weights {@code w_k} equal torch's
 * within 1e-6 + 1e-5 |expected| (sums over expanded or duplicated elements may add in another order). Cases cover
 * negative dims and indices, steps, clamped slices, duplicate indices, cat and stack along inner dims, expand with
 * -1, splits and chunks. The error cases ({@code errors.safetensors}) run on zeros and must fail with torch's text.
 */
class ShapeOpsGoldenTest {

    @TestFactory
    Stream<DynamicTest> outputsAndGradientsEqualTorchs() throws Exception {
        SafeTensorsFile f = ShapeOpSpec.fixture("ops.safetensors");
        Map<String, String> meta = f.metadata();
        return meta.keySet().stream().filter(k -> k.startsWith("op.")).sorted().map(k -> k.substring(3))
                .map(c -> DynamicTest.dynamicTest(c + ": " + meta.get("op." + c), () -> {
                    String spec = meta.get("op." + c);
                    List<Tensor> xs = new ArrayList<>();
                    for (int i = 0; i < Integer.parseInt(meta.get("inputs." + c)); i++) {
                        xs.add(f.tensor("x." + c + "." + i).requiresGrad(true));
                    }
                    LongTensor index = f.contains("index." + c) ? ShapeOpSpec.longs(f.tensor("index." + c)) : null;
                    List<Tensor> outs = ShapeOpSpec.run(spec, xs, index);
                    assertEquals(Integer.parseInt(meta.get("pieces." + c)), outs.size(), "number of outputs");
                    List<Tensor> weights = new ArrayList<>();
                    for (int k = 0; k < outs.size(); k++) {
                        Tensor expected = f.tensor("out." + c + "." + k);
                        assertArrayEquals(expected.shape(), outs.get(k).shape(), "shape of output " + k);
                        assertArrayEquals(expected.data(), outs.get(k).data(), "output " + k);
                        weights.add(f.tensor("w." + c + "." + k));
                    }
                    // d/d out_k of sum_k (out_k * w_k).sum() is w_k; pieces go back through one cat
                    if (outs.size() == 1) {
                        outs.get(0).backward(weights.get(0));
                    } else {
                        int dim = ShapeOpSpec.splitDim(spec);
                        Tensors.cat(outs, dim).backward(Tensors.cat(weights, dim));
                    }
                    for (int i = 0; i < xs.size(); i++) {
                        Tensor expected = f.tensor("grad." + c + "." + i);
                        float[] got = xs.get(i).grad().data();
                        for (int j = 0; j < got.length; j++) {
                            float e = expected.data()[j];
                            assertEquals(e, got[j], 1e-6 + 1e-5 * Math.abs(e), "grad of input " + i + " at " + j);
                        }
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> errorsUseTorchsWords() throws Exception {
        SafeTensorsFile f = ShapeOpSpec.fixture("errors.safetensors");
        Map<String, String> meta = f.metadata();
        return meta.keySet().stream().filter(k -> k.startsWith("error.")).sorted().map(k -> k.substring(6))
                .map(c -> DynamicTest.dynamicTest(c, () -> {
                    List<Tensor> xs = new ArrayList<>();
                    for (String s : meta.get("shape." + c).split(";", -1)) {
                        xs.add(Tensor.zeros(s.isEmpty() ? new int[0]
                                : Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray()));
                    }
                    long[] values = Arrays.stream(ShapeOpSpec.ints(meta.get("index." + c))).asLongStream()
                            .toArray();
                    String spec = meta.get("op." + c);
                    LongTensor index = spec.startsWith("gather") ? LongTensor.of(values, 1, values.length)
                            : LongTensor.of(values, values.length);
                    RuntimeException e = assertThrows(RuntimeException.class, () -> ShapeOpSpec.run(spec, xs, index));
                    String torch = meta.get("error." + c);
                    assertTrue(e.getMessage().startsWith(torch), () -> "expected torch's text\n  " + torch
                            + "\ngot\n  " + e.getMessage());
                    assertTrue(e.getMessage().length() > torch.length() + 8, "a hint follows torch's text: "
                            + e.getMessage());
                    assertTrue(e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException,
                            "an argument error, got " + e.getClass().getName());
                }));
    }
}
