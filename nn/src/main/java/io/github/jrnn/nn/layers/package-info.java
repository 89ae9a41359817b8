/**
 * {@code torch.nn.Module} and the feed-forward layers: {@link io.github.jrnn.nn.layers.Module} (named parameters,
 * buffers, child modules, tied parameters, state dicts with strict loading, train/eval mode, PyTorch's
 * {@code repr}), {@link io.github.jrnn.nn.layers.Parameter}, {@link io.github.jrnn.nn.layers.Sequential},
 * {@link io.github.jrnn.nn.layers.Linear}, {@link io.github.jrnn.nn.layers.Embedding},
 * {@link io.github.jrnn.nn.layers.Dropout}, {@link io.github.jrnn.nn.layers.LayerNorm} and the parameter-free
 * {@link io.github.jrnn.nn.layers.Tanh}, {@link io.github.jrnn.nn.layers.ReLU},
 * {@link io.github.jrnn.nn.layers.Sigmoid}, {@link io.github.jrnn.nn.layers.Softmax},
 * {@link io.github.jrnn.nn.layers.LogSoftmax}, {@link io.github.jrnn.nn.layers.Identity} and
 * {@link io.github.jrnn.nn.layers.Flatten}.
 *
 * <p>{@code Module} shares its simple name with {@code java.lang.Module}: import it by name
 * ({@code import io.github.jrnn.nn.layers.Module;}), a wildcard import of this package alone makes it ambiguous.
 *
 * <p>Layering: above {@code tensor}, {@code autograd}, {@code init}, {@code random}, {@code kernels} and
 * {@code checkpoint} (whose {@code StateDict} a module loads); the
 * recurrent modules ({@code rnn}), optimizers and module checkpoints build on it.
 *
 * <p>Thread safety: forward calls only read parameters, so one module may serve many threads at once (training
 * dropout draws from a synchronized generator); loading state, switching modes, backward into the parameters and
 * optimizer steps write shared state and must not overlap forward calls.
 */
package io.github.jrnn.nn.layers;
