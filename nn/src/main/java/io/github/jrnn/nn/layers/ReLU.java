package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.ReLU()}: {@code y = max(x, 0)} element-wise, any shape; the gradient {@code dy [x > 0]} comes from
 * {@link Tensor#relu()}. jrnn's ReLU never works in place ({@code inplace=False}, which PyTorch does not print).
 *
 * <p>Thread safety: stateless; one module may serve many threads at once.
 */
public final class ReLU extends StatelessLayer {

    /** {@code nn.ReLU()}. */
    public ReLU() {
    }

    @Override
    Tensor apply(Tensor input) {
        return input.relu();
    }
}
