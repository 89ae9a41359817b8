package io.github.jrnn.cli;

import static io.github.jrnn.cli.ConvertCommandTest.assertRefused;
import static io.github.jrnn.cli.ConvertCommandTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ./jrnn inspect}: the format, every tensor (dtype, shape, storage sharing and views for torch files), the
 * metadata and a module checkpoint's tree; refused files as {@code convert} refuses them.
 */
class InspectCommandTest {

    private static String inspect(String name) throws Exception {
        CliRun run = CliRun.of("inspect", resource(name).toString());
        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
        return run.out();
    }

    @Test
    void aTorchFileShowsFormatTensorsAndSharedStorages() throws Exception {
        String out = inspect("composites/tied_lm.pt");
        assertTrue(out.contains("format: TORCH_ZIP\n"), out);
        assertTrue(out.contains("tensors: 12 in 11 storages\n"), out);
        assertTrue(out.matches(
                "(?s).*\n  embed\\.weight +F32   \\[10, 4] +storage '\\d+', shared with head\\.weight\n.*"), out);
        assertTrue(out.matches("(?s).*\n  encoder\\.num_batches_tracked +I64   \\[] +storage '\\d+'\n.*"), out);
        assertTrue(out.contains("module versions (state_dict._metadata): (root)=1"), out);
    }

    @Test
    void viewsShowTheirOffsetAndStrides() throws Exception {
        String out = inspect("checkpoint/torch/views.pt");
        assertTrue(out.contains(", offset ") && out.contains(", strides ["), out);
    }

    @Test
    void aModuleCheckpointShowsItsMetadataAndTree() throws Exception {
        String out = inspect("composites/tied_lm.safetensors");
        assertTrue(out.contains("format: SAFETENSORS\ntensors: 12\n"), out);
        assertTrue(out.contains("  jrnn_layout = 2\n  module = TiedLM\n"), out);
        assertTrue(out.contains("""
                module tree:
                  (root) TiedLM
                    embed: Embedding(num_embeddings=10, embedding_dim=4)
                    encoder: Encoder
                      rnn: RNN(input_size=4, hidden_size=4,"""), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.jrnn.cli.ConvertCommandTest#refusedFiles")
    void refusedFilesExitTwoWithOneLine(String name, String expected) throws Exception {
        assertRefused(expected, "inspect", resource(name).toString());
    }

    @Test
    void badUsageIsRefused() {
        assertRefused("expected FILE, got 0 arguments", "inspect");
        assertRefused("FILE /no/such/file.pt: no such file", "inspect", "/no/such/file.pt");
    }
}
