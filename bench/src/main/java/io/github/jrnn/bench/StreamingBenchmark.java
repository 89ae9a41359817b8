package io.github.jrnn.bench;

import io.github.jrnn.bench.peers.Engines;
import io.github.jrnn.bench.peers.PeerModels;
import io.github.jrnn.bench.peers.RecurrentEngine;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming inference: one time step at batch 1 of the exported one-layer RNN (tanh) / GRU / LSTM with input =
 * hidden, the state carried from step to step; the frames cycle through the reference sequence's 100 inputs. One
 * operation is one step (frame in from a {@code float[]}, new h out into a {@code float[]}), whose products are
 * {@code 2 * G * hidden * (input + hidden)} floating-point operations. jrnn: {@code RecurrentStream.step}; ONNX
 * Runtime: the same graph at L = 1 with h_0 (c_0) fed back through pinned buffers; DJL: the TorchScript module with
 * the state carried as native tensors. The PyTorch counterpart is one call of {@code nn.RNNCell/GRUCell/LSTMCell}.
 *
 * <p>{@code impl} and {@code threads} as in {@link RecurrentBenchmark}. The setup streams the reference sequence
 * from zero states and checks every step's h and the final state against torch's before timing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class StreamingBenchmark {

    @Param({"RNN_TANH", "GRU", "LSTM"})
    public String mode;

    @Param({"128", "256", "512", "1024"})
    public int hidden;

    @Param({"vector", "scalar", "ort", "djl"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    private RecurrentEngine engine;
    private float[] frames;
    private float[] out;
    private int t;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engines.open(impl, mode, hidden, threads);
        PeerModels.SequenceReference reference = PeerModels.sequence(mode, hidden, 1);
        Engines.checkStream(engine, reference, RecurrentShapes.SEQ_LEN, hidden);
        frames = reference.input();
        out = new float[hidden];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public float[] step() {
        engine.step(frames, t * hidden, out, 0);
        t = t + 1 == RecurrentShapes.SEQ_LEN ? 0 : t + 1;
        return out;
    }
}
