/**
 * Dense float32 tensors with PyTorch's shapes, views and printing ({@link io.github.jrnn.nn.tensor.Tensor}),
 * integer index tensors ({@link io.github.jrnn.nn.tensor.LongTensor}), element-wise operations that record their
 * backward ({@link io.github.jrnn.nn.tensor.Tensors}) and {@code torch.*} factory and sampling functions drawing
 * from PyTorch's random streams ({@link io.github.jrnn.nn.tensor.Torch}: rand, randn, randint, multinomial,
 * bernoulli).
 *
 * <p>A tensor is a shape over a contiguous row-major {@code float[]} starting at 0; element
 * {@code (i0, ..., ik)} of shape {@code (s0, ..., sk)} is {@code data[(i0 * s1 + i1) * s2 ... + ik]}.
 *
 * <p>Layering: above {@code autograd} (a tensor is a {@code Differentiable}), {@code random} and {@code kernels};
 * below everything else in nn.
 *
 * <p>Thread safety: a tensor is a mutable array with an immutable shape: reading from many threads is safe,
 * writing while others read is not; gradients belong to one training thread.
 */
package io.github.jrnn.nn.tensor;
