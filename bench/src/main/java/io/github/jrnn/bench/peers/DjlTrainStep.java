package io.github.jrnn.bench.peers;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DJL's training step on libtorch: the TorchScript export loaded with trainable parameters ({@code trainParam}),
 * gradients zeroed in place (what {@code GradientCollector.zeroGradients} does, for this model's parameters only),
 * forward in training mode inside a {@link GradientCollector}, MSE (mean of the squared difference) built from
 * NDArray operations, {@code backward}, and DJL's Adam updating every parameter ({@code Optimizer.update}, a fused
 * native update on the PyTorch engine). Each step's temporaries live in a sub-manager closed at its end.
 */
public final class DjlTrainStep implements TrainEngine {

    /** TorchScript names the wrapped module's parameters {@code rnn.<PyTorch name>}. */
    private static final String PREFIX = "rnn.";

    private final String name;
    private final Model model;
    private final Block block;
    private final NDManager manager;
    private final ParameterStore store;
    private final List<Pair<String, Parameter>> parameters;
    private final Optimizer adam;
    private final NDList inputs;
    private final NDArray target;

    /** Loads the exported {@code mode} model of hidden {@code hidden} for training on {@code threads} threads. */
    public DjlTrainStep(String mode, int hidden, int steps, int batch, int threads,
                        PeerModels.TrainReference reference) {
        this.name = "djl-" + threads + "t";
        this.model = DjlEngine.load(mode, hidden, threads, true);
        this.block = model.getBlock();
        this.manager = model.getNDManager();
        this.store = new ParameterStore(manager, false);
        this.parameters = block.getParameters().stream().toList();
        this.adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).optBeta1(0.9f).optBeta2(0.999f)
                .optEpsilon(1e-8f).build();
        Shape shape = new Shape(steps, batch, hidden);
        Shape state = new Shape(1, batch, hidden);
        inputs = new NDList(manager.create(reference.input(), shape), manager.zeros(state));
        if ("LSTM".equals(mode)) {
            inputs.add(manager.zeros(state));
        }
        target = manager.create(reference.target(), shape);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Object step() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray loss = forwardBackward(scope);
            for (Pair<String, Parameter> p : parameters) {
                NDArray weight = p.getValue().getArray();
                NDArray grad = weight.getGradient();
                grad.attach(scope);
                adam.update(p.getValue().getId(), weight, grad);
            }
            return loss.getFloat();
        }
    }

    @Override
    public Gradients forwardBackward() {
        try (NDManager scope = manager.newSubManager()) {
            float loss = forwardBackward(scope).getFloat();
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : parameters) {
                NDArray grad = p.getValue().getArray().getGradient();
                grad.attach(scope);
                grads.put(p.getKey().startsWith(PREFIX) ? p.getKey().substring(PREFIX.length()) : p.getKey(),
                        grad.toFloatArray());
            }
            zeroGrad(scope);
            return new Gradients(loss, grads);
        }
    }

    /** zero_grad, forward, loss, backward; every temporary is attached to {@code scope}. Returns the loss. */
    private NDArray forwardBackward(NDManager scope) {
        zeroGrad(scope);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDList out = block.forward(store, inputs, true);
            out.attach(scope);
            NDArray loss = out.get(0).sub(target).square().mean();
            collector.backward(loss);
            return loss;
        }
    }

    private void zeroGrad(NDManager scope) {
        for (Pair<String, Parameter> p : parameters) {
            NDArray grad = p.getValue().getArray().getGradient();
            grad.attach(scope);
            grad.subi(grad);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
