package io.github.jrnn.demo;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helpers: run a demo in-process and capture its lines; read a torch training trajectory fixture. */
final class DemoRun {

    private DemoRun() {
    }

    /** The lines {@code demo.run(seed, out)} prints. */
    static List<String> lines(Demo demo, long seed) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            demo.run(seed, out);
        }
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\\R"));
    }

    /** One epoch's progress line, parsed. */
    record Epoch(String predicted, int epoch, int epochs, double loss) {
    }

    /** Every line matching {@code pattern} (groups: predicted, epoch, epochs, loss), in order. */
    static List<Epoch> epochs(List<String> lines, Pattern pattern) {
        List<Epoch> epochs = new ArrayList<>();
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                epochs.add(new Epoch(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        Double.parseDouble(m.group(4))));
            }
        }
        return epochs;
    }

    /** torch's run of one seed from a {@code tools/make_demo_golden.py} training fixture. */
    record TorchRun(long seed, List<String> predicted, float[] losses) {
        /** The first epoch (1-based) whose prediction is the target, or 0. */
        int firstReached(String target) {
            return predicted.indexOf(target) + 1;
        }
    }

    static List<TorchRun> torchRuns(String fixture) throws IOException, URISyntaxException {
        SafeTensorsFile file = SafeTensors.read(path(fixture));
        List<TorchRun> runs = new ArrayList<>();
        for (String seed : file.metadata().get("seeds").split(",")) {
            runs.add(new TorchRun(Long.parseLong(seed),
                    Arrays.asList(file.metadata().get("seed_" + seed + ".predicted").split(",")),
                    file.tensor("seed_" + seed + ".loss").data()));
        }
        return runs;
    }

    static Path path(String fixture) throws URISyntaxException {
        return Path.of(DemoRun.class.getResource("/golden/demo/" + fixture).toURI());
    }
}
