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
 * Inference through a whole sequence, as {@code torch.nn.RNN/GRU/LSTM(hidden, hidden)(x)} under
 * {@code torch.no_grad()}: one layer, one direction, with biases, input (seqLen = {@value RecurrentShapes#SEQ_LEN},
 * batch, hidden) uniform in [-1, 1), zero initial state. Every engine runs the same exported model on the same
 * input ({@link PeerModels}, written by {@code tools/export_peer_models.py}); one operation is one forward call over
 * all steps with its outputs readable from Java, whose products are
 * {@link RecurrentShapes#forwardFlops(String, int, int, int, int)} floating-point operations.
 *
 * <p>{@code impl}: {@code vector} is jrnn as a user gets it (the default kernels, Vector API), {@code scalar} jrnn's
 * reference loops, {@code ort} ONNX Runtime, {@code djl} DJL on libtorch (see the engines in
 * {@code io.github.jrnn.bench.peers}). {@code threads}: jrnn's {@code KernelThreads}, ORT's intra-op threads, DJL's
 * {@code num_threads}; the scalar reference refuses more than one. The setup checks the engine's output, h_n and
 * c_n against torch's before anything is timed; an engine that disagrees fails its setup and is not timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class RecurrentBenchmark {

    @Param({"RNN_TANH", "GRU", "LSTM"})
    public String mode;

    @Param({"1", "32", "64"})
    public int batch;

    @Param({"128", "256", "512", "1024"})
    public int hidden;

    @Param({"vector", "scalar", "ort", "djl"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    private RecurrentEngine engine;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engines.open(impl, mode, hidden, threads);
        Engines.checkSequence(engine, PeerModels.sequence(mode, hidden, batch), RecurrentShapes.SEQ_LEN, batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Object forward() {
        return engine.forward();
    }
}
