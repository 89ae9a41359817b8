package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.Softmax(dim)}: {@code y = exp(x - max) / sum exp(x - max)} along {@code dim}, any shape,
 * computed and differentiated by {@link Tensor#softmax(int)}. PyTorch's {@code dim=None} (an implicit, deprecated
 * choice of dimension) is not offered: name the dimension.
 *
 * <p>Thread safety: stateless; one module may serve many threads at once.
 */
public final class Softmax extends AlongDimLayer {

    /**
     * {@code nn.Softmax(dim)}.
     *
     * @param dim the dimension to normalise along; negative counts from the end (checked against each input)
     */
    public Softmax(int dim) {
        super(dim);
    }

    // an out-of-range dim is the tensor operation's IndexOutOfBoundsException, in torch's words
    @Override
    Tensor apply(Tensor input) {
        return input.softmax(dim);
    }
}
