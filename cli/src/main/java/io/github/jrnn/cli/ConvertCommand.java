package io.github.jrnn.cli;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code ./jrnn convert IN OUT.safetensors}: any checkpoint {@link StateDicts#read} reads (torch.save zip or
 * legacy, safetensors) to a safetensors file with every tensor's name, dtype, shape and bits unchanged (a strided
 * or offset view is written as its elements in row-major order, tied names each get their copy), and the input's
 * metadata carried over (a safetensors {@code __metadata__}, or the plain values of a torch file's dict, e.g.
 * {@code epoch}).
 *
 * <p>Exit status 0 on success; {@value JrnnCli#EXIT_USAGE} when the usage or the input is refused (one line on
 * stderr naming the problem, for a pickle the global it refused), with no output written and an existing OUT
 * untouched (the write is atomic); 1 when the file system fails.
 */
final class ConvertCommand {

    static final String USAGE = """
            Usage: ./jrnn convert IN OUT.safetensors

            Converts a checkpoint to safetensors, bit for bit: every tensor keeps its name, dtype and shape, the
            metadata is carried over. IN may be a torch.save file (.pt, .pth, .bin; zip or legacy format: its
            pickle is read with an allow-list, never executed) or a safetensors file; the content decides.
            OUT is written atomically and must end with .safetensors.

            Exit status: 0 on success, 2 for bad usage or a refused input (one line on stderr, no output),
            1 on I/O failure.
            """;

    private ConvertCommand() {
    }

    /** Runs {@code convert} with the arguments after the subcommand; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (ForwardArguments.wantsHelp(args)) {
            out.print(USAGE);
            return 0;
        }
        try {
            Path[] files = Positional.paths(args, "IN", "OUT.safetensors");
            Path in = files[0];
            Path target = files[1];
            if (!target.getFileName().toString().endsWith(".safetensors")) {
                throw new UsageException("OUT must end with .safetensors (convert writes safetensors), got " + target);
            }
            if (Files.isDirectory(target)) {
                throw new UsageException("OUT " + target + " is a directory; give a file name");
            }
            StateDict sd = Positional.read(in, "IN");
            SafeTensorsWriter writer = new SafeTensorsWriter().putMetadata(sd.metadata());
            sd.tensors().forEach(writer::putTensor);
            try {
                writer.write(target);
            } catch (NoSuchFileException e) {
                throw new UsageException("OUT " + target + ": cannot create the file (does its directory exist?)");
            }
            out.println("jrnn convert: wrote " + target + ": " + sd.tensors().size() + " tensors from "
                    + sd.format() + ", " + sd.metadata().size() + " metadata entries");
            return 0;
        } catch (UsageException e) {
            return Failures.print(err, "convert", JrnnCli.EXIT_USAGE, e.getMessage() + "; see ./jrnn convert --help");
        } catch (CheckpointFormatException | IllegalArgumentException e) {
            return Failures.print(err, "convert", JrnnCli.EXIT_USAGE, e.getMessage());
        } catch (AccessDeniedException e) {
            return Failures.print(err, "convert", JrnnCli.EXIT_USAGE, e.getFile() + ": permission denied");
        } catch (IOException e) {
            return Failures.print(err, "convert", 1, e.toString());
        }
    }
}
