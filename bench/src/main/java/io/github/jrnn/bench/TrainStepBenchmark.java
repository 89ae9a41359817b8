package io.github.jrnn.bench;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.loss.MSELoss;
import io.github.jrnn.nn.optim.Adam;
import io.github.jrnn.nn.optim.Optimizer;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentOptions;
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
 * One training step, as PyTorch's loop writes it: {@code optimizer.zero_grad()}, forward of a one-layer GRU or
 * LSTM (input = hidden = {@value RecurrentShapes#TRAIN_HIDDEN}) over a (seqLen {@value RecurrentShapes#TRAIN_SEQ_LEN},
 * batch {@value RecurrentShapes#TRAIN_BATCH}, hidden) input, {@code MSELoss} (mean) of the output against a fixed
 * random target, {@code loss.backward()} and {@code Adam(lr = 1e-3).step()}. The PyTorch peer times the same
 * step. Weights keep changing from step to step, as in training.
 *
 * <p>{@code impl} as in {@link RecurrentBenchmark}; the study runs the vector kernels only (one scalar step takes
 * seconds). Single-threaded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainStepBenchmark {

    @Param({"GRU", "LSTM"})
    public String mode;

    @Param({"vector", "scalar"})
    public String impl;

    private RNNBase module;
    private Optimizer optimizer;
    private MSELoss loss;
    private Tensor input;
    private Tensor target;

    @Setup(Level.Trial)
    public void setUp() {
        Kernels kernels = RecurrentBenchmark.kernels(impl);
        int hidden = RecurrentShapes.TRAIN_HIDDEN;
        RecurrentOptions options = new RecurrentOptions(RecurrentMode.valueOf(mode), hidden, hidden, 1, true,
                false, 0, false, 0);
        module = RNNBase.create(options, new Generator(42), kernels);
        module.train();
        optimizer = new Adam(module.parameters(), 1e-3);
        loss = new MSELoss();
        int n = RecurrentShapes.TRAIN_SEQ_LEN * RecurrentShapes.TRAIN_BATCH * hidden;
        input = Tensor.of(BenchData.uniform(6, n, 1f), RecurrentShapes.TRAIN_SEQ_LEN, RecurrentShapes.TRAIN_BATCH,
                hidden);
        target = Tensor.of(BenchData.uniform(7, n, 1f), RecurrentShapes.TRAIN_SEQ_LEN, RecurrentShapes.TRAIN_BATCH,
                hidden);
    }

    @Benchmark
    public Tensor trainStep() {
        optimizer.zeroGrad();
        Tensor value = loss.forward(module.forward(input).output(), target);
        value.backward();
        optimizer.step();
        return value;
    }
}
