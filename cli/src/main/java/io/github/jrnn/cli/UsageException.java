package io.github.jrnn.cli;

/**
 * A command line the CLI cannot run (unknown or missing option, missing value). The message is one line naming
 * the argument and what was expected; commands print it and exit with {@link JrnnCli#EXIT_USAGE}.
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
