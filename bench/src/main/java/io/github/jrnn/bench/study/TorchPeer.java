package io.github.jrnn.bench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jrnn.bench.peers.OpenBlasPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code bench/peers/torch_peer.py} with {@code /usr/bin/python3} on the study's shapes and returns its JSON.
 *
 * <p>Threads: {@code OMP_NUM_THREADS}, {@code OPENBLAS_NUM_THREADS} and {@code MKL_NUM_THREADS} are 1 in the child's
 * environment (the script sets them too and calls {@code torch.set_num_threads(1)}).
 *
 * <p>BLAS: Debian's python3-torch calls whatever {@code libblas.so.3} the system's alternatives point to, here the
 * unoptimised reference BLAS, which would make PyTorch look far slower than anyone runs it. The main run therefore
 * preloads the OpenBLAS the Java peer uses ({@code LD_PRELOAD} of the same file, so its {@code sgemm_} wins symbol
 * lookup; this is what installing Debian's libopenblas0 would do system-wide). One shape is also timed as installed,
 * so the report can show the difference. {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} are removed from the
 * child's environment, as in the OpenBLAS peer's forks, so both run the kernels OpenBLAS picks for this CPU;
 * everything else is passed through unchanged.
 *
 * <p>When python3 or torch is missing the result is {@code {"available": false, "reason": ...}}; no number is ever
 * made up.
 */
final class TorchPeer {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final String SCRIPT = "bench/peers/torch_peer.py";
    private static final long TIMEOUT_MINUTES = 60;

    private final Path root;
    private final ObjectMapper json = new ObjectMapper();

    TorchPeer(Path root) {
        this.root = root;
    }

    /** Runs the peer for the plan's shapes; never throws for a missing torch, only reports it. */
    ObjectNode run(StudyPlan.TorchShapes shapes, boolean quick) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return unavailable(PYTHON + " is not installed");
        }
        Path library = OpenBlasPeer.libraryPath();
        List<String> args = new ArrayList<>(List.of(
                "--modes", String.join(",", shapes.modes()),
                "--batches", joinInts(shapes.batches()),
                "--hiddens", joinInts(shapes.hiddens()),
                "--seq-len", Integer.toString(shapes.seqLen()),
                "--cell-hiddens", joinInts(shapes.cellHiddens()),
                "--train-modes", String.join(",", shapes.trainModes()),
                "--train-batch", Integer.toString(shapes.trainBatch()),
                "--train-hidden", Integer.toString(shapes.trainHidden()),
                "--train-seq-len", Integer.toString(shapes.trainSeqLen()),
                "--repeats", Integer.toString(shapes.repeats())));
        args.addAll(timing(quick));
        JsonNode main = invoke(args, library);
        if (!main.path("available").asBoolean(false)) {
            return (ObjectNode) main;
        }
        ObjectNode result = (ObjectNode) main;
        result.put("blasVariant", "OpenBLAS preloaded (LD_PRELOAD=" + library + ")");
        // One shape as installed: the reference-BLAS figure explains why the main run preloads OpenBLAS.
        List<String> asInstalledArgs = new ArrayList<>(List.of("--modes", "GRU", "--batches", "32",
                "--hiddens", "256", "--seq-len", Integer.toString(shapes.seqLen()), "--cell-hiddens", "",
                "--train-modes", "", "--repeats", "3"));
        asInstalledArgs.addAll(timing(true));
        JsonNode asInstalled = invoke(asInstalledArgs, null);
        result.set("asInstalled", asInstalled);
        return result;
    }

    private static List<String> timing(boolean quick) {
        return quick ? List.of("--warmup-seconds", "0.3", "--sample-seconds", "0.1")
                : List.of("--warmup-seconds", "1.0", "--sample-seconds", "0.2");
    }

    private JsonNode invoke(List<String> args, Path preload) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve(SCRIPT).toString()));
        command.addAll(args);
        ProcessBuilder builder = python(root, command, preload);
        Path log = Files.createTempFile("jrnn-torch-peer", ".log");
        builder.redirectError(log.toFile());
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return unavailable("torch_peer.py did not finish within " + TIMEOUT_MINUTES + " minutes");
        }
        if (process.exitValue() != 0) {
            return unavailable("torch_peer.py exited with " + process.exitValue() + ": " + tail(log));
        }
        Files.deleteIfExists(log);
        return json.readTree(stdout);
    }

    /**
     * {@code /usr/bin/python3 args...} in {@code root}, one thread ({@code OMP/OPENBLAS/MKL_NUM_THREADS=1}), without
     * {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} (OpenBLAS picks its kernels for this CPU, as in the
     * OpenBLAS peer's forks), and with {@code preload} (an OpenBLAS file, or null) preloaded.
     */
    static ProcessBuilder python(Path root, List<String> args, Path preload) {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        Map<String, String> env = builder.environment();
        env.put("OMP_NUM_THREADS", "1");
        env.put("OPENBLAS_NUM_THREADS", "1");
        env.put("MKL_NUM_THREADS", "1");
        env.remove("OPENBLAS_CORETYPE");
        env.remove("OPENBLAS_L2_SIZE");
        if (preload != null) {
            env.put("LD_PRELOAD", preload.toString());
            // libopenblas needs the libgfortran that JavaCPP extracted beside it.
            String dir = preload.getParent().toString();
            String old = env.get("LD_LIBRARY_PATH");
            env.put("LD_LIBRARY_PATH", old == null || old.isEmpty() ? dir : dir + ":" + old);
        }
        return builder;
    }

    private ObjectNode unavailable(String reason) {
        ObjectNode node = json.createObjectNode();
        node.put("available", false);
        node.put("reason", reason);
        return node;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.subList(Math.max(0, lines.size() - 5), lines.size()).stream()
                .collect(Collectors.joining(" | "));
    }

    private static String joinInts(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
