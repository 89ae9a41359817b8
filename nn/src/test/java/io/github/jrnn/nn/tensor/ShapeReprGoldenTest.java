package io.github.jrnn.nn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code toString()} against torch 1.13's {@code repr} ({@code golden/shape/repr.safetensors}): outputs of the
 * shape operations, summarised past 1000 elements, with torch's {@code grad_fn=<CatBackward0>} and friends; and
 * int64 tensors ({@link LongTensor}) printed like torch's, summarised, wrapped, empty and 0-dim.
 */
class ShapeReprGoldenTest {

    @TestFactory
    Stream<DynamicTest> printsLikeTorch() throws Exception {
        SafeTensorsFile f = ShapeOpSpec.fixture("repr.safetensors");
        Map<String, String> meta = f.metadata();
        return meta.keySet().stream().filter(k -> k.startsWith("repr.")).sorted().map(k -> k.substring(5))
                .map(c -> DynamicTest.dynamicTest(c, () -> {
                    String expected = meta.get("repr." + c);
                    if ("True".equals(meta.get("long." + c))) {
                        assertEquals(expected, ShapeOpSpec.longs(f.tensor("x." + c + ".0")).toString());
                        return;
                    }
                    List<Tensor> xs = new ArrayList<>();
                    for (int i = 0; i < Integer.parseInt(meta.get("inputs." + c)); i++) {
                        xs.add(f.tensor("x." + c + "." + i).requiresGrad(true));
                    }
                    LongTensor index = f.contains("index." + c) ? ShapeOpSpec.longs(f.tensor("index." + c)) : null;
                    assertEquals(expected, ShapeOpSpec.run(meta.get("op." + c), xs, index).get(0).toString());
                }));
    }
}
