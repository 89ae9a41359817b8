package io.github.jrnn.kernels;

import io.github.jrnn.kernels.testing.ChildJvm;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link KernelProvider} chooses: {@code -Djrnn.kernels=scalar|vector} forces either, no property picks the
 * Vector API when the incubator module is readable (and the species is wide enough), a JVM without
 * {@code --add-modules jdk.incubator.vector} runs with the scalar kernels, and an unknown value is a clear error.
 * Each case runs in a child JVM (the choice is made once per JVM) started from this JVM's java, class path and
 * flags ({@link ChildJvm}), minus the module and property each case sets itself.
 */
class KernelProviderTest {

    private static final long CHILD_TIMEOUT_SECONDS = 60;
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Whether this machine's preferred float vector is wide enough for the Vector API kernels. */
    private static final boolean WIDE_ENOUGH = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 128;

    /** What a child JVM did. */
    private record Child(int exitCode, String stdout, String stderr) {
        String chosen() {
            String[] lines = stdout.strip().split("\\R");
            return lines[lines.length - 1].strip();
        }
    }

    private static Child runChild(boolean vectorModule, String kernelsProperty) throws IOException,
            InterruptedException {
        List<String> options = new ArrayList<>();
        if (vectorModule) {
            options.add("--add-modules=" + VECTOR_MODULE);
        }
        if (kernelsProperty != null) {
            options.add("-D" + KernelProvider.PROPERTY + "=" + kernelsProperty);
        }
        // The child shares this JVM's flags (e.g. -XX:MaxVectorSize) except the two this test varies.
        List<String> command = ChildJvm.command(option -> !namesTheVectorModuleOrTheChoice(option), options,
                PrintChosenKernels.class);

        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        // options from the environment would change what the child sees
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.remove("JDK_JAVA_OPTIONS");
        environment.remove("_JAVA_OPTIONS");
        Path out = Files.createTempFile("jrnn-provider-child", ".out");
        Path err = Files.createTempFile("jrnn-provider-child", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("child JVM did not finish within " + CHILD_TIMEOUT_SECONDS + " s: "
                        + command);
            }
            return new Child(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean namesTheVectorModuleOrTheChoice(String option) {
        return option.startsWith("--add-modules=") && option.contains(VECTOR_MODULE)
                || option.startsWith("-D" + KernelProvider.PROPERTY + "=");
    }

    private static void assertChose(String expected, Child child) {
        assertEquals(0, child.exitCode(), "child failed: " + child.stderr());
        assertEquals(expected, child.chosen(), "stdout: " + child.stdout() + "\nstderr: " + child.stderr());
        assertTrue(child.stdout().contains("choice: " + expected + " ("),
                "KernelProvider.choice() must name the kernels that run: " + child.stdout());
    }

    @Test
    void propertyScalarSelectsTheScalarKernels() throws Exception {
        assertChose("scalar", runChild(true, "scalar"));
    }

    @Test
    void propertyVectorSelectsTheVectorKernels() throws Exception {
        Child child = runChild(true, "vector");
        if (WIDE_ENOUGH) {
            assertChose("vector", child);
        } else {
            assertNotEquals(0, child.exitCode(), "forcing vector on a too narrow machine must fail");
            assertTrue(child.stderr().contains("need at least 128"), child.stderr());
        }
    }

    @Test
    void withoutThePropertyTheVectorKernelsAreChosenWhenTheModuleIsReadable() throws Exception {
        assertChose(WIDE_ENOUGH ? "vector" : "scalar", runChild(true, null));
    }

    @Test
    void aJvmWithoutTheVectorModuleRunsWithTheScalarKernels() throws Exception {
        Child child = runChild(false, null);
        assertChose("scalar", child);
        assertFalse(child.stderr().contains("NoClassDefFoundError"), child.stderr());
        assertTrue(child.stderr().contains("WARNING: jrnn kernels: scalar")
                        && child.stderr().contains("--add-modules jdk.incubator.vector"),
                "a WARNING should say how to get the SIMD kernels: " + child.stderr());
        assertTrue(child.stdout().contains("--add-modules jdk.incubator.vector"),
                "KernelProvider.choice() should name the fix too: " + child.stdout());
    }

    @Test
    void forcingVectorWithoutTheModuleFailsWithAClearMessage() throws Exception {
        Child child = runChild(false, "vector");
        assertNotEquals(0, child.exitCode(), "stdout: " + child.stdout());
        assertTrue(child.stderr().contains("IllegalStateException"), child.stderr());
        assertTrue(child.stderr().contains("--add-modules jdk.incubator.vector"), child.stderr());
        assertFalse(child.stderr().contains("NoClassDefFoundError"), child.stderr());
    }

    @Test
    void anUnknownImplementationNameIsAClearError() throws Exception {
        Child child = runChild(true, "gpu");
        assertNotEquals(0, child.exitCode(), "stdout: " + child.stdout());
        assertTrue(child.stderr().contains("-Djrnn.kernels must be 'scalar' or 'vector', got 'gpu'"),
                child.stderr());
    }

    @Test
    void thisJvmFollowsItsOwnProperty() {
        // the build may force an implementation (mvn verify -Djrnn.kernels=scalar); the choice must follow it
        String forced = System.getProperty(KernelProvider.PROPERTY, "").strip();
        String chosen = KernelProvider.kernels().name();
        if (forced.isEmpty()) {
            assertEquals(WIDE_ENOUGH ? "vector" : "scalar", chosen);
        } else {
            assertEquals(forced, chosen);
        }
        assertSame(KernelProvider.kernels(), KernelProvider.kernels(), "the choice is made once");
        assertTrue(KernelProvider.kernels().isChecked(), "kernels() is the checked front door");
        assertEquals(chosen, KernelProvider.kernels().unchecked().name());
    }

    @Test
    void theExplicitFactoriesBuildWhatTheySay() {
        assertEquals("scalar", KernelProvider.checkedScalar().name());
        assertTrue(KernelProvider.checkedScalar().isChecked());
        if (WIDE_ENOUGH) {
            assertEquals("vector", KernelProvider.checkedVector().name());
            assertTrue(KernelProvider.checkedVector().isChecked());
        } else {
            assertThrows(IllegalStateException.class, KernelProvider::checkedVector);
        }
        assertTrue(KernelProvider.vectorModuleAvailable(), "tests run with --add-modules jdk.incubator.vector");
    }
}
