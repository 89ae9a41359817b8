package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter.WriteStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A write that fails part way leaves an existing target exactly as it was and no temporary file behind. */
class SafeTensorsWriterFailureTest {

    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private SafeTensorsWriter bigWriter() {
        // 3 chunks of data, so a failure can hit between chunks.
        return new SafeTensorsWriter().putMetadata("module", "Linear")
                .putTensor("weight", Tensor.full(0.25f, 3, 16384 + 5))
                .putLongs("lengths", new long[] {3, 2, 1}, 3);
    }

    /** Every step a write of {@link #bigWriter()} goes through, from a write that fails nowhere. */
    private List<WriteStep> stepsOfAWrite() throws IOException {
        List<WriteStep> steps = new ArrayList<>();
        bigWriter().write(dir.resolve("dry-run.safetensors"), (step, bytes) -> steps.add(step));
        Files.delete(dir.resolve("dry-run.safetensors"));
        return steps;
    }

    @Test
    void aWriteGoesThroughTheHeaderEveryChunkTheForceAndTheMove() throws Exception {
        // 3 x 16389 floats = 196668 bytes: 3 full 64 KiB chunks and a partial one, then 3 longs in one chunk.
        assertEquals(List.of(WriteStep.HEADER, WriteStep.CHUNK, WriteStep.CHUNK, WriteStep.CHUNK, WriteStep.CHUNK,
                WriteStep.CHUNK, WriteStep.FORCE, WriteStep.MOVE), stepsOfAWrite());
    }

    @Test
    void failureAtEveryStepLeavesTheTargetUntouched() throws Exception {
        Path target = dir.resolve("model.safetensors");
        new SafeTensorsWriter().putTensor("old", Tensor.of(new float[] {1f, 2f}, 2)).write(target);
        byte[] before = Files.readAllBytes(target);
        List<WriteStep> steps = stepsOfAWrite();
        for (int failAt = 0; failAt < steps.size(); failAt++) {
            int[] calls = {0};
            int limit = failAt;
            IOException injected = new IOException("disk full (injected)");
            IOException thrown = assertThrows(IOException.class, () -> bigWriter().write(target, (step, bytes) -> {
                if (calls[0]++ == limit) {
                    throw injected;
                }
            }));
            String where = "after a failure at step " + failAt + " (" + steps.get(failAt) + ")";
            assertSame(injected, thrown);
            assertArrayEquals(before, Files.readAllBytes(target), "target " + where);
            assertEquals(List.of(target), listing(), "no temporary file left " + where);
        }
        assertEquals(List.of("old"), List.copyOf(SafeTensors.read(target).names()));
    }

    @Test
    void runtimeFailureAlsoCleansUp() throws Exception {
        Path target = dir.resolve("model.safetensors");
        assertThrows(IllegalStateException.class, () -> bigWriter().write(target, (step, bytes) -> {
            throw new IllegalStateException("injected");
        }));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), listing());
    }

    @Test
    void missingDirectoryFailsWithoutCreatingAnything() {
        Path target = dir.resolve("no/such/dir/model.safetensors");
        assertThrows(NoSuchFileException.class, () -> bigWriter().write(target));
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    void directoryTargetIsRefused() throws Exception {
        Path target = Files.createDirectory(dir.resolve("model.safetensors"));
        IOException e = assertThrows(IOException.class, () -> bigWriter().write(target));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertTrue(Files.isDirectory(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void successfulWriteAfterFailuresReplacesTheTarget() throws Exception {
        Path target = dir.resolve("model.safetensors");
        new SafeTensorsWriter().putTensor("old", Tensor.zeros(1)).write(target);
        assertThrows(IOException.class, () -> bigWriter().write(target, (step, bytes) -> {
            throw new IOException("injected");
        }));
        bigWriter().write(target);
        SafeTensorsFile read = SafeTensors.read(target);
        assertEquals(List.of("weight", "lengths"), List.copyOf(read.names()));
        assertEquals(Tensor.full(0.25f, 3, 16384 + 5), read.tensor("weight"));
        assertEquals("Linear", read.metadata().get("module"));
    }
}
