package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A blocked product split over two threads ({@link ProductSplit}, reused by the calling thread) allocates nothing
 * on the calling thread once compiled, for {@code sgemm}, {@code sgemmPacked} and {@code sgemmPackedBias}, split
 * by column panels (wide C) and by row panels (tall C), and gives the bits of one thread. Bytes are those the
 * thread allocated ({@link com.sun.management.ThreadMXBean}), the fewest over up to 60 rounds of 20 products, so
 * that the JIT's one-off allocations while it compiles drop out. (Before the reusable job, each split product
 * allocated a lambda and a job: 120-170 bytes.)
 */
class SplitProductAllocationTest {

    private static final int ROUNDS = 60;
    private static final int PRODUCTS_PER_ROUND = 20;

    @ParameterizedTest(name = "{0} x {1} x {2}")
    @CsvSource({"64, 512, 128", "512, 64, 128"})
    void twoThreadProductsAllocateNothingOnTheCallerAndGiveTheBitsOfOne(int m, int n, int k) {
        assertTrue((long) m * n * k >= GemmBlocking.THREADING_MIN_MULTIPLY_ADDS, "the shapes must split");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count a thread's allocated bytes");
        Kernels kernels = KernelProvider.checkedVector().unchecked();
        SplittableRandom random = new SplittableRandom(m * 31L + n);
        float[] a = values(random, m * k);
        float[] b = values(random, k * n);
        float[] bias = values(random, n);
        PackedMatrix packed = kernels.packB(false, k, n, b, 0, n);
        int threadsBefore = KernelThreads.count();
        try {
            KernelThreads.setCount(1);
            float[][] oneThread = {new float[m * n], new float[m * n], new float[m * n]};
            products(kernels, m, n, k, a, b, packed, bias, oneThread);
            KernelThreads.setCount(2);
            float[][] twoThreads = {new float[m * n], new float[m * n], new float[m * n]};
            long fewest = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS && fewest > 0; round++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int product = 0; product < PRODUCTS_PER_ROUND; product++) {
                    products(kernels, m, n, k, a, b, packed, bias, twoThreads);
                }
                fewest = Math.min(fewest, mx.getCurrentThreadAllocatedBytes() - before);
            }
            assertEquals(0, fewest, "bytes the caller allocated for " + PRODUCTS_PER_ROUND
                    + " rounds of three split products");
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(oneThread[i], twoThreads[i], "product " + i + ": 1 and 2 threads");
            }
        } finally {
            KernelThreads.setCount(threadsBefore);
        }
    }

    /** sgemm, sgemmPacked and sgemmPackedBias of the same operands into out[0], out[1], out[2]. */
    private static void products(Kernels kernels, int m, int n, int k, float[] a, float[] b, PackedMatrix packed,
                                 float[] bias, float[][] out) {
        kernels.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, out[0], 0, n);
        kernels.sgemmPacked(false, m, 1f, a, 0, k, packed, 0f, out[1], 0, n);
        kernels.sgemmPackedBias(false, m, 1f, a, 0, k, packed, bias, 0, out[2], 0, n);
    }

    private static float[] values(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
