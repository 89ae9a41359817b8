package io.github.jrnn.bench.peers;

import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.loss.MSELoss;
import io.github.jrnn.nn.models.ModuleCheckpoints;
import io.github.jrnn.nn.optim.Adam;
import io.github.jrnn.nn.optim.Optimizer;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** jrnn's training step through its public API, on the default (Vector API) kernels and {@code threads} threads. */
public final class JrnnTrainStep implements TrainEngine {

    private final String name;
    private final RNNBase module;
    private final Optimizer optimizer;
    private final MSELoss loss = new MSELoss();
    private final Tensor input;
    private final Tensor target;

    /** Loads the exported {@code mode} model of hidden {@code hidden} in training mode. */
    public JrnnTrainStep(String mode, int hidden, int steps, int batch, int threads,
                         PeerModels.TrainReference reference) {
        this.name = "vector-" + threads + "t";
        KernelThreads.setCount(threads);
        try {
            module = (RNNBase) ModuleCheckpoints.load(PeerModels.model(mode, hidden, "safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        module.train();
        optimizer = new Adam(module.parameters(), 1e-3);
        input = Tensor.of(reference.input(), steps, batch, hidden);
        target = Tensor.of(reference.target(), steps, batch, hidden);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Object step() {
        optimizer.zeroGrad();
        Tensor value = loss.forward(module.forward(input, null, null).output(), target);
        value.backward();
        optimizer.step();
        return value;
    }

    @Override
    public Gradients forwardBackward() {
        optimizer.zeroGrad();
        Tensor value = loss.forward(module.forward(input, null, null).output(), target);
        value.backward();
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> p : module.namedParameters().entrySet()) {
            grads.put(p.getKey(), p.getValue().grad().data().clone());
        }
        optimizer.zeroGrad();
        return new Gradients(value.data()[0], grads);
    }

    @Override
    public void close() {
        // Heap objects only.
    }
}
