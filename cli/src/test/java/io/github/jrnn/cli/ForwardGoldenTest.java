package io.github.jrnn.cli;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.testing.TorchTolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * End to end: {@code ./jrnn forward} on modules exported by {@code tools/export_torch.py} and inputs written by
 * {@code tools/make_forward_fixtures.py}, compared with torch's outputs for the same call (with lengths: torch's
 * pack_padded_sequence(enforce_sorted=False) / module / pad_packed_sequence(total_length=L)) within
 * {@link TorchTolerance#FORWARD} (1e-5 + 1e-5 * |expected| per element).
 */
class ForwardGoldenTest {

    @TempDir
    Path dir;

    static Path fixture(String name) throws URISyntaxException {
        var url = ForwardGoldenTest.class.getResource("/forward/" + name);
        assertNotNull(url, "fixture " + name + " (run tools/make_forward_fixtures.py)");
        return Path.of(url.toURI());
    }

    @Test
    void forwardReadsInputsSavedWithTorchSave() throws Exception {
        Path output = dir.resolve("from-pt.out.safetensors");
        Path input = Path.of(ForwardGoldenTest.class.getResource("/composites/forward_gru.input.pt").toURI());
        CliRun run = CliRun.of("forward", "--model", fixture("gru_bidir_2layer.model.safetensors").toString(),
                "--input", input.toString(), "--output", output.toString());
        assertEquals(0, run.status(), run.err());
        SafeTensorsFile expected = SafeTensors.read(fixture("gru_bidir_2layer.expected.safetensors"));
        SafeTensorsFile got = SafeTensors.read(output);
        assertEquals(List.copyOf(expected.names()), List.copyOf(got.names()), "result tensors");
        for (String t : expected.names()) {
            TorchTolerance.assertClose(t, expected.tensor(t), got.tensor(t), TorchTolerance.FORWARD);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gru_bidir_2layer", "lstm_batch_first_lengths", "lstm_proj_bidir_lengths",
            "rnn_relu_batch_first_bidir", "rnn_tanh_unbatched", "gru_lengths_no_h0", "rnncell", "grucell",
            "lstmcell_no_bias", "lstmcell_unbatched", "linear", "embedding"})
    void forwardMatchesTorch(String name) throws Exception {
        Path output = dir.resolve(name + ".out.safetensors");
        CliRun run = CliRun.of("forward", "--model", fixture(name + ".model.safetensors").toString(),
                "--input", fixture(name + ".input.safetensors").toString(), "--output", output.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());

        SafeTensorsFile expected = SafeTensors.read(fixture(name + ".expected.safetensors"));
        SafeTensorsFile got = SafeTensors.read(output);
        assertEquals(List.copyOf(expected.names()), List.copyOf(got.names()), "result tensors");
        for (String t : expected.names()) {
            TorchTolerance.assertClose(t, expected.tensor(t), got.tensor(t), TorchTolerance.FORWARD);
        }
    }
}
