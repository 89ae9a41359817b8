/**
 * {@code torch.nn.init}: the uniform, normal, Kaiming and Xavier initialisations with PyTorch's fan and gain
 * arithmetic ({@link io.github.jrnn.nn.init.Init}, {@link io.github.jrnn.nn.init.FanMode},
 * {@link io.github.jrnn.nn.init.Nonlinearity}), and the default initialisation of each module, drawn in PyTorch's
 * order so that a seeded generator gives PyTorch's initial weights.
 *
 * <p>Layering: above {@code tensor}, {@code random} and {@code kernels}; used by {@code layers} and {@code rnn}.
 *
 * <p>Thread safety: stateless; the arrays being filled must not be used by other threads meanwhile.
 */
package io.github.jrnn.nn.init;
