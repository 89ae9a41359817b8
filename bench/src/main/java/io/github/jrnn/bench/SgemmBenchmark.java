package io.github.jrnn.bench;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.PackedMatrix;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square single-precision matrix products {@code C = A B^T + 0 C} (n x n, the layout of {@code x W^T} with a
 * PyTorch weight) and {@code C = A B} for jrnn's Vector API kernels against the scalar reference, with the
 * right operand unpacked ({@code sgemm}) or packed once in the setup ({@code sgemmPacked}), on {@code threads}
 * threads ({@link KernelThreads}). Reports operations per second; one operation is {@code 2 n^3} floating-point
 * operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark {

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"64", "128", "256"})
    public int size;

    @Param({"true", "false"})
    public boolean transB;

    /** Threads a large product may use (products below the kernels' threading threshold use one anyway). */
    @Param({"1"})
    public int threads;

    private Kernels kernels;
    private float[] a;
    private float[] b;
    private float[] c;
    private PackedMatrix packedB;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = "vector".equals(impl) ? KernelProvider.vector() : KernelProvider.scalar();
        SplittableRandom random = new SplittableRandom(42);
        a = randomMatrix(random, size * size);
        b = randomMatrix(random, size * size);
        c = new float[size * size];
        packedB = kernels.packB(transB, size, size, b, 0, size);
        KernelThreads.setCount(threads);
    }

    private static float[] randomMatrix(SplittableRandom random, int n) {
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return m;
    }

    @Benchmark
    public float[] sgemm() {
        kernels.sgemm(false, transB, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        return c;
    }

    @Benchmark
    public float[] sgemmPacked() {
        kernels.sgemmPacked(false, size, 1f, a, 0, size, packedB, 0f, c, 0, size);
        return c;
    }
}
