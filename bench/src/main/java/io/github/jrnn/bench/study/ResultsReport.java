package io.github.jrnn.bench.study;

import io.github.jrnn.bench.RecurrentShapes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes {@code bench/RESULTS.md} from one study's data: the machine, the targets, one table per kernel and layer
 * with jrnn next to every peer, the ratios (jrnn's throughput divided by the peer's: above 1 means jrnn is
 * faster), GFLOP/s where a FLOP count is defined and the share of the measured FMA peak, and the charts.
 */
final class ResultsReport {

    private static final String SGEMM = "SgemmBenchmark";
    private static final String SGEMM_PACKED = "SgemmBenchmark.sgemmPacked";
    private static final String SGEMV = "SgemvBenchmark";
    private static final String ACTIVATION = "ActivationBenchmark";
    private static final String RECURRENT = "RecurrentBenchmark";
    private static final String STREAMING = "StreamingBenchmark";
    private static final String TRAIN = "TrainStepBenchmark";

    private final StudyData data;
    private final OptionalDouble peakFlops;
    private final StringBuilder out = new StringBuilder();

    private ResultsReport(StudyData data) {
        this.data = data;
        this.peakFlops = peakFlops(data);
    }

    /**
     * The report as markdown.
     *
     * @param charts the chart files (paths relative to the report) to show, in order
     */
    static String render(StudyData data, List<String> charts) {
        ResultsReport report = new ResultsReport(data);
        report.header();
        report.targets();
        PeerReport.render(data, charts, report.out);
        report.sgemm(charts);
        report.sgemv();
        report.activations();
        report.recurrent(charts);
        report.streaming();
        report.train();
        report.notMeasured();
        report.method();
        return report.out.toString();
    }

    /** The single-core FMA peak in FLOP/s: FmaPeakBenchmark's ops/s times its FLOPs per op. */
    static OptionalDouble peakFlops(StudyData data) {
        Optional<StudyData.JmhRow> fma = data.rows("FmaPeakBenchmark").stream().findFirst();
        String perOp = data.machine().get(MachineInfo.FMA_FLOPS_PER_OP);
        if (fma.isEmpty() || perOp == null) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(fma.get().opsPerSecond() * Double.parseDouble(perOp));
    }

    // ---------------------------------------------------------------- sections

    private void header() {
        Map<String, String> m = data.machine();
        Map<String, String> s = data.study();
        out.append("# jrnn performance study\n\n");
        if ("quick".equals(s.get("mode")) || "smoke".equals(s.get("mode"))) {
            out.append("> **" + ("quick".equals(s.get("mode")) ? "Quick" : "Smoke") + " run** (one fork, short"
                    + " iterations, fewer sizes): it shows the pipeline works; its numbers are not for quoting.\n\n");
        }
        out.append("Run ").append(s.getOrDefault("startedAt", "?")).append(" to ")
                .append(s.getOrDefault("finishedAt", "?")).append(", mode `").append(s.getOrDefault("mode", "?"))
                .append("`, raw results in `").append(s.getOrDefault("rawFile", "?")).append("`.\n\n");
        MarkdownTable machine = new MarkdownTable("", "");
        machine.row("CPU", m.getOrDefault(MachineInfo.CPU_MODEL, "?") + (m.containsKey(MachineInfo.CPU_FAMILY)
                ? " (family " + m.get(MachineInfo.CPU_FAMILY) + ", model " + m.getOrDefault(
                        MachineInfo.CPU_MODEL_NUMBER, "?") + ")" : "") + ", " + m.getOrDefault(MachineInfo.CORES, "?")
                + " cores, " + m.getOrDefault(MachineInfo.LOGICAL_CPUS, "?") + " logical CPUs; "
                + m.getOrDefault(MachineInfo.CACHES, ""));
        machine.row("OS", m.getOrDefault(MachineInfo.OS, "?"));
        machine.row("JDK", m.getOrDefault(MachineInfo.JDK, "?") + ", preferred vector "
                + m.getOrDefault(MachineInfo.VECTOR_BITS, "?") + " bits");
        if (m.containsKey(MachineInfo.GEMM_BLOCKING)) {
            machine.row("jrnn's product blocking", m.get(MachineInfo.GEMM_BLOCKING));
        }
        machine.row("FMA peak (1 core)", peakFlops.isPresent()
                ? Format.gflops(peakFlops.getAsDouble()) + " GFLOP/s (FmaPeakBenchmark, Vector API)" : Format.MISSING);
        if (m.containsKey(MachineInfo.OPENBLAS_FORKS)) {
            String coretype = m.getOrDefault(MachineInfo.OPENBLAS_CORETYPE_ENV, "(unset)");
            String l2 = m.getOrDefault(MachineInfo.OPENBLAS_L2_ENV, "(unset)");
            machine.row("OpenBLAS", m.getOrDefault(MachineInfo.OPENBLAS_CONFIG, "?") + "; its rows ran with "
                    + m.get(MachineInfo.OPENBLAS_FORKS) + " and picked the **"
                    + m.getOrDefault(MachineInfo.OPENBLAS_CORE_AUTODETECTED, "?") + "** kernels"
                    + " (openblas_get_corename(); " + ("(unset)".equals(coretype) && "(unset)".equals(l2)
                            ? "the machine sets neither variable)" : "the machine's OPENBLAS_CORETYPE=" + coretype
                            + ", OPENBLAS_L2_SIZE=" + l2 + " would force " + m.getOrDefault(
                                    MachineInfo.OPENBLAS_CORE, "?") + ")"));
        } else {
            machine.row("OpenBLAS", m.getOrDefault(MachineInfo.OPENBLAS_CONFIG, "?") + "; core type in use: **"
                    + m.getOrDefault(MachineInfo.OPENBLAS_CORE, "?") + "** (OPENBLAS_CORETYPE="
                    + m.getOrDefault(MachineInfo.OPENBLAS_CORETYPE_ENV, "?") + ", OPENBLAS_L2_SIZE="
                    + m.getOrDefault(MachineInfo.OPENBLAS_L2_ENV, "?") + "; left to detect the CPU itself it picks "
                    + m.getOrDefault(MachineInfo.OPENBLAS_CORE_AUTODETECTED, "?") + ")");
        }
        machine.row("netlib", "BLAS.getInstance(): `" + m.getOrDefault(MachineInfo.NETLIB_DEFAULT, "?")
                + "`; benchmarked: `" + m.getOrDefault(MachineInfo.NETLIB_USED, "?") + "`");
        StudyData.Torch torch = data.torch();
        machine.row("PyTorch", torch.available()
                ? torch.info().getOrDefault("torchVersion", "?")
                        + " (Python " + torch.info().getOrDefault("python", "?")
                        + "), " + torch.info().getOrDefault("threads", "?") + " thread, BLAS: "
                        + torch.info().getOrDefault("blasVariant", "as installed")
                : "skipped: " + torch.reason());
        machine.row("Load average (1/5/15 min)", "before " + m.getOrDefault(MachineInfo.LOAD_BEFORE, "?") + ", after "
                + m.getOrDefault(MachineInfo.LOAD_AFTER, "?"));
        out.append(machine).append('\n');
    }

    private void targets() {
        out.append("## Targets\n\n");
        MarkdownTable table = new MarkdownTable("target", "status", "measured");
        for (Targets.Row row : Targets.evaluate(data)) {
            String status = row.status().equals(Targets.MET) ? "**met**"
                    : row.status().equals(Targets.NOT_MET) ? "**not met**" : row.status();
            table.row(row.target(), status, row.measured());
        }
        out.append(table).append('\n');
    }

    private void sgemm(List<String> charts) {
        out.append("## sgemm: C = A·Bᵀ (GFLOP/s, higher is better; one operation = 2·m·n·k FLOP)\n\n");
        Set<List<String>> keys = new LinkedHashSet<>();
        List<StudyData.JmhRow> all = new ArrayList<>(data.rows(SGEMM));
        all.addAll(data.rows(SGEMM_PACKED));
        // Square sizes in increasing n, then the non-square shapes; one thread before two.
        all.stream()
                .sorted(Comparator.comparing((StudyData.JmhRow r) -> r.params().get("size").contains("x"))
                        .thenComparingLong(r -> gemmFlops(r.params().get("size")))
                        .thenComparing(r -> r.params().get("threads")))
                .forEach(r -> keys.add(List.of(r.params().get("size"), r.params().get("threads"))));
        MarkdownTable table = new MarkdownTable("m×n×k", "threads", "jrnn", "% peak", "jrnn, B packed", "OpenBLAS",
                "% peak", "netlib VectorBLAS", "jrnn scalar", "jrnn ÷ OpenBLAS", "packed ÷ OpenBLAS", "jrnn ÷ netlib",
                "jrnn ÷ scalar", "jrnn B/op");
        for (List<String> key : keys) {
            String size = key.get(0);
            String threads = key.get(1);
            double flops = gemmFlops(size);
            int t = Integer.parseInt(threads);
            Map<String, String> p = Map.of("size", size, "threads", threads);
            Optional<StudyData.JmhRow> jrnn = find(SGEMM, "vector", p);
            Optional<StudyData.JmhRow> packed = find(SGEMM_PACKED, "vector", p);
            Optional<StudyData.JmhRow> openblas = find(SGEMM, "openblas", p);
            Optional<StudyData.JmhRow> netlib = find(SGEMM, "netlib", p);
            Optional<StudyData.JmhRow> scalar = find(SGEMM, "scalar", p);
            table.row(shapeLabel(size), threads, gflopsCell(jrnn, flops), peakCell(jrnn, flops, t),
                    gflopsCell(packed, flops), gflopsCell(openblas, flops), peakCell(openblas, flops, t),
                    gflopsCell(netlib, flops), gflopsCell(scalar, flops), ratioCell(jrnn, openblas),
                    ratioCell(packed, openblas), ratioCell(jrnn, netlib), ratioCell(jrnn, scalar), allocCell(jrnn));
        }
        emit(table, SGEMM);
        out.append("\"jrnn\" is `Kernels.sgemm` (B as given, the call nn makes); \"B packed\" is `sgemmPacked` with B"
                + " packed once by `packB`, the path for fixed weights. The targets use `sgemm`.\n\n");
        image(charts, "sgemm.png", "sgemm GFLOP/s against n");
    }

    /**
     * How the sgemv and activation benchmarks place their operands (BenchData.RotatingOffset); {@code whose} names
     * the implementations whose operands move.
     */
    private static String rotatingOffsets(String whose) {
        return "Each call moves the operands (" + whose + ") to the next of the 16 float positions in a 64-byte "
                + "cache line, so each figure is the mean over where an array can start: with one fixed heap "
                + "allocation the ratios were a draw of alignment (sgemv at hidden 256 took 8.3 µs with W's rows on "
                + "line boundaries, 11.8 µs at the 15 other offsets).\n\n";
    }

    private void sgemv() {
        out.append("## sgemv: LSTM hidden weight W, (4·hidden)×hidden (GFLOP/s; one operation = 2·rows·cols FLOP)"
                + "\n\n");
        out.append(rotatingOffsets("every implementation's alike, OpenBLAS's off-heap copies included"));
        Set<List<String>> keys = new LinkedHashSet<>();
        data.rows(SGEMV).stream()
                .sorted(Comparator.comparing((StudyData.JmhRow r) -> r.params().get("transposed"))
                        .thenComparingInt(r -> Integer.parseInt(r.params().get("hidden"))))
                .forEach(r -> keys.add(List.of(r.params().get("hidden"), r.params().get("transposed"))));
        MarkdownTable table = new MarkdownTable("hidden", "product", "jrnn", "% peak", "OpenBLAS", "netlib VectorBLAS",
                "jrnn scalar", "jrnn ÷ OpenBLAS", "jrnn ÷ netlib", "jrnn ÷ scalar", "jrnn B/op");
        for (List<String> key : keys) {
            int hidden = Integer.parseInt(key.get(0));
            boolean transposed = Boolean.parseBoolean(key.get(1));
            double flops = 2.0 * 4 * hidden * hidden;
            Map<String, String> p = Map.of("hidden", key.get(0), "transposed", key.get(1));
            Optional<StudyData.JmhRow> jrnn = find(SGEMV, "vector", p);
            Optional<StudyData.JmhRow> openblas = find(SGEMV, "openblas", p);
            Optional<StudyData.JmhRow> netlib = find(SGEMV, "netlib", p);
            Optional<StudyData.JmhRow> scalar = find(SGEMV, "scalar", p);
            table.row(key.get(0), transposed ? "y = Wᵀ g (" + hidden + " outputs)" : "y = W h (" + 4 * hidden
                    + " outputs)", gflopsCell(jrnn, flops), peakCell(jrnn, flops, 1), gflopsCell(openblas, flops),
                    gflopsCell(netlib, flops), gflopsCell(scalar, flops), ratioCell(jrnn, openblas),
                    ratioCell(jrnn, netlib), ratioCell(jrnn, scalar), allocCell(jrnn));
        }
        emit(table, SGEMV);
    }

    private void activations() {
        out.append("## Activations over n floats in [-5, 5) (G elements/s, higher is better)\n\n");
        out.append(rotatingOffsets("jrnn's and the JDK's alike"));
        Set<List<String>> keys = new LinkedHashSet<>();
        data.rows(ACTIVATION).stream()
                .sorted(Comparator.comparing((StudyData.JmhRow r) -> r.params().get("fn")).reversed()
                        .thenComparingInt(r -> Integer.parseInt(r.params().get("size"))))
                .forEach(r -> keys.add(List.of(r.params().get("fn"), r.params().get("size"))));
        MarkdownTable table = new MarkdownTable("function", "n", "jrnn", "JDK lanewise (svml)", "scalar Math loop",
                "jrnn ÷ lanewise", "jrnn ÷ scalar", "jrnn B/op", "lanewise B/op");
        for (List<String> key : keys) {
            Map<String, String> p = Map.of("fn", key.get(0), "size", key.get(1));
            double n = Double.parseDouble(key.get(1));
            Optional<StudyData.JmhRow> jrnn = find(ACTIVATION, "vector", p);
            Optional<StudyData.JmhRow> svml = find(ACTIVATION, "svml", p);
            Optional<StudyData.JmhRow> scalar = find(ACTIVATION, "scalar", p);
            table.row(key.get(0), key.get(1), rateCell(jrnn, n), rateCell(svml, n), rateCell(scalar, n),
                    ratioCell(jrnn, svml), ratioCell(jrnn, scalar), allocCell(jrnn), allocCell(svml));
        }
        emit(table, ACTIVATION);
    }

    private void recurrent(List<String> charts) {
        out.append("## Recurrent layers: forward over ").append(RecurrentShapes.SEQ_LEN)
                .append(" steps, input = hidden (time per step, lower is better)\n\n");
        Set<List<Integer>> shapes = new LinkedHashSet<>();
        List<String> modes = StudyPlan.RECURRENT_MODES;
        for (String mode : modes) {
            List<List<Integer>> found = new ArrayList<>();
            data.rows(RECURRENT).stream().filter(r -> mode.equals(r.params().get("mode"))).forEach(r -> found.add(
                    List.of(Integer.parseInt(r.params().get("batch")), Integer.parseInt(r.params().get("hidden")))));
            data.torch().rows().stream().filter(r -> r.kind().equals("forward") && r.mode().equals(mode))
                    .forEach(r -> found.add(List.of(r.batch(), r.hidden())));
            found.stream().sorted(Comparator.comparing((List<Integer> k) -> k.get(1)).thenComparing(k -> k.get(0)))
                    .forEach(shapes::add);
        }
        MarkdownTable table = new MarkdownTable("mode", "batch", "hidden", "jrnn µs/step", "jrnn scalar µs/step",
                "PyTorch µs/step", "jrnn ÷ PyTorch", "jrnn GFLOP/s", "% peak", "jrnn B/op");
        for (String mode : modes) {
            for (List<Integer> shape : shapes) {
                int batch = shape.get(0);
                int hidden = shape.get(1);
                Map<String, String> p = Map.of("mode", mode, "batch", Integer.toString(batch),
                        "hidden", Integer.toString(hidden));
                Optional<StudyData.JmhRow> jrnn = find(RECURRENT, "vector", p);
                Optional<StudyData.JmhRow> scalar = find(RECURRENT, "scalar", p);
                Optional<StudyData.TorchRow> torch = data.torch().find("forward", mode, batch, hidden);
                if (jrnn.isEmpty() && scalar.isEmpty() && torch.isEmpty()) {
                    continue;
                }
                int steps = RecurrentShapes.SEQ_LEN;
                double flops = RecurrentShapes.forwardFlops(mode, steps, batch, hidden, hidden);
                table.row(mode, Integer.toString(batch), Integer.toString(hidden), perStepCell(jrnn, steps),
                        perStepCell(scalar, steps), torch.map(t -> Format.micros(t.medianSeconds() / steps))
                                .orElse(Format.MISSING), torchRatioCell(jrnn, torch), gflopsCell(jrnn, flops),
                        peakCell(jrnn, flops, 1), allocCell(jrnn));
            }
        }
        emit(table, RECURRENT);
        for (String mode : modes) {
            image(charts, "recurrent-" + mode + ".png", mode + " time per step against batch");
        }
        List<StudyData.TorchRow> asInstalled = data.torch().asInstalled();
        if (!asInstalled.isEmpty()) {
            StudyData.TorchRow r = asInstalled.get(0);
            Optional<StudyData.TorchRow> preloaded = data.torch().find(r.kind(), r.mode(), r.batch(), r.hidden());
            out.append("PyTorch as installed here (Debian's python3-torch on the system's reference `libblas.so.3`)"
                    + " takes ").append(Format.micros(r.medianSeconds() / r.seqLen())).append(" µs per step for ")
                    .append(r.mode()).append(" batch ").append(r.batch()).append(", hidden ").append(r.hidden());
            preloaded.ifPresent(p -> out.append(", against ").append(Format.micros(p.medianSeconds() / p.seqLen()))
                    .append(" µs with OpenBLAS preloaded"));
            out.append("; the PyTorch columns use OpenBLAS, the faster of the two.\n\n");
        }
    }

    private void streaming() {
        out.append("## Streaming: one time step at batch 1 (µs per step, lower is better)\n\n");
        MarkdownTable table = new MarkdownTable("mode", "hidden", "jrnn µs", "jrnn scalar µs", "PyTorch cell µs",
                "jrnn ÷ PyTorch", "jrnn GFLOP/s", "jrnn B/op");
        for (String mode : StudyPlan.RECURRENT_MODES) {
            Set<Integer> hiddens = new TreeSet<>();
            data.rows(STREAMING).stream().filter(r -> mode.equals(r.params().get("mode")))
                    .forEach(r -> hiddens.add(Integer.parseInt(r.params().get("hidden"))));
            data.torch().rows().stream().filter(r -> r.kind().equals("cell") && r.mode().equals(mode))
                    .forEach(r -> hiddens.add(r.hidden()));
            for (int hidden : hiddens) {
                Optional<StudyData.JmhRow> jrnn = find(STREAMING, "vector",
                        Map.of("mode", mode, "hidden", Integer.toString(hidden)));
                Optional<StudyData.JmhRow> scalar = find(STREAMING, "scalar",
                        Map.of("mode", mode, "hidden", Integer.toString(hidden)));
                Optional<StudyData.TorchRow> cell = data.torch().find("cell", mode, 1, hidden);
                double flops = RecurrentShapes.forwardFlops(mode, 1, 1, hidden, hidden);
                table.row(mode, Integer.toString(hidden), perStepCell(jrnn, 1), perStepCell(scalar, 1),
                        cell.map(c -> Format.micros(c.medianSeconds())).orElse(Format.MISSING),
                        torchRatioCell(jrnn, cell), gflopsCell(jrnn, flops), allocCell(jrnn));
            }
        }
        emit(table, STREAMING);
    }

    private void train() {
        out.append("## Train step: forward + MSE loss + backward + Adam, batch ").append(RecurrentShapes.TRAIN_BATCH)
                .append(", hidden ").append(RecurrentShapes.TRAIN_HIDDEN).append(", ")
                .append(RecurrentShapes.TRAIN_SEQ_LEN).append(" steps (ms per step, lower is better)\n\n");
        MarkdownTable table = new MarkdownTable("mode", "jrnn ms", "PyTorch ms", "jrnn ÷ PyTorch");
        for (String mode : StudyPlan.TRAIN_MODES) {
            Optional<StudyData.JmhRow> jrnn = find(TRAIN, "vector", Map.of("mode", mode));
            Optional<StudyData.TorchRow> torch = data.torch().find("train", mode, RecurrentShapes.TRAIN_BATCH,
                    RecurrentShapes.TRAIN_HIDDEN);
            if (jrnn.isEmpty() && torch.isEmpty()) {
                continue;
            }
            table.row(mode,
                    jrnn.map(r -> Format.millis(1 / r.opsPerSecond())).orElse(Format.MISSING),
                    torch.map(t -> Format.millis(t.medianSeconds())).orElse(Format.MISSING),
                    torchRatioCell(jrnn, torch));
        }
        emit(table, TRAIN);
    }

    private void notMeasured() {
        out.append("## Not measured in this run\n\n");
        if (data.pending().isEmpty() && data.missing().isEmpty()) {
            out.append("Nothing: every benchmark ran.\n\n");
            return;
        }
        for (StudyData.Missing m : data.missing()) {
            out.append("- `").append(m.benchmark()).append("` (").append(Targets.describe(m.params()))
                    .append("): no result; its setup failed or refused the engine (an engine that disagrees with"
                            + " torch is refused before timing); the study's log has the reason\n");
        }
        for (StudyPlan.Pending p : data.pending()) {
            out.append("- `").append(p.benchmark()).append("` (").append(p.rows()).append("): ").append(p.reason())
                    .append('\n');
        }
        if (!data.torch().available()) {
            out.append("- PyTorch peer: ").append(data.torch().reason()).append('\n');
        }
        out.append('\n');
    }

    private void method() {
        Map<String, String> s = data.study();
        out.append("## How these numbers were taken\n\n");
        out.append("- JMH 1.37, throughput mode, ").append(s.getOrDefault("forks", "?")).append(" fork(s) x ")
                .append(s.getOrDefault("measurementIterations", "?")).append(" measured iterations of ")
                .append(s.getOrDefault("measurementMillis", "?")).append(" ms after ")
                .append(s.getOrDefault("warmupIterations", "?")).append(" warm-up iterations of ")
                .append(s.getOrDefault("warmupMillis", "?")).append(" ms, `-prof gc`; every"
                        + " benchmark JVM runs with `--add-modules jdk.incubator.vector`. Figures after ± are JMH's"
                        + " 99.9% error as a share of the score.\n");
        out.append("- From the first call: JMH single-shot time, one invocation in each of ")
                .append(s.getOrDefault("coldStartForks", "?")).append(" fresh JVMs per row, no warm-up; the"
                        + " outputs of the timed calls are checked against torch's afterwards.\n");
        out.append("- ONNX Runtime and DJL forks start with `--enable-native-access=ALL-UNNAMED`; the OpenBLAS rows'"
                + " forks start through a launcher that removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE.\n");
        out.append("- Ratios are jrnn's throughput divided by the peer's on the same shape in the same run: above"
                + " 1 means jrnn is faster. Each shape's engines run back to back, one JMH run per shape (every"
                + " other shape in reverse order), so that both sides of a ratio meet the shared machine in the"
                + " same state.\n");
        out.append("- % peak is GFLOP/s divided by the FMA peak above times the thread count. FLOP counts: sgemm"
                + " 2·m·n·k, sgemv 2·rows·cols, recurrent layers the products only, 2·steps·batch·gates·hidden·"
                + "(input + hidden); element-wise work is not counted.\n");
        if (!data.machine().containsKey(MachineInfo.OPENBLAS_FORKS)
                && "Haswell".equals(data.machine().get(MachineInfo.OPENBLAS_CORE))
                && !"256".equals(data.machine().get(MachineInfo.VECTOR_BITS))) {
            out.append("- OpenBLAS ran its Haswell kernels (AVX2, 256-bit vectors) as the machine's"
                    + " OPENBLAS_CORETYPE asks, so its own ceiling is about half the ")
                    .append(data.machine().get(MachineInfo.VECTOR_BITS)).append("-bit FMA peak above; left to"
                            + " choose, it would run its ").append(data.machine().getOrDefault(
                                    MachineInfo.OPENBLAS_CORE_AUTODETECTED, "?")).append(" kernels.\n");
        }
        out.append("- OpenBLAS is called through JavaCPP on off-heap buffers filled once (one JNI call per"
                + " operation, no copying), with `openblas_set_num_threads` set to the row's thread count."
                + " Every implementation's result is spot-checked against a double-precision product before it"
                + " is timed.\n");
        out.append("- PyTorch: `bench/peers/torch_peer.py`, one thread (`torch.set_num_threads(1)`,"
                + " OMP/OpenBLAS/MKL_NUM_THREADS=1), `torch.no_grad()` for inference, the median of repeated"
                + " timings after a warm-up.\n");
        out.append("- B/op is `-prof gc`'s gc.alloc.rate.norm. JMH's own bookkeeping allocates a fixed few KiB per"
                + " iteration, which shows up as B/op on slow operations; the allocation targets therefore compare"
                + " each row's bytes per iteration with FmaPeakBenchmark's (a loop that allocates nothing) in the"
                + " same run, and count up to ").append(Math.round(Targets.BASELINE_SLACK_BYTES))
                .append(" bytes above it as 0 B/op.\n");
    }

    // ---------------------------------------------------------------- cells and helpers

    private void emit(MarkdownTable table, String benchmark) {
        data.pendingReason(benchmark, StudyPlan.ALL_ROWS).ifPresent(reason ->
                out.append("jrnn's rows are pending: ").append(reason).append(".\n\n"));
        if (table.isEmpty()) {
            out.append("No results in this run.\n\n");
        } else {
            out.append(table).append('\n');
        }
    }

    private void image(List<String> charts, String name, String alt) {
        for (String chart : charts) {
            if (chart.endsWith("/" + name) || chart.equals(name)) {
                out.append("![").append(alt).append("](").append(chart).append(")\n\n");
            }
        }
    }

    private Optional<StudyData.JmhRow> find(String benchmark, String impl, Map<String, String> params) {
        Map<String, String> p = new HashMap<>(params);
        p.put("impl", impl);
        p.putIfAbsent("threads", "1"); // the tables against PyTorch and BLAS are one-thread rows unless they say
        return data.find(benchmark, p);
    }

    /** 2·m·n·k for a size written as {@code n} or {@code MxNxK}. */
    static long gemmFlops(String size) {
        String[] parts = size.split("x");
        long m = Long.parseLong(parts[0]);
        return parts.length == 3 ? 2 * m * Long.parseLong(parts[1]) * Long.parseLong(parts[2]) : 2 * m * m * m;
    }

    private static String shapeLabel(String size) {
        return size.contains("x") ? size.replace('x', '×') : size + "×" + size + "×" + size;
    }

    private static String gflopsCell(Optional<StudyData.JmhRow> row, double flopsPerOp) {
        return row.map(r -> Format.gflops(r.opsPerSecond() * flopsPerOp) + relativeError(r)).orElse(Format.MISSING);
    }

    private static String rateCell(Optional<StudyData.JmhRow> row, double elementsPerOp) {
        return row.map(r -> Format.gigaPerSecond(r.opsPerSecond() * elementsPerOp) + relativeError(r))
                .orElse(Format.MISSING);
    }

    private String peakCell(Optional<StudyData.JmhRow> row, double flopsPerOp, int threads) {
        if (row.isEmpty() || peakFlops.isEmpty()) {
            return Format.MISSING;
        }
        return Format.percent(row.get().opsPerSecond() * flopsPerOp / (peakFlops.getAsDouble() * threads));
    }

    private static String ratioCell(Optional<StudyData.JmhRow> jrnn, Optional<StudyData.JmhRow> peer) {
        if (jrnn.isEmpty() || peer.isEmpty()) {
            return Format.MISSING;
        }
        return Format.ratio(jrnn.get().opsPerSecond() / peer.get().opsPerSecond());
    }

    private static String torchRatioCell(Optional<StudyData.JmhRow> jrnn, Optional<StudyData.TorchRow> torch) {
        if (jrnn.isEmpty() || torch.isEmpty()) {
            return Format.MISSING;
        }
        return Format.ratio(jrnn.get().opsPerSecond() * torch.get().medianSeconds());
    }

    private static String perStepCell(Optional<StudyData.JmhRow> row, int steps) {
        return row.map(r -> Format.micros(1 / r.opsPerSecond() / steps)).orElse(Format.MISSING);
    }

    private static String allocCell(Optional<StudyData.JmhRow> row) {
        return row.map(r -> Format.bytes(r.allocBytesPerOp())).orElse(Format.MISSING);
    }

    private static String relativeError(StudyData.JmhRow r) {
        if (!(r.error() > 0) || !(r.opsPerSecond() > 0)) {
            return "";
        }
        return String.format(Locale.ROOT, " ±%.0f%%", 100 * r.error() / r.opsPerSecond());
    }
}
