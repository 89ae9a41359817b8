/**
 * The reverse-mode autograd engine, PyTorch's {@code torch.autograd} in miniature: {@link
 * io.github.jrnn.nn.autograd.GradNode} (one recorded operation, its {@code grad_fn}), the backward pass that walks
 * the recorded graph, {@link io.github.jrnn.nn.autograd.Differentiable} (what a node reads and writes: the engine
 * knows no tensors) and {@link io.github.jrnn.nn.autograd.GradMode} ({@code torch.no_grad()}).
 *
 * <p>Layering: depends on nothing in jrnn but {@code kernels}; {@code tensor} builds on it, and every package that
 * records operations ({@code layers}, {@code packed}, {@code loss}, {@code optim}, {@code rnn}) subclasses
 * {@code GradNode}. The packages and their allowed dependencies are checked by {@code PackageDependenciesTest}.
 *
 * <p>Thread safety: recording is switched per thread ({@code GradMode}); a recorded graph and its backward pass
 * belong to the thread that built it.
 */
package io.github.jrnn.nn.autograd;
