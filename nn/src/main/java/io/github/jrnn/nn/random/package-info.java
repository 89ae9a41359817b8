/**
 * PyTorch's CPU random number generator, bit for bit: {@link io.github.jrnn.nn.random.Generator} reproduces
 * {@code torch.Generator} (mt19937 state, {@code manual_seed}, {@code get_rng_state}) and the sampling of
 * {@code uniform_}, {@code normal_}/{@code randn}, {@code bernoulli_}, {@code randint}, {@code randperm} and dropout
 * masks, so a seed gives PyTorch's numbers and initial weights; {@link io.github.jrnn.nn.random.Sampling} adds the
 * sequential draws of {@code exponential_} and of {@code torch.multinomial}'s cumulative search.
 *
 * <p>Layering: at the bottom with {@code kernels} (it uses no other jrnn package); {@code tensor}, {@code init},
 * {@code layers} and {@code rnn} draw from it.
 *
 * <p>Thread safety: generators are synchronized, so sharing one is safe, but threads then take its numbers in
 * whatever order they run; give each thread its own generator for reproducible results.
 */
package io.github.jrnn.nn.random;
