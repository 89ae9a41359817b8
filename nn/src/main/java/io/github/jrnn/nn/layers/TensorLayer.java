package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * A module whose forward maps one float tensor to one float tensor, such as {@link Linear}, {@link Dropout} and
 * {@link Sequential} itself: what {@link Sequential#forward(Tensor)} can chain. Recurrent modules return an output
 * and a state, so they are not layers of this kind.
 */
public interface TensorLayer {

    /**
     * The module's forward pass on one tensor.
     *
     * @param input the input; its shape rules are the module's
     * @return the output
     */
    Tensor forward(Tensor input);
}
