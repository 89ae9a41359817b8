package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.kernels.testing.ChildJvm;
import io.github.jrnn.nn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files beyond 2 GiB and tensors too large to hold, on sparse files (the zeros are holes: many GiB cost no disk
 * and no time). Nothing here allocates more than a few bytes of heap per tensor read.
 */
class SafeTensorsLargeFileTest {

    private static final float[] TAIL = {1.5f, -2.25f, 3e-38f, Float.NaN};

    @TempDir
    Path dir;

    /** 'huge' has one element more than a tensor holds (8 GiB of F32); 'tail' lies beyond it, past 2^33 bytes. */
    private Path fileWithAHugeTensorAndATail() throws Exception {
        Path file = dir.resolve("huge.safetensors");
        long length = new SparseSafeTensors()
                .f32("huge", null, SafeTensors.MAX_TENSOR_ELEMENTS + 1)
                .f32("tail", TAIL, 2, 2)
                .write(file);
        assertTrue(length > (1L << 33), "the file is larger than 8 GiB: " + length);
        return file;
    }

    @Test
    void openReadsATensorBeyondEightGibWithoutTouchingTheHugeOne() throws Exception {
        Path file = fileWithAHugeTensorAndATail();
        try (SafeTensorsFile f = SafeTensors.open(file)) {
            assertEquals(List.of("huge", "tail"), List.copyOf(f.names()));
            assertEquals(SafeTensors.MAX_TENSOR_ELEMENTS + 1, f.entry("huge").numel());
            assertArrayEquals(new int[] {(int) SafeTensors.MAX_TENSOR_ELEMENTS + 1}, f.entry("huge").shape());
            Tensor tail = f.tensor("tail");
            assertArrayEquals(new int[] {2, 2}, tail.shape());
            assertArrayEquals(TAIL, tail.data());
            assertArrayEquals(TAIL, f.tensor("tail").data(), "a second read gives the same values");
        }
    }

    @Test
    void aTensorLargerThanOneArrayIsRefusedWhenAskedFor() throws Exception {
        Path file = fileWithAHugeTensorAndATail();
        try (SafeTensorsFile f = SafeTensors.open(file)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> f.tensor("huge"));
            assertEquals("huge", e.tensor());
            assertEquals(file + ": tensor 'huge': F32 shape [2147483640] has 2147483640 elements, more than the"
                    + " 2147483639 one jrnn tensor (one Java array) holds", e.getMessage());
        }
    }

    @Test
    void readingTheWholeFileIsRefusedBeforeAnythingIsAllocated() throws Exception {
        Path file = fileWithAHugeTensorAndATail();
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafeTensors.read(file));
        assertEquals("huge", e.tensor());
        assertTrue(e.getMessage().contains("more than the 2147483639 one jrnn tensor (one Java array) holds"),
                e.getMessage());
    }

    @Test
    void aTensorLargerThanTheHeapIsRefusedNotAnOutOfMemoryError() throws Exception {
        Path file = dir.resolve("big.safetensors");
        new SparseSafeTensors().f32("big", null, 100_000_000).f32("small", new float[] {7f}, 1).write(file);
        String refused = runWithSmallHeap("open", file, "big");
        assertTrue(refused.startsWith("refused: " + file + ": tensor 'big': F32 shape [100000000] needs 400000000"
                + " bytes once decoded, more than the JVM's maximum heap of "), refused);
        assertTrue(refused.endsWith(" bytes (-Xmx)"), refused);
        assertEquals("read 1", runWithSmallHeap("open", file, "small"), "the small tensor of the same file loads");
    }

    @Test
    void tensorsThatFitOneByOneButNotTogetherAreRefusedByReadNotByOpen() throws Exception {
        Path file = dir.resolve("two.safetensors");
        new SparseSafeTensors().f32("a", null, 10_000_000).f32("b", null, 10_000_000).write(file);
        String refused = runWithSmallHeap("read", file, null);
        assertTrue(refused.startsWith("refused: " + file + ": the 2 tensors need 80000000 bytes once decoded, more"
                + " than the JVM's maximum heap of "), refused);
        assertTrue(refused.endsWith("hint: SafeTensors.open reads only the tensors asked for"), refused);
        assertEquals("read 10000000", runWithSmallHeap("open", file, "b"));
    }

    /** Runs {@link SafeTensorsReadMain} with a 64 MiB heap and returns its one line of output. */
    private static String runWithSmallHeap(String mode, Path file, String tensor) throws Exception {
        Process child = tensor == null
                ? ChildJvm.start(List.of("-Xmx64m"), SafeTensorsReadMain.class, mode, file.toString())
                : ChildJvm.start(List.of("-Xmx64m"), SafeTensorsReadMain.class, mode, file.toString(), tensor);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, child.exitValue(), "child failed: " + out);
        return out;
    }
}
