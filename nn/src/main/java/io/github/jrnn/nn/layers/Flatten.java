package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;

/**
 * {@code torch.nn.Flatten(start_dim=1, end_dim=-1)}: merges the dimensions {@code start_dim .. end_dim} into one,
 * input (N, d1, ..., dk) to (N, d1 * ... * dk) by default, via {@link Tensor#flatten(int, int)} (which shares the
 * data and records its backward).
 *
 * <p>Thread safety: stateless; one module may serve many threads at once.
 */
public final class Flatten extends StatelessLayer {

    /** PyTorch's default {@code start_dim}. */
    public static final int DEFAULT_START_DIM = 1;
    /** PyTorch's default {@code end_dim}. */
    public static final int DEFAULT_END_DIM = -1;

    private final int startDim;
    private final int endDim;

    /** {@code nn.Flatten()}: start_dim = 1, end_dim = -1. */
    public Flatten() {
        this(DEFAULT_START_DIM, DEFAULT_END_DIM);
    }

    /**
     * {@code nn.Flatten(start_dim, end_dim)}.
     *
     * @param startDim the first dimension merged; negative counts from the end (checked against each input)
     * @param endDim   the last dimension merged; negative counts from the end
     */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /**
     * PyTorch {@code start_dim}.
     *
     * @return the first dimension merged, as given
     */
    public int startDim() {
        return startDim;
    }

    /**
     * PyTorch {@code end_dim}.
     *
     * @return the last dimension merged, as given
     */
    public int endDim() {
        return endDim;
    }

    /** PyTorch's {@code start_dim=1, end_dim=-1}: both, always. */
    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }

    @Override
    Tensor apply(Tensor input) {
        return input.flatten(startDim, endDim);
    }
}
