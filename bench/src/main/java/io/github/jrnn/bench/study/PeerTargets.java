package io.github.jrnn.bench.study;

import io.github.jrnn.bench.RecurrentShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The targets of jrnn against the native engines a Java user picks (ONNX Runtime, DJL on libtorch), from the same
 * run: in every cell of the recurrent forward and of the streaming step, one thread each and two threads each,
 * jrnn's throughput at least the peer's; batch 1 and the streaming step at least 1.5x ONNX Runtime on one thread;
 * the train step at least DJL's; the first 100 calls after loading at most twice ONNX Runtime's time. A cell
 * target reports the worst cell and how many cells meet it; it is "not measured" while any cell lacks a result.
 */
final class PeerTargets {

    static final String RECURRENT = "RecurrentBenchmark";
    static final String STREAMING = "StreamingBenchmark";
    static final String TRAIN = "TrainStepBenchmark";
    static final String FIRST_100_CALLS = "ColdStartBenchmark.first100Calls";
    /** The engines jrnn is held against, by impl value, with their names. */
    static final Map<String, String> PEERS = Map.of("ort", "ONNX Runtime", "djl", "DJL");
    /** jrnn's impl value in the side-by-side benchmarks. */
    static final String JRNN = "vector";
    /** jrnn with {@code RNNBase.warmUp()} as part of loading, in the cold-start rows. */
    static final String JRNN_WARM = "vector-warm";

    private final StudyData data;
    private final List<Targets.Row> rows = new ArrayList<>();

    private PeerTargets(StudyData data) {
        this.data = data;
    }

    static List<Targets.Row> evaluate(StudyData data) {
        PeerTargets t = new PeerTargets(data);
        for (String family : List.of(RECURRENT, STREAMING)) {
            String what = RECURRENT.equals(family) ? "Recurrent forward (" + RecurrentShapes.SEQ_LEN
                    + " steps), every mode, hidden and batch" : "Streaming step (batch 1), every mode and hidden";
            for (String threads : StudyPlan.THREADS) {
                for (String peer : List.of("ort", "djl")) {
                    t.everyCell(what + ", " + threadsLabel(threads) + " each: jrnn >= 1.0x " + PEERS.get(peer),
                            family, peer, threads, 1.0, cell -> true);
                }
            }
        }
        t.everyCell("Forward at batch 1, every mode and hidden, one thread each: jrnn >= 1.5x ONNX Runtime",
                RECURRENT, "ort", "1", 1.5, cell -> "1".equals(cell.get("batch")));
        t.everyCell("Streaming step, every mode and hidden, one thread each: jrnn >= 1.5x ONNX Runtime", STREAMING,
                "ort", "1", 1.5, cell -> true);
        for (String mode : StudyPlan.TRAIN_MODES) {
            for (String threads : StudyPlan.THREADS) {
                t.everyCell(mode + " train step (batch " + RecurrentShapes.TRAIN_BATCH + ", hidden "
                        + RecurrentShapes.TRAIN_HIDDEN + ", " + RecurrentShapes.TRAIN_SEQ_LEN + " steps), "
                        + threadsLabel(threads) + " each: jrnn >= 1.0x DJL", TRAIN, "djl", threads, 1.0,
                        cell -> mode.equals(cell.get("mode")));
            }
        }
        for (String mode : StudyPlan.TRAIN_MODES) {
            t.firstCalls(mode);
        }
        return t.rows;
    }

    static String threadsLabel(String threads) {
        return "1".equals(threads) ? "one thread" : threads + " threads";
    }

    /**
     * The parameter cells (every parameter but impl and threads) that jrnn or {@code peer} has a row for, or was
     * planned for and lost, at {@code threads}.
     */
    static Set<Map<String, String>> cells(StudyData data, String benchmark, String peer, String threads) {
        Set<Map<String, String>> cells = new LinkedHashSet<>();
        Predicate<Map<String, String>> ours = p -> (JRNN.equals(p.get("impl")) || peer.equals(p.get("impl")))
                && threads.equals(p.getOrDefault("threads", "1"));
        data.rows(benchmark).stream().map(StudyData.JmhRow::params).filter(ours).forEach(p -> cells.add(cell(p)));
        data.missing().stream().filter(m -> m.benchmark().equals(benchmark)).map(StudyData.Missing::params)
                .filter(ours).forEach(p -> cells.add(cell(p)));
        return cells;
    }

    private static Map<String, String> cell(Map<String, String> params) {
        Map<String, String> cell = new HashMap<>(params);
        cell.remove("impl");
        cell.remove("threads");
        return cell;
    }

    /** True when {@code impl} was planned for {@code benchmark} in this run: it has a row or a missing entry. */
    static boolean ran(StudyData data, String benchmark, String impl) {
        return data.rows(benchmark).stream().anyMatch(r -> impl.equals(r.params().get("impl")))
                || data.missing().stream().anyMatch(m -> m.benchmark().equals(benchmark)
                        && impl.equals(m.params().get("impl")));
    }

    /** {@code impl}'s row of {@code benchmark} in {@code cell} at {@code threads}. */
    static Optional<StudyData.JmhRow> row(StudyData data, String benchmark, String impl, String threads,
                                          Map<String, String> cell) {
        Map<String, String> params = new HashMap<>(cell);
        params.put("impl", impl);
        params.put("threads", threads);
        return data.find(benchmark, params);
    }

    /** A cell as the report names it: {@code GRU, hidden 256, batch 32}. */
    static String describe(Map<String, String> cell) {
        StringBuilder out = new StringBuilder(cell.getOrDefault("mode", "?"));
        if (cell.containsKey("hidden")) {
            out.append(", hidden ").append(cell.get("hidden"));
        }
        if (cell.containsKey("batch")) {
            out.append(", batch ").append(cell.get("batch"));
        }
        return out.toString();
    }

    private void everyCell(String target, String benchmark, String peer, String threads, double threshold,
                           Predicate<Map<String, String>> include) {
        int total = 0;
        int lacking = 0;
        int met = 0;
        double worst = Double.POSITIVE_INFINITY;
        String worstCell = "";
        for (Map<String, String> cell : cells(data, benchmark, peer, threads)) {
            if (!include.test(cell)) {
                continue;
            }
            total++;
            Optional<StudyData.JmhRow> jrnn = row(data, benchmark, JRNN, threads, cell);
            Optional<StudyData.JmhRow> other = row(data, benchmark, peer, threads, cell);
            if (jrnn.isEmpty() || other.isEmpty()) {
                lacking++;
                continue;
            }
            double ratio = jrnn.get().opsPerSecond() / other.get().opsPerSecond();
            met += ratio >= threshold ? 1 : 0;
            if (ratio < worst) {
                worst = ratio;
                worstCell = describe(cell);
            }
        }
        if (total == 0) {
            rows.add(new Targets.Row(target, "not measured (no cell in this run)", ""));
            return;
        }
        if (!ran(data, benchmark, peer)) {
            rows.add(new Targets.Row(target, "not measured (" + PEERS.get(peer) + " did not run in this study)", ""));
            return;
        }
        String measured = total == lacking ? "" : "worst " + Format.ratio(worst) + " vs " + PEERS.get(peer) + " ("
                + worstCell + "); " + met + " of " + (total - lacking) + " cells meet it";
        String status = lacking > 0 ? "not measured (" + lacking + " of " + total + " cells lack jrnn's or "
                + PEERS.get(peer) + "'s result: refused or failed, see Not measured)"
                : met == total ? Targets.MET : Targets.NOT_MET;
        rows.add(new Targets.Row(target, status, measured));
    }

    /**
     * The first 100 streaming calls after loading: jrnn's time at most twice ONNX Runtime's, as loaded plainly and
     * with the warm-up in its load (whose cost the row also gives, since it moves time from the calls to the load).
     */
    private void firstCalls(String mode) {
        Optional<StudyData.JmhRow> ort = row(data, FIRST_100_CALLS, "ort", "1", Map.of("mode", mode));
        Optional<StudyData.JmhRow> ortLoad = row(data, "ColdStartBenchmark.load", "ort", "1", Map.of("mode", mode));
        for (String jrnnImpl : List.of(JRNN, JRNN_WARM)) {
            String target = mode + ", hidden 256, first 100 calls after loading" + (JRNN_WARM.equals(jrnnImpl)
                    ? " (warmUp() in the load)" : "") + ": jrnn's time <= 2x ONNX Runtime's";
            Optional<StudyData.JmhRow> jrnn = row(data, FIRST_100_CALLS, jrnnImpl, "1", Map.of("mode", mode));
            if (jrnn.isEmpty() || ort.isEmpty()) {
                rows.add(new Targets.Row(target, "not measured (" + (jrnn.isEmpty() ? "jrnn's" : "ONNX Runtime's")
                        + " cold-start row is not in this run)", ""));
                continue;
            }
            double jrnnSeconds = 1 / jrnn.get().opsPerSecond();
            double ortSeconds = 1 / ort.get().opsPerSecond();
            double ratio = jrnnSeconds / ortSeconds;
            String load = "";
            Optional<StudyData.JmhRow> jrnnLoad = row(data, "ColdStartBenchmark.load", jrnnImpl, "1",
                    Map.of("mode", mode));
            if (jrnnLoad.isPresent() && ortLoad.isPresent()) {
                load = "; load " + Format.millis(1 / jrnnLoad.get().opsPerSecond()) + " ms vs "
                        + Format.millis(1 / ortLoad.get().opsPerSecond()) + " ms";
            }
            rows.add(new Targets.Row(target, ratio <= 2 ? Targets.MET : Targets.NOT_MET, Format.timeRatio(ratio)
                    + "x ONNX Runtime's time (jrnn " + Format.millis(jrnnSeconds) + " ms, ONNX Runtime "
                    + Format.millis(ortSeconds) + " ms" + load + ")"));
        }
    }
}
