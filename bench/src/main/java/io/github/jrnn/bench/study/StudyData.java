package io.github.jrnn.bench.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One study's results as the report reads them, parsed from the study JSON:
 * <pre>
 * { "study":   { "mode": "full"|"quick"|"smoke", "startedAt": ..., "finishedAt": ..., "rawFile": ...,
 *                "pending": [ { "benchmark": ..., "rows": ..., "reason": ... } ],
 *                "missing": [ { "benchmark": ..., "params": { ... } } ] },
 *   "machine": { MachineInfo keys: string values },
 *   "jmh":     [ JMH's own -rf json result objects ],
 *   "torch":   { "available": bool, "reason"?, "torchVersion"?, ..., "results": [ {kind, mode, batch, hidden,
 *                input, seqLen, medianSeconds, ...} ], "asInstalled"?: { same shape } } }
 * </pre>
 */
record StudyData(Map<String, String> study, Map<String, String> machine, List<JmhRow> jmh, Torch torch,
                 List<StudyPlan.Pending> pending, List<Missing> missing) {

    /** A planned parameter combination that has no result: its setup failed or refused the engine. */
    record Missing(String benchmark, Map<String, String> params) {
    }

    /** True when the run lists {@code benchmark} with all of {@code params} as planned but without a result. */
    boolean failed(String benchmark, Map<String, String> params) {
        return missing.stream().anyMatch(m -> m.benchmark().equals(benchmark)
                && params.entrySet().stream().allMatch(e -> e.getValue().equals(m.params().get(e.getKey()))));
    }

    /**
     * One JMH result: the benchmark's simple class name (or {@code Class.method} for {@link #VARIANT_METHODS}), its
     * parameters, the throughput in operations per second with JMH's 99.9% error half-width (a time per operation,
     * as {@code SingleShotTime} gives, is turned into its inverse with the same relative error), the allocation per
     * operation from {@code -prof gc} (absent when the
     * profiler did not run) and the length of one measurement iteration.
     */
    record JmhRow(String benchmark, Map<String, String> params, double opsPerSecond, double error,
                  OptionalDouble allocBytesPerOp, double iterationSeconds) {

        /** Bytes allocated per measurement iteration (the allocation rate times the iteration length). */
        OptionalDouble allocBytesPerIteration() {
            return allocBytesPerOp.isPresent()
                    ? OptionalDouble.of(allocBytesPerOp.getAsDouble() * opsPerSecond * iterationSeconds)
                    : OptionalDouble.empty();
        }
    }

    /** One PyTorch timing: kind is forward, cell or train; medianSeconds is per call. */
    record TorchRow(String kind, String mode, int batch, int hidden, int seqLen, double medianSeconds) {
    }

    /** The PyTorch peer: available with its rows, or not, with the reason. */
    record Torch(boolean available, String reason, Map<String, String> info, List<TorchRow> rows,
                 List<TorchRow> asInstalled) {

        Optional<TorchRow> find(String kind, String mode, int batch, int hidden) {
            return rows.stream().filter(r -> r.kind().equals(kind) && r.mode().equals(mode) && r.batch() == batch
                    && r.hidden() == hidden).findFirst();
        }
    }

    /**
     * The first JMH row of {@code benchmark} whose parameters include all of {@code params}. A row without a
     * {@code threads} parameter counts as {@code threads = 1}: the benchmarks had no such parameter before they ran
     * on more than one thread.
     */
    Optional<JmhRow> find(String benchmark, Map<String, String> params) {
        return jmh.stream().filter(r -> r.benchmark().equals(benchmark) && params.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(r.params().getOrDefault(e.getKey(),
                                "threads".equals(e.getKey()) ? "1" : null))))
                .findFirst();
    }

    /** All JMH rows of {@code benchmark}, in the order they were run. */
    List<JmhRow> rows(String benchmark) {
        return jmh.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
    }

    /** The reason the plan gave for not measuring these rows of {@code benchmark}, if it gave one. */
    Optional<String> pendingReason(String benchmark, String rows) {
        return pending.stream().filter(p -> p.benchmark().equals(benchmark) && p.rows().equals(rows))
                .map(StudyPlan.Pending::reason).findFirst();
    }

    static StudyData parse(JsonNode root) {
        List<StudyPlan.Pending> pending = new ArrayList<>();
        for (JsonNode p : root.path("study").path("pending")) {
            pending.add(new StudyPlan.Pending(p.path("benchmark").asText(), p.path("rows").asText(),
                    p.path("reason").asText()));
        }
        List<JmhRow> jmh = new ArrayList<>();
        for (JsonNode r : root.path("jmh")) {
            jmh.add(parseJmh(r));
        }
        List<Missing> missing = new ArrayList<>();
        for (JsonNode m : root.path("study").path("missing")) {
            missing.add(new Missing(m.path("benchmark").asText(), strings(m.path("params"))));
        }
        return new StudyData(strings(root.path("study")), strings(root.path("machine")), jmh,
                parseTorch(root.path("torch")), pending, missing);
    }

    /**
     * Benchmark methods that measure a variant of their class's main method; their rows are filed under
     * {@code Class.method} (e.g. {@code SgemmBenchmark.sgemmPacked}), every other method's under the class name.
     */
    static final Set<String> VARIANT_METHODS = Set.of("sgemmPacked", "load", "firstForward", "first100Calls");

    private static JmhRow parseJmh(JsonNode r) {
        String qualified = r.path("benchmark").asText();
        String[] parts = qualified.split("\\.");
        String benchmark = parts.length >= 2 ? parts[parts.length - 2] : qualified;
        if (parts.length >= 2 && VARIANT_METHODS.contains(parts[parts.length - 1])) {
            benchmark += "." + parts[parts.length - 1];
        }
        Map<String, String> params = new LinkedHashMap<>();
        r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        JsonNode primary = r.path("primaryMetric");
        String unit = primary.path("scoreUnit").asText();
        double score = primary.path("score").asDouble();
        double error = primary.path("scoreError").asDouble();
        double opsPerSecond;
        double opsError;
        if ("ops/s".equals(unit)) {
            opsPerSecond = score;
            opsError = error;
        } else if (unit.endsWith("/op")) {
            opsPerSecond = 1 / seconds("1 " + unit.substring(0, unit.length() - "/op".length())) / score;
            opsError = Double.isFinite(error) && score > 0 ? opsPerSecond * error / score : Double.NaN;
        } else {
            throw new IllegalArgumentException("JMH result for " + qualified + " is in " + unit
                    + ", the report expects ops/s or a time per op");
        }
        OptionalDouble alloc = OptionalDouble.empty();
        for (var metric : r.path("secondaryMetrics").properties()) {
            if (metric.getKey().endsWith("gc.alloc.rate.norm")) {
                alloc = OptionalDouble.of(metric.getValue().path("score").asDouble());
            }
        }
        // SingleShotTime writes "single-shot" here: such a row has no iteration length.
        String time = r.path("measurementTime").asText("1 s");
        return new JmhRow(benchmark, params, opsPerSecond, opsError, alloc,
                time.matches("[0-9.]+\\s+[a-z]+") ? seconds(time) : Double.NaN);
    }

    /** JMH's time values: {@code "1 s"}, {@code "500 ms"}, {@code "100 us"}. */
    static double seconds(String timeValue) {
        String[] parts = timeValue.trim().split("\\s+");
        double amount = Double.parseDouble(parts[0]);
        String unit = parts.length > 1 ? parts[1] : "s";
        return switch (unit) {
            case "s" -> amount;
            case "ms" -> amount / 1e3;
            case "us" -> amount / 1e6;
            case "ns" -> amount / 1e9;
            case "min" -> amount * 60;
            default -> throw new IllegalArgumentException("unknown JMH time unit in '" + timeValue + "'");
        };
    }

    private static Torch parseTorch(JsonNode t) {
        boolean available = t.path("available").asBoolean(false);
        String reason = t.path("reason").asText(t.isMissingNode() ? "the PyTorch peer did not run" : "");
        return new Torch(available, reason, strings(t), torchRows(t.path("results")),
                torchRows(t.path("asInstalled").path("results")));
    }

    private static List<TorchRow> torchRows(JsonNode results) {
        List<TorchRow> rows = new ArrayList<>();
        for (JsonNode r : results) {
            rows.add(new TorchRow(r.path("kind").asText(), r.path("mode").asText(), r.path("batch").asInt(),
                    r.path("hidden").asInt(), r.path("seqLen").asInt(), r.path("medianSeconds").asDouble()));
        }
        return rows;
    }

    /** The scalar (string, number, boolean) members of an object, as strings; nested values are skipped. */
    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.properties().forEach(e -> {
            if (e.getValue().isValueNode()) {
                values.put(e.getKey(), e.getValue().asText());
            }
        });
        return values;
    }
}
