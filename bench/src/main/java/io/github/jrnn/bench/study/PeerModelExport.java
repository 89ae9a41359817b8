package io.github.jrnn.bench.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jrnn.bench.peers.OpenBlasPeer;
import io.github.jrnn.bench.peers.PeerModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the side-by-side benchmarks' models and torch references exist: runs {@value PeerModels#SCRIPT} with
 * {@code /usr/bin/python3} into {@value PeerModels#DEFAULT_DIR} when that folder has no manifest or one written by
 * another version of the script (the manifest records the script's SHA-256). Never at test time.
 */
final class PeerModelExport {

    static final String EXPORT_TORCH = "exportTorch";
    static final String ONNX_OPERATORS = "onnxOperators";
    static final String TORCHSCRIPT_OPERATORS = "torchScriptOperators";
    private static final long TIMEOUT_MINUTES = 60;

    private PeerModelExport() {
    }

    /** The export folder, exported first when missing or stale. */
    static Path ensure(Path root) throws IOException, InterruptedException {
        Path dir = root.resolve(PeerModels.DEFAULT_DIR);
        Path script = root.resolve(PeerModels.SCRIPT);
        String sha = sha256(script);
        if (sha.equals(manifest(dir).path("scriptSha256").asText())) {
            return dir;
        }
        if (!Files.isExecutable(TorchPeer.PYTHON)) {
            throw new IllegalStateException("the recurrent benchmarks run models exported by torch, and "
                    + TorchPeer.PYTHON + " is missing (apt-get install python3-torch python3-onnx)");
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("export.log");
        // OpenBLAS preloaded, as for the PyTorch peer: the system's reference BLAS makes the references slow.
        ProcessBuilder builder = TorchPeer.python(root, List.of(script.toString(), dir.toString()),
                OpenBlasPeer.libraryPath());
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " did not finish within " + TIMEOUT_MINUTES + " minutes; see "
                    + log);
        }
        if (process.exitValue() != 0 || !sha.equals(manifest(dir).path("scriptSha256").asText())) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(script + " failed (exit " + process.exitValue() + "): "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
        return dir;
    }

    /**
     * What the report says about the exported graphs: the exporting torch and opset, and the distinct operators
     * of the ONNX graphs and of the TorchScript graphs (so a reader sees the fused RNN/GRU/LSTM nodes).
     */
    static Map<String, String> describe(Path dir) throws IOException {
        JsonNode manifest = manifest(dir);
        Map<String, String> info = new LinkedHashMap<>();
        info.put(EXPORT_TORCH, manifest.path("torch").asText("?") + ", ONNX opset "
                + manifest.path("opset").asText("?"));
        info.put(ONNX_OPERATORS, operators(manifest.path("onnxOperators")));
        info.put(TORCHSCRIPT_OPERATORS, operators(manifest.path("torchScriptOperators")));
        return info;
    }

    private static String operators(JsonNode perFile) {
        if (!perFile.isObject()) {
            return "not listed (python3-onnx missing at export)";
        }
        TreeSet<String> all = new TreeSet<>();
        perFile.properties().forEach(file -> file.getValue().forEach(op -> all.add(op.asText())));
        return String.join(", ", all);
    }

    private static JsonNode manifest(Path dir) throws IOException {
        Path file = dir.resolve("manifest.json");
        return Files.isRegularFile(file)
                ? new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8))
                : new ObjectMapper().createObjectNode();
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
