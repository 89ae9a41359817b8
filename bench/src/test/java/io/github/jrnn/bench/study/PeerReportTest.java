package io.github.jrnn.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side report against ONNX Runtime and DJL, its targets, the cold-start rows and the per-CPU naming, on
 * hand-written study JSON whose expected figures are worked out by hand in the comments.
 */
class PeerReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String thrpt(String benchmark, String method, String params, double opsPerSecond) {
        return """
            {"benchmark": "io.github.jrnn.bench.%s.%s", "mode": "thrpt", "measurementTime": "1 s",
             "params": {%s}, "primaryMetric": {"score": %s, "scoreError": 0, "scoreUnit": "ops/s"}}
            """.formatted(benchmark, method, params, opsPerSecond);
    }

    /** A SingleShotTime result as JMH writes it: a time per operation, and no iteration length. */
    private static String singleShot(String method, String params, double millis) {
        return """
            {"benchmark": "io.github.jrnn.bench.ColdStartBenchmark.%s", "mode": "ss",
             "measurementTime": "single-shot", "params": {%s},
             "primaryMetric": {"score": %s, "scoreError": "NaN", "scoreUnit": "ms/op"}}
            """.formatted(method, params, millis);
    }

    private static StudyData study(String machine, String missing, String... rows) throws IOException {
        return StudyData.parse(JSON.readTree("""
            {"study": {"mode": "full", "startedAt": "2026-12-06T10:00:00", "coldStartForks": 5,
                       "pending": [], "missing": [%s]},
             "machine": {%s},
             "jmh": [%s],
             "torch": {"available": false, "reason": "not in this test"}}
            """.formatted(missing, machine, String.join(",", rows))));
    }

    private static final String MACHINE = "\"cpuModel\": \"Test CPU\", \"vectorBits\": \"512\", "
            + "\"onnxruntimeVersion\": \"1.29.0\", \"djlVersion\": \"DJL 0.36.0, PyTorch 2.7.1\"";

    private static String recurrent(String impl, String threads, String batch, double opsPerSecond) {
        return thrpt("RecurrentBenchmark", "forward", "\"mode\": \"GRU\", \"batch\": \"" + batch
                + "\", \"hidden\": \"256\", \"impl\": \"" + impl + "\", \"threads\": \"" + threads + "\"",
                opsPerSecond);
    }

    // GRU, batch 1, hidden 256, one thread. jrnn 50 sequences/s = 20 ms = 200 us per step; ORT 40/s = 250 us per
    // step; DJL 100/s = 100 us per step. jrnn time / ORT = 200 / 250 = 0.80 and jrnn is 250 / 200 = 1.25x faster;
    // jrnn time / DJL = 2.00, speed 0.50x.
    private static final String JRNN_B1 = recurrent("vector", "1", "1", 50);
    private static final String ORT_B1 = recurrent("ort", "1", "1", 40);
    private static final String DJL_B1 = recurrent("djl", "1", "1", 100);
    // Batch 32: jrnn and DJL ran, ORT was refused (listed as missing).
    private static final String JRNN_B32 = recurrent("vector", "1", "32", 10);
    private static final String DJL_B32 = recurrent("djl", "1", "32", 5);
    private static final String ORT_B32_MISSING = """
        {"benchmark": "RecurrentBenchmark", "params": {"mode": "GRU", "batch": "32", "hidden": "256",
         "impl": "ort", "threads": "1"}}""";

    private static Map<String, Targets.Row> targets(StudyData data) {
        return Targets.evaluate(data).stream().collect(Collectors.toMap(Targets.Row::target, r -> r));
    }

    @Test
    void sideBySideRowsGiveTimesPerStepAndBothRatios() throws IOException {
        StudyData data = study(MACHINE, "", JRNN_B1, ORT_B1, DJL_B1);
        String md = ResultsReport.render(data, List.of());
        assertTrue(md.contains("| GRU | 1 | 256 | 1 | 200 | 250 | 100 | 0.80 | 1.25x | 2.00 | 0.50x |"), md);
        assertTrue(md.contains("| ONNX Runtime (Java) | 1.29.0 |"), md);
        assertTrue(md.contains("| DJL, PyTorch engine | DJL 0.36.0, PyTorch 2.7.1 |"), md);
    }

    @Test
    void cellTargetsReportTheWorstCellAndWhatIsMissing() throws IOException {
        StudyData data = study(MACHINE, ORT_B32_MISSING, JRNN_B1, ORT_B1, DJL_B1, JRNN_B32, DJL_B32);
        Map<String, Targets.Row> t = targets(data);
        // vs DJL: batch 1 0.50x, batch 32 10 / 5 = 2.00x: the worst is batch 1, one of two cells meets 1.0x.
        assertEquals(new Targets.Row("Recurrent forward (100 steps), every mode, hidden and batch, one thread each:"
                + " jrnn >= 1.0x DJL", "not met", "worst 0.50x vs DJL (GRU, hidden 256, batch 1); 1 of 2 cells meet"
                + " it"), t.get("Recurrent forward (100 steps), every mode, hidden and batch, one thread each: jrnn"
                + " >= 1.0x DJL"));
        // vs ORT: batch 1 meets 1.0x at 1.25x, batch 32 has no ORT result: not measured, worst so far shown.
        assertEquals(new Targets.Row("Recurrent forward (100 steps), every mode, hidden and batch, one thread each:"
                + " jrnn >= 1.0x ONNX Runtime", "not measured (1 of 2 cells lack jrnn's or ONNX Runtime's result:"
                + " refused or failed, see Not measured)", "worst 1.25x vs ONNX Runtime (GRU, hidden 256, batch 1);"
                + " 1 of 1 cells meet it"), t.get("Recurrent forward (100 steps), every mode, hidden and batch, one"
                + " thread each: jrnn >= 1.0x ONNX Runtime"));
        // Batch 1 against 1.5x ORT: 1.25x is short of it.
        assertEquals("not met", t.get("Forward at batch 1, every mode and hidden, one thread each: jrnn >= 1.5x ONNX"
                + " Runtime").status());
        assertEquals("not measured (no cell in this run)", t.get("Recurrent forward (100 steps), every mode, hidden"
                + " and batch, 2 threads each: jrnn >= 1.0x DJL").status());
        String md = ResultsReport.render(data, List.of());
        assertTrue(md.contains("- `RecurrentBenchmark` (batch=32, hidden=256, impl=ort, mode=GRU, threads=1): no"
                + " result"), md);
        assertTrue(md.contains("| GRU | 32 | 256 | 1 | 1000 | — | 2000 | — | — | 0.50 | 2.00x |"), md);
    }

    @Test
    void aRunWithoutThePeersSaysSoInsteadOfBlamingThem() throws IOException {
        // A run from before the peers joined: jrnn's rows only, no threads parameter, nothing missing.
        StudyData data = study(MACHINE, "", thrpt("RecurrentBenchmark", "forward",
                "\"mode\": \"GRU\", \"batch\": \"1\", \"hidden\": \"256\", \"impl\": \"vector\"", 50));
        assertEquals("not measured (ONNX Runtime did not run in this study)", targets(data).get("Recurrent forward"
                + " (100 steps), every mode, hidden and batch, one thread each: jrnn >= 1.0x ONNX Runtime").status());
        assertTrue(ResultsReport.render(data, List.of()).contains("Not in this run (it predates those peers in"
                + " the study)."));
    }

    @Test
    void streamingAndTrainStepAreComparedPerThreadCount() throws IOException {
        // LSTM step, hidden 128, one thread: jrnn 50,000/s = 20.0 us, ORT 25,000/s = 40.0 us, DJL 5,000/s = 200 us:
        // jrnn time / ORT 0.50, 2.00x faster (>= 1.5x met); jrnn time / DJL 0.10, 10.00x faster.
        String params = "\"mode\": \"LSTM\", \"hidden\": \"128\", \"threads\": \"1\", \"impl\": ";
        // GRU train step on two threads: jrnn 4 steps/s = 250.0 ms, DJL 5/s = 200.0 ms: 1.25 and 0.80x (not met).
        StudyData data = study(MACHINE, "",
                thrpt("StreamingBenchmark", "step", params + "\"vector\"", 50000),
                thrpt("StreamingBenchmark", "step", params + "\"ort\"", 25000),
                thrpt("StreamingBenchmark", "step", params + "\"djl\"", 5000),
                thrpt("TrainStepBenchmark", "trainStep", "\"mode\": \"GRU\", \"impl\": \"vector\", \"threads\": \"2\"",
                        4),
                thrpt("TrainStepBenchmark", "trainStep", "\"mode\": \"GRU\", \"impl\": \"djl\", \"threads\": \"2\"",
                        5));
        String md = ResultsReport.render(data, List.of());
        assertTrue(md.contains("| LSTM | 1 | 128 | 1 | 20.0 | 40.0 | 200 | 0.50 | 2.00x | 0.10 | 10.00x |"), md);
        assertTrue(md.contains("| GRU | 2 | 250.0 | 200.0 | 1.25 | 0.80x |"), md);
        Map<String, Targets.Row> t = targets(data);
        assertEquals(new Targets.Row("Streaming step, every mode and hidden, one thread each: jrnn >= 1.5x ONNX"
                + " Runtime", "met", "worst 2.00x vs ONNX Runtime (LSTM, hidden 128); 1 of 1 cells meet it"),
                t.get("Streaming step, every mode and hidden, one thread each: jrnn >= 1.5x ONNX Runtime"));
        assertEquals(new Targets.Row("GRU train step (batch 32, hidden 256, 50 steps), 2 threads each: jrnn >= 1.0x"
                + " DJL", "not met", "worst 0.80x vs DJL (GRU); 0 of 1 cells meet it"), t.get("GRU train step"
                + " (batch 32, hidden 256, 50 steps), 2 threads each: jrnn >= 1.0x DJL"));
    }

    @Test
    void coldStartRowsComeFromSingleShotTimes() throws IOException {
        // jrnn: load 300 ms + first forward 700 ms = 1000.0 ms; first 100 calls 150 ms. ORT: 100 + 20 = 120.0 ms;
        // 50 ms. First calls: 150 / 50 = 3.00x ORT's time, above the 2x target. jrnn warmed up in its load: load
        // 1300 ms + first forward 5 ms = 1305.0 ms; first 100 calls 4 ms: 4 / 50 = 0.08x ORT's, within the target.
        String gru = "\"mode\": \"GRU\", \"threads\": \"1\", \"impl\": ";
        StudyData data = study(MACHINE, "",
                singleShot("load", gru + "\"vector\"", 300), singleShot("firstForward", gru + "\"vector\"", 700),
                singleShot("first100Calls", gru + "\"vector\"", 150), singleShot("load", gru + "\"ort\"", 100),
                singleShot("firstForward", gru + "\"ort\"", 20), singleShot("first100Calls", gru + "\"ort\"", 50),
                singleShot("load", gru + "\"vector-warm\"", 1300),
                singleShot("firstForward", gru + "\"vector-warm\"", 5),
                singleShot("first100Calls", gru + "\"vector-warm\"", 4));
        assertEquals(1 / 0.3, data.find("ColdStartBenchmark.load", Map.of("impl", "vector")).orElseThrow()
                .opsPerSecond(), 1e-9);
        String md = ResultsReport.render(data, List.of());
        assertTrue(md.contains("| GRU | jrnn | 300.0 | 700.0 | 1000.0 | 150.0 | 3.00 |"), md);
        assertTrue(md.contains("| GRU | jrnn, warmUp() in load | 1300.0 | 5.0 | 1305.0 | 4.0 | 0.08 |"), md);
        assertTrue(md.contains("| GRU | ONNX Runtime | 100.0 | 20.0 | 120.0 | 50.0 | 1.00 |"), md);
        assertTrue(md.contains("(ms, mean of 5 JVMs)"), md);
        Map<String, Targets.Row> targets = targets(data);
        String plain = "GRU, hidden 256, first 100 calls after loading: jrnn's time <= 2x ONNX Runtime's";
        assertEquals(new Targets.Row(plain, "not met", "3.00x ONNX Runtime's time (jrnn 150.0 ms, ONNX Runtime"
                + " 50.0 ms; load 300.0 ms vs 100.0 ms)"), targets.get(plain));
        String warm = "GRU, hidden 256, first 100 calls after loading (warmUp() in the load): jrnn's time <= 2x ONNX"
                + " Runtime's";
        assertEquals(new Targets.Row(warm, "met", "0.08x ONNX Runtime's time (jrnn 4.0 ms, ONNX Runtime 50.0 ms;"
                + " load 1300.0 ms vs 100.0 ms)"), targets.get(warm));
    }

    @Test
    void cpuSlugKeepsRunsOnDifferentCpusApart() {
        assertEquals("intel-xeon-platinum-8488c-f6m143-512bit", MachineInfo.cpuSlug(Map.of(
                MachineInfo.CPU_MODEL, "Intel(R) Xeon(R) Platinum 8488C CPU @ 2.40GHz", MachineInfo.CPU_FAMILY,
                "6", MachineInfo.CPU_MODEL_NUMBER, "143", MachineInfo.VECTOR_BITS, "512")));
        assertEquals("amd-epyc-512bit", MachineInfo.cpuSlug(Map.of(MachineInfo.CPU_MODEL, "AMD EPYC",
                MachineInfo.VECTOR_BITS, "512")));
    }

    @Test
    void indexHasOneRowPerCpuWithItsReportAndTargetCount() throws IOException {
        // One judged target: the streaming step vs ORT at 2.00x, met. Every other target lacks rows.
        String params = "\"mode\": \"GRU\", \"hidden\": \"256\", \"threads\": \"1\", \"impl\": ";
        StudyData data = study(MACHINE, "", thrpt("StreamingBenchmark", "step", params + "\"vector\"", 2000),
                thrpt("StreamingBenchmark", "step", params + "\"ort\"", 1000));
        Map<String, StudyData> bySlug = new TreeMap<>(Map.of("test-512bit", data));
        String md = ResultsIndex.render(bySlug);
        assertTrue(md.contains("| Test CPU | 512 | 2026-12-06T10:00:00 | [RESULTS-test-512bit.md]"
                + "(RESULTS-test-512bit.md) | 2 of 2 |"), md);
    }

    @Test
    void estimateCountsEveryCombinationForkAndIteration() {
        // 2 x 3 = 6 combinations, 2 forks each, (5 x 1 s + 5 x 1 s + 4 s overhead) = 14 s per fork: 168 s = 2.8 min.
        StudyPlan.PlannedRun run = new StudyPlan.PlannedRun("RecurrentBenchmark", null, Map.of("mode",
                List.of("GRU", "LSTM"), "hidden", List.of("128", "256", "512")), null, false);
        StudyPlan plan = new StudyPlan("full", new StudyPlan.JmhSettings(2, 5, 1000, 5, 1000), List.of(run),
                List.of(), null);
        assertEquals(6, run.combinations().size());
        assertEquals(2.8, plan.estimatedMinutes(), 1e-9);
    }
}
