package io.github.jrnn.bench.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The study's plans put every ratio's two sides back to back: one JMH run per shape with all of its engines,
 * every other shape with the engines reversed, and nothing measured twice or left out against the cross product.
 */
class StudyPlanTest {

    private static final StudyPlan.JmhSettings OWN = new StudyPlan.JmhSettings(3, 1, 100, 1, 100);

    @Test
    void perCellGivesOneRunPerShapeWithEveryEngineInAlternatingOrder() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("mode", List.of("GRU", "LSTM"));
        params.put("hidden", List.of("128", "256"));
        params.put("impl", List.of("vector", "ort", "djl"));
        StudyPlan.PlannedRun run = new StudyPlan.PlannedRun("RecurrentBenchmark", "forward", params, OWN, true);

        List<StudyPlan.PlannedRun> cells = run.perCell("impl");

        assertEquals(4, cells.size(), "2 modes x 2 hidden sizes");
        List<String> shapes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            StudyPlan.PlannedRun cell = cells.get(i);
            assertEquals("RecurrentBenchmark", cell.benchmark());
            assertEquals("forward", cell.method());
            assertEquals(OWN, cell.settings());
            assertTrue(cell.openBlasOwnKernel());
            assertEquals(1, cell.params().get("mode").size());
            assertEquals(1, cell.params().get("hidden").size());
            shapes.add(cell.params().get("mode").get(0) + "/" + cell.params().get("hidden").get(0));
            assertEquals(i % 2 == 0 ? List.of("vector", "ort", "djl") : List.of("djl", "ort", "vector"),
                    cell.params().get("impl"), "cell " + i);
        }
        assertEquals(List.of("GRU/128", "GRU/256", "LSTM/128", "LSTM/256"), shapes);
    }

    @Test
    void perCellRefusesAParameterTheRunDoesNotHave() {
        StudyPlan.PlannedRun run = new StudyPlan.PlannedRun("SgemmBenchmark", "sgemm",
                Map.of("size", List.of("64")), null, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run.perCell("impl"));
        assertTrue(e.getMessage().contains("'impl'") && e.getMessage().contains("[size]"), e.getMessage());
    }

    @Test
    void theFullStudyRunsEveryPeerComparisonInOneRunPerShape() {
        StudyPlan full = StudyPlan.full();
        assertComparedPerShape(full, "RecurrentBenchmark", null, Set.of("vector", "ort", "djl"), 3 * 3 * 4 * 2);
        assertComparedPerShape(full, "StreamingBenchmark", null, Set.of("vector", "ort", "djl"), 3 * 4 * 2);
        assertComparedPerShape(full, "SgemmBenchmark", "sgemm", Set.of("vector", "openblas"), 6 * 2);
        assertComparedPerShape(full, "SgemvBenchmark", null, Set.of("vector", "openblas", "netlib"), 4 * 2);
        assertComparedPerShape(full, "ActivationBenchmark", null, Set.of("vector", "svml"), 2 * 3);
        assertComparedPerShape(full, "TrainStepBenchmark", null, Set.of("vector", "djl"), 2 * 2);
        for (StudyPlan.PlannedRun run : full.runs()) {
            if (run.params().getOrDefault("impl", List.of()).contains("openblas")) {
                assertTrue(run.openBlasOwnKernel(), "OpenBLAS always at its own kernel: " + run);
            }
        }
    }

    @Test
    void theFullStudyMeasuresEachCombinationOnce() {
        Set<String> seen = new HashSet<>();
        for (StudyPlan.PlannedRun run : StudyPlan.full().runs()) {
            for (Map<String, String> combination : run.combinations()) {
                String key = run.benchmark() + "." + run.method() + " " + new java.util.TreeMap<>(combination);
                assertTrue(seen.add(key), "measured twice: " + key);
            }
        }
        assertTrue(seen.contains("RecurrentBenchmark.null {batch=64, hidden=1024, impl=djl, mode=LSTM, threads=2}"));
        assertTrue(seen.contains("SgemmBenchmark.sgemm {impl=netlib, size=3200x1024x256, threads=1}"));
        assertFalse(seen.contains("SgemmBenchmark.sgemm {impl=netlib, size=1024, threads=2}"),
                "netlib has no threads");
    }

    /**
     * Every run of {@code benchmark} (and method) that has one of {@code engines} has all of them and a single value
     * of every other parameter, and there are {@code shapes} such runs.
     */
    private static void assertComparedPerShape(StudyPlan plan, String benchmark, String method, Set<String> engines,
                                               int shapes) {
        int runs = 0;
        for (StudyPlan.PlannedRun run : plan.runs()) {
            if (!run.benchmark().equals(benchmark) || (method != null && !method.equals(run.method()))) {
                continue;
            }
            List<String> impls = run.params().getOrDefault("impl", List.of());
            if (impls.stream().noneMatch(engines::contains)) {
                continue;
            }
            assertTrue(impls.containsAll(engines), benchmark + " run without all of " + engines + ": " + run);
            run.params().forEach((name, values) -> {
                if (!name.equals("impl")) {
                    assertEquals(1, values.size(), benchmark + " run over several " + name + ": " + run);
                }
            });
            runs++;
        }
        assertEquals(shapes, runs, benchmark + " runs comparing " + engines);
    }
}
