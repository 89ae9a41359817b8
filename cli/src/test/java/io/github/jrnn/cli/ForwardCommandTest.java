package io.github.jrnn.cli;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.github.jrnn.cli.ForwardGoldenTest.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./jrnn forward} refuses bad usage and bad input with exit status 2, exactly one line on stderr naming the
 * argument or tensor with the expected and given value, and no output written (an existing output untouched).
 */
class ForwardCommandTest {

    @TempDir
    Path dir;

    private Path gruModel;   // GRU(5, 4, num_layers=2, bidirectional=True), sequence-first
    private Path gruInput;   // input (6, 3, 5), h_0 (4, 3, 4)
    private Path output;
    private static final byte[] PREVIOUS_OUTPUT = "previous output".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws Exception {
        gruModel = fixture("gru_bidir_2layer.model.safetensors");
        gruInput = fixture("gru_bidir_2layer.input.safetensors");
        output = dir.resolve("out.safetensors");
        Files.write(output, PREVIOUS_OUTPUT);
    }

    /** Runs forward and checks the failure contract; returns the one stderr line. */
    private String refused(String... args) throws Exception {
        String[] full = new String[args.length + 1];
        full[0] = "forward";
        System.arraycopy(args, 0, full, 1, args.length);
        CliRun run = CliRun.of(full);
        assertEquals(2, run.status(), "exit status; stderr: " + run.err());
        assertEquals(1, run.errLines(), "exactly one line on stderr, got: " + run.err());
        assertTrue(run.err().startsWith("jrnn forward: "), run.err());
        assertEquals("", run.out(), "nothing on stdout");
        assertArrayEquals(PREVIOUS_OUTPUT, Files.readAllBytes(output), "existing output untouched");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(),
                    "no temporary file left");
        }
        return run.err().strip();
    }

    private String refusedInput(Path input) throws Exception {
        return refused("--model", gruModel.toString(), "--input", input.toString(), "--output", output.toString());
    }

    private Path inputs(SafeTensorsWriter w) throws Exception {
        Path p = dir.resolve("in" + System.nanoTime() + ".safetensors");
        w.write(p);
        return p;
    }

    private static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    @Test
    void helpPrintsUsage() {
        CliRun run = CliRun.of("forward", "--help");
        assertEquals(0, run.status());
        assertTrue(run.out().startsWith("Usage: ./jrnn forward --model MODEL.safetensors --input INPUT.safetensors"
                + " --output OUTPUT.safetensors"), run.out());
        assertTrue(run.out().contains("lengths (N) I64"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void successWritesTheResultsAndSaysWhat() throws Exception {
        CliRun run = CliRun.of("forward", "--model=" + gruModel, "--input", gruInput.toString(),
                "--output", output.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals("jrnn forward: wrote " + output + ": output [6, 3, 8], h_n [4, 3, 4]\n", run.out());
        SafeTensorsFile result = SafeTensors.read(output);
        assertArrayEquals(new int[] {6, 3, 8}, result.tensor("output").shape());
    }

    @Test
    void missingAndUnknownOptionsAreUsageErrors() throws Exception {
        assertEquals("jrnn forward: missing --model MODEL.safetensors; see ./jrnn forward --help", refused());
        assertEquals("jrnn forward: missing --output OUTPUT.safetensors; see ./jrnn forward --help",
                refused("--model", gruModel.toString(), "--input", gruInput.toString()));
        assertEquals("jrnn forward: unknown option '--modle' (options: --model, --input, --output, --help); see"
                + " ./jrnn forward --help", refused("--modle", gruModel.toString()));
        assertEquals("jrnn forward: --input needs a file, e.g. --input INPUT.safetensors; see ./jrnn forward --help",
                refused("--model", gruModel.toString(), "--input", "--output", output.toString()));
        assertEquals("jrnn forward: --model is given twice ('a' and 'b'); see ./jrnn forward --help",
                refused("--model", "a", "--model=b"));
        assertEquals("jrnn forward: unexpected argument 'x.safetensors' (give files with --model, --input and"
                + " --output); see ./jrnn forward --help", refused("x.safetensors"));
    }

    @Test
    void missingFilesAreNamedByTheirOption() throws Exception {
        Path absent = dir.resolve("absent.safetensors");
        assertEquals("jrnn forward: --model " + absent + ": no such file; see ./jrnn forward --help",
                refused("--model", absent.toString(), "--input", gruInput.toString(), "--output",
                        output.toString()));
        assertEquals("jrnn forward: --input " + absent + ": no such file; see ./jrnn forward --help",
                refusedInput(absent));
        Path noDir = dir.resolve("no/such/dir/out.safetensors");
        CliRun run = CliRun.of("forward", "--model", gruModel.toString(), "--input", gruInput.toString(),
                "--output", noDir.toString());
        assertEquals(2, run.status());
        assertEquals("jrnn forward: --output " + noDir + ": cannot create the file (does its directory exist?);"
                + " see ./jrnn forward --help\n", run.err());
        assertEquals("jrnn forward: --output " + dir + " is a directory; give a file name; see ./jrnn forward"
                + " --help", refused("--model", gruModel.toString(), "--input", gruInput.toString(), "--output",
                dir.toString()));
    }

    @Test
    void corruptTruncatedAndAbsurdFilesAreRefused() throws Exception {
        byte[] model = Files.readAllBytes(gruModel);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(model, model.length - 3));
        // 600 floats: per direction 12 * (5 + 4) + 24 in layer 0 and 12 * (8 + 4) + 24 in layer 1; the last
        // tensor, bias_hh_l1_reverse, is 12 floats at the end.
        assertEquals("jrnn forward: " + truncated + ": tensor 'bias_hh_l1_reverse': data_offsets [2352, 2400] reach"
                        + " past the end of the data section, which has 2397 bytes (truncated file?)",
                refused("--model", truncated.toString(), "--input", gruInput.toString(), "--output",
                        output.toString()));

        Path absurd = dir.resolve("absurd.safetensors");
        Files.write(absurd, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertEquals("jrnn forward: " + absurd + ": not a torch.save file (zip or legacy) nor a safetensors file: it"
                + " starts with bytes 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00", refusedInput(absurd),
                "input files may be safetensors or torch.save files: the content decides");
    }

    @Test
    void shapeMismatchesNameTheTensorAndBothShapes() throws Exception {
        Path features = inputs(new SafeTensorsWriter().putTensor("input", zeros(6, 3, 6)));
        String wrongFeatures = refusedInput(features);
        assertTrue(wrongFeatures.startsWith("jrnn forward: " + features + ": input.size(-1) must be equal to"
                + " input_size. Expected 5, got 6"), wrongFeatures);
        String wrongHidden = refusedInput(inputs(new SafeTensorsWriter().putTensor("input", zeros(6, 3, 5))
                .putTensor("h_0", zeros(4, 3, 5))));
        assertTrue(wrongHidden.contains("Expected hidden size (4, 3, 4), got [4, 3, 5]"), wrongHidden);
    }

    @Test
    void missingUnknownAndMistypedTensorsAreRefused() throws Exception {
        Path onlyH0 = inputs(new SafeTensorsWriter().putTensor("h_0", zeros(4, 3, 4)));
        assertEquals("jrnn forward: " + onlyH0 + ": tensor 'input': missing; GRU takes input, h_0, lengths and"
                + " needs input", refusedInput(onlyH0));

        Path typo = inputs(new SafeTensorsWriter().putTensor("input", zeros(6, 3, 5)).putTensor("h0",
                zeros(4, 3, 4)));
        assertEquals("jrnn forward: " + typo + ": tensor 'h0': is not an input of GRU (it takes input, h_0,"
                + " lengths)", refusedInput(typo));

        Path cellState = inputs(new SafeTensorsWriter().putTensor("input", zeros(6, 3, 5)).putTensor("c_0",
                zeros(4, 3, 4)));
        assertTrue(refusedInput(cellState).endsWith("tensor 'c_0': is not an input of GRU (it takes input, h_0,"
                + " lengths)"));

        Path floatLengths = inputs(new SafeTensorsWriter().putTensor("input", zeros(6, 3, 5))
                .putTensor("lengths", Tensor.of(new float[] {6, 5, 4}, 3)));
        String lengths = refusedInput(floatLengths);
        assertTrue(lengths.contains("tensor 'lengths': expected an integer tensor (I64, I32, I16, I8, U8 or BOOL),"
                + " got F32"), lengths);

        Path integerInput = inputs(new SafeTensorsWriter().putLongs("input", new long[90], 6, 3, 5));
        String integers = refusedInput(integerInput);
        assertTrue(integers.contains("tensor 'input': expected a floating-point tensor (F32, F64, F16 or BF16), got"
                + " I64"), integers);
    }

    @Test
    void badLengthsAreRefused() throws Exception {
        Path tooMany = inputs(new SafeTensorsWriter().putTensor("input", zeros(6, 3, 5))
                .putLongs("lengths", new long[] {6, 5, 4, 3}, 4));
        String many = refusedInput(tooMany);
        assertTrue(many.contains("Expected `len(lengths)` to be equal to batch_size, but got 4 (batch_size=3)"),
                many);
        Path tooLong = inputs(new SafeTensorsWriter().putTensor("input", zeros(6, 3, 5))
                .putLongs("lengths", new long[] {7, 5, 4}, 3));
        String longer = refusedInput(tooLong);
        assertTrue(longer.contains("lengths[0] = 7 is longer than the padded sequence length 6"), longer);
        Path matrix = inputs(new SafeTensorsWriter().putTensor("input", zeros(6, 3, 5))
                .putLongs("lengths", new long[] {6, 5, 4}, 3, 1));
        assertTrue(refusedInput(matrix).endsWith("tensor 'lengths': must be 1-D (one length per batch entry), got"
                + " shape [3, 1]"));
    }

    @Test
    void checkpointThatDoesNotFitItsMetadataIsOneLine() throws Exception {
        SafeTensorsFile gru = SafeTensors.read(gruModel);
        SafeTensorsWriter w = new SafeTensorsWriter().putMetadata(gru.metadata()).putMetadata("num_layers", "1");
        for (var e : gru.entries()) {
            w.putTensor(e.name(), e.toTensor());
        }
        Path model = dir.resolve("layers.safetensors");
        w.write(model);
        String line = refused("--model", model.toString(), "--input", gruInput.toString(), "--output",
                output.toString());
        assertTrue(line.startsWith("jrnn forward: " + model + ": Error(s) in loading state_dict for GRU:"
                + " Unexpected key(s) in state_dict: \"weight_ih_l1\""), line);
    }
}
