package io.github.jrnn.bench.study;

import io.github.jrnn.bench.FmaPeakBenchmark;
import io.github.jrnn.bench.peers.DjlEngine;
import io.github.jrnn.bench.peers.NetlibPeer;
import io.github.jrnn.bench.peers.OpenBlasCoreName;
import io.github.jrnn.bench.peers.OpenBlasPeer;
import io.github.jrnn.bench.peers.OrtEngine;
import io.github.jrnn.kernels.GemmBlocking;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;

/**
 * Facts about the machine and the peers that a reader needs to judge the numbers, collected in the study's JVM
 * (the same JDK, flags and libraries the forked benchmark JVMs use). Every value is a string so the JSON stays
 * flat; the keys are the constants below.
 */
final class MachineInfo {

    static final String CPU_MODEL = "cpuModel";
    static final String CPU_FAMILY = "cpuFamily";
    static final String CPU_MODEL_NUMBER = "cpuModelNumber";
    static final String CORES = "cores";
    static final String LOGICAL_CPUS = "logicalCpus";
    static final String CACHES = "caches";
    static final String OS = "os";
    static final String JDK = "jdk";
    static final String VECTOR_BITS = "vectorBits";
    static final String FMA_FLOPS_PER_OP = "fmaPeakFlopsPerOp";
    /** jrnn's product blocking on this machine (KC and NC follow its L2 size, see GemmBlocking). */
    static final String GEMM_BLOCKING = "gemmBlocking";
    static final String OPENBLAS_CORE = "openblasCore";
    static final String OPENBLAS_CORE_AUTODETECTED = "openblasCoreAutodetected";
    static final String OPENBLAS_CONFIG = "openblasConfig";
    /** Present when the OpenBLAS rows ran in forks without the two variables (their core is the autodetected one). */
    static final String OPENBLAS_FORKS = "openblasForkEnvironment";
    static final String OPENBLAS_CORETYPE_ENV = "envOPENBLAS_CORETYPE";
    static final String OPENBLAS_L2_ENV = "envOPENBLAS_L2_SIZE";
    static final String NETLIB_DEFAULT = "netlibBlasGetInstance";
    static final String NETLIB_USED = "netlibJavaBlas";
    static final String ORT_VERSION = "onnxruntimeVersion";
    static final String DJL_VERSION = "djlVersion";
    static final String DJL_ENGINE = "djlEngine";
    static final String LOAD_BEFORE = "loadAverageBefore";
    static final String LOAD_AFTER = "loadAverageAfter";

    private MachineInfo() {
    }

    /**
     * Collects everything but {@link #LOAD_AFTER}, which the study adds when it is done.
     *
     * @param openBlasLauncher the launcher the OpenBLAS rows' forks start through (it removes
     *                         {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE}); the core it reports is the
     *                         core those forks run
     */
    static Map<String, String> collect(Path openBlasLauncher) {
        Map<String, String> info = new LinkedHashMap<>();
        Map<String, String> lscpu = lscpu();
        info.put(CPU_MODEL, lscpu.getOrDefault("Model name", "unknown"));
        info.put(CPU_FAMILY, lscpu.getOrDefault("CPU family", "?"));
        info.put(CPU_MODEL_NUMBER, lscpu.getOrDefault("Model", "?"));
        info.put(CORES, coreCount(lscpu));
        info.put(LOGICAL_CPUS, Integer.toString(Runtime.getRuntime().availableProcessors()));
        info.put(CACHES, "L1d " + lscpu.getOrDefault("L1d cache", "?") + ", L2 " + lscpu.getOrDefault("L2 cache", "?")
                + ", L3 " + lscpu.getOrDefault("L3 cache", "?"));
        info.put(OS, System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        info.put(JDK, System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        info.put(VECTOR_BITS, Integer.toString(FloatVector.SPECIES_PREFERRED.vectorBitSize()));
        info.put(FMA_FLOPS_PER_OP, Long.toString(FmaPeakBenchmark.flopsPerOperation()));
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        info.put(GEMM_BLOCKING, "micro-tile " + GemmBlocking.microTileRows(lanes) + " x "
                + GemmBlocking.microTileCols(lanes) + ", KC " + GemmBlocking.KC + ", MC " + GemmBlocking.MC + ", NC "
                + GemmBlocking.NC);
        OpenBlasPeer.setThreads(1);
        info.put(OPENBLAS_CORE, OpenBlasPeer.coreName());
        info.put(OPENBLAS_CORE_AUTODETECTED, autodetectedOpenBlasCore(openBlasLauncher));
        info.put(OPENBLAS_FORKS, "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset");
        info.put(OPENBLAS_CONFIG, OpenBlasPeer.config());
        info.put(OPENBLAS_CORETYPE_ENV, System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(unset)"));
        info.put(OPENBLAS_L2_ENV, System.getenv().getOrDefault("OPENBLAS_L2_SIZE", "(unset)"));
        info.put(NETLIB_DEFAULT, NetlibPeer.defaultInstanceClass());
        info.put(NETLIB_USED, NetlibPeer.javaInstanceClass());
        info.put(ORT_VERSION, OrtEngine.version());
        info.put(DJL_VERSION, DjlEngine.version());
        info.put(DJL_ENGINE, DjlEngine.engineDescription());
        info.put(LOAD_BEFORE, loadAverage());
        return info;
    }

    /**
     * The core type OpenBLAS detects when {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} are absent, from a
     * child JVM started through the same launcher as the OpenBLAS rows' forks.
     */
    private static String autodetectedOpenBlasCore(Path launcher) {
        try {
            ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), OpenBlasCoreName.class.getName());
            Process process = builder.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroy();
                return "unknown (probe failed: " + output + ")";
            }
            String[] lines = output.split("\n");
            return lines[lines.length - 1].trim();
        } catch (IOException e) {
            return "unknown (probe failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    /**
     * A file-name-safe name for the CPU a study ran on, so runs on different CPUs are kept apart: the model name
     * without trademarks, "CPU", "Processor" and the clock, then the family and model numbers when known, then the
     * preferred vector width; e.g. {@code intel-xeon-f6m143-512bit}, {@code amd-epyc-512bit}.
     */
    static String cpuSlug(Map<String, String> machine) {
        String name = machine.getOrDefault(CPU_MODEL, "unknown").toLowerCase(Locale.ROOT)
                .replaceAll("\\((r|tm)\\)", " ").replaceAll("@.*$", " ")
                .replaceAll("\\b(cpu|processor|\\d+-core)\\b", " ").replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        String family = machine.get(CPU_FAMILY);
        String model = machine.get(CPU_MODEL_NUMBER);
        if (family != null && model != null && family.matches("\\d+") && model.matches("\\d+")) {
            name += "-f" + family + "m" + model;
        }
        return (name.isEmpty() ? "unknown" : name) + "-" + machine.getOrDefault(VECTOR_BITS, "unknown") + "bit";
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg (a busy machine makes every number noisier). */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String coreCount(Map<String, String> lscpu) {
        try {
            int perSocket = Integer.parseInt(lscpu.get("Core(s) per socket"));
            int sockets = Integer.parseInt(lscpu.get("Socket(s)"));
            return Integer.toString(perSocket * sockets);
        } catch (NumberFormatException | NullPointerException e) {
            return "unknown";
        }
    }

    /** {@code lscpu}'s "key: value" lines, or an empty map when it cannot be run. */
    private static Map<String, String> lscpu() {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            Process process = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
            for (String line : output.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            fields.put("Model name", "unknown (lscpu failed: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return fields;
    }
}
