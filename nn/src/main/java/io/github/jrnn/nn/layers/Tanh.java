package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.Tanh()}: {@code y = tanh(x)} element-wise, any shape; the gradient {@code dy (1 - y^2)} comes from
 * {@link Tensor#tanh()}.
 *
 * <p>Thread safety: stateless; one module may serve many threads at once.
 */
public final class Tanh extends StatelessLayer {

    /** {@code nn.Tanh()}. */
    public Tanh() {
    }

    @Override
    Tensor apply(Tensor input) {
        return input.tanh();
    }
}
