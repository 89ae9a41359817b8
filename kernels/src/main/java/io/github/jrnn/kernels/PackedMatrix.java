package io.github.jrnn.kernels;

/**
 * The right operand of a matrix product, op(B) (k x n), prepared by {@link Kernels#packB} for many
 * {@link Kernels#sgemmPacked} calls: the weights of a layer that stay the same over those calls, e.g.
 * {@code W_ih^T} and {@code W_hh^T} of a recurrent layer.
 *
 * <p>Opaque: the layout belongs to the implementation that packed it (the vector kernels store zero-padded column
 * panels in the order their micro-kernel reads them, the scalar reference a plain row-major copy), so a packed
 * matrix may only be passed to the same implementation (either twin) that made it. It holds a copy: changing the
 * source array afterwards does not change the packed matrix.
 *
 * <p>Not immutable: {@link Kernels#repackB} refills a packed matrix in place (new shape, new values, storage
 * reused when large enough), which is how a recurrent pass packs its current W_hh once per call without
 * allocating. Between refills its contents do not change, so it may be shared by any number of threads reading it
 * in products; a matrix that its owner refills must not be in use by another thread or product meanwhile.
 */
public interface PackedMatrix {

    /**
     * The inner dimension k of the products this operand takes part in.
     *
     * @return the number of rows of op(B)
     */
    int rows();

    /**
     * The output dimension n: the columns of the products' C.
     *
     * @return the number of columns of op(B)
     */
    int cols();
}
