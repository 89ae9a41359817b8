package io.github.jrnn.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.github.jrnn.bench.peers.NetlibPeer;
import io.github.jrnn.bench.peers.OpenBlasPeer;
import io.github.jrnn.kernels.Kernels;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
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
 * (OpenBLAS is set to one thread explicitly). Every call moves W, the input and the output (by the same offset) to
 * the next of the sixteen positions in a cache line ({@link BenchData.RotatingOffset}), for every implementation
 * alike, OpenBLAS's off-heap copies included.
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

    private IntFunction<Object> product;
    private final BenchData.RotatingOffset offsets = new BenchData.RotatingOffset();

    @Setup(Level.Trial)
    public void setUp() {
        int rows = 4 * hidden;
        int cols = hidden;
        int inLength = transposed ? rows : cols;
        int outLength = transposed ? cols : rows;
        int slack = BenchData.ALIGNMENT_SLACK;
        float[] w = BenchData.uniform(1, rows * cols + slack, 1f);
        float[] x = BenchData.uniform(2, inLength + slack, 1f);
        float[] y = new float[outLength + slack];
        product = switch (impl) {
            case "vector", "scalar" -> {
                Kernels kernels = Impls.jrnnKernels(impl);
                boolean t = transposed;
                yield at -> {
                    kernels.sgemv(t, rows, cols, 1f, w, at, cols, x, at, 0f, y, at);
                    return y;
                };
            }
            case "openblas" -> {
                OpenBlasPeer.setThreads(1);
                FloatPointer pw = OpenBlasPeer.offHeapCopy(w);
                FloatPointer px = OpenBlasPeer.offHeapCopy(x);
                FloatPointer py = OpenBlasPeer.offHeapCopy(y);
                int trans = transposed ? openblas.CblasTrans : openblas.CblasNoTrans;
                yield at -> {
                    // a pointer's position moves the address the native call gets, as an offset moves an array's
                    openblas.cblas_sgemv(openblas.CblasRowMajor, trans, rows, cols, 1f, pw.position(at), cols,
                            px.position(at), 1, 0f, py.position(at), 1);
                    return py;
                };
            }
            case "netlib" -> {
                BLAS blas = NetlibPeer.vectorBlas();
                // Row-major W (rows x cols) is the column-major cols x rows matrix W^T (see NetlibPeer).
                String trans = transposed ? "N" : "T";
                yield at -> {
                    blas.sgemv(trans, cols, rows, 1f, w, at, cols, x, at, 1, 0f, y, at, 1);
                    return y;
                };
            }
            default -> throw Impls.unknown(impl, "vector, scalar, openblas, netlib");
        };
        for (int at : new int[] {0, slack - 1}) {
            Object out = product.apply(at);
            float[] result = out instanceof FloatPointer p ? OpenBlasPeer.toArray(p.position(0), outLength + slack)
                    : (float[]) out;
            BenchData.checkGemv(impl, transposed, rows, cols, w, x, result, at);
        }
    }

    @Benchmark
    public Object sgemv() {
        return product.apply(offsets.next());
    }
}
