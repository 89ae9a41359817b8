package io.github.jrnn.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ConsumerApp} in fresh JVMs the two ways a user depends on jrnn: on the class path and as named
 * modules on the module path (where a missing {@code requires} or an unexported package fails at run time, as
 * jackson-core did before jrnn had module descriptors). Both must give the same bits; without
 * {@code --add-modules jdk.incubator.vector} the application still runs, on the scalar kernels.
 */
class ConsumerAppTest {

    /** The modules a user's module path holds: the application, jrnn and its one dependency. */
    private static final Set<String> USER_MODULES = Set.of("io.github.jrnn.consumer", "io.github.jrnn.nn",
            "io.github.jrnn.kernels", "com.fasterxml.jackson.core");

    @Test
    void classPathAndModulePathGiveTheSameResult() throws Exception {
        Run classPath = run(List.of("--add-modules", "jdk.incubator.vector", "-cp", userPath(),
                ConsumerApp.class.getName()));
        Run modulePath = run(List.of("--add-modules", "jdk.incubator.vector", "-p", userPath(),
                "-m", "io.github.jrnn.consumer/" + ConsumerApp.class.getName()));
        assertEquals("null", classPath.values.get("module"), classPath.describe());
        assertEquals("io.github.jrnn.consumer", modulePath.values.get("module"), modulePath.describe());
        for (Run r : List.of(classPath, modulePath)) {
            assertEquals("vector", r.values.get("kernels"), r.describe());
            assertEquals("[5, 2, 4]", r.values.get("output.shape"), r.describe());
        }
        assertEquals(classPath.values.get("h_n"), modulePath.values.get("h_n"), "h_n differs between the paths");
    }

    @Test
    void withoutTheIncubatorModuleTheModulePathRunsOnScalarKernels() throws Exception {
        Run r = run(List.of("-p", userPath(), "-m", "io.github.jrnn.consumer/" + ConsumerApp.class.getName()));
        assertEquals("scalar", r.values.get("kernels"), r.describe());
        assertEquals("[5, 2, 4]", r.values.get("output.shape"), r.describe());
        assertTrue(r.stderr.contains("WARNING: jrnn kernels: scalar")
                && r.stderr.contains("--add-modules jdk.incubator.vector"),
                "the fallback must warn and name the missing flag on stderr: " + r.describe());
    }

    /** The class path entries of this test JVM that hold the user's modules, as a path string. */
    private static String userPath() {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Set<ModuleReference> found;
            try {
                found = ModuleFinder.of(Path.of(entry)).findAll();
            } catch (RuntimeException notAModule) { // e.g. a jar whose name gives no valid automatic module name
                continue;
            }
            if (found.stream().anyMatch(m -> USER_MODULES.contains(m.descriptor().name()))) {
                kept.add(entry);
            }
        }
        assertEquals(USER_MODULES.size(), kept.size(), "expected one entry per module in " + kept);
        return String.join(File.pathSeparator, kept);
    }

    private record Run(int exit, Map<String, String> values, String stdout, String stderr) {
        String describe() {
            return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static Run run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the consumer JVM did not finish");
        String stdout = new String(out, StandardCharsets.UTF_8);
        String stderr = new String(err, StandardCharsets.UTF_8);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        Run r = new Run(p.exitValue(), values, stdout, stderr);
        assertEquals(0, r.exit, r.describe());
        assertFalse(values.isEmpty(), r.describe());
        return r;
    }
}
