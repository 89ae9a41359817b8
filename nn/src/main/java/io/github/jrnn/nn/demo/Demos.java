package io.github.jrnn.nn.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry and command line of {@code ./jrnn demo [--seed S] [--list] [NAME ...]}: without names every demo
 * runs in registration order.
 */
public final class Demos {

    private static final long DEFAULT_SEED = 42;

    private Demos() {
    }

    /** All demos, by name, in the order {@code ./jrnn demo} runs them. */
    public static Map<String, Demo> all() {
        Map<String, Demo> demos = new LinkedHashMap<>();
        for (Demo d : List.<Demo>of(new KernelsDemo(), new HelloCellDemo(),
                new EncoderShapesDemo(), new RnnFromScratchDemo())) {
            demos.put(d.name(), d);
        }
        return demos;
    }

    /** Parses the demo arguments and runs the chosen demos; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, Demo> demos = all();
        long seed = DEFAULT_SEED;
        List<Demo> chosen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--list")) {
                demos.values().forEach(d -> out.printf("%-18s %s%n", d.name(), d.description()));
                return 0;
            } else if (arg.equals("--seed")) {
                if (i + 1 == args.length) {
                    err.println("jrnn demo: --seed needs a value, e.g. --seed 42");
                    return 2;
                }
                String value = args[++i];
                try {
                    seed = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    err.println("jrnn demo: --seed must be an integer, got '" + value + "'");
                    return 2;
                }
            } else if (demos.containsKey(arg)) {
                chosen.add(demos.get(arg));
            } else {
                err.println("jrnn demo: unknown demo '" + arg + "'; known demos: " + String.join(", ", demos.keySet()));
                return 2;
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(demos.values());
        }
        for (Demo demo : chosen) {
            out.println("== " + demo.name() + ": " + demo.description());
            try {
                demo.run(seed, out);
            } catch (Exception e) {
                err.println("jrnn demo " + demo.name() + " failed: " + e);
                return 1;
            }
            out.println();
        }
        return 0;
    }
}
