package io.github.jrnn.bench;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentOptions;
import io.github.jrnn.nn.rnn.RecurrentStream;
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
 * Streaming inference: one time step at batch 1 through {@link RecurrentStream#step(float[], int, float[], int)}
 * of a one-layer RNN (tanh) / GRU / LSTM with input = hidden, the state carried from step to step (the same input
 * vector every step; the activations keep the state bounded). One operation is one step, whose products are
 * {@code 2 * G * hidden * (input + hidden)} floating-point operations. The PyTorch counterpart is one call of
 * {@code nn.RNNCell/GRUCell/LSTMCell} at batch 1.
 *
 * <p>{@code impl} as in {@link RecurrentBenchmark}: {@code vector} is the default kernels a user gets,
 * {@code scalar} the reference loops. Single-threaded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class StreamingBenchmark {

    @Param({"RNN_TANH", "GRU", "LSTM"})
    public String mode;

    @Param({"128", "256", "512"})
    public int hidden;

    @Param({"vector", "scalar"})
    public String impl;

    private RecurrentStream stream;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        Kernels kernels = RecurrentBenchmark.kernels(impl);
        RecurrentOptions options = new RecurrentOptions(RecurrentMode.valueOf(mode), hidden, hidden, 1, true,
                false, 0, false, 0);
        RNNBase module = RNNBase.create(options, new Generator(42), kernels);
        module.eval();
        stream = module.stream();
        x = BenchData.uniform(5, hidden, 1f);
        out = new float[hidden];
    }

    @Benchmark
    public float[] step() {
        stream.step(x, 0, out, 0);
        return out;
    }
}
