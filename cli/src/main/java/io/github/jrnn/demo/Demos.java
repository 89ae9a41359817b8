package io.github.jrnn.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry and command line of {@code ./jrnn demo [--seed S] [--num-layers N] [--list] [NAME ...]}: without
 * names every demo runs in registration order. {@code --seed} (default 42) seeds every demo's generator;
 * {@code --num-layers} (default 1) is hello-rnn's {@code num_layers}.
 */
public final class Demos {

    private static final long DEFAULT_SEED = 42;
    private static final int DEFAULT_NUM_LAYERS = 1;

    private Demos() {
    }

    /** All demos with their default options, by name, in the order {@code ./jrnn demo} runs them. */
    public static Map<String, Demo> all() {
        return all(DEFAULT_NUM_LAYERS);
    }

    private static Map<String, Demo> all(int numLayers) {
        Map<String, Demo> demos = new LinkedHashMap<>();
        for (Demo d : List.of(new KernelsDemo(), new HelloCellDemo(), new HelloRnnDemo(numLayers),
                new HelloEmbeddingDemo(), new EncoderShapesDemo(), new RnnFromScratchDemo(),
                new Seq2SeqAttentionDemo(), new FlinkSensorsDemo())) {
            demos.put(d.name(), d);
        }
        return demos;
    }

    /** Parses the demo arguments and runs the chosen demos; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        long seed = DEFAULT_SEED;
        int numLayers = DEFAULT_NUM_LAYERS;
        boolean list = false;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--list")) {
                list = true;
            } else if (arg.equals("--seed") || arg.equals("--num-layers")) {
                if (i + 1 == args.length) {
                    err.println("jrnn demo: " + arg + " needs a value, e.g. " + arg
                            + (arg.equals("--seed") ? " 42" : " 2"));
                    return 2;
                }
                String value = args[++i];
                try {
                    if (arg.equals("--seed")) {
                        seed = Long.parseLong(value);
                    } else {
                        numLayers = Integer.parseInt(value);
                    }
                } catch (NumberFormatException e) {
                    err.println("jrnn demo: " + arg + " must be an integer, got '" + value + "'");
                    return 2;
                }
                if (arg.equals("--num-layers") && numLayers < 1) {
                    err.println("jrnn demo: --num-layers must be at least 1, got " + numLayers);
                    return 2;
                }
            } else {
                names.add(arg);
            }
        }
        Map<String, Demo> demos = all(numLayers);
        if (list) {
            demos.values().forEach(d -> out.printf("%-18s %s%n", d.name(), d.description()));
            return 0;
        }
        List<Demo> chosen = new ArrayList<>();
        for (String name : names) {
            if (!demos.containsKey(name)) {
                err.println("jrnn demo: unknown demo '" + name + "'; known demos: "
                        + String.join(", ", demos.keySet()));
                return 2;
            }
            chosen.add(demos.get(name));
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
