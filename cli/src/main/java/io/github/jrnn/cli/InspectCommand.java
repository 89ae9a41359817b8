package io.github.jrnn.cli;

import io.github.jrnn.nn.checkpoint.CheckpointFormat;
import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StoredTensor;
import io.github.jrnn.nn.checkpoint.TensorStorage;
import io.github.jrnn.nn.models.ModuleTree;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./jrnn inspect FILE}: what a checkpoint holds, read as {@link io.github.jrnn.nn.checkpoint.StateDicts}
 * reads it (nothing is executed): the format detected, every tensor's name, dtype and shape (for torch files also
 * its storage, a view's offset and strides, and which names share a storage, as tied weights do), the metadata,
 * and for a module checkpoint its module tree.
 *
 * <p>Exit status 0 when the file was read; {@value JrnnCli#EXIT_USAGE} for bad usage or a refused file (one line on
 * stderr naming the problem, for a pickle the global it refused); 1 when the file system fails.
 */
final class InspectCommand {

    static final String USAGE = """
            Usage: ./jrnn inspect FILE

            Prints what a checkpoint holds: the format (a torch.save zip or legacy file, or safetensors; the
            content decides), each tensor's name, dtype and shape (for torch files its storage, offset and strides,
            and the names sharing a storage), the metadata, and the module tree of a module checkpoint.

            Exit status: 0 when the file was read, 2 for bad usage or a refused file (one line on stderr),
            1 on I/O failure.
            """;

    private InspectCommand() {
    }

    /** Runs {@code inspect} with the arguments after the subcommand; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (ForwardArguments.wantsHelp(args)) {
            out.print(USAGE);
            return 0;
        }
        try {
            Path file = Positional.paths(args, "FILE")[0];
            StateDict sd = Positional.read(file, "FILE");
            out.print(describe(file, sd));
            return 0;
        } catch (UsageException e) {
            return Failures.print(err, "inspect", JrnnCli.EXIT_USAGE, e.getMessage() + "; see ./jrnn inspect --help");
        } catch (CheckpointFormatException | IllegalArgumentException e) {
            return Failures.print(err, "inspect", JrnnCli.EXIT_USAGE, e.getMessage());
        } catch (AccessDeniedException e) {
            return Failures.print(err, "inspect", JrnnCli.EXIT_USAGE, e.getFile() + ": permission denied");
        } catch (IOException e) {
            return Failures.print(err, "inspect", 1, e.toString());
        }
    }

    /** The report, one section per kind of content. */
    static String describe(Path file, StateDict sd) {
        boolean torch = sd.format() != CheckpointFormat.SAFETENSORS;
        StringBuilder sb = new StringBuilder();
        sb.append(file).append('\n').append("format: ").append(sd.format()).append('\n');
        sb.append("tensors: ").append(sd.tensors().size());
        if (torch) {
            sb.append(" in ").append(sd.storages().size()).append(" storages");
        }
        sb.append('\n');
        Map<TensorStorage, List<String>> sharing = new IdentityHashMap<>();
        sd.tensors().forEach((name, t) -> sharing.computeIfAbsent(t.storage(), s -> new ArrayList<>()).add(name));
        int width = sd.names().stream().mapToInt(String::length).max().orElse(0);
        int shapeWidth = sd.tensors().values().stream().mapToInt(t -> Arrays.toString(t.shape()).length()).max()
                .orElse(0);
        sd.tensors().forEach((name, t) -> {
            sb.append("  ").append(pad(name, width)).append("  ").append(pad(t.dtype().name(), 4)).append("  ")
                    .append(torch ? pad(Arrays.toString(t.shape()), shapeWidth) : Arrays.toString(t.shape()));
            if (torch) {
                sb.append("  ").append(storage(name, t, sharing.get(t.storage())));
            }
            sb.append('\n');
        });
        sb.append("metadata: ").append(sd.metadata().size()).append('\n');
        sd.metadata().forEach((k, v) -> sb.append("  ").append(k).append(" = ").append(v).append('\n'));
        if (!sd.moduleVersions().isEmpty()) {
            sb.append("module versions (state_dict._metadata):");
            sd.moduleVersions().forEach((k, v) -> sb.append(' ').append(k.isEmpty() ? "(root)" : k).append('=')
                    .append(v));
            sb.append('\n');
        }
        if (!torch && sd.metadata().containsKey("module")) {
            sb.append("module tree:\n");
            try {
                sb.append("  ").append(ModuleTree.fromMetadata(file, sd.metadata()).toString().replace("\n", "\n  "))
                        .append('\n');
            } catch (CheckpointFormatException e) {
                sb.append("  cannot be read: ").append(e.problem()).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code storage '0'}, a view's offset and strides, and the other names of the same storage. */
    private static String storage(String name, StoredTensor t, List<String> sharers) {
        StringBuilder sb = new StringBuilder("storage '").append(t.storage().key()).append('\'');
        if (t.storageOffset() != 0 || !t.isContiguous()) {
            sb.append(", offset ").append(t.storageOffset()).append(", strides ")
                    .append(Arrays.toString(t.strides()));
        }
        List<String> others = sharers.stream().filter(n -> !n.equals(name)).toList();
        if (!others.isEmpty()) {
            sb.append(", shared with ").append(String.join(", ", others));
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
