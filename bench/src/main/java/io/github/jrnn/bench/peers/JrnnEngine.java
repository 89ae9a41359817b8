package io.github.jrnn.bench.peers;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.models.ModuleCheckpoints;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import io.github.jrnn.nn.rnn.RecurrentStream;
import io.github.jrnn.nn.rnn.WarmUp;
import io.github.jrnn.nn.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumSet;

/**
 * jrnn through its public API only: {@link ModuleCheckpoints#load} of the exported file, {@code eval()},
 * {@link RNNBase#forward(Tensor, Tensor, Tensor, RecurrentOutput)} under {@link GradMode#noGrad()} into output
 * tensors made once per input shape (as ONNX Runtime's engine binds its outputs once), and
 * {@link RNNBase#stream()} for single steps. {@code vector} is what a user gets (the default kernels, which must
 * be the Vector API ones); {@code vector-warm} is the same with {@link RNNBase#warmUp} as part of loading;
 * {@code scalar} rebuilds the module on the reference kernels with the same state dict. Threads:
 * {@link KernelThreads#setCount}, like the peers' intra-op threads.
 */
public final class JrnnEngine implements RecurrentEngine {

    private final String name;
    private final RNNBase module;
    private final boolean lstm;
    private final int hidden;
    private Tensor input;
    private RecurrentOutput into;
    private RecurrentStream stream;

    /**
     * Loads the model.
     *
     * @param impl    {@code vector}, {@code vector-warm} or {@code scalar}
     * @param threads kernel threads, at least 1 ({@code scalar}: exactly 1)
     */
    public JrnnEngine(String impl, String mode, int hidden, int threads) {
        this.name = impl + "-" + threads + "t";
        this.hidden = hidden;
        this.lstm = "LSTM".equals(mode);
        KernelThreads.setCount(threads);
        RNNBase loaded;
        try {
            loaded = (RNNBase) ModuleCheckpoints.load(PeerModels.model(mode, hidden, "safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        module = switch (impl) {
            case "vector", "vector-warm" -> {
                if (!"vector".equals(loaded.kernels().name())) {
                    throw new IllegalStateException("jrnn chose the " + loaded.kernels().name() + " kernels; start"
                            + " the JVM with --add-modules jdk.incubator.vector and without -D"
                            + KernelProvider.PROPERTY);
                }
                yield loaded;
            }
            case "scalar" -> {
                RNNBase reference = RNNBase.create(loaded.options(), new Generator(0), KernelProvider.checkedScalar());
                reference.loadStateDict(loaded.stateDict(), true);
                yield reference;
            }
            default -> throw new IllegalArgumentException("jrnn impl must be vector, vector-warm or scalar, got '"
                    + impl + "'");
        };
        module.eval(); // a loaded module starts in training mode, as in PyTorch
        if ("vector-warm".equals(impl)) {
            // Part of loading (the cold-start benchmark's load() includes it), for the two paths it then times.
            module.warmUp(Duration.ofSeconds(10), EnumSet.of(WarmUp.Path.STREAM, WarmUp.Path.SEQUENCE));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void prepareSequence(float[] values, int steps, int batch) {
        input = Tensor.of(values, steps, batch, hidden);
        into = new RecurrentOutput(Tensor.zeros(steps, batch, hidden), Tensor.zeros(1, batch, hidden),
                lstm ? Tensor.zeros(1, batch, hidden) : null);
    }

    @Override
    public Object forward() {
        try (GradMode.Scope _ = GradMode.noGrad()) {
            return module.forward(input, null, null, into);
        }
    }

    @Override
    public Outputs outputs() {
        return new Outputs(into.output().data().clone(), into.hN().data().clone(),
                lstm ? into.cN().data().clone() : null);
    }

    @Override
    public void openStream() {
        stream = module.stream();
    }

    @Override
    public void step(float[] x, int xOffset, float[] out, int outOffset) {
        stream.step(x, xOffset, out, outOffset);
    }

    @Override
    public Outputs streamState() {
        return new Outputs(null, stream.hidden().data(), lstm ? stream.cell().data() : null);
    }

    @Override
    public void close() {
        // Heap objects only.
    }
}
