package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.random.Generator;

/**
 * The builder options common to {@link RNN}, {@link GRU} and {@link LSTM}: PyTorch's keyword arguments with
 * their defaults, plus where the random numbers and the arithmetic come from. Values are validated by
 * {@link RecurrentOptions} when {@code build()} is called.
 *
 * @param <M> the module built
 * @param <B> the concrete builder (for chaining)
 */
public abstract class RecurrentBuilder<M extends RNNBase, B extends RecurrentBuilder<M, B>> {

    final int inputSize;
    final int hiddenSize;
    private int numLayers = 1;
    private boolean bias = true;
    private boolean batchFirst;
    private double dropout;
    private boolean bidirectional;
    Generator generator;
    Kernels kernels;

    RecurrentBuilder(int inputSize, int hiddenSize) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
    }

    abstract B self();

    /**
     * Builds the module, validating the arguments like PyTorch.
     *
     * @return a new module with these options and freshly initialised parameters
     */
    public abstract M build();

    /**
     * PyTorch {@code num_layers} (default 1): the number of stacked layers.
     *
     * @param numLayers the number of stacked layers, at least 1
     * @return this builder
     */
    public B numLayers(int numLayers) {
        this.numLayers = numLayers;
        return self();
    }

    /**
     * PyTorch {@code bias} (default true): whether the layers have {@code bias_ih} and {@code bias_hh}.
     *
     * @param bias whether to add the learnt biases {@code b_ih} and {@code b_hh}
     * @return this builder
     */
    public B bias(boolean bias) {
        this.bias = bias;
        return self();
    }

    /**
     * PyTorch {@code batch_first} (default false): input and output (N, L, *) instead of (L, N, *).
     *
     * @param batchFirst whether input and output are (N, L, *) instead of (L, N, *)
     * @return this builder
     */
    public B batchFirst(boolean batchFirst) {
        this.batchFirst = batchFirst;
        return self();
    }

    /**
     * PyTorch {@code dropout} (default 0): dropout on the outputs of all layers but the last, in training.
     *
     * @param dropout the dropout probability between layers in training, in [0, 1]
     * @return this builder
     */
    public B dropout(double dropout) {
        this.dropout = dropout;
        return self();
    }

    /**
     * PyTorch {@code bidirectional} (default false): add a reverse direction to every layer.
     *
     * @param bidirectional whether each layer also runs from the last step to the first
     * @return this builder
     */
    public B bidirectional(boolean bidirectional) {
        this.bidirectional = bidirectional;
        return self();
    }

    /**
     * The generator for the initial weights and for dropout masks (not a PyTorch argument: PyTorch always uses
     * its global generator, which is also the default here, {@link Generator#defaultGenerator()}).
     *
     * @param generator initial weights and dropout masks; null for the default generator
     * @return this builder
     */
    public B generator(Generator generator) {
        this.generator = generator;
        return self();
    }

    /**
     * The kernels to compute with (not a PyTorch argument; default
     * {@link io.github.jrnn.kernels.KernelProvider#kernels()}), e.g. {@code KernelProvider.checkedScalar()} to run on
     * the scalar reference.
     *
     * @param kernels the arithmetic; null for {@link io.github.jrnn.kernels.KernelProvider#kernels()}
     * @return this builder
     */
    public B kernels(Kernels kernels) {
        this.kernels = kernels;
        return self();
    }

    RecurrentOptions options(RecurrentMode mode, int projSize) {
        return new RecurrentOptions(mode, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout,
                bidirectional, projSize);
    }
}
