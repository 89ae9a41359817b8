package io.github.jrnn.nn.loss;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.GRADIENT;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code loss_*} case of tools/make_layers_losses_golden.py (torch 1.13): BCEWithLogitsLoss (weight,
 * pos_weight, logits of +-100), L1Loss and SmoothL1Loss (beta 0, 0.5, 1, 4, with ties at x = t and at |x - t| =
 * beta), each with reductions none, mean and sum: the loss and the gradients of its sum with respect to input and
 * target.
 */
class ElementwiseLossGoldenTest {

    static List<Path> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(ElementwiseLossGoldenTest.class.getResource("/golden/layers_losses").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> p.getFileName().toString().startsWith("loss_")).sorted().toList();
            assertEquals(33, all.size(), "the script's 11 loss cases times 3 reductions under " + dir);
            return all;
        }
    }

    private static Tensor optional(SafeTensorsFile golden, String name) throws IOException {
        return golden.contains(name) ? golden.tensor(name) : null;
    }

    /** The loss the case describes, applied to input and target. */
    private static Tensor loss(SafeTensorsFile golden, Tensor input, Tensor target) throws IOException {
        Map<String, String> meta = golden.metadata();
        Reduction reduction = Reduction.parse(meta.get("reduction"));
        return switch (meta.get("loss")) {
            case "BCEWithLogitsLoss" -> new BCEWithLogitsLoss(optional(golden, "weight"), reduction,
                    optional(golden, "pos_weight")).forward(input, target);
            case "L1Loss" -> new L1Loss(reduction).forward(input, target);
            case "SmoothL1Loss" -> new SmoothL1Loss(reduction, Double.parseDouble(meta.get("beta")))
                    .forward(input, target);
            default -> throw new IllegalStateException("unknown loss " + meta.get("loss"));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossAndGradientsMatchTorch(Path file) throws IOException {
        SafeTensorsFile golden = SafeTensors.read(file);
        String name = file.getFileName().toString();
        Tensor input = golden.tensor("input").requiresGrad(true);
        Tensor target = golden.tensor("target").requiresGrad(true);
        Tensor loss = loss(golden, input, target);
        assertClose(name + " loss", golden.tensor("loss"), loss, FORWARD);
        for (float v : loss.data()) {
            assertTrue(Float.isFinite(v), name + ": a non-finite loss " + v);
        }
        // torch's gradients are of loss.sum(): a gradient of ones
        loss.backward(Tensor.full(1f, loss.shape()));
        assertClose(name + " input_grad", golden.tensor("input_grad"), input.grad(), GRADIENT);
        assertClose(name + " target_grad", golden.tensor("target_grad"), target.grad(), GRADIENT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void recordsNothingWhenNeitherRequiresGrad(Path file) throws IOException {
        SafeTensorsFile golden = SafeTensors.read(file);
        Tensor loss = loss(golden, golden.tensor("input"), golden.tensor("target"));
        assertNull(loss.gradFn(), file.getFileName().toString());
        assertClose(file.getFileName() + " loss", golden.tensor("loss"), loss, FORWARD);
    }
}
