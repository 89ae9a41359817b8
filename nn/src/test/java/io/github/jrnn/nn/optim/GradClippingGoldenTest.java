package io.github.jrnn.nn.optim;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** clipGradNorm / clipGradValue against torch.nn.utils (tools/make_clipping_golden.py). */
class GradClippingGoldenTest {

    private static final int PARAMS = 3;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"norm2_clipped", "norm2_not_clipped", "norm_inf_clipped", "value_clipped"})
    void clippingMatchesTorch(String name) throws IOException, URISyntaxException {
        SafeTensorsFile golden = SafeTensors.read(
                Path.of(GradClippingGoldenTest.class.getResource("/golden/clip/" + name + ".safetensors").toURI()));
        Map<String, String> meta = golden.metadata();
        List<Parameter> params = new ArrayList<>();
        for (int i = 0; i < PARAMS; i++) {
            Tensor grad = golden.tensor("grad." + i);
            Parameter p = Parameter.zeros(grad.shape());
            p.value().view(-1).backward(grad.view(-1)); // the gradient arrives as from any loss
            params.add(p);
        }
        if (meta.get("kind").equals("norm")) {
            double normType = meta.get("norm_type").equals("inf") ? Double.POSITIVE_INFINITY : 2.0;
            float total = GradClipping.clipGradNorm(params, Double.parseDouble(meta.get("max_norm")), normType, false);
            assertClose(name + " total_norm", golden.tensor("total_norm").data(), new float[] {total}, FORWARD);
        } else {
            GradClipping.clipGradValue(params, Double.parseDouble(meta.get("clip_value")));
        }
        for (int i = 0; i < PARAMS; i++) {
            assertClose(name + " clipped." + i, golden.tensor("clipped." + i), params.get(i).grad(), FORWARD);
        }
    }

    @Test
    void nonFiniteNormsAreRefusedOnRequestAndOtherNormTypesAlways() {
        Parameter p = Parameter.zeros(2);
        p.value().backward(Tensor.of(new float[] {Float.NaN, 1f}, 2));
        List<Parameter> params = List.of(p);
        IllegalArgumentException nonFinite = assertThrows(IllegalArgumentException.class,
                () -> GradClipping.clipGradNorm(params, 1.0, 2.0, true));
        assertTrue(nonFinite.getMessage().contains("non-finite"), nonFinite.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> GradClipping.clipGradNorm(params, 1.0, 1.0, false));
        assertTrue(type.getMessage().contains("norm_type 2.0 and inf, got 1.0"), type.getMessage());
        assertEquals(0f, GradClipping.clipGradNorm(List.of(Parameter.zeros(3)), 1.0), "no gradients: norm 0");
    }
}
