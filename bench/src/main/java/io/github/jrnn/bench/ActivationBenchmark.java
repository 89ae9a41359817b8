package io.github.jrnn.bench;

import io.github.jrnn.bench.peers.JdkLanewiseMath;
import io.github.jrnn.kernels.Kernels;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
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
 * Element-wise {@code y = tanh(x)} or {@code y = sigmoid(x) = 1 / (1 + e^-x)} over {@code size} floats uniform in
 * [-5, 5) (the range where both functions are not yet saturated, so no shortcut applies).
 *
 * <p>{@code impl}: {@code vector} (jrnn's Vector API kernels with their own polynomials), {@code scalar} (jrnn's
 * reference: a loop of {@code Math.tanh} / {@code Math.exp} in double), {@code svml} (the JDK's
 * {@code lanewise(TANH)} and {@code lanewise(EXP)}, see {@link JdkLanewiseMath}). Single-threaded. Every call
 * moves x and y (by the same offset) to the next of the sixteen positions in a cache line
 * ({@link BenchData.RotatingOffset}), for every implementation alike.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationBenchmark {

    @Param({"vector", "scalar", "svml"})
    public String impl;

    @Param({"tanh", "sigmoid"})
    public String fn;

    @Param({"256", "4096", "65536"})
    public int size;

    private float[] x;
    private float[] y;
    private IntConsumer activation;
    private final BenchData.RotatingOffset offsets = new BenchData.RotatingOffset();

    @Setup(Level.Trial)
    public void setUp() {
        x = BenchData.uniform(3, size + BenchData.ALIGNMENT_SLACK, 5f);
        y = new float[size + BenchData.ALIGNMENT_SLACK];
        boolean tanh = switch (fn) {
            case "tanh" -> true;
            case "sigmoid" -> false;
            default -> throw new IllegalArgumentException("fn must be tanh or sigmoid, got '" + fn + "'");
        };
        int n = size;
        activation = switch (impl) {
            case "vector", "scalar" -> {
                Kernels kernels = Impls.jrnnKernels(impl);
                yield tanh ? at -> kernels.tanh(n, x, at, y, at) : at -> kernels.sigmoid(n, x, at, y, at);
            }
            case "svml" -> tanh ? at -> JdkLanewiseMath.tanh(n, x, at, y, at)
                    : at -> JdkLanewiseMath.sigmoid(n, x, at, y, at);
            default -> throw Impls.unknown(impl, "vector, scalar, svml");
        };
        for (int at = 0; at < BenchData.ALIGNMENT_SLACK; at++) {
            activation.accept(at);
            checkAgainstMath(tanh, at);
        }
    }

    /** Every implementation must agree with Math to well within float precision, or it is not timed. */
    private void checkAgainstMath(boolean tanh, int at) {
        for (int i = at; i < at + size; i++) {
            double expected = tanh ? Math.tanh(x[i]) : 1.0 / (1.0 + Math.exp(-x[i]));
            if (!(Math.abs(y[i] - expected) <= 1e-6 * Math.abs(expected) + 1e-7)) {
                throw new IllegalStateException(impl + " " + fn + "(" + x[i] + ") = " + y[i] + ", expected "
                        + expected);
            }
        }
    }

    @Benchmark
    public float[] activation() {
        activation.accept(offsets.next());
        return y;
    }
}
