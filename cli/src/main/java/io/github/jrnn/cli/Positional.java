package io.github.jrnn.cli;

import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The file arguments of {@code convert} and {@code inspect}: exactly the named positions, no options. */
final class Positional {

    private Positional() {
    }

    /** The arguments as paths, one per name in {@code names}; anything else is a usage error naming it. */
    static Path[] paths(String[] args, String... names) throws UsageException {
        for (String a : args) {
            if (a.startsWith("-")) {
                throw new UsageException("unknown option '" + a + "' (only --help)");
            }
        }
        if (args.length != names.length) {
            throw new UsageException("expected " + String.join(" ", names) + ", got " + args.length + " argument"
                    + (args.length == 1 ? "" : "s"));
        }
        Path[] out = new Path[args.length];
        for (int i = 0; i < args.length; i++) {
            if (args[i].isEmpty()) {
                throw new UsageException(names[i] + " is empty");
            }
            try {
                out[i] = Path.of(args[i]);
            } catch (InvalidPathException e) {
                throw new UsageException(names[i] + " is not a valid path: " + e.getMessage());
            }
        }
        return out;
    }

    /** {@link StateDicts#read} with a missing file reported as a usage error naming the argument. */
    static StateDict read(Path file, String name) throws IOException, UsageException {
        try {
            return StateDicts.read(file);
        } catch (NoSuchFileException e) {
            throw new UsageException(name + " " + file + ": no such file");
        }
    }
}
