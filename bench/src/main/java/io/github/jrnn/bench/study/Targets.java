package io.github.jrnn.bench.study;

import io.github.jrnn.bench.RecurrentShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The performance targets of the issue, each checked against one study's data. A row is "met" or "not met" with
 * the measured ratio (jrnn's throughput divided by the peer's, so above 1 means jrnn is faster), or "not measured"
 * with the reason. The shapes are fixed here so that the list is the same in every run.
 */
final class Targets {

    /** One target row: what is required, the verdict, and the measured figure behind it. */
    record Row(String target, String status, String measured) {
    }

    static final String MET = "met";
    static final String NOT_MET = "not met";

    /**
     * Allocation that counts as none. JMH's own bookkeeping allocates a fixed few KiB in every measurement
     * iteration, which {@code -prof gc} divides by the calls in that iteration, so a slow kernel shows B/op it did
     * not allocate. The baseline is measured in the same run: FmaPeakBenchmark's register-only loop allocates
     * nothing, so its bytes per iteration are the harness's. A row allocates nothing when its bytes per iteration
     * exceed that baseline by at most this slack (the baseline varies by a few hundred bytes between rows).
     */
    static final double BASELINE_SLACK_BYTES = 1024;

    private static final String SGEMM = "SgemmBenchmark";
    private static final String SGEMV = "SgemvBenchmark";
    private static final String ACTIVATION = "ActivationBenchmark";
    private static final String RECURRENT = "RecurrentBenchmark";
    private static final String STREAMING = "StreamingBenchmark";
    private static final String TRAIN = "TrainStepBenchmark";

    private final StudyData data;
    private final List<Row> rows = new ArrayList<>();

    private Targets(StudyData data) {
        this.data = data;
    }

    static List<Row> evaluate(StudyData data) {
        Targets targets = new Targets(data);
        targets.gemm();
        targets.gemv();
        targets.activations();
        targets.recurrent();
        targets.allocation();
        targets.rows.addAll(PeerTargets.evaluate(data));
        return targets.rows;
    }

    private void gemm() {
        for (String n : List.of("512", "1024")) {
            compare("sgemm n = " + n + ": jrnn >= 0.8x OpenBLAS", 0.8,
                    gemmRow("vector", n, "1"), gemmRow("openblas", n, "1"), "OpenBLAS");
            compare("sgemm n = " + n + ": jrnn >= 2.5x netlib VectorBLAS", 2.5,
                    gemmRow("vector", n, "1"), gemmRow("netlib", n, "1"), "netlib");
        }
        for (String n : List.of("64", "128", "256")) {
            compare("sgemm n = " + n + ": jrnn >= 0.7x OpenBLAS", 0.7,
                    gemmRow("vector", n, "1"), gemmRow("openblas", n, "1"), "OpenBLAS");
        }
        compare("sgemm n = 1024: jrnn with 2 threads >= 1.7x jrnn with 1 thread", 1.7,
                gemmRow("vector", "1024", "2"), gemmRow("vector", "1024", "1"), "one-thread jrnn");
        // The bar of the native-engines issue: OpenBLAS at the kernels it picks for the CPU, n = 256 to 1024, on
        // one thread each and on two each (the rows above are the first study's lower bars, kept for comparison).
        for (String threads : StudyPlan.THREADS) {
            for (String n : List.of("256", "512", "1024")) {
                compare("sgemm n = " + n + ", " + PeerTargets.threadsLabel(threads) + " each: jrnn >= 1.0x OpenBLAS",
                        1.0, gemmRow("vector", n, threads), gemmRow("openblas", n, threads), "OpenBLAS");
            }
        }
    }

    private void gemv() {
        for (String transposed : List.of("false", "true")) {
            for (String hidden : List.of("128", "256", "512", "1024")) {
                String shape = ("true".equals(transposed) ? "W^T g" : "W h") + ", hidden " + hidden;
                compare("sgemv " + shape + ": jrnn >= 1x OpenBLAS", 1.0,
                        jmh(SGEMV, "vector", Map.of("hidden", hidden, "transposed", transposed)),
                        jmh(SGEMV, "openblas", Map.of("hidden", hidden, "transposed", transposed)), "OpenBLAS");
            }
        }
    }

    private void activations() {
        for (String fn : List.of("tanh", "sigmoid")) {
            for (String size : List.of("256", "4096", "65536")) {
                Map<String, String> params = Map.of("fn", fn, "size", size);
                compare(fn + ", " + size + " floats: jrnn >= 10x the scalar Math loop", 10,
                        jmh(ACTIVATION, "vector", params), jmh(ACTIVATION, "scalar", params), "scalar");
                compare(fn + ", " + size + " floats: jrnn >= 1x the JDK's lanewise math", 1.0,
                        jmh(ACTIVATION, "vector", params), jmh(ACTIVATION, "svml", params), "lanewise (svml)");
            }
        }
    }

    private void recurrent() {
        for (String mode : StudyPlan.RECURRENT_MODES) {
            torchCompare(mode + " forward, batch 1, hidden 256, " + RecurrentShapes.SEQ_LEN
                    + " steps: jrnn >= 5x faster than PyTorch", 5, RECURRENT, "forward", mode, 1, 256);
        }
        for (String mode : StudyPlan.RECURRENT_MODES) {
            for (int batch : List.of(32, 64)) {
                torchCompare(mode + " forward, batch " + batch + ", hidden 256: jrnn >= 1.25x PyTorch's throughput",
                        1.25, RECURRENT, "forward", mode, batch, 256);
            }
        }
        for (String mode : StudyPlan.TRAIN_MODES) {
            torchCompare(mode + " train step (batch " + RecurrentShapes.TRAIN_BATCH + ", hidden "
                    + RecurrentShapes.TRAIN_HIDDEN + ", " + RecurrentShapes.TRAIN_SEQ_LEN
                    + " steps): jrnn >= 1.5x PyTorch", 1.5, TRAIN, "train", mode, RecurrentShapes.TRAIN_BATCH,
                    RecurrentShapes.TRAIN_HIDDEN);
        }
        torchCompare("GRU streaming step, batch 1, hidden 256: jrnn >= 10x PyTorch's GRUCell call", 10, STREAMING,
                "cell", "GRU", 1, 256);
    }

    private void allocation() {
        Optional<StudyData.JmhRow> peak = data.rows("FmaPeakBenchmark").stream().findFirst();
        OptionalDouble baseline = peak.isPresent() ? peak.get().allocBytesPerIteration() : OptionalDouble.empty();
        for (String benchmark : List.of(SGEMM, SGEMV, ACTIVATION, STREAMING)) {
            String target = benchmark.replace("Benchmark", "") + ": jrnn allocates 0 B/op in steady state";
            List<StudyData.JmhRow> measured = data.rows(benchmark).stream()
                    .filter(r -> "vector".equals(r.params().get("impl")) && r.allocBytesPerOp().isPresent())
                    .toList();
            if (measured.isEmpty()) {
                rows.add(new Row(target, notMeasured(missingReason(benchmark, "no -prof gc result for jrnn")), ""));
                continue;
            }
            if (baseline.isEmpty()) {
                rows.add(new Row(target, notMeasured("no FmaPeakBenchmark -prof gc result for the harness baseline"),
                        ""));
                continue;
            }
            StudyData.JmhRow worst = measured.get(0);
            for (StudyData.JmhRow r : measured) {
                if (r.allocBytesPerIteration().getAsDouble() > worst.allocBytesPerIteration().getAsDouble()) {
                    worst = r;
                }
            }
            double perIteration = worst.allocBytesPerIteration().getAsDouble();
            double excess = Math.max(0, perIteration - baseline.getAsDouble());
            double callsPerIteration = worst.opsPerSecond() * worst.iterationSeconds();
            String figure = "worst " + Format.size(perIteration) + " per iteration against the harness's "
                    + Format.size(baseline.getAsDouble()) + ": ≈ " + Format.count(excess / callsPerIteration)
                    + " B per call, at " + describe(worst.params());
            rows.add(new Row(target, excess <= BASELINE_SLACK_BYTES ? MET : NOT_MET, figure));
        }
    }

    /** jrnn's row against a peer's row: the ratio of their throughputs against a threshold. */
    private void compare(String target, double threshold, Lookup jrnn, Lookup peer, String peerName) {
        if (jrnn.row().isEmpty()) {
            rows.add(new Row(target, notMeasured(jrnn.missing()), ""));
        } else if (peer.row().isEmpty()) {
            rows.add(new Row(target, notMeasured(peer.missing()), ""));
        } else {
            double ratio = jrnn.row().get().opsPerSecond() / peer.row().get().opsPerSecond();
            rows.add(verdict(target, ratio, threshold, "vs " + peerName));
        }
    }

    /** jrnn's benchmark against a PyTorch timing of the same shape: PyTorch's seconds per call times jrnn's ops/s. */
    private void torchCompare(String target, double threshold, String benchmark, String kind, String mode,
                              int batch, int hidden) {
        // The layer benchmark has batch and hidden parameters; the streaming step is at batch 1 and the train
        // step at its one fixed shape, so those are looked up by what they do vary.
        Map<String, String> params = switch (benchmark) {
            case RECURRENT -> Map.of("impl", "vector", "threads", "1", "mode", mode, "batch",
                    Integer.toString(batch), "hidden", Integer.toString(hidden));
            case STREAMING -> Map.of("impl", "vector", "threads", "1", "mode", mode, "hidden",
                    Integer.toString(hidden));
            default -> Map.of("impl", "vector", "threads", "1", "mode", mode);
        };
        Optional<StudyData.JmhRow> jrnn = data.find(benchmark, params);
        if (jrnn.isEmpty()) {
            rows.add(new Row(target, notMeasured(missingReason(benchmark, "jrnn's row is not in this run")), ""));
            return;
        }
        if (!data.torch().available()) {
            rows.add(new Row(target, notMeasured("PyTorch peer skipped: " + data.torch().reason()), ""));
            return;
        }
        Optional<StudyData.TorchRow> torch = data.torch().find(kind, mode, batch, hidden);
        if (torch.isEmpty()) {
            rows.add(new Row(target, notMeasured("PyTorch's row is not in this run"), ""));
            return;
        }
        double ratio = jrnn.get().opsPerSecond() * torch.get().medianSeconds();
        rows.add(verdict(target, ratio, threshold, "vs PyTorch"));
    }

    private static Row verdict(String target, double ratio, double threshold, String against) {
        return new Row(target, ratio >= threshold ? MET : NOT_MET, Format.ratio(ratio) + " " + against);
    }

    private static String notMeasured(String reason) {
        return "not measured (" + reason + ")";
    }

    /** A JMH row that may be missing, with the reason to print if it is. */
    private record Lookup(Optional<StudyData.JmhRow> row, String missing) {
    }

    private Lookup gemmRow(String impl, String size, String threads) {
        Optional<StudyData.JmhRow> row = data.find(SGEMM, Map.of("impl", impl, "size", size, "threads", threads));
        return new Lookup(row, missingReason(SGEMM, impl + " at size " + size + " on " + threads
                + " thread(s) is not in this run"));
    }

    private Lookup jmh(String benchmark, String impl, Map<String, String> params) {
        Map<String, String> withImpl = new HashMap<>(params);
        withImpl.put("impl", impl);
        return new Lookup(data.find(benchmark, withImpl),
                missingReason(benchmark, impl + " at " + describe(params) + " is not in this run"));
    }

    private String missingReason(String benchmark, String fallback) {
        return data.pendingReason(benchmark, StudyPlan.ALL_ROWS).orElse(fallback);
    }

    /** Parameters as {@code name=value, ...} in a stable (sorted) order. */
    static String describe(Map<String, String> params) {
        return String.join(", ", params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
