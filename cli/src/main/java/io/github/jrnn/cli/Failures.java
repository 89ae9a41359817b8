package io.github.jrnn.cli;

import java.io.PrintStream;

/** The one-line failure report every subcommand prints: {@code jrnn <command>: <problem>}. */
final class Failures {

    private Failures() {
    }

    /**
     * Prints {@code message} as one line (multi-line reports such as load_state_dict's are joined) after the
     * command's prefix, and returns {@code status}.
     */
    static int print(PrintStream err, String command, int status, String message) {
        String oneLine = message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").strip();
        err.println("jrnn " + command + ": " + oneLine);
        return status;
    }
}
