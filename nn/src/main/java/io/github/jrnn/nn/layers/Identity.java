package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.Identity()}: returns its input itself (no copy, no recorded operation), like PyTorch; a placeholder
 * where a model's configuration drops a layer.
 *
 * <p>Thread safety: stateless; one module may serve many threads at once.
 */
public final class Identity extends StatelessLayer {

    /** {@code nn.Identity()}. */
    public Identity() {
    }

    @Override
    Tensor apply(Tensor input) {
        return input;
    }
}
