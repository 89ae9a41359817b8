package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * The parameter-free modules that apply one tensor operation ({@link Tanh}, {@link ReLU}, {@link Sigmoid},
 * {@link Softmax} and {@link LogSoftmax} through {@link AlongDimLayer}, {@link Identity}, {@link Flatten}): the
 * forward refuses a null input and otherwise is the operation, whose own backward records the gradient. Nothing to
 * load or save: their state dicts are empty, as PyTorch's.
 */
abstract class StatelessLayer extends Module implements TensorLayer {

    /**
     * Applies the module's operation.
     *
     * @param input the input; the operation's shape rules apply
     * @return the output
     * @throws IllegalArgumentException when input is null
     */
    @Override
    public final Tensor forward(Tensor input) {
        if (input == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".forward: input must not be null");
        }
        return apply(input);
    }

    /** The operation on a non-null input. */
    abstract Tensor apply(Tensor input);
}
