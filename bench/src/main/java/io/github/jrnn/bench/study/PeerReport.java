package io.github.jrnn.bench.study;

import io.github.jrnn.bench.ColdStartBenchmark;
import io.github.jrnn.bench.RecurrentShapes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The report's side-by-side sections: jrnn, ONNX Runtime and DJL on the same exported models, with each engine's
 * version, threads and kernel, then per family a table of times and two ratios per peer: jrnn's time divided by the
 * peer's (below 1 means jrnn takes less time) and its inverse, how many times faster jrnn is (above 1 means faster).
 */
final class PeerReport {

    private static final List<String> ENGINES = List.of(PeerTargets.JRNN, "ort", "djl");

    private final StudyData data;
    private final StringBuilder out;

    private PeerReport(StudyData data, StringBuilder out) {
        this.data = data;
        this.out = out;
    }

    /** Appends the side-by-side sections to {@code out}, with the charts among {@code charts} that belong there. */
    static void render(StudyData data, List<String> charts, StringBuilder out) {
        PeerReport report = new PeerReport(data, out);
        boolean peers = false;
        for (String benchmark : List.of(PeerTargets.RECURRENT, PeerTargets.STREAMING, PeerTargets.TRAIN,
                PeerTargets.FIRST_100_CALLS)) {
            for (String peer : PeerTargets.PEERS.keySet()) {
                peers |= PeerTargets.ran(data, benchmark, peer);
            }
        }
        if (!peers) {
            out.append("## jrnn against ONNX Runtime and DJL\n\nNot in this run (it predates those peers in the"
                    + " study).\n\n");
            return;
        }
        report.engines();
        report.recurrent(charts);
        report.streaming(charts);
        report.train();
        report.coldStart();
    }

    private void engines() {
        Map<String, String> m = data.machine();
        out.append("## jrnn against ONNX Runtime and DJL\n\n");
        out.append("Every engine runs the same module exported by `tools/export_peer_models.py` (torch ")
                .append(m.getOrDefault(PeerModelExport.EXPORT_TORCH, "?"))
                .append(") on the same inputs, and each engine's outputs were checked against torch's (within 1e-5 +"
                        + " 1e-5·|torch|) before it was timed; an engine that disagreed is listed under \"Not"
                        + " measured\". One thread or two means the engine's own intra-op threads.\n\n");
        MarkdownTable table = new MarkdownTable("engine", "version", "threads", "kernels");
        table.row("jrnn", "this checkout", "`KernelThreads.setCount(n)`", "Vector API, " + m.getOrDefault(
                MachineInfo.VECTOR_BITS, "?") + "-bit preferred species; `ModuleCheckpoints.load`, `forward(input,"
                + " h0, c0, into)` under `GradMode.noGrad()` into output tensors made once per input shape (runs"
                + " before 2026-12-06 19:00: `forward(input, h0, c0)`, new outputs per call), `RecurrentStream.step`");
        table.row("ONNX Runtime (Java)", m.getOrDefault(MachineInfo.ORT_VERSION, "?"), "intra-op n, inter-op 1,"
                + " sequential, ALL_OPT", "CPU execution provider (MLAS); ONNX operators in the graphs: "
                + m.getOrDefault(PeerModelExport.ONNX_OPERATORS, "?") + "; pinned direct-buffer inputs and outputs");
        table.row("DJL, PyTorch engine", m.getOrDefault(MachineInfo.DJL_VERSION, "?"), "`ai.djl.pytorch."
                + "num_threads` = n, interop 1", "libtorch (" + m.getOrDefault(MachineInfo.DJL_ENGINE, "?")
                + "); TorchScript operators: " + m.getOrDefault(PeerModelExport.TORCHSCRIPT_OPERATORS, "?"));
        out.append(table).append('\n');
    }

    private void recurrent(List<String> charts) {
        out.append("### Forward over ").append(RecurrentShapes.SEQ_LEN)
                .append(" steps, input = hidden, zero initial state (µs per step, lower is better)\n\n");
        side(PeerTargets.RECURRENT, RecurrentShapes.SEQ_LEN, "µs/step");
        for (String chart : charts) {
            if (chart.contains("/peers-")) {
                String name = chart.substring(chart.lastIndexOf('/') + 1).replace(".png", "");
                out.append("![").append(name).append("](").append(chart).append(")\n\n");
            }
        }
    }

    private void streaming(List<String> charts) {
        out.append("### Streaming: one step at batch 1, state carried (µs per step, lower is better)\n\n");
        side(PeerTargets.STREAMING, 1, "µs");
        for (String chart : charts) {
            if (chart.contains("/streaming-")) {
                String name = chart.substring(chart.lastIndexOf('/') + 1).replace(".png", "");
                out.append("![").append(name).append("](").append(chart).append(")\n\n");
            }
        }
    }

    private void train() {
        out.append("### Train step: zero_grad, forward, MSE loss, backward, Adam; batch ")
                .append(RecurrentShapes.TRAIN_BATCH).append(", hidden ").append(RecurrentShapes.TRAIN_HIDDEN)
                .append(", ").append(RecurrentShapes.TRAIN_SEQ_LEN).append(" steps (ms per step)\n\n");
        MarkdownTable table = new MarkdownTable("mode", "threads", "jrnn ms", "DJL ms", "jrnn time ÷ DJL",
                "jrnn speed vs DJL");
        for (String mode : StudyPlan.TRAIN_MODES) {
            for (String threads : StudyPlan.THREADS) {
                Map<String, String> cell = Map.of("mode", mode);
                Optional<StudyData.JmhRow> jrnn = PeerTargets.row(data, PeerTargets.TRAIN, PeerTargets.JRNN, threads,
                        cell);
                Optional<StudyData.JmhRow> djl = PeerTargets.row(data, PeerTargets.TRAIN, "djl", threads, cell);
                if (jrnn.isPresent() || djl.isPresent()) {
                    table.row(mode, threads, millis(jrnn), millis(djl), timeRatio(jrnn, djl),
                            speed(jrnn, djl));
                }
            }
        }
        emit(table);
    }

    private void coldStart() {
        out.append("### From the first call: a fresh JVM per measurement, hidden ").append(ColdStartBenchmark.HIDDEN)
                .append(", batch 1, one thread (ms, mean of ").append(data.study().getOrDefault("coldStartForks", "?"))
                .append(" JVMs)\n\n");
        MarkdownTable table = new MarkdownTable("mode", "engine", "load", "first forward (" + RecurrentShapes.SEQ_LEN
                + " steps)", "load + first forward", "first " + RecurrentShapes.SEQ_LEN + " calls (stream steps)",
                "first calls ÷ ONNX Runtime's");
        for (String mode : StudyPlan.TRAIN_MODES) {
            for (String engine : StudyPlan.COLD_START_ENGINES) {
                Map<String, String> cell = Map.of("mode", mode);
                Optional<StudyData.JmhRow> load = PeerTargets.row(data, "ColdStartBenchmark.load", engine, "1", cell);
                Optional<StudyData.JmhRow> first = PeerTargets.row(data, "ColdStartBenchmark.firstForward", engine,
                        "1", cell);
                Optional<StudyData.JmhRow> calls = PeerTargets.row(data, PeerTargets.FIRST_100_CALLS, engine, "1",
                        cell);
                if (load.isEmpty() && first.isEmpty() && calls.isEmpty()) {
                    continue;
                }
                String sum = load.isPresent() && first.isPresent() ? Format.millis(1 / load.get().opsPerSecond()
                        + 1 / first.get().opsPerSecond()) : Format.MISSING;
                Optional<StudyData.JmhRow> ortCalls = PeerTargets.row(data, PeerTargets.FIRST_100_CALLS, "ort", "1",
                        cell);
                table.row(mode, engineName(engine), millis(load), millis(first), sum,
                        millis(calls), timeRatio(calls, ortCalls));
            }
        }
        emit(table);
    }

    /**
     * One table of a side-by-side family: a row per cell and thread count, with every engine's time and each
     * peer's two ratios.
     */
    private void side(String benchmark, int stepsPerOp, String unit) {
        Set<Map<String, String>> cells = new LinkedHashSet<>();
        for (String peer : List.of("ort", "djl")) {
            for (String threads : StudyPlan.THREADS) {
                cells.addAll(PeerTargets.cells(data, benchmark, peer, threads));
            }
        }
        List<Map<String, String>> sorted = new ArrayList<>(cells);
        sorted.sort(Comparator.comparing((Map<String, String> c) -> StudyPlan.RECURRENT_MODES.indexOf(c.get("mode")))
                .thenComparingInt(c -> Integer.parseInt(c.getOrDefault("batch", "1")))
                .thenComparingInt(c -> Integer.parseInt(c.getOrDefault("hidden", "0"))));
        MarkdownTable table = new MarkdownTable("mode", "batch", "hidden", "threads", "jrnn " + unit,
                "ONNX Runtime " + unit, "DJL " + unit, "jrnn time ÷ ORT", "jrnn speed vs ORT", "jrnn time ÷ DJL",
                "jrnn speed vs DJL");
        for (Map<String, String> cell : sorted) {
            for (String threads : StudyPlan.THREADS) {
                Optional<StudyData.JmhRow> jrnn = PeerTargets.row(data, benchmark, PeerTargets.JRNN, threads, cell);
                Optional<StudyData.JmhRow> ort = PeerTargets.row(data, benchmark, "ort", threads, cell);
                Optional<StudyData.JmhRow> djl = PeerTargets.row(data, benchmark, "djl", threads, cell);
                if (jrnn.isEmpty() && ort.isEmpty() && djl.isEmpty()) {
                    continue;
                }
                table.row(cell.get("mode"), cell.getOrDefault("batch", "1"), cell.get("hidden"), threads,
                        micros(jrnn, stepsPerOp), micros(ort, stepsPerOp), micros(djl, stepsPerOp),
                        timeRatio(jrnn, ort), speed(jrnn, ort), timeRatio(jrnn, djl), speed(jrnn, djl));
            }
        }
        emit(table);
    }

    private void emit(MarkdownTable table) {
        out.append(table.isEmpty() ? "No results in this run.\n" : table.toString()).append('\n');
    }

    private static String engineName(String impl) {
        if (PeerTargets.JRNN_WARM.equals(impl)) {
            return "jrnn, warmUp() in load";
        }
        return PeerTargets.JRNN.equals(impl) ? "jrnn" : PeerTargets.PEERS.get(impl);
    }

    /** Microseconds per step: the time of one operation over its {@code steps}. */
    private static String micros(Optional<StudyData.JmhRow> row, int steps) {
        return row.map(r -> Format.micros(1 / r.opsPerSecond() / steps)).orElse(Format.MISSING);
    }

    /** Milliseconds per operation. */
    private static String millis(Optional<StudyData.JmhRow> row) {
        return row.map(r -> Format.millis(1 / r.opsPerSecond())).orElse(Format.MISSING);
    }

    /** jrnn's time divided by the peer's: the peer's throughput over jrnn's. */
    private static String timeRatio(Optional<StudyData.JmhRow> jrnn, Optional<StudyData.JmhRow> peer) {
        return jrnn.isPresent() && peer.isPresent()
                ? Format.timeRatio(peer.get().opsPerSecond() / jrnn.get().opsPerSecond()) : Format.MISSING;
    }

    /** How many times faster jrnn is: its throughput over the peer's. */
    private static String speed(Optional<StudyData.JmhRow> jrnn, Optional<StudyData.JmhRow> peer) {
        return jrnn.isPresent() && peer.isPresent()
                ? Format.ratio(jrnn.get().opsPerSecond() / peer.get().opsPerSecond()) : Format.MISSING;
    }
}
