package io.github.jrnn.nn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * {@link Tensor#toString()} against torch 1.13's {@code repr} of the same float32 values, recorded by
 * {@code tools/make_repr_golden.py} in {@code golden/repr/tensors.safetensors}: element formats (integral, fixed,
 * scientific, non-finite, signed zeros, half-to-even ties), wrapping at 80 columns, nesting, empty tensors,
 * summaries past 1000 elements and the {@code requires_grad=True} suffix.
 */
class TensorReprGoldenTest {

    private static SafeTensorsFile fixture() throws Exception {
        return SafeTensors.read(Path.of(TensorReprGoldenTest.class.getResource("/golden/repr/tensors.safetensors")
                .toURI()));
    }

    @TestFactory
    Stream<DynamicTest> printsLikeTorch() throws Exception {
        SafeTensorsFile f = fixture();
        return f.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Tensor t = f.tensor(name);
            if (name.startsWith("requires_grad.")) {
                t.requiresGrad(true);
            }
            assertEquals(f.metadata().get(name), t.toString());
        }));
    }

    @Test
    void outputOfARecordedOperationNamesItsGradFn() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        // torch: tensor([1., 2.], grad_fn=<ViewBackward0>); jrnn's node for reshape is ViewBackward
        assertEquals("tensor([[1., 2.]], grad_fn=<ViewBackward>)", x.reshape(1, 2).toString());
        assertEquals("tensor([1., 2.])", x.detach().toString());
    }
}
