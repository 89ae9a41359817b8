package io.github.jrnn.bench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The performance study ({@code ./jrnn bench}): runs the JMH benchmarks of a {@link StudyPlan} and the PyTorch
 * peer, writes every raw result into one dated JSON file under {@code bench/results/}, then writes
 * {@code bench/RESULTS.md} and its charts under {@code bench/charts/} from that file. A quick run writes all three
 * under {@code bench/results/quick/} instead, which git ignores.
 *
 * <pre>
 * PerformanceStudy --root DIR [--quick]          run the study (DIR is the repository root)
 * PerformanceStudy --root DIR --report FILE.json rewrite RESULTS.md and the charts from an earlier run's JSON
 * </pre>
 * Must run with {@code --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED} (the launcher passes
 * both), and from the shaded {@code benchmarks.jar}, whose class path the forked benchmark JVMs reuse.
 */
public final class PerformanceStudy {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss");
    private static final long LOCK_WAIT_MINUTES = 60;
    private static final long LOCK_RETRY_SECONDS = 20;

    private final Path root;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PerformanceStudy(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        boolean quick = false;
        Path reportFrom = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(value(args, ++i, "--root"));
                case "--quick" -> quick = true;
                case "--report" -> reportFrom = Path.of(value(args, ++i, "--report"));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; expected --root DIR, --quick or --report FILE.json");
            }
        }
        PerformanceStudy study = new PerformanceStudy(root.toAbsolutePath().normalize());
        Path raw = reportFrom != null ? reportFrom : study.run(quick ? StudyPlan.quick() : StudyPlan.full());
        study.report(raw);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Runs the plan and returns the raw JSON file it wrote. */
    private Path run(StudyPlan plan) throws IOException, InterruptedException, RunnerException {
        LocalDateTime started = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        Path resultsDir = Files.createDirectories(outputDir(plan.mode()));
        Path raw = resultsDir.resolve("study-" + STAMP.format(started) + "-" + plan.mode() + ".json");

        ObjectNode doc = json.createObjectNode();
        ObjectNode study = doc.putObject("study");
        study.put("mode", plan.mode());
        study.put("startedAt", started.toString());
        study.put("rawFile", root.relativize(raw).toString());
        study.put("forks", plan.jmh().forks());
        study.put("warmupIterations", plan.jmh().warmupIterations());
        study.put("warmupMillis", plan.jmh().warmupMillis());
        study.put("measurementIterations", plan.jmh().measurementIterations());
        study.put("measurementMillis", plan.jmh().measurementMillis());
        ArrayNode pending = study.putArray("pending");
        for (StudyPlan.Pending p : plan.pending()) {
            pending.addObject().put("benchmark", p.benchmark()).put("rows", p.rows()).put("reason", p.reason());
        }
        ObjectNode machine = doc.putObject("machine");
        MachineInfo.collect().forEach(machine::put);
        log("machine: " + machine);

        ArrayNode jmh = doc.putArray("jmh");
        for (StudyPlan.PlannedRun run : plan.runs()) {
            log("JMH " + run.benchmark() + (run.method() == null ? "" : "." + run.method()) + " " + run.params());
            for (JsonNode result : runJmh(run, plan.jmh())) {
                jmh.add(result);
            }
            Files.writeString(raw, json.writeValueAsString(doc)); // partial results survive an abort
        }
        log("PyTorch peer: " + TorchPeer.SCRIPT);
        doc.set("torch", new TorchPeer(root).run(plan.torch(), "quick".equals(plan.mode())));
        machine.put(MachineInfo.LOAD_AFTER, MachineInfo.loadAverage());
        study.put("finishedAt", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Files.writeString(raw, json.writeValueAsString(doc));
        log("raw results: " + raw);
        return raw;
    }

    /** One JMH invocation with the study's settings and {@code -prof gc}; returns JMH's JSON result array. */
    private JsonNode runJmh(StudyPlan.PlannedRun run, StudyPlan.JmhSettings settings)
            throws IOException, RunnerException {
        Path out = Files.createTempFile("jrnn-jmh-" + run.benchmark(), ".json");
        try {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include("^" + Pattern.quote("io.github.jrnn.bench." + run.benchmark()) + "\\."
                            + (run.method() == null ? "" : Pattern.quote(run.method()) + "$"))
                    .forks(settings.forks())
                    .warmupIterations(settings.warmupIterations())
                    .warmupTime(TimeValue.milliseconds(settings.warmupMillis()))
                    .measurementIterations(settings.measurementIterations())
                    .measurementTime(TimeValue.milliseconds(settings.measurementMillis()))
                    .addProfiler(GCProfiler.class)
                    .shouldFailOnError(true)
                    .resultFormat(ResultFormatType.JSON)
                    .result(out.toString());
            for (Map.Entry<String, List<String>> param : run.params().entrySet()) {
                options.param(param.getKey(), param.getValue().toArray(String[]::new));
            }
            runWhenNoOtherJmhRuns(new Runner(options.build()));
            return json.readTree(Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * Runs JMH, waiting while another JMH run on this machine holds JMH's lock file (two benchmark runs at once
     * would disturb each other's numbers; JMH refuses the second one rather than waiting).
     */
    private static void runWhenNoOtherJmhRuns(Runner runner) throws RunnerException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(LOCK_WAIT_MINUTES);
        while (true) {
            try {
                runner.run();
                return;
            } catch (RunnerException e) {
                boolean locked = String.valueOf(e.getMessage()).contains("Unable to acquire the JMH lock");
                if (!locked || System.nanoTime() > deadline) {
                    throw e;
                }
                log("another JMH run holds the JMH lock; waiting " + LOCK_RETRY_SECONDS + " s");
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(LOCK_RETRY_SECONDS));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Where a run's raw JSON goes: {@code bench/results/} for the full study, {@code bench/results/quick/} (ignored
     * by git, so a noisy check never ends up committed) for quick runs.
     */
    private Path outputDir(String mode) {
        return "quick".equals(mode) ? root.resolve("bench/results/quick") : root.resolve("bench/results");
    }

    /**
     * Writes RESULTS.md and the charts from a raw JSON file: {@code bench/RESULTS.md} and {@code bench/charts/} for
     * a full run, {@code bench/results/quick/RESULTS.md} and its {@code charts/} for a quick one.
     */
    private void report(Path raw) throws IOException {
        StudyData data = StudyData.parse(json.readTree(Files.readString(raw, StandardCharsets.UTF_8)));
        Path bench = "quick".equals(data.study().get("mode")) ? outputDir("quick") : root.resolve("bench");
        List<String> charts = Charts.write(data, bench.resolve("charts")).stream().map(c -> "charts/" + c).toList();
        Path markdown = bench.resolve("RESULTS.md");
        Files.writeString(markdown, ResultsReport.render(data, charts));
        log("report: " + markdown + " (charts: " + charts + ")");
    }

    private static void log(String message) {
        System.out.println("[jrnn study] " + message);
    }
}
