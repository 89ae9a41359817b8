package io.github.jrnn.bench.study;

import io.github.jrnn.bench.RecurrentShapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The study's PNG charts: sgemm GFLOP/s against n for the square sizes (one line per implementation and thread
 * count, the FMA peak dashed), and per recurrent mode the forward time per step against batch (one line per
 * implementation and hidden size, logarithmic axes).
 */
final class Charts {

    private static final Map<String, String> IMPL_NAMES = Map.of("vector", "jrnn", "scalar", "jrnn scalar",
            "openblas", "OpenBLAS", "netlib", "netlib VectorBLAS");

    private Charts() {
    }

    /** Writes every chart that has data into {@code dir}; returns the file names written, in report order. */
    static List<String> write(StudyData data, Path dir) throws IOException {
        List<String> written = new ArrayList<>();
        LineChart sgemm = sgemm(data);
        if (!sgemm.isEmpty()) {
            sgemm.writePng(dir.resolve("sgemm.png"));
            written.add("sgemm.png");
        }
        for (String mode : StudyPlan.RECURRENT_MODES) {
            LineChart chart = recurrent(data, mode);
            if (!chart.isEmpty()) {
                String name = "recurrent-" + mode + ".png";
                chart.writePng(dir.resolve(name));
                written.add(name);
            }
        }
        for (String mode : StudyPlan.RECURRENT_MODES) {
            for (String batch : List.of("1", "32", "64")) {
                LineChart chart = sideBySide(data, PeerTargets.RECURRENT, mode, batch, RecurrentShapes.SEQ_LEN,
                        mode + " forward at batch " + batch + ", " + RecurrentShapes.SEQ_LEN + " steps");
                if (!chart.isEmpty()) {
                    String name = "peers-" + mode + "-b" + batch + ".png";
                    chart.writePng(dir.resolve(name));
                    written.add(name);
                }
            }
        }
        for (String mode : StudyPlan.RECURRENT_MODES) {
            LineChart chart = sideBySide(data, PeerTargets.STREAMING, mode, null, 1,
                    mode + " streaming step at batch 1");
            if (!chart.isEmpty()) {
                String name = "streaming-" + mode + ".png";
                chart.writePng(dir.resolve(name));
                written.add(name);
            }
        }
        return written;
    }

    /**
     * jrnn, ONNX Runtime and DJL on one and two threads: µs per step against hidden (logarithmic axes) for one mode
     * (and batch, when {@code batch} is not null). Empty when neither peer has a row there (runs from before the
     * peers joined the study).
     */
    static LineChart sideBySide(StudyData data, String benchmark, String mode, String batch, int stepsPerOp,
                                String title) {
        LineChart chart = new LineChart(title, "hidden", "µs per step (log)", true, true);
        boolean peers = data.rows(benchmark).stream().anyMatch(r -> mode.equals(r.params().get("mode"))
                && PeerTargets.PEERS.containsKey(r.params().get("impl"))
                && (batch == null || batch.equals(r.params().get("batch"))));
        if (!peers) {
            return chart;
        }
        for (String impl : List.of(PeerTargets.JRNN, "ort", "djl")) {
            for (String threads : StudyPlan.THREADS) {
                List<LineChart.Point> points = new ArrayList<>();
                data.rows(benchmark).stream()
                        .filter(r -> mode.equals(r.params().get("mode")) && impl.equals(r.params().get("impl"))
                                && threads.equals(r.params().getOrDefault("threads", "1"))
                                && (batch == null || batch.equals(r.params().get("batch"))))
                        .forEach(r -> points.add(new LineChart.Point(Double.parseDouble(r.params().get("hidden")),
                                1e6 / r.opsPerSecond() / stepsPerOp)));
                String name = PeerTargets.JRNN.equals(impl) ? "jrnn" : PeerTargets.PEERS.get(impl);
                chart.add(new LineChart.Series(name + ", " + PeerTargets.threadsLabel(threads), points));
            }
        }
        return chart;
    }

    static LineChart sgemm(StudyData data) {
        LineChart chart = new LineChart("sgemm C = A·Bᵀ, square n×n×n", "n", "GFLOP/s", true, false);
        OptionalDouble peak = ResultsReport.peakFlops(data);
        if (peak.isPresent()) {
            chart.reference("FMA peak, 1 core", peak.getAsDouble() / 1e9);
        }
        Map<String, List<LineChart.Point>> lines = new LinkedHashMap<>();
        List<StudyData.JmhRow> rows = new ArrayList<>(data.rows("SgemmBenchmark"));
        rows.addAll(data.rows("SgemmBenchmark.sgemmPacked"));
        for (StudyData.JmhRow r : rows) {
            String size = r.params().get("size");
            if (size.contains("x")) {
                continue; // the tall-skinny projection has no place on an n axis
            }
            String impl = r.params().get("impl");
            String name = IMPL_NAMES.getOrDefault(impl, impl) + (r.benchmark().endsWith(".sgemmPacked")
                    ? " (B packed)" : "") + ", " + r.params().get("threads") + " thread"
                    + ("1".equals(r.params().get("threads")) ? "" : "s");
            double n = Double.parseDouble(size);
            lines.computeIfAbsent(name, k -> new ArrayList<>())
                    .add(new LineChart.Point(n, r.opsPerSecond() * 2 * n * n * n / 1e9));
        }
        lines.forEach((name, points) -> chart.add(new LineChart.Series(name, points)));
        return chart;
    }

    static LineChart recurrent(StudyData data, String mode) {
        LineChart chart = new LineChart(mode + " forward, " + RecurrentShapes.SEQ_LEN + " steps, input = hidden",
                "batch", "µs per step (log)", true, true);
        TreeSet<Integer> hiddens = new TreeSet<>();
        data.rows("RecurrentBenchmark").stream().filter(r -> mode.equals(r.params().get("mode")))
                .forEach(r -> hiddens.add(Integer.parseInt(r.params().get("hidden"))));
        data.torch().rows().stream().filter(r -> r.kind().equals("forward") && r.mode().equals(mode))
                .forEach(r -> hiddens.add(r.hidden()));
        for (String impl : List.of("vector", "scalar")) {
            for (int hidden : hiddens) {
                List<LineChart.Point> points = new ArrayList<>();
                data.rows("RecurrentBenchmark").stream()
                        .filter(r -> mode.equals(r.params().get("mode")) && impl.equals(r.params().get("impl"))
                                && Integer.toString(hidden).equals(r.params().get("hidden"))
                                && "1".equals(r.params().getOrDefault("threads", "1")))
                        .forEach(r -> points.add(new LineChart.Point(Double.parseDouble(r.params().get("batch")),
                                1e6 / r.opsPerSecond() / RecurrentShapes.SEQ_LEN)));
                chart.add(new LineChart.Series(IMPL_NAMES.get(impl) + ", hidden " + hidden, points));
            }
        }
        for (int hidden : hiddens) {
            List<LineChart.Point> points = new ArrayList<>();
            data.torch().rows().stream()
                    .filter(r -> r.kind().equals("forward") && r.mode().equals(mode) && r.hidden() == hidden)
                    .forEach(r -> points.add(new LineChart.Point(r.batch(), 1e6 * r.medianSeconds() / r.seqLen())));
            chart.add(new LineChart.Series("PyTorch, hidden " + hidden, points));
        }
        return chart;
    }
}
