package io.github.jrnn.bench.study;

import io.github.jrnn.bench.RecurrentShapes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the performance study measures: the JMH benchmarks with the parameter combinations to run, the
 * iteration settings, the PyTorch peer's shapes, and the rows that are deliberately not measured with the reason.
 *
 * <p>This is the one place that leaves combinations out, instead of guards inside the benchmarks: the scalar
 * reference for products of 512^3 and larger and for batched or hidden-1024 layers (one call takes seconds, so a
 * trial would take minutes and tell nothing new), and thread counts an implementation cannot honour (the scalar
 * reference and netlib compute on the calling thread). {@link #full()} is the study; {@link #quick()} is a
 * shorter version with fewer sizes, one fork and short iterations, good for checking that everything runs, not for
 * quoting; {@link #smoke()} runs one case per benchmark with the shortest iterations JMH allows, to prove the
 * pipeline end to end in a few minutes.
 *
 * @param mode      {@code "full"}, {@code "quick"} or {@code "smoke"}
 * @param jmh       iteration settings for every JMH run that does not bring its own
 * @param runs      the JMH runs, in order
 * @param pending   benchmarks or rows not measured, with the reason (copied into the report)
 * @param torch     the shapes the PyTorch peer times (the same as the Java benchmarks')
 */
public record StudyPlan(String mode, JmhSettings jmh, List<PlannedRun> runs, List<Pending> pending,
                        TorchShapes torch) {

    /**
     * JMH iteration settings.
     *
     * @param forks                 forked JVMs per parameter combination
     * @param warmupIterations      warm-up iterations per fork
     * @param warmupMillis          length of a warm-up iteration
     * @param measurementIterations measured iterations per fork
     * @param measurementMillis     length of a measured iteration
     */
    public record JmhSettings(int forks, int warmupIterations, int warmupMillis, int measurementIterations,
                              int measurementMillis) {
    }

    /**
     * One JMH invocation: a benchmark class (simple name, in {@code io.github.jrnn.bench}), the one method to run
     * (null: all of the class's methods) and the values of each of its parameters; JMH runs the cross product.
     *
     * @param settings          iteration settings for this run, or null for the plan's
     * @param openBlasOwnKernel start the forks without {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE}, so
     *                          OpenBLAS picks the kernels it would pick for this CPU by itself
     */
    public record PlannedRun(String benchmark, String method, Map<String, List<String>> params,
                             JmhSettings settings, boolean openBlasOwnKernel) {

        /** This run with its own iteration settings. */
        PlannedRun with(JmhSettings own) {
            return new PlannedRun(benchmark, method, params, own, openBlasOwnKernel);
        }

        /** This run with OpenBLAS left to choose its kernels in the forks. */
        PlannedRun atOpenBlasOwnKernel() {
            return new PlannedRun(benchmark, method, params, settings, true);
        }

        /**
         * This run cut into one run per combination of every parameter but {@code engines}, each with all of the
         * engines, the cells in the order of {@link #combinations()}. JMH runs a run's combinations one after
         * another with the parameter first by name outermost, so in one run over every cell a figure and its
         * peer's lay minutes apart (for the recurrent rows all of jrnn's modes and thread counts of a shape came
         * before any of ONNX Runtime's); cut per cell, the engines of a cell run back to back and their ratio sees
         * the shared machine in the same state. Every other cell lists the engines in reverse, so a drift over the
         * study favours no engine.
         *
         * @param engines the parameter whose values are compared with each other (usually {@code "impl"})
         * @return the runs, one per cell
         */
        List<PlannedRun> perCell(String engines) {
            List<String> values = params.get(engines);
            if (values == null) {
                throw new IllegalArgumentException(benchmark + " has no parameter '" + engines + "' to compare,"
                        + " only " + params.keySet());
            }
            Map<String, List<String>> others = new LinkedHashMap<>(params);
            others.remove(engines);
            List<PlannedRun> cells = new ArrayList<>();
            List<Map<String, String>> combinations = crossProduct(others);
            for (int i = 0; i < combinations.size(); i++) {
                Map<String, List<String>> cell = new LinkedHashMap<>();
                combinations.get(i).forEach((name, value) -> cell.put(name, List.of(value)));
                cell.put(engines, i % 2 == 0 ? values : values.reversed());
                cells.add(new PlannedRun(benchmark, method, cell, settings, openBlasOwnKernel));
            }
            return cells;
        }

        /** Every parameter combination this run asks JMH for (the cross product of {@link #params}). */
        List<Map<String, String>> combinations() {
            return crossProduct(params);
        }

        /** Every combination of one value per parameter, the first parameter outermost. */
        private static List<Map<String, String>> crossProduct(Map<String, List<String>> params) {
            List<Map<String, String>> all = new ArrayList<>();
            all.add(new LinkedHashMap<>());
            for (Map.Entry<String, List<String>> param : params.entrySet()) {
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> partial : all) {
                    for (String value : param.getValue()) {
                        Map<String, String> combination = new LinkedHashMap<>(partial);
                        combination.put(param.getKey(), value);
                        next.add(combination);
                    }
                }
                all = next;
            }
            return all;
        }
    }

    /**
     * Rows of a benchmark that this run does not measure, and why.
     *
     * @param benchmark the benchmark's simple class name
     * @param rows      which rows: {@link #ALL_ROWS}, {@link #SCALAR_LARGE}, {@link #SCALAR_BATCHED},
     *                  {@link #SCALAR_ROWS} or {@link #SINGLE_THREADED}
     * @param reason    why, in a sentence for the report
     */
    public record Pending(String benchmark, String rows, String reason) {
    }

    /** {@link Pending#rows()}: the whole benchmark. */
    public static final String ALL_ROWS = "all rows";
    /** {@link Pending#rows()}: the scalar reference on the large products. */
    public static final String SCALAR_LARGE = "impl = scalar, size >= 512";
    /** {@link Pending#rows()}: the scalar reference on batched or hidden-1024 recurrent layers. */
    public static final String SCALAR_BATCHED = "impl = scalar, batch > 1 or hidden 1024";
    /** {@link Pending#rows()}: every scalar row. */
    public static final String SCALAR_ROWS = "impl = scalar";
    /** {@link Pending#rows()}: the implementations without threads, asked for two. */
    public static final String SINGLE_THREADED = "impl = scalar or netlib, threads = 2";

    /**
     * Shapes for {@code bench/peers/torch_peer.py}: whole-sequence forward for every mode x batch x hidden (input =
     * hidden), one cell step at batch 1 per hidden, and the train step.
     */
    public record TorchShapes(List<String> modes, List<Integer> batches, List<Integer> hiddens, int seqLen,
                              List<Integer> cellHiddens, List<String> trainModes, int trainBatch, int trainHidden,
                              int trainSeqLen, int repeats) {
    }

    static final List<String> SQUARE_SIZES = List.of("64", "128", "256", "512", "1024");
    static final String INPUT_PROJECTION = "3200x1024x256";
    static final List<String> RECURRENT_MODES = List.of("RNN_TANH", "GRU", "LSTM");
    static final List<String> TRAIN_MODES = List.of("GRU", "LSTM");
    /** Hidden sizes of the side-by-side recurrent rows. */
    static final List<String> HIDDENS = List.of("128", "256", "512", "1024");
    /** jrnn as a user gets it and the two native engines it is held against. */
    static final List<String> ENGINES = List.of("vector", "ort", "djl");
    /** The cold-start rows add jrnn warmed up as part of loading ({@code RNNBase.warmUp()}). */
    static final List<String> COLD_START_ENGINES = List.of("vector", PeerTargets.JRNN_WARM, "ort", "djl");
    static final List<String> THREADS = List.of("1", "2");
    /** The cold-start benchmark's methods, in report order. */
    static final List<String> COLD_START_METHODS = List.of("load", "firstForward", "first100Calls");
    /** Fresh JVMs per cold-start row in the full study (each times one invocation). */
    static final int COLD_START_FORKS = 5;
    /** Seconds a fork costs beyond its iterations (JVM start, setup with the agreement check), for estimates. */
    static final int FORK_OVERHEAD_SECONDS = 4;

    /**
     * The whole study: about an hour and a half on two cores ({@link #estimatedMinutes()} says more exactly), so
     * that one run fits in a working session with the machine left to it. One fork per combination (the tables
     * show each figure's error over its iterations); with two forks and five iterations each way it took three
     * and a half hours, longer than a session, and was never run to the end.
     */
    public static StudyPlan full() {
        List<String> allSizes = new ArrayList<>(SQUARE_SIZES);
        allSizes.add(INPUT_PROJECTION);
        List<PlannedRun> runs = new ArrayList<>();
        runs.add(run("FmaPeakBenchmark"));
        // jrnn next to its peers cell by cell (PlannedRun.perCell); the OpenBLAS launcher changes nothing for the
        // Java implementations, so they share its forks' environment.
        runs.addAll(method("SgemmBenchmark", "sgemm", "size", allSizes, "threads", List.of("1"),
                "impl", List.of("vector", "openblas", "netlib")).atOpenBlasOwnKernel().perCell("impl"));
        runs.addAll(method("SgemmBenchmark", "sgemm", "size", allSizes, "threads", List.of("2"),
                "impl", List.of("vector", "openblas")).atOpenBlasOwnKernel().perCell("impl"));
        runs.add(method("SgemmBenchmark", "sgemm", "impl", List.of("scalar"), "size", List.of("64", "128", "256"),
                "threads", List.of("1")));
        runs.add(method("SgemmBenchmark", "sgemmPacked", "impl", List.of("vector"), "size", allSizes,
                "threads", THREADS));
        runs.addAll(run("SgemvBenchmark", "hidden", List.of("128", "256", "512", "1024"),
                "transposed", List.of("false", "true"), "impl", List.of("vector", "openblas", "netlib"))
                .atOpenBlasOwnKernel().perCell("impl"));
        runs.add(run("SgemvBenchmark", "impl", List.of("scalar"),
                "hidden", List.of("128", "256", "512", "1024"), "transposed", List.of("false", "true")));
        runs.addAll(run("ActivationBenchmark", "fn", List.of("tanh", "sigmoid"),
                "size", List.of("256", "4096", "65536"), "impl", List.of("vector", "svml")).perCell("impl"));
        runs.add(run("ActivationBenchmark", "impl", List.of("scalar"), "fn", List.of("tanh", "sigmoid"),
                "size", List.of("256", "4096", "65536")));
        runs.addAll(run("RecurrentBenchmark", "mode", RECURRENT_MODES, "batch", List.of("1", "32", "64"),
                "hidden", HIDDENS, "threads", THREADS, "impl", ENGINES).perCell("impl"));
        runs.add(run("RecurrentBenchmark", "mode", RECURRENT_MODES, "batch", List.of("1"),
                "hidden", List.of("128", "256", "512"), "impl", List.of("scalar"), "threads", List.of("1")));
        runs.addAll(run("StreamingBenchmark", "mode", RECURRENT_MODES, "hidden", HIDDENS, "threads", THREADS,
                "impl", ENGINES).perCell("impl"));
        runs.add(run("StreamingBenchmark", "mode", RECURRENT_MODES, "hidden", HIDDENS, "impl", List.of("scalar"),
                "threads", List.of("1")));
        runs.addAll(run("TrainStepBenchmark", "mode", TRAIN_MODES, "threads", THREADS,
                "impl", List.of("vector", "djl")).perCell("impl"));
        JmhSettings coldStart = new JmhSettings(COLD_START_FORKS, 0, 0, 1, 0);
        for (String method : COLD_START_METHODS) {
            runs.add(method("ColdStartBenchmark", method, "mode", TRAIN_MODES, "impl", COLD_START_ENGINES,
                    "threads", List.of("1")).with(coldStart));
        }
        TorchShapes torch = new TorchShapes(RECURRENT_MODES, List.of(1, 32, 64), List.of(128, 256, 512),
                RecurrentShapes.SEQ_LEN, List.of(128, 256, 512), TRAIN_MODES, RecurrentShapes.TRAIN_BATCH,
                RecurrentShapes.TRAIN_HIDDEN, RecurrentShapes.TRAIN_SEQ_LEN, 15);
        // Four one-second warm-ups: the Vector API code allocates boxed vectors until C2 has compiled it, which on a
        // quiet machine is over within the first two (a busy machine is no place for the study anyway).
        return new StudyPlan("full", new JmhSettings(1, 4, 1000, 3, 1000), runs, notMeasured(), torch);
    }

    /** A shorter version: fewer sizes, one fork, short iterations. Proves the pipeline, not the numbers. */
    public static StudyPlan quick() {
        List<PlannedRun> runs = new ArrayList<>();
        runs.add(run("FmaPeakBenchmark"));
        List<String> quickSizes = List.of("128", "1024", INPUT_PROJECTION);
        runs.addAll(method("SgemmBenchmark", "sgemm", "size", quickSizes, "threads", List.of("1"),
                "impl", List.of("vector", "openblas", "netlib")).atOpenBlasOwnKernel().perCell("impl"));
        runs.addAll(method("SgemmBenchmark", "sgemm", "size", List.of("1024"), "threads", List.of("2"),
                "impl", List.of("vector", "openblas")).atOpenBlasOwnKernel().perCell("impl"));
        runs.add(method("SgemmBenchmark", "sgemm", "impl", List.of("scalar"), "size", List.of("128"),
                "threads", List.of("1")));
        runs.add(method("SgemmBenchmark", "sgemmPacked", "impl", List.of("vector"), "size", quickSizes,
                "threads", List.of("1")));
        runs.addAll(run("SgemvBenchmark", "hidden", List.of("256", "1024"), "transposed", List.of("false"),
                "impl", List.of("vector", "openblas", "netlib")).atOpenBlasOwnKernel().perCell("impl"));
        runs.add(run("SgemvBenchmark", "impl", List.of("scalar"), "hidden", List.of("256", "1024"),
                "transposed", List.of("false")));
        runs.addAll(run("ActivationBenchmark", "fn", List.of("tanh", "sigmoid"), "size", List.of("4096"),
                "impl", List.of("vector", "svml", "scalar")).perCell("impl"));
        runs.addAll(run("RecurrentBenchmark", "mode", RECURRENT_MODES, "batch", List.of("1", "32"),
                "hidden", List.of("256"), "threads", List.of("1"), "impl", ENGINES).perCell("impl"));
        runs.addAll(run("RecurrentBenchmark", "mode", List.of("GRU"), "batch", List.of("32"),
                "hidden", List.of("256"), "threads", List.of("2"), "impl", ENGINES).perCell("impl"));
        runs.add(run("RecurrentBenchmark", "mode", RECURRENT_MODES, "batch", List.of("1"),
                "hidden", List.of("256"), "impl", List.of("scalar"), "threads", List.of("1")));
        runs.addAll(run("StreamingBenchmark", "mode", RECURRENT_MODES, "hidden", List.of("256"),
                "threads", List.of("1"), "impl", List.of("vector", "scalar", "ort", "djl")).perCell("impl"));
        runs.addAll(run("TrainStepBenchmark", "mode", TRAIN_MODES, "threads", List.of("1"),
                "impl", List.of("vector", "djl")).perCell("impl"));
        JmhSettings coldStart = new JmhSettings(1, 0, 0, 1, 0);
        for (String method : COLD_START_METHODS) {
            runs.add(method("ColdStartBenchmark", method, "mode", List.of("GRU"), "impl", COLD_START_ENGINES,
                    "threads", List.of("1")).with(coldStart));
        }
        TorchShapes torch = new TorchShapes(RECURRENT_MODES, List.of(1, 32), List.of(256), RecurrentShapes.SEQ_LEN,
                List.of(256), TRAIN_MODES, RecurrentShapes.TRAIN_BATCH, RecurrentShapes.TRAIN_HIDDEN,
                RecurrentShapes.TRAIN_SEQ_LEN, 5);
        // Warm-up as long as the measurement and more: shorter ones measured half-compiled code in trials.
        return new StudyPlan("quick", new JmhSettings(1, 3, 1000, 3, 500), runs, notMeasured(), torch);
    }

    /**
     * One case per benchmark (every engine of the recurrent ones), one fork, one 200 ms warm-up and measurement:
     * proves that the export, every benchmark's setup and agreement check, the JSON and the report work together.
     * Its numbers mean nothing.
     */
    public static StudyPlan smoke() {
        List<PlannedRun> runs = new ArrayList<>();
        runs.add(run("FmaPeakBenchmark"));
        runs.add(method("SgemmBenchmark", "sgemm", "impl", List.of("vector", "openblas", "netlib"),
                "size", List.of("256"), "threads", List.of("1")).atOpenBlasOwnKernel());
        runs.add(run("SgemvBenchmark", "impl", List.of("vector", "openblas"), "hidden", List.of("256"),
                "transposed", List.of("false")).atOpenBlasOwnKernel());
        runs.add(run("ActivationBenchmark", "impl", List.of("vector", "svml"), "fn", List.of("tanh"),
                "size", List.of("4096")));
        runs.add(run("RecurrentBenchmark", "mode", List.of("GRU"), "batch", List.of("1"), "hidden", List.of("128"),
                "impl", ENGINES, "threads", List.of("1")));
        runs.add(run("StreamingBenchmark", "mode", List.of("LSTM"), "hidden", List.of("128"), "impl", ENGINES,
                "threads", List.of("1")));
        runs.add(run("TrainStepBenchmark", "mode", List.of("GRU"), "impl", List.of("vector", "djl"),
                "threads", List.of("1")));
        JmhSettings coldStart = new JmhSettings(1, 0, 0, 1, 0);
        for (String method : COLD_START_METHODS) {
            runs.add(method("ColdStartBenchmark", method, "mode", List.of("GRU"), "impl", COLD_START_ENGINES,
                    "threads", List.of("1")).with(coldStart));
        }
        TorchShapes torch = new TorchShapes(List.of("GRU"), List.of(1), List.of(128), RecurrentShapes.SEQ_LEN,
                List.of(128), List.of("GRU"), RecurrentShapes.TRAIN_BATCH, RecurrentShapes.TRAIN_HIDDEN,
                RecurrentShapes.TRAIN_SEQ_LEN, 2);
        return new StudyPlan("smoke", new JmhSettings(1, 1, 200, 1, 200), runs, notMeasured(), torch);
    }

    /** The plan for a mode name: full, quick or smoke. */
    public static StudyPlan forMode(String mode) {
        return switch (mode) {
            case "full" -> full();
            case "quick" -> quick();
            case "smoke" -> smoke();
            default -> throw new IllegalArgumentException("study mode must be full, quick or smoke, got '" + mode
                    + "'");
        };
    }

    /**
     * What the JMH runs take, from the plan alone: per parameter combination and fork, its warm-up and
     * measurement time plus {@value #FORK_OVERHEAD_SECONDS} s for the JVM and the setup (the PyTorch peer and the
     * one-time model export come on top).
     */
    public double estimatedMinutes() {
        double seconds = 0;
        for (PlannedRun run : runs) {
            JmhSettings s = run.settings() != null ? run.settings() : jmh;
            double perFork = (s.warmupIterations() * (double) s.warmupMillis()
                    + s.measurementIterations() * (double) s.measurementMillis()) / 1000 + FORK_OVERHEAD_SECONDS;
            seconds += run.combinations().size() * (double) s.forks() * perFork;
        }
        return seconds / 60;
    }

    private static List<Pending> notMeasured() {
        return List.of(
                new Pending("SgemmBenchmark", SCALAR_LARGE, "left out on purpose (also for the 3200x1024x256"
                        + " projection): one call takes seconds, so a trial would take minutes"),
                new Pending("SgemmBenchmark", SINGLE_THREADED, "they compute on the calling thread (netlib"
                        + " VectorBLAS has no threads; the scalar reference is the reference)"),
                new Pending("RecurrentBenchmark", SCALAR_BATCHED, "left out on purpose: at batch 64, hidden 512"
                        + " one scalar call takes many seconds; batch 1 up to hidden 512 shows the scalar-to-vector"
                        + " gap"),
                new Pending("TrainStepBenchmark", SCALAR_ROWS, "left out on purpose: one scalar train step takes"
                        + " seconds"));
    }

    /** A run of every method of {@code benchmark} with parameters given as name, values, name, values, ... */
    private static PlannedRun run(String benchmark, Object... nameValues) {
        return method(benchmark, null, nameValues);
    }

    /** A run of one method of {@code benchmark} (null: all) with parameters as in {@link #run}. */
    private static PlannedRun method(String benchmark, String method, Object... nameValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) nameValues[i + 1];
            params.put((String) nameValues[i], List.copyOf(values));
        }
        return new PlannedRun(benchmark, method, params, null, false);
    }
}
