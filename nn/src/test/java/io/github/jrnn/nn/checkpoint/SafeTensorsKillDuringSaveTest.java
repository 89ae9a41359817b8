package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.kernels.testing.ChildJvm;
import io.github.jrnn.nn.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A JVM killed ({@code destroyForcibly}, SIGKILL on Linux) in the middle of saving a large checkpoint over an
 * existing one: the old file is still there, byte for byte, readable with its old values, and whatever the dead
 * save left behind is a hidden temporary file that no reader mistakes for the checkpoint. Killed at several points:
 * early, half way and late in the data, and during the force to the device. Killed just before the rename, the
 * target is either the old file or the complete new one, never a mix.
 */
class SafeTensorsKillDuringSaveTest {

    /** Big enough that writing it takes a while (hundreds of milliseconds at least), small enough for CI. */
    private static final int MEGABYTES = 256;

    @TempDir
    Path dir;

    private static float[] oldValues() {
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.25f - 17f;
        }
        return v;
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"0.05", "0.5", "0.95", "FORCE", "MOVE"})
    void killingTheSavingJvmNeverDamagesTheOldCheckpoint(String point) throws Exception {
        Path target = dir.resolve("model.safetensors");
        new SafeTensorsWriter().putMetadata("generation", "old").putTensor("weight", Tensor.of(oldValues(), 10, 100))
                .write(target);
        byte[] before = Files.readAllBytes(target);

        long start = System.nanoTime();
        Process child = ChildJvm.start(List.of("-Xmx600m"), LargeSaveMain.class, target.toString(),
                Integer.toString(MEGABYTES), point);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        long reached = System.nanoTime();
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not exit");
        if (!"now".equals(line)) {
            fail("the child should have reached " + point + " and said 'now', said " + line + " (exit "
                    + child.exitValue() + ")");
        }
        System.out.printf("kill at %s: %d ms from start to the kill point, %d ms to the child's exit%n", point,
                (reached - start) / 1_000_000, (System.nanoTime() - reached) / 1_000_000);

        if (point.equals("MOVE") && isNew(target)) {
            assertNewCheckpointComplete(target); // the rename happened before the kill: the new file, whole
        } else {
            assertArrayEquals(before, Files.readAllBytes(target), "the old checkpoint changed");
            SafeTensorsFile old = SafeTensors.read(target);
            assertEquals("old", old.metadata().get("generation"));
            assertArrayEquals(oldValues(), old.tensor("weight").data());
        }
        assertLeftoversAreHiddenTemporaryFiles(target);

        // The next save works as usual despite the leftovers, and replaces the target.
        new SafeTensorsWriter().putMetadata("generation", "next").putTensor("weight", Tensor.zeros(3)).write(target);
        assertEquals("next", SafeTensors.read(target).metadata().get("generation"));
    }

    private static boolean isNew(Path target) throws Exception {
        try (SafeTensorsFile f = SafeTensors.open(target)) {
            return "new".equals(f.metadata().get("generation"));
        }
    }

    private static void assertNewCheckpointComplete(Path target) throws Exception {
        try (SafeTensorsFile f = SafeTensors.open(target)) {
            assertEquals("new", f.metadata().get("generation"));
            assertArrayEquals(LargeSaveMain.MARKER, f.tensor("marker").data());
            assertEquals(MEGABYTES / 64, f.names().size() - 1, "every big tensor is there");
        }
    }

    private void assertLeftoversAreHiddenTemporaryFiles(Path target) throws Exception {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (!p.equals(target)) {
                    assertTrue(name.startsWith("." + target.getFileName() + ".") && name.endsWith(".tmp"),
                            "a leftover that could be taken for a checkpoint: " + name);
                }
            }
        }
    }
}
