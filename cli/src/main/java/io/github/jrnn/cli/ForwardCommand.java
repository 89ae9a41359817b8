package io.github.jrnn.cli;

import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.models.ModuleCheckpoints;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code ./jrnn forward --model M.safetensors --input I --output O.safetensors}: loads the module checkpoint M
 * (written by {@code tools/export_torch.py} or {@link ModuleCheckpoints#save}), runs it in eval mode on the
 * tensors of I (safetensors, or a {@code torch.save} file of a dict of tensors) and writes the results to O as F32
 * (see {@link #USAGE} for the tensor names).
 *
 * <p>Exit status 0 on success; {@value JrnnCli#EXIT_USAGE} for bad usage or refused input (unknown or missing
 * option, missing, corrupt or truncated file, missing or unknown tensor, shape mismatch), with one line on stderr
 * naming the file, tensor or argument and the expected and given value; 1 when the file system fails. O is
 * written only after the forward pass succeeded, atomically, so on any failure an existing O is untouched.
 */
public final class ForwardCommand {

    static final String USAGE = """
            Usage: ./jrnn forward --model MODEL.safetensors --input INPUT.safetensors --output OUTPUT.safetensors

            Runs a saved module (eval mode) on saved inputs and writes its results.

              --model   a module checkpoint: its state_dict as F32 plus __metadata__ naming the module and its
                        constructor arguments; write one with  python3 tools/export_torch.py --demo gru M.safetensors
                        or export_module(module, path) from the same script
              --input   the input tensors: a safetensors file, or a torch.save file of a dict
                        (torch.save({"input": x, "h_0": h0}, "in.pt")), named:
                          RNN, GRU, LSTM   input (L, N, H_in), (N, L, H_in) with batch_first, or (L, H_in);
                                           h_0 (D*num_layers, N, H_out), optional; c_0 likewise (LSTM, with h_0);
                                           lengths (N) I64, optional: the input is packed with enforce_sorted=False
                                           and the output padded back to the input's length with zeros
                          RNNCell, GRUCell input (N, H_in) or (H_in); h_0 (N, H) or (H), optional
                          LSTMCell         input; h_0 and c_0, optional (both or neither)
                          Linear           input (*, in_features)
                          Embedding        input (*) I64 indices
              --output  where to write the results (F32; replaced atomically):
                          RNN, GRU         output, h_n
                          LSTM             output, h_n, c_n
                          RNNCell, GRUCell h_1
                          LSTMCell         h_1, c_1
                          Linear           output
                          Embedding        output (*, embedding_dim)
              --help    show this help

            Exit status: 0 on success, 2 for bad usage or refused input (one line on stderr), 1 on I/O failure.
            """;

    private ForwardCommand() {
    }

    /** Runs {@code forward} with the arguments after the subcommand; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (ForwardArguments.wantsHelp(args)) {
            out.print(USAGE);
            return 0;
        }
        try {
            ForwardArguments a = ForwardArguments.parse(args);
            Module module = load(a);
            module.eval();
            StateDict inputs = read(a);
            Map<String, Tensor> results = run(module, inputs);
            SafeTensorsWriter writer = new SafeTensorsWriter();
            StringJoiner summary = new StringJoiner(", ");
            results.forEach((name, t) -> {
                writer.putTensor(name, t);
                summary.add(name + " " + Tensor.shapeString(t.shape()));
            });
            write(a, writer);
            out.println("jrnn forward: wrote " + a.output() + ": " + summary);
            return 0;
        } catch (UsageException e) {
            return fail(err, JrnnCli.EXIT_USAGE, e.getMessage() + "; see ./jrnn forward --help");
        } catch (CheckpointFormatException | IllegalArgumentException e) {
            return fail(err, JrnnCli.EXIT_USAGE, e.getMessage());
        } catch (AccessDeniedException e) {
            return fail(err, JrnnCli.EXIT_USAGE, e.getFile() + ": permission denied");
        } catch (IOException e) {
            return fail(err, 1, e.toString());
        }
    }

    private static Module load(ForwardArguments a) throws IOException, UsageException {
        try {
            return ModuleCheckpoints.load(a.model());
        } catch (NoSuchFileException e) {
            throw new UsageException("--model " + a.model() + ": no such file");
        }
    }

    private static StateDict read(ForwardArguments a) throws IOException, UsageException {
        try {
            return StateDicts.read(a.input());
        } catch (NoSuchFileException e) {
            throw new UsageException("--input " + a.input() + ": no such file");
        }
    }

    /** The forward pass; shapes the module refuses are reported against the input file. */
    private static Map<String, Tensor> run(Module module, StateDict inputs) throws IOException {
        try {
            return ForwardRun.run(module, inputs);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(inputs.source(), null, e.getMessage(), e);
        }
    }

    private static void write(ForwardArguments a, SafeTensorsWriter writer) throws IOException, UsageException {
        if (Files.isDirectory(a.output())) {
            throw new UsageException("--output " + a.output() + " is a directory; give a file name");
        }
        try {
            writer.write(a.output());
        } catch (NoSuchFileException e) {
            throw new UsageException("--output " + a.output() + ": cannot create the file (does its directory"
                    + " exist?)");
        }
    }

    private static int fail(PrintStream err, int status, String message) {
        return Failures.print(err, "forward", status, message);
    }
}
