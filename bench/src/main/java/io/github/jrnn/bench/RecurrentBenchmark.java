package io.github.jrnn.bench;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentMode;
import io.github.jrnn.nn.rnn.RecurrentOptions;
import io.github.jrnn.nn.rnn.RecurrentOutput;
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
 * Inference through a whole sequence, as {@code torch.nn.RNN/GRU/LSTM(hidden, hidden)(x)} under
 * {@code torch.no_grad()}: one layer, one direction, with biases, input (seqLen = {@value RecurrentShapes#SEQ_LEN},
 * batch, hidden) uniform in [-1, 1), zero initial state, weights from PyTorch's default initialisation. One
 * operation is one forward call over all steps; its products are
 * {@link RecurrentShapes#forwardFlops(String, int, int, int, int)} floating-point operations.
 *
 * <p>{@code impl}: {@code vector} is what a user gets by default ({@link KernelProvider#kernels()}, the checked
 * front door over the Vector API kernels; the setup refuses to run if the provider chose anything else),
 * {@code scalar} the reference loops. The study runs the scalar reference at batch 1 only: at batch 64, hidden 512
 * one call would take many seconds. {@code threads}: the {@link KernelThreads} count the forward may use (1 by
 * default, like the single-threaded PyTorch peer; 2 lets a batch-1 recurrence split its hidden units over two cores).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RecurrentBenchmark {

    @Param({"RNN_TANH", "GRU", "LSTM"})
    public String mode;

    @Param({"1", "32", "64"})
    public int batch;

    @Param({"128", "256", "512"})
    public int hidden;

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"1"})
    public int threads;

    private RNNBase module;
    private Tensor input;

    @Setup(Level.Trial)
    public void setUp() {
        Kernels kernels = kernels(impl);
        KernelThreads.setCount(threads);
        RecurrentOptions options = new RecurrentOptions(RecurrentMode.valueOf(mode), hidden, hidden, 1, true,
                false, 0, false, 0);
        module = RNNBase.create(options, new Generator(42), kernels);
        module.eval();
        input = Tensor.of(BenchData.uniform(4, RecurrentShapes.SEQ_LEN * batch * hidden, 1f),
                RecurrentShapes.SEQ_LEN, batch, hidden);
    }

    /**
     * The kernels a module is built with for {@code impl}: {@code vector} is {@link KernelProvider#kernels()} (and
     * must have chosen the Vector API), {@code scalar} the reference; sets {@link KernelThreads} to 1.
     */
    static Kernels kernels(String impl) {
        // Single-threaded like the PyTorch peer (jrnn's default is one thread per core for large products).
        KernelThreads.setCount(1);
        Kernels kernels = switch (impl) {
            case "vector" -> KernelProvider.kernels();
            case "scalar" -> KernelProvider.checkedScalar();
            default -> throw Impls.unknown(impl, "vector, scalar");
        };
        if ("vector".equals(impl) && !"vector".equals(kernels.name())) {
            throw new IllegalStateException("KernelProvider chose the " + kernels.name() + " kernels; start the"
                    + " JVM with --add-modules jdk.incubator.vector and without -D" + KernelProvider.PROPERTY);
        }
        return kernels;
    }

    @Benchmark
    public RecurrentOutput forward() {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return module.forward(input);
        }
    }
}
