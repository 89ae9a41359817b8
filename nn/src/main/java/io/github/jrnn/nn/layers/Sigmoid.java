package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.Sigmoid()}: {@code y = 1 / (1 + e^-x)} element-wise, any shape; the gradient {@code dy y (1 - y)}
 * comes from {@link Tensor#sigmoid()}.
 *
 * <p>Thread safety: stateless; one module may serve many threads at once.
 */
public final class Sigmoid extends StatelessLayer {

    /** {@code nn.Sigmoid()}. */
    public Sigmoid() {
    }

    @Override
    Tensor apply(Tensor input) {
        return input.sigmoid();
    }
}
