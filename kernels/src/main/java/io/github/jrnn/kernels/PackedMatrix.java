package io.github.jrnn.kernels;

/**
 * The right operand of a matrix product, op(B) (k x n), prepared once by {@link Kernels#packB} for many
 * {@link Kernels#sgemmPacked} calls: the weights of a layer that never change between calls, e.g. {@code W_ih^T}
 * and {@code W_hh^T} of a recurrent layer.
 *
 * <p>Opaque, and immutable unless its owner refills it with {@link Kernels#repackB}: the layout belongs to the implementation that packed it (the vector kernels store
 * zero-padded column panels in the order their micro-kernel reads them, the scalar reference a plain row-major
 * copy), so a packed matrix may only be passed to the same implementation that made it. It holds a copy: changing
 * the source array afterwards does not change the packed matrix. Safe to share between threads, except one that
 * its owner refills with {@code repackB}.
 */
public interface PackedMatrix {

    /** The inner dimension k: the number of rows of op(B). */
    int rows();

    /** The output dimension n: the number of columns of op(B). */
    int cols();
}
