package io.github.jrnn.nn.layers;

/**
 * The stateless modules that normalise along one dimension ({@link Softmax}, {@link LogSoftmax}): they keep the
 * {@code dim} as given and print it as PyTorch does ({@code Softmax(dim=1)}).
 */
abstract class AlongDimLayer extends StatelessLayer {

    /** The dimension, as given; negative counts from the end (checked against each input by the operation). */
    final int dim;

    AlongDimLayer(int dim) {
        this.dim = dim;
    }

    /**
     * PyTorch {@code dim}.
     *
     * @return the dimension normalised along, as given
     */
    public final int dim() {
        return dim;
    }

    /** PyTorch's {@code dim=1}. */
    @Override
    protected final String extraRepr() {
        return "dim=" + dim;
    }
}
