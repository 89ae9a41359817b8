package io.github.jrnn.cli;

import io.github.jrnn.demo.Demos;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of the {@code ./jrnn} launcher's JVM subcommands. Exit status: 0 on success, 1 when a run fails,
 * 2 for usage errors and refused input (with one line on stderr saying what is wrong).
 */
public final class JrnnCli {

    /** Exit status for bad usage or refused input. */
    public static final int EXIT_USAGE = 2;

    private JrnnCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one subcommand and returns its exit status instead of exiting (so tests can call it). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("jrnn: missing command; try ./jrnn --help");
            return EXIT_USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "demo" -> Demos.run(rest, out, err);
            case "forward" -> ForwardCommand.run(rest, out, err);
            case "convert" -> ConvertCommand.run(rest, out, err);
            case "inspect" -> InspectCommand.run(rest, out, err);
            default -> {
                err.println("jrnn: unknown command '" + args[0] + "'; try ./jrnn --help");
                yield EXIT_USAGE;
            }
        };
    }
}
