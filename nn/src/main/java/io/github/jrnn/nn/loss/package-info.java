/**
 * Loss functions with PyTorch's semantics, reductions and gradients: {@link io.github.jrnn.nn.loss.CrossEntropyLoss}
 * (class weights, {@code ignore_index}, label smoothing), {@link io.github.jrnn.nn.loss.NLLLoss},
 * {@link io.github.jrnn.nn.loss.MSELoss}, {@link io.github.jrnn.nn.loss.BCEWithLogitsLoss} (weight, pos_weight),
 * {@link io.github.jrnn.nn.loss.L1Loss}, {@link io.github.jrnn.nn.loss.SmoothL1Loss} (beta) and their
 * {@link io.github.jrnn.nn.loss.Reduction}.
 *
 * <p>Layering: above {@code tensor}, {@code autograd} and {@code kernels}; nothing in the library depends on it.
 *
 * <p>Thread safety: a loss is immutable after construction and may be used from many threads at once; a returned
 * loss tensor and its graph belong to the calling thread.
 */
package io.github.jrnn.nn.loss;
