package io.github.jrnn.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's arithmetic and formatting on a small hand-written study JSON whose expected figures are worked out
 * by hand in the comments (nothing here measures speed).
 */
class ResultsReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A JMH result object as {@code -rf json} writes it (only the fields the report reads). */
    private static String jmh(String benchmark, String method, String params, double score, double error,
                              double allocBytesPerOp) {
        return """
            {"benchmark": "io.github.jrnn.bench.%s.%s", "mode": "thrpt", "measurementTime": "500 ms",
             "params": {%s},
             "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "ops/s"},
             "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreUnit": "B/op"}}}
            """.formatted(benchmark, method, params, score, error, allocBytesPerOp);
    }

    private static String study(String torch, String... jmhRows) {
        return """
            {"study": {"mode": "quick", "startedAt": "2026-01-02T03:04:05", "finishedAt": "2026-01-02T03:09:05",
                       "rawFile": "bench/results/study-test.json", "forks": 1, "warmupIterations": 2,
                       "warmupMillis": 1000, "measurementIterations": 3, "measurementMillis": 500,
                       "pending": [
                         {"benchmark": "SgemmBenchmark", "rows": "impl = scalar or netlib, threads = 2",
                          "reason": "single-threaded"},
                         {"benchmark": "StreamingBenchmark", "rows": "all rows", "reason": "no streaming API yet"}]},
             "machine": {"cpuModel": "Test CPU", "cores": "2", "fmaPeakFlopsPerOp": "1000000",
                         "openblasCore": "Haswell", "envOPENBLAS_CORETYPE": "Haswell"},
             "jmh": [%s],
             "torch": %s}
            """.formatted(String.join(",", jmhRows), torch);
    }

    private static final String NO_TORCH = "{\"available\": false, \"reason\": \"torch is not importable\"}";

    // FMA peak: 1e5 ops/s x 1e6 FLOP/op = 1e11 FLOP/s = 100 GFLOP/s. Harness baseline for allocation:
    // 0.14 B/op * 1e5 ops/s * 0.5 s = 7000 B per iteration.
    private static final String PEAK = jmh("FmaPeakBenchmark", "fmaLoop", "", 1e5, 0, 0.14);
    // sgemm 512: 2 * 512^3 = 268,435,456 FLOP per op; 200 ops/s = 53.687 GFLOP/s = 54% of the peak; error 20 = 10%.
    private static final String GEMM_JRNN = jmh("SgemmBenchmark", "sgemm",
            "\"impl\": \"vector\", \"size\": \"512\", \"threads\": \"1\"", 200, 20, 5);
    // OpenBLAS 240 ops/s: 64.4 GFLOP/s, jrnn / OpenBLAS = 200 / 240 = 0.833 -> 0.83x, target 0.8 met.
    private static final String GEMM_OPENBLAS = jmh("SgemmBenchmark", "sgemm",
            "\"impl\": \"openblas\", \"size\": \"512\", \"threads\": \"1\"", 240, 0, 0.4);
    // netlib 100 ops/s: jrnn / netlib = 2.00x, target 2.5 not met.
    private static final String GEMM_NETLIB = jmh("SgemmBenchmark", "sgemm",
            "\"impl\": \"netlib\", \"size\": \"512\", \"threads\": \"1\"", 100, 0, 400000);
    // B packed: 300 ops/s = 80.5 GFLOP/s; packed / OpenBLAS = 300 / 240 = 1.25x.
    private static final String GEMM_PACKED = jmh("SgemmBenchmark", "sgemmPacked",
            "\"impl\": \"vector\", \"size\": \"512\", \"threads\": \"1\"", 300, 0, 0);
    // 3200x1024x256: 2 * 3200 * 1024 * 256 = 1,677,721,600 FLOP per op; 10 ops/s = 16.8 GFLOP/s.
    private static final String GEMM_TALL = jmh("SgemmBenchmark", "sgemm",
            "\"impl\": \"vector\", \"size\": \"3200x1024x256\", \"threads\": \"1\"", 10, 0, 0);
    // tanh over 4096 floats: 1e6 ops/s = 4.10 G elements/s; scalar 5e4 ops/s -> 20.00x (>= 10 met);
    // svml 1.25e6 ops/s -> 0.80x (>= 1 not met). 25.7 B/op * 1e6 ops/s * 0.5 s = 12.85 MB per iteration: not met.
    private static final String TANH_JRNN = jmh("ActivationBenchmark", "activation",
            "\"impl\": \"vector\", \"fn\": \"tanh\", \"size\": \"4096\"", 1e6, 0, 25.7);
    private static final String TANH_SCALAR = jmh("ActivationBenchmark", "activation",
            "\"impl\": \"scalar\", \"fn\": \"tanh\", \"size\": \"4096\"", 5e4, 0, 0.01);
    private static final String TANH_SVML = jmh("ActivationBenchmark", "activation",
            "\"impl\": \"svml\", \"fn\": \"tanh\", \"size\": \"4096\"", 1.25e6, 0, 0.01);

    private static StudyData parse(String json) throws IOException {
        return StudyData.parse(JSON.readTree(json));
    }

    private static Map<String, Targets.Row> targetsByName(StudyData data) {
        return Targets.evaluate(data).stream().collect(Collectors.toMap(Targets.Row::target, r -> r));
    }

    @Test
    void gemmTableShowsGflopsPeakShareAndRatios() throws IOException {
        StudyData data = parse(study(NO_TORCH, PEAK, GEMM_JRNN, GEMM_OPENBLAS, GEMM_NETLIB, GEMM_TALL, GEMM_PACKED));
        String md = ResultsReport.render(data, List.of("charts/sgemm.png"));
        assertTrue(md.contains("| 512×512×512 | 1 | 53.7 ±10% | 54% | 80.5 | 64.4 | 64% | 26.8 | — | 0.83x | 1.25x |"
                + " 2.00x | — | 5.00 |"), md);
        assertTrue(md.contains("| 3200×1024×256 | 1 | 16.8 | 17% | — | — | — | — | — | — | — | — | — | 0.00 |"), md);
        assertTrue(md.contains("FMA peak (1 core) | 100.0 GFLOP/s"), md);
        assertTrue(md.contains("![sgemm GFLOP/s against n](charts/sgemm.png)"), md);
        // Rows come in FLOP order: the 512^3 product (2.7e8) before the projection (1.7e9).
        assertTrue(md.indexOf("| 512×512×512 |") < md.indexOf("| 3200×1024×256 |"), md);
    }

    @Test
    void targetsCompareRatiosWithThresholdsAndExplainWhatIsMissing() throws IOException {
        Map<String, Targets.Row> t = targetsByName(parse(study(NO_TORCH, PEAK, GEMM_JRNN, GEMM_OPENBLAS,
                GEMM_NETLIB, TANH_JRNN, TANH_SCALAR, TANH_SVML)));
        assertEquals(new Targets.Row("sgemm n = 512: jrnn >= 0.8x OpenBLAS", "met", "0.83x vs OpenBLAS"),
                t.get("sgemm n = 512: jrnn >= 0.8x OpenBLAS"));
        assertEquals(new Targets.Row("sgemm n = 512: jrnn >= 2.5x netlib VectorBLAS", "not met", "2.00x vs netlib"),
                t.get("sgemm n = 512: jrnn >= 2.5x netlib VectorBLAS"));
        assertEquals("not measured (vector at size 1024 on 1 thread(s) is not in this run)",
                t.get("sgemm n = 1024: jrnn >= 0.8x OpenBLAS").status());
        assertEquals("not measured (vector at size 1024 on 2 thread(s) is not in this run)",
                t.get("sgemm n = 1024: jrnn with 2 threads >= 1.7x jrnn with 1 thread").status());
        // The native-engines bar on the same rows: 0.83x misses 1.0x; the two-thread rows are not in this run.
        assertEquals(new Targets.Row("sgemm n = 512, one thread each: jrnn >= 1.0x OpenBLAS", "not met",
                "0.83x vs OpenBLAS"), t.get("sgemm n = 512, one thread each: jrnn >= 1.0x OpenBLAS"));
        assertEquals("not measured (vector at size 512 on 2 thread(s) is not in this run)",
                t.get("sgemm n = 512, 2 threads each: jrnn >= 1.0x OpenBLAS").status());
        assertEquals("20.00x vs scalar", t.get("tanh, 4096 floats: jrnn >= 10x the scalar Math loop").measured());
        assertEquals("met", t.get("tanh, 4096 floats: jrnn >= 10x the scalar Math loop").status());
        assertEquals("not met", t.get("tanh, 4096 floats: jrnn >= 1x the JDK's lanewise math").status());
        assertEquals("0.80x vs lanewise (svml)", t.get("tanh, 4096 floats: jrnn >= 1x the JDK's lanewise math")
                .measured());
        assertEquals("not measured (jrnn's row is not in this run)",
                t.get("LSTM train step (batch 32, hidden 256, 50 steps): jrnn >= 1.5x PyTorch").status());
        assertEquals("not measured (no streaming API yet)",
                t.get("GRU streaming step, batch 1, hidden 256: jrnn >= 10x PyTorch's GRUCell call").status());
    }

    @Test
    void allocationTargetSubtractsTheHarnessBaselineOfTheSameRun() throws IOException {
        // sgemm 512: 5 B/op * 200 ops/s * 0.5 s = 500 B per iteration, below the 7000 B baseline: nothing per call.
        // sgemm 128 on 2 threads: 2.5 B/op * 6000 ops/s * 0.5 s = 7500 B, 500 B above the baseline (within the
        // 1 KiB slack): 500 B / 3000 calls = 0.17 B per call, written as 0.
        String twoThreads = jmh("SgemmBenchmark", "sgemm", "\"impl\": \"vector\", \"size\": \"128\", "
                + "\"threads\": \"2\"",
                6000, 0, 2.5);
        Map<String, Targets.Row> t = targetsByName(parse(study(NO_TORCH, PEAK, GEMM_JRNN, twoThreads, TANH_JRNN)));
        Targets.Row gemm = t.get("Sgemm: jrnn allocates 0 B/op in steady state");
        assertEquals("met", gemm.status());
        assertEquals("worst 7.3 KiB per iteration against the harness's 6.8 KiB: ≈ 0 B per call, at impl=vector,"
                + " size=128, threads=2", gemm.measured());
        // tanh: 25.7 B/op * 1e6 ops/s * 0.5 s = 12,850,000 B = 12.3 MiB per iteration; (12,850,000 - 7000) B over
        // 500,000 calls = 25.686 -> 26 B per call.
        Targets.Row activation = t.get("Activation: jrnn allocates 0 B/op in steady state");
        assertEquals("not met", activation.status());
        assertEquals("worst 12.3 MiB per iteration against the harness's 6.8 KiB: ≈ 26 B per call, at fn=tanh,"
                + " impl=vector, size=4096", activation.measured());
        // Without the baseline row the verdict cannot be given.
        Map<String, Targets.Row> noPeak = targetsByName(parse(study(NO_TORCH, GEMM_JRNN)));
        assertEquals("not measured (no FmaPeakBenchmark -prof gc result for the harness baseline)",
                noPeak.get("Sgemm: jrnn allocates 0 B/op in steady state").status());
    }

    @Test
    void recurrentRowsUsePerStepTimesAndPyTorchMedians() throws IOException {
        String torch = """
            {"available": true, "torchVersion": "1.13.0", "python": "3.11", "threads": 1,
             "blasVariant": "OpenBLAS preloaded",
             "results": [{"kind": "forward", "mode": "LSTM", "batch": 1, "hidden": 256, "input": 256,
                          "seqLen": 100, "medianSeconds": 0.05}],
             "asInstalled": {"available": true, "results": [{"kind": "forward", "mode": "LSTM", "batch": 1,
                          "hidden": 256, "input": 256, "seqLen": 100, "medianSeconds": 0.5}]}}
            """;
        // jrnn 50 sequences/s = 20 ms per sequence = 200 us per step; PyTorch 0.05 s = 500 us per step.
        // Ratio = 50 ops/s * 0.05 s = 2.50x, below the 5x target. FLOPs: 2*100*1*4*256*512 = 104,857,600 per op,
        // times 50 ops/s = 5.2 GFLOP/s = 5% of the 100 GFLOP/s peak.
        String lstm = jmh("RecurrentBenchmark", "forward",
                "\"impl\": \"vector\", \"mode\": \"LSTM\", \"batch\": \"1\", \"hidden\": \"256\"", 50, 0, 0);
        StudyData data = parse(study(torch, PEAK, lstm));
        String md = ResultsReport.render(data, List.of());
        assertTrue(md.contains("| LSTM | 1 | 256 | 200 | — | 500 | 2.50x | 5.2 | 5% | 0.00 |"), md);
        assertTrue(md.contains("takes 5000 µs per step for LSTM batch 1, hidden 256, against 500 µs with OpenBLAS"),
                md);
        Targets.Row row = targetsByName(data).get("LSTM forward, batch 1, hidden 256, 100 steps: jrnn >= 5x faster"
                + " than PyTorch");
        assertEquals(new Targets.Row(row.target(), "not met", "2.50x vs PyTorch"), row);
    }

    @Test
    void skippedPeerAndQuickRunAreSaidInTheReport() throws IOException {
        String md = ResultsReport.render(parse(study(NO_TORCH, PEAK)), List.of());
        assertTrue(md.contains("**Quick run**"), md);
        assertTrue(md.contains("| PyTorch | skipped: torch is not importable |"), md);
        assertTrue(md.contains("- `StreamingBenchmark` (all rows): no streaming API yet"), md);
        assertTrue(md.contains("- PyTorch peer: torch is not importable"), md);
        assertTrue(md.contains("1 fork(s) x 3 measured iterations of 500 ms after 2 warm-up iterations of 1000 ms"),
                md);
    }

    @Test
    void numberFormatsAreFixedAndLocaleIndependent() {
        assertEquals("1.25x", Format.ratio(1.2549));
        assertEquals("46%", Format.percent(0.456));
        assertEquals("12.3", Format.gflops(12.345e9));
        assertEquals("0.500", Format.micros(5e-7));
        assertEquals("1235", Format.micros(1.2345e-3));
        assertEquals(0.5, StudyData.seconds("500 ms"));
        assertEquals(2.0, StudyData.seconds("2 s"));
        assertEquals(2L * 3200 * 1024 * 256, ResultsReport.gemmFlops("3200x1024x256"));
    }

    @Test
    void chartsAreWrittenAsPngsForTheDataPresent(@TempDir Path dir) throws IOException {
        String small = jmh("SgemmBenchmark", "sgemm", "\"impl\": \"vector\", \"size\": \"128\", \"threads\": \"1\"",
                20000, 0, 0);
        StudyData data = parse(study(NO_TORCH, PEAK, small, GEMM_JRNN, GEMM_OPENBLAS));
        assertEquals(List.of("sgemm.png"), Charts.write(data, dir));
        assertEquals(List.of("jrnn, 1 thread", "OpenBLAS, 1 thread"),
                Charts.sgemm(data).seriesNames());
        BufferedImage image = ImageIO.read(dir.resolve("sgemm.png").toFile());
        assertEquals(1000, image.getWidth());
        assertEquals(600, image.getHeight());
        assertTrue(Files.size(dir.resolve("sgemm.png")) > 5000);
    }
}
