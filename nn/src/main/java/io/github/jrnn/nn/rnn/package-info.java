/**
 * The recurrent modules of {@code torch.nn}: {@link io.github.jrnn.nn.rnn.RNN}, {@link io.github.jrnn.nn.rnn.GRU}
 * and {@link io.github.jrnn.nn.rnn.LSTM} over whole (padded, unbatched or packed) sequences, on one base
 * {@link io.github.jrnn.nn.rnn.RNNBase} picked by a {@link io.github.jrnn.nn.rnn.RecurrentMode}; the cells
 * {@link io.github.jrnn.nn.rnn.RNNCell}, {@link io.github.jrnn.nn.rnn.GRUCell} and
 * {@link io.github.jrnn.nn.rnn.LSTMCell}; and {@link io.github.jrnn.nn.rnn.RecurrentStream} for one time step at a
 * time without allocation. Parameter names, shapes, gate order, initialisation and error messages are PyTorch's;
 * forward and backward run as kernel calls (one matrix product for a sequence's input gates, then per step the
 * hidden product and one fused gate kernel).
 *
 * <p>Layering: above {@code layers}, {@code packed}, {@code init}, {@code tensor}, {@code autograd},
 * {@code random} and {@code kernels}; only {@code models} depends on it.
 *
 * <p>Thread safety: forward calls only read the parameters and may run from many threads at once on one module;
 * a {@code RecurrentStream} holds per-session state and belongs to one thread. Loading parameters, switching modes
 * and optimizer steps must not overlap forward calls.
 */
package io.github.jrnn.nn.rnn;
