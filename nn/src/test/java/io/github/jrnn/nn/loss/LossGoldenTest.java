package io.github.jrnn.nn.loss;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.GRADIENT;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case written by tools/make_loss_golden.py: jrnn's loss value and input gradient against torch's. */
class LossGoldenTest {

    static List<Path> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(LossGoldenTest.class.getResource("/golden/loss").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
            assertFalse(all.isEmpty(), "no loss fixtures under " + dir);
            return all;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossAndGradientMatchTorch(Path file) throws IOException {
        SafeTensorsFile golden = SafeTensors.read(file);
        Map<String, String> meta = golden.metadata();
        String name = file.getFileName().toString();
        Reduction reduction = Reduction.parse(meta.get("reduction"));
        Tensor input = golden.tensor("input").requiresGrad(true);
        Tensor loss;
        Tensor targetTensor = null;
        switch (meta.get("loss")) {
            case "MSELoss" -> {
                targetTensor = golden.tensor("target").requiresGrad(true);
                loss = new MSELoss(reduction).forward(input, targetTensor);
            }
            case "CrossEntropyLoss" -> loss = new CrossEntropyLoss(weight(golden),
                    Integer.parseInt(meta.get("ignore_index")), reduction,
                    Double.parseDouble(meta.get("label_smoothing")))
                    .forward(input, golden.entry("target").toInts());
            case "NLLLoss" -> loss = new NLLLoss(weight(golden), Integer.parseInt(meta.get("ignore_index")), reduction)
                    .forward(input, golden.entry("target").toInts());
            default -> throw new IllegalStateException("unknown loss in " + name + ": " + meta.get("loss"));
        }
        assertClose(name + " loss", golden.tensor("loss"), loss, FORWARD);
        // torch's gradients are of loss.sum(): a gradient of ones.
        loss.backward(Tensor.full(1f, loss.shape()));
        assertClose(name + " input_grad", golden.tensor("input_grad"), input.grad(), GRADIENT);
        if (targetTensor != null) {
            assertClose(name + " target_grad", golden.tensor("target_grad"), targetTensor.grad(), GRADIENT);
        }
    }

    private static Tensor weight(SafeTensorsFile golden) throws IOException {
        return golden.contains("weight") ? golden.tensor("weight") : null;
    }
}
