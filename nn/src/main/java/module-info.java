/**
 * PyTorch-compatible recurrent networks: tensors with autograd, layers, RNN/GRU/LSTM and their cells, packed
 * sequences, losses, optimizers, PyTorch's random numbers, and checkpoints.
 *
 * <p>Packages, each depending only on those listed before it: {@code tensor} (with the {@code autograd} engine
 * below it), {@code init}, {@code checkpoint} (file formats), {@code layers}, {@code packed}, {@code loss},
 * {@code optim}, {@code rnn}, {@code models} (whole-module checkpoints). The kernels module is part of the API
 * (modules accept a {@code Kernels} instance), so it is required transitively.
 */
module io.github.jrnn.nn {
    requires transitive io.github.jrnn.kernels;
    requires com.fasterxml.jackson.core;
    requires java.management; // the warm-up watches the JIT's compilation time

    exports io.github.jrnn.nn.autograd;
    exports io.github.jrnn.nn.checkpoint;
    exports io.github.jrnn.nn.init;
    exports io.github.jrnn.nn.layers;
    exports io.github.jrnn.nn.loss;
    exports io.github.jrnn.nn.models;
    exports io.github.jrnn.nn.optim;
    exports io.github.jrnn.nn.packed;
    exports io.github.jrnn.nn.random;
    exports io.github.jrnn.nn.rnn;
    exports io.github.jrnn.nn.tensor;
}
