package io.github.jrnn.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.github.jrnn.bench.peers.NetlibPeer;
import io.github.jrnn.bench.peers.OpenBlasPeer;
import io.github.jrnn.kernels.Kernels;
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

/**
 * Matrix-vector product with an LSTM's hidden weight: W is (4 * hidden) x hidden, row-major. Without
 * {@code transposed}, {@code y = W h} (the per-step {@code h W_hh^T} at batch 1: 4·hidden outputs); with it,
 * {@code y = W^T g} (the backward pass's gradient of h: hidden outputs). One operation is
 * {@code 2 * 4·hidden * hidden} floating-point operations either way. Every implementation is single-threaded
 * (OpenBLAS is set to one thread explicitly).
 *
 * <p>{@code impl} as in {@link SgemmBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SgemvBenchmark {

    @Param({"vector", "scalar", "openblas", "netlib"})
    public String impl;

    @Param({"128", "256", "512", "1024"})
    public int hidden;

    @Param({"false", "true"})
    public boolean transposed;

    private Supplier<Object> product;

    @Setup(Level.Trial)
    public void setUp() {
        int rows = 4 * hidden;
        int cols = hidden;
        int inLength = transposed ? rows : cols;
        int outLength = transposed ? cols : rows;
        float[] w = BenchData.uniform(1, rows * cols, 1f);
        float[] x = BenchData.uniform(2, inLength, 1f);
        float[] y = new float[outLength];
        product = switch (impl) {
            case "vector", "scalar" -> {
                Kernels kernels = Impls.jrnnKernels(impl);
                boolean t = transposed;
                yield () -> {
                    kernels.sgemv(t, rows, cols, 1f, w, 0, cols, x, 0, 0f, y, 0);
                    return y;
                };
            }
            case "openblas" -> {
                OpenBlasPeer.setThreads(1);
                FloatPointer pw = OpenBlasPeer.offHeapCopy(w);
                FloatPointer px = OpenBlasPeer.offHeapCopy(x);
                FloatPointer py = OpenBlasPeer.offHeapCopy(y);
                int trans = transposed ? openblas.CblasTrans : openblas.CblasNoTrans;
                yield () -> {
                    openblas.cblas_sgemv(openblas.CblasRowMajor, trans, rows, cols, 1f, pw, cols, px, 1, 0f, py, 1);
                    return py;
                };
            }
            case "netlib" -> {
                BLAS blas = NetlibPeer.vectorBlas();
                // Row-major W (rows x cols) is the column-major cols x rows matrix W^T (see NetlibPeer).
                String trans = transposed ? "N" : "T";
                yield () -> {
                    blas.sgemv(trans, cols, rows, 1f, w, cols, x, 1, 0f, y, 1);
                    return y;
                };
            }
            default -> throw Impls.unknown(impl, "vector, scalar, openblas, netlib");
        };
        Object out = product.get();
        float[] result = out instanceof FloatPointer p ? OpenBlasPeer.toArray(p, outLength) : (float[]) out;
        BenchData.checkGemv(impl, transposed, rows, cols, w, x, result);
    }

    @Benchmark
    public Object sgemv() {
        return product.get();
    }
}
