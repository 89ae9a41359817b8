package io.github.jrnn.bench.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code bench/RESULTS.md}: one row per CPU the full study has run on, pointing at that CPU's latest report
 * ({@code RESULTS-<cpu>.md}), with its date, vector width and how many targets it met. Built from the raw JSON of
 * every full run under {@code bench/results/}, so no CPU's results overwrite another's.
 */
final class ResultsIndex {

    private ResultsIndex() {
    }

    /** Writes the index into {@code benchDir} from the full runs in {@code resultsDir}; returns its path. */
    static Path write(Path benchDir, Path resultsDir, ObjectMapper json) throws IOException {
        Map<String, StudyData> latest = new TreeMap<>();
        List<Path> runs;
        try (Stream<Path> files = Files.list(resultsDir)) {
            runs = files.filter(f -> f.getFileName().toString().matches("study-.*-full\\.json")).sorted().toList();
        }
        for (Path run : runs) {
            StudyData data = StudyData.parse(json.readTree(Files.readString(run, StandardCharsets.UTF_8)));
            latest.merge(MachineInfo.cpuSlug(data.machine()), data, (a, b) ->
                    Comparator.comparing((StudyData d) -> d.study().getOrDefault("startedAt", ""))
                            .compare(a, b) >= 0 ? a : b);
        }
        Path index = benchDir.resolve("RESULTS.md");
        Files.writeString(index, render(latest));
        return index;
    }

    /** The index for the latest run per CPU slug. */
    static String render(Map<String, StudyData> latestBySlug) {
        StringBuilder out = new StringBuilder("# jrnn performance study: results per CPU\n\n");
        out.append("Each CPU's latest full run of `./jrnn bench` (raw JSON under `bench/results/`); a run on another"
                + " CPU adds a row instead of replacing one. The ratios depend on the CPU: quote them with it.\n\n");
        MarkdownTable table = new MarkdownTable("CPU", "vector bits", "run", "report", "targets met");
        List<Map.Entry<String, StudyData>> rows = new ArrayList<>(latestBySlug.entrySet());
        for (Map.Entry<String, StudyData> e : rows) {
            StudyData data = e.getValue();
            List<Targets.Row> targets = Targets.evaluate(data);
            long met = targets.stream().filter(r -> Targets.MET.equals(r.status())).count();
            long judged = targets.stream().filter(r -> Targets.MET.equals(r.status())
                    || Targets.NOT_MET.equals(r.status())).count();
            table.row(data.machine().getOrDefault(MachineInfo.CPU_MODEL, "?"),
                    data.machine().getOrDefault(MachineInfo.VECTOR_BITS, "?"),
                    data.study().getOrDefault("startedAt", "?"),
                    "[RESULTS-" + e.getKey() + ".md](RESULTS-" + e.getKey() + ".md)",
                    met + " of " + judged);
        }
        out.append(table).append('\n');
        return out.toString();
    }
}
