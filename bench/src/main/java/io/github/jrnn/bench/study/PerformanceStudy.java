package io.github.jrnn.bench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jrnn.bench.peers.PeerModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
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
 * The performance study ({@code ./jrnn bench}): exports the side-by-side models with torch when missing
 * ({@link PeerModelExport}), runs the JMH benchmarks of a {@link StudyPlan} and the PyTorch peer, writes every raw
 * result into one dated JSON file under {@code bench/results/}, then the report of that CPU,
 * {@code bench/RESULTS-<cpu>.md} with its charts under {@code bench/charts/<cpu>/}, and the index of every CPU's
 * latest report, {@code bench/RESULTS.md} ({@link ResultsIndex}). Runs on different CPUs are therefore kept side by
 * side. A quick or smoke run writes its JSON, report and charts under {@code bench/results/quick/} instead, which git
 * ignores.
 *
 * <p>The OpenBLAS rows run in forks started through a launcher that removes {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} (JMH's JVM options cannot unset variables), so OpenBLAS runs the kernels it picks for
 * this CPU; the report names that core. A benchmark whose setup fails (an engine that disagrees with torch is
 * refused there) is not timed: its rows are listed as missing in the JSON and the report, and the study goes on.
 *
 * <pre>
 * PerformanceStudy --root DIR [--quick | --smoke]  run the study (DIR is the repository root)
 * PerformanceStudy --root DIR --report FILE.json   rewrite the report and charts from an earlier run's JSON
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
        String mode = "full";
        Path reportFrom = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(value(args, ++i, "--root"));
                case "--quick" -> mode = "quick";
                case "--smoke" -> mode = "smoke";
                case "--report" -> reportFrom = Path.of(value(args, ++i, "--report"));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; expected --root DIR, --quick, --smoke or --report FILE.json");
            }
        }
        PerformanceStudy study = new PerformanceStudy(root.toAbsolutePath().normalize());
        Path raw = reportFrom != null ? reportFrom : study.run(StudyPlan.forMode(mode));
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
        log(String.format(Locale.ROOT, "plan %s: %d JMH runs, about %.0f minutes of JMH, plus the PyTorch peer",
                plan.mode(), plan.runs().size(), plan.estimatedMinutes()));
        log("peer models: " + PeerModels.SCRIPT + " into " + PeerModels.DEFAULT_DIR + " when missing");
        Path models = PeerModelExport.ensure(root);
        Path launcher = openBlasLauncher();

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
        study.put("coldStartForks", plan.runs().stream().filter(r -> r.settings() != null)
                .mapToInt(r -> r.settings().forks()).max().orElse(0));
        ArrayNode pending = study.putArray("pending");
        for (StudyPlan.Pending p : plan.pending()) {
            pending.addObject().put("benchmark", p.benchmark()).put("rows", p.rows()).put("reason", p.reason());
        }
        ArrayNode missing = study.putArray("missing");
        ObjectNode machine = doc.putObject("machine");
        MachineInfo.collect(launcher).forEach(machine::put);
        PeerModelExport.describe(models).forEach(machine::put);
        log("machine: " + machine);

        ArrayNode jmh = doc.putArray("jmh");
        for (StudyPlan.PlannedRun run : plan.runs()) {
            log("JMH " + run.benchmark() + (run.method() == null ? "" : "." + run.method()) + " " + run.params()
                    + (run.openBlasOwnKernel() ? " (OpenBLAS at its own kernel)" : ""));
            JsonNode results = runJmh(run, plan.jmh(), models, launcher);
            results.forEach(jmh::add);
            for (Map<String, String> combination : run.combinations()) {
                if (!ran(results, combination)) {
                    ObjectNode m = missing.addObject().put("benchmark", run.benchmark() + (run.method() == null
                            || !StudyData.VARIANT_METHODS.contains(run.method()) ? "" : "." + run.method()));
                    combination.forEach(m.putObject("params")::put);
                    log("no result for " + m + ": its setup failed or refused the engine (see above)");
                }
            }
            Files.writeString(raw, json.writeValueAsString(doc)); // partial results survive an abort
        }
        log("PyTorch peer: " + TorchPeer.SCRIPT);
        doc.set("torch", new TorchPeer(root).run(plan.torch(), !"full".equals(plan.mode())));
        machine.put(MachineInfo.LOAD_AFTER, MachineInfo.loadAverage());
        study.put("finishedAt", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Files.writeString(raw, json.writeValueAsString(doc));
        log("raw results: " + raw);
        return raw;
    }

    /** True when some result's parameters include every entry of {@code combination}. */
    private static boolean ran(JsonNode results, Map<String, String> combination) {
        for (JsonNode r : results) {
            if (combination.entrySet().stream().allMatch(e -> e.getValue().equals(r.path("params")
                    .path(e.getKey()).asText(null)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A shell script that starts this JVM's java without {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE}:
     * JMH's {@code jvm} option for the OpenBLAS rows (JVM arguments cannot remove environment variables), and the
     * launcher of the probe that reports the core those forks run. Deleted when the study ends.
     */
    private static Path openBlasLauncher() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path script = Files.createTempFile("jrnn-openblas-own-kernel", ".sh",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        script.toFile().deleteOnExit();
        Files.writeString(script, "#!/bin/sh\n# OpenBLAS picks the kernels for this CPU only when the machine's"
                + " overrides are absent.\nexec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE '" + java
                + "' \"$@\"\n");
        return script;
    }

    /**
     * One JMH invocation with the study's settings (or the run's own) and {@code -prof gc}; returns JMH's JSON
     * result array, without the combinations whose setup failed (JMH goes on to the next one).
     */
    private JsonNode runJmh(StudyPlan.PlannedRun run, StudyPlan.JmhSettings defaults, Path models, Path launcher)
            throws IOException, RunnerException {
        StudyPlan.JmhSettings settings = run.settings() != null ? run.settings() : defaults;
        Path out = Files.createTempFile("jrnn-jmh-" + run.benchmark(), ".json");
        try {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include("^" + Pattern.quote("io.github.jrnn.bench." + run.benchmark()) + "\\."
                            + (run.method() == null ? "" : Pattern.quote(run.method()) + "$"))
                    .forks(settings.forks())
                    .warmupIterations(settings.warmupIterations())
                    .measurementIterations(settings.measurementIterations())
                    // Appending would replace the benchmarks' own flags (--add-modules ...); prepending adds.
                    .jvmArgsPrepend("-D" + PeerModels.PROPERTY + "=" + models)
                    .addProfiler(GCProfiler.class)
                    .shouldFailOnError(false)
                    .resultFormat(ResultFormatType.JSON)
                    .result(out.toString());
            if (settings.warmupMillis() > 0) {
                options.warmupTime(TimeValue.milliseconds(settings.warmupMillis()));
            }
            if (settings.measurementMillis() > 0) {
                options.measurementTime(TimeValue.milliseconds(settings.measurementMillis()));
            }
            if (run.openBlasOwnKernel()) {
                options.jvm(launcher.toString());
            }
            for (Map.Entry<String, List<String>> param : run.params().entrySet()) {
                options.param(param.getKey(), param.getValue().toArray(String[]::new));
            }
            runWhenNoOtherJmhRuns(new Runner(options.build()));
            String written = Files.readString(out, StandardCharsets.UTF_8);
            return written.isBlank() ? json.createArrayNode() : json.readTree(written);
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
     * by git, so a noisy check never ends up committed) for quick and smoke runs.
     */
    private Path outputDir(String mode) {
        return "full".equals(mode) ? root.resolve("bench/results") : root.resolve("bench/results/quick");
    }

    /**
     * Writes the report and the charts from a raw JSON file: for a full run {@code bench/RESULTS-<cpu>.md} with
     * {@code bench/charts/<cpu>/}, then the index {@code bench/RESULTS.md}; for a quick or smoke one
     * {@code bench/results/quick/RESULTS.md} and its {@code charts/}.
     */
    private void report(Path raw) throws IOException {
        StudyData data = StudyData.parse(json.readTree(Files.readString(raw, StandardCharsets.UTF_8)));
        boolean full = "full".equals(data.study().get("mode"));
        String slug = MachineInfo.cpuSlug(data.machine());
        Path dir = full ? root.resolve("bench") : outputDir("quick");
        String chartDir = full ? "charts/" + slug : "charts";
        List<String> charts = Charts.write(data, dir.resolve(chartDir)).stream().map(c -> chartDir + "/" + c)
                .toList();
        Path markdown = dir.resolve(full ? "RESULTS-" + slug + ".md" : "RESULTS.md");
        Files.writeString(markdown, ResultsReport.render(data, charts));
        log("report: " + markdown + " (charts: " + charts + ")");
        if (full) {
            Path index = ResultsIndex.write(root.resolve("bench"), root.resolve("bench/results"), json);
            log("index of every CPU's latest report: " + index);
        }
    }

    private static void log(String message) {
        System.out.println("[jrnn study] " + message);
    }
}
