package io.github.jrnn.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed options of {@code ./jrnn forward --model M --input I --output O}. Each option is given exactly once,
 * as {@code --model M} or {@code --model=M}.
 *
 * @param model  the module checkpoint (safetensors with {@code module} metadata)
 * @param input  the input tensors (safetensors)
 * @param output where the results are written (replaced atomically)
 */
record ForwardArguments(Path model, Path input, Path output) {

    private static final List<String> OPTIONS = List.of("--model", "--input", "--output");

    /** True when the arguments ask for help ({@code --help} or {@code -h} anywhere). */
    static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** Parses the arguments after {@code forward}. */
    static ForwardArguments parse(String[] args) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!OPTIONS.contains(name)) {
                throw new UsageException(arg.startsWith("-")
                        ? "unknown option '" + name + "' (options: --model, --input, --output, --help)"
                        : "unexpected argument '" + arg + "' (give files with --model, --input and --output)");
            }
            if (value == null) {
                if (i + 1 == args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(name + " needs a file, e.g. " + name + " " + example(name));
                }
                value = args[++i];
            }
            if (value.isEmpty()) {
                throw new UsageException(name + " needs a file, got an empty value");
            }
            if (values.putIfAbsent(name, value) != null) {
                throw new UsageException(name + " is given twice ('" + values.get(name) + "' and '" + value + "')");
            }
        }
        for (String option : OPTIONS) {
            if (!values.containsKey(option)) {
                throw new UsageException("missing " + option + " " + example(option));
            }
        }
        return new ForwardArguments(path(values, "--model"), path(values, "--input"), path(values, "--output"));
    }

    private static Path path(Map<String, String> values, String option) throws UsageException {
        try {
            return Path.of(values.get(option));
        } catch (InvalidPathException e) {
            throw new UsageException(option + " is not a valid path: " + e.getMessage());
        }
    }

    private static String example(String option) {
        return switch (option) {
            case "--model" -> "MODEL.safetensors";
            case "--input" -> "INPUT.safetensors";
            default -> "OUTPUT.safetensors";
        };
    }
}
