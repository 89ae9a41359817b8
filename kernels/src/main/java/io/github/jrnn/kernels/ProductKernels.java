package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.*; // the check* methods of the front door

import java.util.function.Function;

/**
 * The matrix products of {@link Kernels}: BLAS levels 3 and 2 ({@code sgemm}, {@code sgemv}) and the products
 * with a right operand packed once ({@code packB}, {@code repackB}, {@code sgemmPacked},
 * {@code sgemmPackedBias}). One family of the chain that {@link KernelBase} describes; what every kernel promises
 * is in {@link Kernels}' class comment.
 *
 * <p>Public with package-private constructors, for the reasons in {@link KernelBase}: only {@link Kernels}
 * extends it, and {@code Kernels} is the type to hold an instance by.
 */
public abstract class ProductKernels extends ElementwiseKernels {

    /** See {@link Kernels#Kernels(Function)}. */
    ProductKernels(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    ProductKernels(Kernels checkedTwin) {
        super(checkedTwin);
    }

    // ---------------------------------------------------------------- BLAS level 3 and 2

    /**
     * General matrix product {@code C[i][j] = alpha * sum_p op(A)[i][p] * op(B)[p][j] + beta * C[i][j]} for
     * {@code 0 <= i < m, 0 <= j < n, 0 <= p < k}, where {@code op(X) = X} or {@code X^T}.
     *
     * <p>Shapes: op(A) is m x k (stored as m x k with {@code lda >= k}, or as k x m with {@code lda >= m} when
     * {@code transA}), op(B) is k x n (stored k x n, {@code ldb >= n}, or n x k, {@code ldb >= k}, when
     * {@code transB}), C is m x n with {@code ldc >= n}.
     *
     * <p>BLAS conventions: when {@code beta == 0} C is overwritten without being read (NaN in C does not
     * propagate); when {@code alpha == 0} or {@code k == 0} A and B are not read and C becomes {@code beta * C}.
     *
     * @param transA whether A is stored transposed: op(A) = A^T, stored k x m
     * @param transB whether B is stored transposed: op(B) = B^T, stored n x k
     * @param m rows of op(A) and of C, >= 0
     * @param n columns of op(B) and of C, >= 0
     * @param k the inner dimension: columns of op(A), rows of op(B), >= 0
     * @param alpha scale of the product; 0 means A and B are not read (and may be null)
     * @param a the array holding A
     * @param aOffset index in {@code a} of A's element (0, 0)
     * @param lda leading dimension of A: distance between the starts of two stored rows, >= k (>= m when transA)
     * @param b the array holding B
     * @param bOffset index in {@code b} of B's element (0, 0)
     * @param ldb leading dimension of B, >= n (>= k when transB)
     * @param beta scale of C's previous contents; 0 means C is overwritten without being read
     * @param c the array holding C, the output
     * @param cOffset index in {@code c} of C's element (0, 0)
     * @param ldc leading dimension of C, >= n
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                            int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        if (checked) checkSgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        sgemmImpl(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /** {@link #sgemm} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sgemmImpl(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
            int aOffset, int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc);

    /**
     * Matrix-vector product {@code y = alpha * op(A) * x + beta * y} where A is stored m x n ({@code lda >= n}).
     * Without {@code transA}: x has n elements, y has m, {@code y[i] = alpha * sum_j A[i][j] x[j] + beta y[i]}.
     * With {@code transA}: x has m elements, y has n, {@code y[j] = alpha * sum_i A[i][j] x[i] + beta y[j]}.
     * Same beta/alpha conventions as {@link #sgemm}.
     *
     * @param transA whether to multiply by A^T instead of A
     * @param m rows of A as stored, >= 0
     * @param n columns of A as stored, >= 0
     * @param alpha scale of the product; 0 means A and x are not read (and may be null)
     * @param a the array holding A (m x n)
     * @param aOffset index in {@code a} of A's element (0, 0)
     * @param lda leading dimension of A: distance between the starts of two rows, >= n
     * @param x the input vector: n elements (m when transA)
     * @param xOffset index in {@code x} of x[0]
     * @param beta scale of y's previous contents; 0 means y is overwritten without being read
     * @param y the output vector: m elements (n when transA)
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                            int xOffset, float beta, float[] y, int yOffset) {
        if (checked) checkSgemv(transA, m, n, alpha, a, aOffset, lda, x, xOffset, y, yOffset);
        sgemvImpl(transA, m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
    }

    /** {@link #sgemv} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sgemvImpl(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda,
            float[] x, int xOffset, float beta, float[] y, int yOffset);

    /**
     * Packs the right operand of {@link #sgemmPacked} once: op(B) is k x n, stored k x n ({@code ldb >= n}) or,
     * with {@code transB}, n x k ({@code ldb >= k}; a PyTorch weight {@code W} of shape (n, k) packs as
     * {@code op(B) = W^T}). The result is a copy in this implementation's own layout (see {@link PackedMatrix});
     * use it for weights that stay the same over many products.
     *
     * @param transB whether B is stored transposed: op(B) = B^T, stored n x k
     * @param k rows of op(B), the inner dimension of the products, >= 0
     * @param n columns of op(B), the columns of the products' C, >= 0
     * @param b the array holding B; only read during this call
     * @param bOffset index in {@code b} of B's element (0, 0)
     * @param ldb leading dimension of B: distance between the starts of two stored rows, >= n (>= k when transB)
     * @return a new packed copy of op(B) for this implementation's {@link #sgemmPacked}
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        if (checked) checkPackedOperand("packB", transB, k, n, b, bOffset, ldb);
        return packBImpl(transB, k, n, b, bOffset, ldb);
    }

    /** {@link #packB} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract PackedMatrix packBImpl(boolean transB, int k, int n, float[] b, int bOffset, int ldb);

    /**
     * {@link #packB} into the storage of {@code reuse}, for a caller that packs the same kind of operand again and
     * again (a recurrent pass packing its current W_hh once per call) and wants no allocation for it: returns
     * {@code reuse} refilled with op(B) when it came from this implementation (its storage grows only when too
     * small), or a new packed matrix when {@code reuse} is null. {@code reuse} must not be in use by another thread
     * or product while this runs; its previous contents are gone.
     *
     * @param reuse a matrix packed by this implementation to refill, or null for a new one
     * @param transB whether B is stored transposed: op(B) = B^T, stored n x k
     * @param k rows of op(B), the inner dimension of the products, >= 0
     * @param n columns of op(B), the columns of the products' C, >= 0
     * @param b the array holding B; only read during this call
     * @param bOffset index in {@code b} of B's element (0, 0)
     * @param ldb leading dimension of B: distance between the starts of two stored rows, >= n (>= k when transB)
     * @return {@code reuse} refilled with op(B), or a new packed matrix when {@code reuse} is null
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length (and on either instance:
     *         {@code reuse} was packed by another implementation)
     */
    public final PackedMatrix repackB(PackedMatrix reuse, boolean transB, int k, int n, float[] b, int bOffset,
                                      int ldb) {
        if (checked) checkPackedOperand("repackB", transB, k, n, b, bOffset, ldb);
        return repackBImpl(reuse, transB, k, n, b, bOffset, ldb);
    }

    /** {@link #repackB} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract PackedMatrix repackBImpl(PackedMatrix reuse, boolean transB, int k, int n, float[] b,
            int bOffset, int ldb);

    /**
     * {@link #sgemm} with a prepacked right operand:
     * {@code C[i][j] = alpha * sum_p op(A)[i][p] * B[p][j] + beta * C[i][j]} where B is the k x n matrix that
     * {@code b} holds ({@code k = b.rows()}, {@code n = b.cols()}), op(A) is m x k (stored m x k with
     * {@code lda >= k}, or k x m with {@code lda >= m} when {@code transA}), and C is m x n ({@code ldc >= n}).
     * Same alpha/beta conventions as {@link #sgemm}; {@code b} must come from this implementation's
     * {@link #packB}. The batch-1 case {@code m = 1} (a vector times a packed weight) is a first-class use.
     *
     * @param transA whether A is stored transposed: op(A) = A^T, stored k x m
     * @param m rows of op(A) and of C, >= 0
     * @param alpha scale of the product; 0 means A is not read (and may be null)
     * @param a the array holding A
     * @param aOffset index in {@code a} of A's element (0, 0)
     * @param lda leading dimension of A: distance between the starts of two stored rows, >= k (>= m when transA)
     * @param b op(B), k x n, packed by this implementation's {@link #packB} or {@link #repackB}
     * @param beta scale of C's previous contents; 0 means C is overwritten without being read
     * @param c the array holding C, the output
     * @param cOffset index in {@code c} of C's element (0, 0)
     * @param ldc leading dimension of C, >= n
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, a leading dimension is below its row length, or {@code b} is null (and on either
     *         instance: {@code b} was packed by another implementation)
     */
    public final void sgemmPacked(boolean transA, int m, float alpha, float[] a, int aOffset, int lda, PackedMatrix b,
                                  float beta, float[] c, int cOffset, int ldc) {
        if (checked) checkSgemmPacked(transA, m, alpha, a, aOffset, lda, b, c, cOffset, ldc);
        sgemmPackedImpl(transA, m, alpha, a, aOffset, lda, b, beta, c, cOffset, ldc);
    }

    /** {@link #sgemmPacked} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sgemmPackedImpl(boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
            PackedMatrix b, float beta, float[] c, int cOffset, int ldc);

    /**
     * {@link #sgemmPacked} plus a bias row: {@code C[i][j] = alpha * sum_p op(A)[i][p] * B[p][j] + bias[j]} for
     * every row i of C (m x n), C's previous contents not read. The same bits as {@link #broadcastRows} of the bias
     * into C followed by {@link #sgemmPacked} with beta = 1, which is how a layer adds its bias; done in one pass,
     * C is written once instead of filled, read back and written again (a recurrent layer's input gates for all
     * steps of a batch are megabytes, beyond the caches).
     *
     * @param transA whether A is stored transposed: op(A) = A^T, stored k x m
     * @param m rows of op(A) and of C, >= 0
     * @param alpha scale of the product; 0 means A is not read (and may be null)
     * @param a the array holding A
     * @param aOffset index in {@code a} of A's element (0, 0)
     * @param lda leading dimension of A, >= k (>= m when transA)
     * @param b op(B), k x n, packed by this implementation's {@link #packB} or {@link #repackB}
     * @param bias the row added to every row of C, n contiguous floats
     * @param biasOffset index in {@code bias} of its first element
     * @param c the array holding C, the output
     * @param cOffset index in {@code c} of C's element (0, 0)
     * @param ldc leading dimension of C, >= n
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, a leading dimension is below its row length, or {@code b} is null (and on either
     *         instance: {@code b} was packed by another implementation)
     */
    public final void sgemmPackedBias(boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
                                      PackedMatrix b, float[] bias, int biasOffset, float[] c, int cOffset, int ldc) {
        if (checked) checkSgemmPackedBias(transA, m, alpha, a, aOffset, lda, b, bias, biasOffset, c, cOffset, ldc);
        sgemmPackedBiasImpl(transA, m, alpha, a, aOffset, lda, b, bias, biasOffset, c, cOffset, ldc);
    }

    /** {@link #sgemmPackedBias} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sgemmPackedBiasImpl(boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
            PackedMatrix b, float[] bias, int biasOffset, float[] c, int cOffset, int ldc);
}
