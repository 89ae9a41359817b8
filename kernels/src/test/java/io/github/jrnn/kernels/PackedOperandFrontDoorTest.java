package io.github.jrnn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front door of {@code packB} / {@code sgemmPacked} and the thread-count setting: malformed arguments are
 * rejected with messages naming the argument, the packed dimensions are the ones given to {@code packB}, and a
 * small product against a packed operand gives the hand-computed result.
 */
class PackedOperandFrontDoorTest {

    private final Kernels kernels = KernelProvider.kernels();

    private static void rejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    "message should contain '" + fragment + "': " + e.getMessage());
        }
    }

    @Test
    void packBChecksItsSizesAndSource() {
        rejects(() -> kernels.packB(false, -1, 2, new float[4], 0, 2), "packB", "k must be >= 0", "got -1");
        rejects(() -> kernels.packB(true, 3, 2, null, 0, 3), "packB", "b (stored n x k, transB) must not be null");
        rejects(() -> kernels.packB(false, 3, 4, new float[11], 0, 4), "packB", "b (k x n) is too short",
                "needs 12", "got 11");
    }

    @Test
    void sgemmPackedChecksAAndCAgainstThePackedShape() {
        PackedMatrix b = kernels.packB(true, 3, 5, new float[15], 0, 3); // op(B) = B^T: 3 x 5
        assertEquals(3, b.rows());
        assertEquals(5, b.cols());
        rejects(() -> kernels.sgemmPacked(false, 2, 1f, new float[6], 0, 3, null, 0f, new float[10], 0, 5),
                "sgemmPacked", "b must not be null");
        rejects(() -> kernels.sgemmPacked(false, 2, 1f, new float[5], 0, 3, b, 0f, new float[10], 0, 5),
                "sgemmPacked", "a (m x k, k = b.rows()) is too short", "a 2 x 3 matrix");
        rejects(() -> kernels.sgemmPacked(false, 2, 1f, new float[6], 0, 3, b, 0f, new float[9], 0, 5),
                "sgemmPacked", "c (m x n, n = b.cols()) is too short", "x 5 matrix");
        rejects(() -> kernels.sgemmPacked(false, -2, 1f, new float[6], 0, 3, b, 0f, new float[10], 0, 5),
                "sgemmPacked", "m must be >= 0");
    }

    @Test
    void aSmallPackedProductIsTheHandComputedOne() {
        // W (2 x 3) as a PyTorch weight; x (2 x 3); y = x W^T + 1 * y
        float[] w = {1, 2, 3, 4, 5, 6};
        float[] x = {1, 0, -1, 2, 1, 0};
        float[] y = {10, 20, 30, 40};
        kernels.sgemmPacked(false, 2, 1f, x, 0, 3, kernels.packB(true, 3, 2, w, 0, 3), 1f, y, 0, 2);
        assertArrayEquals(new float[] {10 + (1 - 3), 20 + (4 - 6), 30 + (2 + 2), 40 + (8 + 5)}, y);
    }

    @Test
    void theThreadCountMustBePositive() {
        rejects(() -> KernelThreads.setCount(0), "threads must be >= 1", "got 0");
        assertTrue(KernelThreads.count() >= 1);
    }
}
