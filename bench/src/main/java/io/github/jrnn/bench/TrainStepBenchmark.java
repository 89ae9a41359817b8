package io.github.jrnn.bench;

import io.github.jrnn.bench.peers.DjlTrainStep;
import io.github.jrnn.bench.peers.JrnnTrainStep;
import io.github.jrnn.bench.peers.PeerModels;
import io.github.jrnn.bench.peers.TrainEngine;
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
 * One training step, as PyTorch's loop writes it: {@code optimizer.zero_grad()}, forward of the exported one-layer
 * GRU or LSTM (input = hidden = {@value RecurrentShapes#TRAIN_HIDDEN}) over a (seqLen
 * {@value RecurrentShapes#TRAIN_SEQ_LEN}, batch {@value RecurrentShapes#TRAIN_BATCH}, hidden) input from zero
 * states, MSELoss (mean) of the output against a fixed target, {@code loss.backward()} and
 * {@code Adam(lr = 1e-3).step()}. Weights keep changing from step to step, as in training.
 *
 * <p>{@code impl}: {@code vector} is jrnn ({@link JrnnTrainStep}), {@code djl} DJL on libtorch 2.7
 * ({@link DjlTrainStep}); {@code threads} as in {@link RecurrentBenchmark}. The setup checks the first step's loss
 * and every gradient against torch's before timing. (The PyTorch peer times the same step in Python.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TrainStepBenchmark {

    @Param({"GRU", "LSTM"})
    public String mode;

    @Param({"vector", "djl"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    private TrainEngine engine;

    @Setup(Level.Trial)
    public void setUp() {
        PeerModels.TrainReference reference = PeerModels.train(mode);
        int hidden = RecurrentShapes.TRAIN_HIDDEN;
        int steps = RecurrentShapes.TRAIN_SEQ_LEN;
        int batch = RecurrentShapes.TRAIN_BATCH;
        engine = switch (impl) {
            case "vector" -> new JrnnTrainStep(mode, hidden, steps, batch, threads, reference);
            case "djl" -> new DjlTrainStep(mode, hidden, steps, batch, threads, reference);
            default -> throw Impls.unknown(impl, "vector, djl");
        };
        TrainEngine.check(engine, reference);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Object trainStep() {
        return engine.step();
    }
}
