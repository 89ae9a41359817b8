package io.github.jrnn.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.github.jrnn.bench.peers.NetlibPeer;
import io.github.jrnn.bench.peers.OpenBlasPeer;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.PackedMatrix;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Single-precision matrix product {@code C = A B^T} (beta = 0), the layout of {@code x W^T} with a PyTorch
 * weight W: A is m x k, B is n x k, C is m x n, all row-major and contiguous. One operation is {@code 2 m n k}
 * floating-point operations.
 *
 * <p>{@code size} is either one number (square, m = n = k) or {@code MxNxK}; {@code 3200x1024x256} is the input
 * projection of an LSTM layer with input 256, hidden 256 (4 * 256 = 1024 gate rows) over 100 steps at batch 32.
 *
 * <p>{@code impl}: {@code vector} (jrnn's Vector API kernels), {@code scalar} (jrnn's reference loops),
 * {@code openblas} (native, through JavaCPP, off-heap operands), {@code netlib} ({@code dev.ludovic.netlib}
 * VectorBLAS). {@code threads} is honoured by jrnn's vector kernels ({@link KernelThreads#setCount}, set in every
 * jrnn trial, since the default is one thread per core) and by OpenBLAS ({@code openblas_set_num_threads}); the
 * scalar reference and netlib run on the calling thread, so those combinations with {@code threads > 1} refuse to
 * start rather than report a single-threaded number under a two-thread label.
 *
 * <p>{@link #sgemmPacked()} is the same product with B packed once in the setup ({@link Kernels#packB}), the path
 * for weights that do not change; it exists for jrnn's implementations only (the peers have no packed API).
 *
 * <p>The study runner ({@code StudyPlan}) lists the combinations it runs: it leaves out the scalar reference for
 * products of 512^3 and more, where one call takes seconds, and the impossible thread counts.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SgemmBenchmark {

    @Param({"vector", "scalar", "openblas", "netlib"})
    public String impl;

    @Param({"64", "128", "256", "512", "1024", "3200x1024x256"})
    public String size;

    @Param({"1", "2"})
    public int threads;

    private Supplier<Object> product;
    private Supplier<Object> packedProduct;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams benchmark) {
        GemmShape shape = GemmShape.parse(size);
        int m = shape.m();
        int n = shape.n();
        int k = shape.k();
        float[] a = BenchData.uniform(1, m * k, 1f);
        float[] b = BenchData.uniform(2, n * k, 1f);
        float[] c = new float[m * n];
        Impls.requireThreads(impl, threads);
        product = switch (impl) {
            case "vector", "scalar" -> {
                Kernels kernels = Impls.jrnnKernels(impl);
                KernelThreads.setCount(threads);
                PackedMatrix packedB = kernels.packB(true, k, n, b, 0, k);
                packedProduct = () -> {
                    kernels.sgemmPacked(false, m, 1f, a, 0, k, packedB, 0f, c, 0, n);
                    return c;
                };
                yield () -> {
                    kernels.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
                    return c;
                };
            }
            case "openblas" -> {
                OpenBlasPeer.setThreads(threads);
                FloatPointer pa = OpenBlasPeer.offHeapCopy(a);
                FloatPointer pb = OpenBlasPeer.offHeapCopy(b);
                FloatPointer pc = OpenBlasPeer.offHeapCopy(c);
                yield () -> {
                    openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans,
                            m, n, k, 1f, pa, k, pb, k, 0f, pc, n);
                    return pc;
                };
            }
            case "netlib" -> {
                BLAS blas = NetlibPeer.vectorBlas();
                // Row-major C = A B^T is column-major C^T = B A^T (see NetlibPeer).
                yield () -> {
                    blas.sgemm("T", "N", n, m, k, 1f, b, k, a, k, 0f, c, n);
                    return c;
                };
            }
            default -> throw Impls.unknown(impl, "vector, scalar, openblas, netlib");
        };
        if (benchmark.getBenchmark().endsWith(".sgemmPacked")) {
            if (packedProduct == null) {
                throw new IllegalArgumentException("sgemmPacked measures jrnn's packed-weight product; impl must be"
                        + " vector or scalar, got '" + impl + "' (the peers have no packed API)");
            }
            product = packedProduct;
        }
        Object out = product.get();
        float[] result = out instanceof FloatPointer p ? OpenBlasPeer.toArray(p, m * n) : (float[]) out;
        BenchData.checkGemmABt(impl, m, n, k, a, b, result);
    }

    @Benchmark
    public Object sgemm() {
        return product.get();
    }

    @Benchmark
    public Object sgemmPacked() {
        return product.get();
    }

    /** A product's dimensions, parsed from {@code "n"} (square) or {@code "MxNxK"}. */
    record GemmShape(int m, int n, int k) {
        static GemmShape parse(String size) {
            String[] parts = size.split("x");
            try {
                if (parts.length == 1) {
                    int n = Integer.parseInt(parts[0]);
                    return new GemmShape(n, n, n);
                }
                if (parts.length == 3) {
                    return new GemmShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                            Integer.parseInt(parts[2]));
                }
            } catch (NumberFormatException e) {
                // reported below with the expected format
            }
            throw new IllegalArgumentException("size must be N or MxNxK, got '" + size + "'");
        }
    }
}
