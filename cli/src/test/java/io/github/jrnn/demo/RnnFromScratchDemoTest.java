package io.github.jrnn.demo;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./jrnn demo rnn-from-scratch}: the seed document's printed digits, and the values against torch's run of
 * the same calls (rnn_from_scratch.safetensors from tools/make_demo_golden.py: X and H0 bitwise, output and h_n
 * within 1e-5 + 1e-5 |expected|, for the module and for the hand-written equations).
 */
class RnnFromScratchDemoTest {

    private static final List<String> DOCUMENT_OUTPUT = List.of("[-0.5428, 0.9207, 0.7060]",
            "[-0.2245, 0.2461, -0.4578]", "[0.5950, -0.3390, -0.4598]", "[0.9281, -0.7660, 0.5954]");

    @Test
    void printsTheSeedDocumentsNumbers() throws Exception {
        List<String> lines = DemoRun.lines(new RnnFromScratchDemo(), 42);
        assertEquals("torch.manual_seed(42)", lines.get(0));
        assertEquals("  [1.9269, 1.4873, 0.9007, -2.1055, 0.6784, -1.2345]", lines.get(2));
        assertEquals("H0 = torch.randn(1, 1, 3): [1.3525, 0.6863, -0.3278]", lines.get(6));
        for (int t = 0; t < 4; t++) {
            String row = lines.get(9 + t);
            String[] columns = row.substring(5).split("\\s{2,}");
            assertEquals(List.of(DOCUMENT_OUTPUT.get(t), DOCUMENT_OUTPUT.get(t)), List.of(columns).subList(0, 2),
                    "row " + (t + 1) + ": " + row);
            assertEquals(String.valueOf(t + 1), row.substring(0, 1));
        }
        assertEquals("h_n = [0.9281, -0.7660, 0.5954] (the last output)", lines.get(13));
    }

    @Test
    void moduleAndHandWrittenEquationsMatchTorch() throws Exception {
        SafeTensorsFile golden = SafeTensors.read(DemoRun.path("rnn_from_scratch.safetensors"));
        RnnFromScratchDemo.Result r = RnnFromScratchDemo.compute(42);
        assertArrayEquals(golden.tensor("X").data(), r.x().data(), "X bitwise");
        assertArrayEquals(golden.tensor("H0").data(), r.h0().data(), "H0 bitwise");
        assertClose("module output", golden.tensor("output"), r.moduleOutput(), FORWARD);
        assertClose("h_n", golden.tensor("h_n"), r.moduleHn(), FORWARD);
        assertClose("hand-written H_t", golden.tensor("output").data(), r.byHand().data(), FORWARD);
    }
}
