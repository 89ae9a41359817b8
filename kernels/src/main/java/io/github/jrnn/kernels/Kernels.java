package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.*; // the check* methods of the front door

import java.util.function.Function;

/**
 * Every float kernel jrnn computes with: BLAS-style products, vector arithmetic, activations, the fused
 * recurrent gate updates and their backward forms, and row-wise softmax. Each kernel is written here once: a
 * public method that states its math and shapes and checks its arguments, and the protected {@code ...Impl}
 * method an implementation supplies ({@link ScalarKernels}, the reference, and {@code VectorKernels}).
 *
 * <h2>Memory layout</h2>
 * All matrices are row-major {@code float[]} slices: element (i, j) of a matrix stored at offset {@code off} with
 * leading dimension {@code ld} (the distance between the starts of two consecutive rows, {@code ld >= cols}) is
 * {@code x[off + i * ld + j]}. Vectors are contiguous ({@code x[off + i]}). Sizes are element counts.
 *
 * <h2>Checked and unchecked instances</h2>
 * Every implementation exists as a pair of twins that compute the same thing. The <b>checked</b> one (what
 * {@link KernelProvider} hands out, {@link #checked()}) validates every argument before computing: sizes
 * non-negative, arrays present and long enough for their shape, offset and leading dimension; a failure is an
 * {@link IllegalArgumentException} naming the kernel, the argument, what was expected and what was given. The
 * <b>unchecked</b> one ({@link #unchecked()}) skips that, and a bad argument has undefined results (usually an
 * {@link ArrayIndexOutOfBoundsException}, possibly wrong numbers): it is for callers that validated their shapes
 * once and then call kernels many times on slices of them, like a recurrent module's time loop. Unless a method
 * says otherwise, an output may not overlap an input except as the exact same slice (same array and offset), which
 * is allowed for the element-wise methods.
 *
 * <h2>Thread safety</h2>
 * Instances hold no mutable state, so one serves any number of threads; each call touches only the slices it is
 * given. Implementations may keep scratch memory per calling thread and helper threads behind a call (the vector
 * products pack into thread-owned buffers and split large products over a shared pool); results do not depend on it.
 *
 * <h2>Accuracy</h2>
 * The scalar reference rounds each operation to float in the order of the formula (activations in double, rounded
 * once). The vector implementation may reorder sums and uses its own polynomial approximations, held to the bounds
 * in the README and the property tests' {@code Tolerances}. NaN propagates like PyTorch's.
 *
 * <h2>Adding a kernel or an implementation</h2>
 * A kernel is one public method here (Javadoc, {@code if (checked)} its checks, then its Impl) with its protected
 * abstract {@code ...Impl}, implemented by the scalar and the vector class and compared by one property; the
 * property tests' completeness test finds the kernels by reflection and also wants one valid call of each in their
 * {@code FrontDoorCalls} (from which every argument is made bad in turn). Test doubles need nothing: nn's recording
 * kernels are generated at test time with a body for every Impl. An implementation extends this class with the
 * constructor pair below, so each instance knows its twin; its Impls may assume valid arguments.
 */
public abstract class Kernels {

    private final boolean checked; // whether the public methods validate their arguments before the Impls
    private final Kernels twin;    // the same implementation with the opposite checked

    /**
     * Builds the checked instance of an implementation and, with {@code makeUncheckedTwin} (which must call
     * {@link #Kernels(Kernels)} with this instance), its unchecked twin.
     *
     * @param makeUncheckedTwin builds the unchecked twin of the instance it is given, e.g. {@code MyKernels::new}
     *                          for a constructor {@code MyKernels(Kernels checkedTwin)}
     * @throws IllegalStateException when {@code makeUncheckedTwin} returns null, an instance of another class, or
     *                               one that was not built from this instance
     */
    @SuppressWarnings("this-escape") // the twin only keeps the reference; it reads nothing from it until used
    protected Kernels(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        this.checked = true;
        this.twin = makeUncheckedTwin.apply(this);
        if (twin == null || twin.twin != this || twin.getClass() != getClass()) {
            throw new IllegalStateException(getClass().getName() + ": makeUncheckedTwin must return a new instance"
                    + " of the same class built with Kernels(checkedTwin) from this one, got " + twin);
        }
    }

    /**
     * Builds the unchecked twin of {@code checkedTwin}, from the function of {@link #Kernels(Function)}.
     *
     * @param checkedTwin the checked instance whose constructor is building this twin
     * @throws IllegalArgumentException when {@code checkedTwin} is not a checked instance in construction
     */
    protected Kernels(Kernels checkedTwin) {
        if (checkedTwin == null || !checkedTwin.checked || checkedTwin.twin != null) {
            throw new IllegalArgumentException("checkedTwin must be the checked instance that is building its twin");
        }
        this.checked = false;
        this.twin = checkedTwin;
    }

    /**
     * Whether this is the instance that validates every argument.
     *
     * @return true for the checked instance, false for its unchecked twin
     */
    public final boolean isChecked() {
        return checked;
    }

    /**
     * The checked instance of this implementation.
     *
     * @return this instance when it is checked, else its twin
     */
    public final Kernels checked() {
        return checked ? this : twin;
    }

    /**
     * The unchecked instance of this implementation, for callers that validated their shapes already (see the
     * class comment).
     *
     * @return this instance when it is unchecked, else its twin
     */
    public final Kernels unchecked() {
        return checked ? twin : this;
    }

    @Override // the implementation's name, marked when unchecked: "vector", "scalar (unchecked)"
    public String toString() {
        return checked ? name() : name() + " (unchecked)";
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

    // ---------------------------------------------------------------- BLAS level 1 and element-wise

    /**
     * Dot product {@code sum_i x[i] * y[i]} over n elements. Returns 0 for n = 0.
     *
     * @param n number of elements, >= 0
     * @param x the first vector
     * @param xOffset index in {@code x} of x[0]
     * @param y the second vector
     * @param yOffset index in {@code y} of y[0]
     * @return the dot product
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final float dot(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("dot", n, x, xOffset, y, yOffset);
        return dotImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #dot} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract float dotImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] += alpha * x[i]} for n elements.
     *
     * @param n number of elements, >= 0
     * @param alpha scale of x
     * @param x the vector added
     * @param xOffset index in {@code x} of x[0]
     * @param y the vector added to, in place
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void axpy(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("axpy", n, x, xOffset, y, yOffset);
        axpyImpl(n, alpha, x, xOffset, y, yOffset);
    }

    /** {@link #axpy} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void axpyImpl(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code x[i] *= alpha} for n elements (in place; alpha = 0 turns NaN into NaN, like a multiply).
     *
     * @param n number of elements, >= 0
     * @param alpha the factor
     * @param x the vector scaled in place
     * @param xOffset index in {@code x} of x[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void scale(int n, float alpha, float[] x, int xOffset) {
        if (checked) checkVector("scale", n, x, xOffset);
        scaleImpl(n, alpha, x, xOffset);
    }

    /** {@link #scale} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void scaleImpl(int n, float alpha, float[] x, int xOffset);

    /**
     * {@code x[i] = value} for n elements.
     *
     * @param n number of elements, >= 0
     * @param value the value every element receives
     * @param x the vector filled
     * @param xOffset index in {@code x} of x[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void fill(int n, float value, float[] x, int xOffset) {
        if (checked) checkVector("fill", n, x, xOffset);
        fillImpl(n, value, x, xOffset);
    }

    /** {@link #fill} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void fillImpl(int n, float value, float[] x, int xOffset);

    /**
     * {@code out[i] = a[i] + b[i]} for n elements.
     *
     * @param n number of elements, >= 0
     * @param a the first summand
     * @param aOffset index in {@code a} of a[0]
     * @param b the second summand
     * @param bOffset index in {@code b} of b[0]
     * @param out the output; may be a's or b's slice
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void add(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        if (checked) checkBinary("add", n, a, aOffset, b, bOffset, out, outOffset);
        addImpl(n, a, aOffset, b, bOffset, out, outOffset);
    }

    /** {@link #add} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void addImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset);

    /**
     * {@code x[i] = min(max(x[i], lo), hi)} in place for n elements (as {@code torch.clamp_}); NaN stays NaN.
     * Requires {@code lo <= hi}.
     *
     * @param n number of elements, >= 0
     * @param lo the lower bound
     * @param hi the upper bound, >= lo
     * @param x the vector clamped in place
     * @param xOffset index in {@code x} of x[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n, or lo > hi or either is NaN
     */
    public final void clamp(int n, float lo, float hi, float[] x, int xOffset) {
        if (checked) checkClamp(n, lo, hi, x, xOffset);
        clampImpl(n, lo, hi, x, xOffset);
    }

    /** {@link #clamp} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void clampImpl(int n, float lo, float hi, float[] x, int xOffset);

    /**
     * {@code max_i |x[i]|} over n elements: 0 for n = 0, NaN if any element is NaN.
     *
     * @param n number of elements, >= 0
     * @param x the vector
     * @param xOffset index in {@code x} of x[0]
     * @return the largest magnitude, 0 for n = 0, NaN if any element is NaN
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final float maxAbs(int n, float[] x, int xOffset) {
        if (checked) checkVector("maxAbs", n, x, xOffset);
        return maxAbsImpl(n, x, xOffset);
    }

    /** {@link #maxAbs} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract float maxAbsImpl(int n, float[] x, int xOffset);

    /**
     * {@code out[i] = a[i] * b[i]} for n elements (Hadamard product, e.g. a dropout mask).
     *
     * @param n number of elements, >= 0
     * @param a the first factor
     * @param aOffset index in {@code a} of a[0]
     * @param b the second factor
     * @param bOffset index in {@code b} of b[0]
     * @param out the output; may be a's or b's slice
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void mul(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        if (checked) checkBinary("mul", n, a, aOffset, b, bOffset, out, outOffset);
        mulImpl(n, a, aOffset, b, bOffset, out, outOffset);
    }

    /** {@link #mul} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void mulImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset);

    /**
     * Copies one row vector into every row of a matrix: {@code C[i][j] = row[j]} for a rows x cols matrix C with
     * leading dimension {@code ldc >= cols}. Used to start a product from its bias ({@code sgemm} with beta = 1).
     *
     * @param rows rows of C, >= 0
     * @param cols columns of C and elements of the row, >= 0
     * @param row the row vector (cols elements)
     * @param rowOffset index in {@code row} of row[0]
     * @param c the array holding C, the output
     * @param cOffset index in {@code c} of C's element (0, 0)
     * @param ldc leading dimension of C: distance between the starts of two rows, >= cols
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void broadcastRows(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset, int ldc) {
        if (checked) checkBroadcastRows(rows, cols, row, rowOffset, c, cOffset, ldc);
        broadcastRowsImpl(rows, cols, row, rowOffset, c, cOffset, ldc);
    }

    /** {@link #broadcastRows} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void broadcastRowsImpl(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset,
            int ldc);

    /**
     * Accumulates column sums: {@code out[j] += sum_i A[i][j]} for a rows x cols matrix A ({@code lda >= cols}).
     * Used for bias gradients summed over batch and time.
     *
     * @param rows rows of A, >= 0
     * @param cols columns of A and elements of out, >= 0
     * @param a the array holding A
     * @param aOffset index in {@code a} of A's element (0, 0)
     * @param lda leading dimension of A: distance between the starts of two rows, >= cols
     * @param out the column sums are added to its cols elements
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void sumRows(int rows, int cols, float[] a, int aOffset, int lda, float[] out, int outOffset) {
        if (checked) checkSumRows(rows, cols, a, aOffset, lda, out, outOffset);
        sumRowsImpl(rows, cols, a, aOffset, lda, out, outOffset);
    }

    /** {@link #sumRows} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sumRowsImpl(int rows, int cols, float[] a, int aOffset, int lda, float[] out,
            int outOffset);

    // ---------------------------------------------------------------- activations (x and y may be the same slice)

    /**
     * {@code y[i] = tanh(x[i])}; tanh(+-Inf) = +-1, tanh(-0) = -0, NaN stays NaN.
     *
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void tanh(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("tanh", n, x, xOffset, y, yOffset);
        tanhImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #tanh} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void tanhImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] = 1 / (1 + exp(-x[i]))}; sigmoid(-Inf) = 0, sigmoid(+Inf) = 1, NaN stays NaN.
     *
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void sigmoid(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("sigmoid", n, x, xOffset, y, yOffset);
        sigmoidImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #sigmoid} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sigmoidImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] = max(x[i], 0)} with NaN propagating (as {@code torch.relu}); relu(-0) may be +-0.
     *
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void relu(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("relu", n, x, xOffset, y, yOffset);
        reluImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #relu} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void reluImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] = exp(x[i])}; overflows to +Inf, underflows through subnormals to 0.
     *
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void exp(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("exp", n, x, xOffset, y, yOffset);
        expImpl(n, x, xOffset, y, yOffset);
    }

    /** {@link #exp} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void expImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * Backward of tanh given its output y: {@code dx[i] = dy[i] * (1 - y[i]^2)}. dx may be dy's slice.
     *
     * @param n number of elements, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of dy[0]
     * @param y the output of tanh
     * @param yOffset index in {@code y} of y[0]
     * @param dx the gradient of the input, the output; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void tanhBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        if (checked) checkActivationBackward("tanhBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        tanhBackwardImpl(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    /** {@link #tanhBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void tanhBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
            int dxOffset);

    /**
     * Backward of sigmoid given its output y: {@code dx[i] = dy[i] * y[i] * (1 - y[i])}. dx may be dy's slice.
     *
     * @param n number of elements, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of dy[0]
     * @param y the output of sigmoid
     * @param yOffset index in {@code y} of y[0]
     * @param dx the gradient of the input, the output; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void sigmoidBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
                                      int dxOffset) {
        if (checked) checkActivationBackward("sigmoidBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        sigmoidBackwardImpl(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    /** {@link #sigmoidBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sigmoidBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
            int dxOffset);

    /**
     * Backward of relu given its output y: {@code dx[i] = y[i] <= 0 ? 0 : dy[i]} (torch's {@code threshold_backward}:
     * a NaN output passes its gradient). dx may be dy's slice.
     *
     * @param n number of elements, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of dy[0]
     * @param y the output of relu
     * @param yOffset index in {@code y} of y[0]
     * @param dx the gradient of the input, the output; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void reluBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        if (checked) checkActivationBackward("reluBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        reluBackwardImpl(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    /** {@link #reluBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void reluBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
            int dxOffset);

    // ---------------------------------------------------------------- fused recurrent cells
    // Shapes: the gate inputs ig = x W_ih^T + b_ih and hg = h W_hh^T + b_hh are batch x (G * hidden) matrices with
    // contiguous rows (row stride G * hidden, G = 1 RNN, 3 GRU, 4 LSTM). Hidden states are batch x hidden matrices
    // with an explicit leading dimension (they may be a slice of a sequence output of width D * hidden). In the
    // forward kernels cell states and workspaces are contiguous (row stride hidden, resp. 4 * hidden). The backward
    // kernels take every operand as a MatrixSlice (array, offset, leading dimension): one argument per operand.

    /**
     * RNN cell with tanh: {@code h[b][j] = tanh(ig[b][j] + hg[b][j])}.
     * ig, hg: batch x hidden (contiguous rows); h: batch x hidden with leading dimension ldh.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of a hidden-state matrix, >= 0
     * @param ig the input gates x W_ih^T + b_ih, batch x hidden, contiguous rows
     * @param igOffset index in {@code ig} of its element (0, 0)
     * @param hg the hidden gates h W_hh^T + b_hh, batch x hidden, contiguous rows
     * @param hgOffset index in {@code hg} of its element (0, 0)
     * @param h the new hidden state, the output, batch x hidden
     * @param hOffset index in {@code h} of its element (0, 0)
     * @param ldh leading dimension of h: distance between the starts of two rows, >= hidden
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void rnnTanhCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                  float[] h, int hOffset, int ldh) {
        if (checked) checkRnnCell("rnnTanhCell", batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
        rnnTanhCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    /** {@link #rnnTanhCell} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void rnnTanhCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] h, int hOffset, int ldh);

    /**
     * RNN cell with relu: {@code h[b][j] = relu(ig[b][j] + hg[b][j])}; shapes as {@link #rnnTanhCell}.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of a hidden-state matrix, >= 0
     * @param ig the input gates x W_ih^T + b_ih, batch x hidden, contiguous rows
     * @param igOffset index in {@code ig} of its element (0, 0)
     * @param hg the hidden gates h W_hh^T + b_hh, batch x hidden, contiguous rows
     * @param hgOffset index in {@code hg} of its element (0, 0)
     * @param h the new hidden state, the output, batch x hidden
     * @param hOffset index in {@code h} of its element (0, 0)
     * @param ldh leading dimension of h: distance between the starts of two rows, >= hidden
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void rnnReluCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                  float[] h, int hOffset, int ldh) {
        if (checked) checkRnnCell("rnnReluCell", batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
        rnnReluCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    /** {@link #rnnReluCell} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void rnnReluCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] h, int hOffset, int ldh);

    /**
     * Backward of {@link #rnnTanhCell}: {@code dGates[b][j] = dh[b][j] * (1 - h[b][j]^2)}, the gradient of the
     * pre-activation (equal for ig and hg). Every operand is a batch x hidden {@link MatrixSlice} with its own
     * leading dimension.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of every matrix, >= 0
     * @param dh the gradient of the cell's output
     * @param h the cell's output
     * @param dGates the gradient of the pre-activation, the output
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a slice or its array
     *         is null or too short, a leading dimension is below its row length, or one slice object is passed
     *         for two operands
     */
    public final void rnnTanhCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice h, MatrixSlice dGates) {
        if (checked) checkRnnCellBackward("rnnTanhCellBackward", batch, hidden, dh, h, dGates);
        rnnTanhCellBackwardImpl(batch, hidden, dh, h, dGates);
    }

    /** {@link #rnnTanhCellBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void rnnTanhCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h,
            MatrixSlice dGates);

    /**
     * Backward of {@link #rnnReluCell}: {@code dGates[b][j] = h[b][j] > 0 ? dh[b][j] : 0}; operands as
     * {@link #rnnTanhCellBackward}.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of every matrix, >= 0
     * @param dh the gradient of the cell's output
     * @param h the cell's output
     * @param dGates the gradient of the pre-activation, the output
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a slice or its array
     *         is null or too short, a leading dimension is below its row length, or one slice object is passed
     *         for two operands
     */
    public final void rnnReluCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice h, MatrixSlice dGates) {
        if (checked) checkRnnCellBackward("rnnReluCellBackward", batch, hidden, dh, h, dGates);
        rnnReluCellBackwardImpl(batch, hidden, dh, h, dGates);
    }

    /** {@link #rnnReluCellBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void rnnReluCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h,
            MatrixSlice dGates);

    /**
     * GRU cell in PyTorch's order, gate rows r | z | n:
     * <pre>
     * r  = sigmoid(ig_r + hg_r)
     * z  = sigmoid(ig_z + hg_z)
     * n  = tanh(ig_n + r * hg_n)          (hg_n already holds b_hn)
     * h' = (h - n) * z + n                (= (1 - z) * n + z * h)
     * </pre>
     * ig, hg: batch x 3·hidden (contiguous rows); hPrev: batch x hidden, leading dimension ldhPrev; h: output,
     * leading dimension ldh (may not overlap hPrev). When {@code workspace} is not null, row b of the
     * batch x 4·hidden workspace receives r | z | n | hg_n for {@link #gruCellBackward}. When it is null, ig is
     * consumed: its r | z columns receive the activated r | z (so the kernel needs no scratch memory); ig is left
     * unchanged when a workspace is given.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of a hidden-state matrix, >= 0
     * @param ig the input gates x W_ih^T + b_ih (consumed when workspace is null), batch x 3·hidden, contiguous rows
     * @param igOffset index in {@code ig} of its element (0, 0)
     * @param hg the hidden gates h W_hh^T + b_hh, batch x 3·hidden, contiguous rows
     * @param hgOffset index in {@code hg} of its element (0, 0)
     * @param hPrev the previous hidden state, batch x hidden
     * @param hPrevOffset index in {@code hPrev} of its element (0, 0)
     * @param ldhPrev leading dimension of hPrev: distance between the starts of two rows, >= hidden
     * @param h the new hidden state, the output; may not overlap hPrev, batch x hidden
     * @param hOffset index in {@code h} of its element (0, 0)
     * @param ldh leading dimension of h: distance between the starts of two rows, >= hidden
     * @param workspace batch x 4·hidden, contiguous, receiving what the backward needs; or null (ig is consumed)
     * @param workspaceOffset index in {@code workspace} of its element (0, 0); unused when it is null
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void gruCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                              float[] hPrev, int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh,
                              float[] workspace, int workspaceOffset) {
        if (checked) {
            checkGruCell(batch, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hOffset,
                    ldh, workspace, workspaceOffset);
        }
        gruCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hOffset, ldh,
                workspace, workspaceOffset);
    }

    /** {@link #gruCell} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void gruCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] hPrev, int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh, float[] workspace,
            int workspaceOffset);

    /**
     * Backward of {@link #gruCell}. Given dh (the gradient of h'), hPrev and the workspace the forward wrote,
     * writes the pre-activation gradients:
     * <pre>
     * dn~ = dh * (1 - z) * (1 - n^2)           dIg_n = dn~          dHg_n = dn~ * r
     * dr~ = dn~ * hg_n * r * (1 - r)           dIg_r = dHg_r = dr~
     * dz~ = dh * (h - n) * z * (1 - z)         dIg_z = dHg_z = dz~
     * </pre>
     * and the direct part of the previous hidden state's gradient {@code dhPrev = dh * z} (overwritten); the caller
     * adds {@code dHg W_hh} to it. Every operand is a {@link MatrixSlice} with its own leading dimension.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size, >= 0
     * @param dh the gradient of h', batch x hidden
     * @param hPrev the previous hidden state the forward read, batch x hidden
     * @param workspace what the forward saved, batch x 4·hidden: r | z | n | hg_n
     * @param dIg the gradient of ig, the output, batch x 3·hidden
     * @param dHg the gradient of hg, the output, batch x 3·hidden
     * @param dhPrev the direct part of the gradient of hPrev, the output, batch x hidden
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a slice or its array
     *         is null or too short, a leading dimension is below its row length, or one slice object is passed
     *         for two operands
     */
    public final void gruCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice hPrev, MatrixSlice workspace,
                                      MatrixSlice dIg, MatrixSlice dHg, MatrixSlice dhPrev) {
        if (checked) checkGruCellBackward(batch, hidden, dh, hPrev, workspace, dIg, dHg, dhPrev);
        gruCellBackwardImpl(batch, hidden, dh, hPrev, workspace, dIg, dHg, dhPrev);
    }

    /** {@link #gruCellBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void gruCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice hPrev,
            MatrixSlice workspace, MatrixSlice dIg, MatrixSlice dHg, MatrixSlice dhPrev);

    /**
     * LSTM cell in PyTorch's order, gate rows i | f | g | o:
     * <pre>
     * i = sigmoid(ig_i + hg_i)   f = sigmoid(ig_f + hg_f)   g = tanh(ig_g + hg_g)   o = sigmoid(ig_o + hg_o)
     * c' = f * c + i * g
     * h' = o * tanh(c')
     * </pre>
     * ig, hg: batch x 4·hidden (contiguous rows); cPrev, c: batch x hidden, contiguous (c may be cPrev's slice);
     * h: batch x hidden, leading dimension ldh. When {@code workspace} is not null, row b of the batch x 4·hidden
     * workspace receives the activated gates i | f | g | o for {@link #lstmCellBackward}. When it is null, ig is
     * consumed: it receives the activated gates i | f | g | o instead (so the kernel needs no scratch memory); ig
     * is left unchanged when a workspace is given.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of a hidden-state matrix, >= 0
     * @param ig the input gates x W_ih^T + b_ih (consumed when workspace is null), batch x 4·hidden, contiguous rows
     * @param igOffset index in {@code ig} of its element (0, 0)
     * @param hg the hidden gates h W_hh^T + b_hh, batch x 4·hidden, contiguous rows
     * @param hgOffset index in {@code hg} of its element (0, 0)
     * @param cPrev the previous cell state, batch x hidden, contiguous
     * @param cPrevOffset index in {@code cPrev} of its element (0, 0)
     * @param c the new cell state, the output; may be cPrev's slice, batch x hidden, contiguous
     * @param cOffset index in {@code c} of its element (0, 0)
     * @param h the new hidden state, the output, batch x hidden
     * @param hOffset index in {@code h} of its element (0, 0)
     * @param ldh leading dimension of h: distance between the starts of two rows, >= hidden
     * @param workspace batch x 4·hidden, contiguous, receiving what the backward needs; or null (ig is consumed)
     * @param workspaceOffset index in {@code workspace} of its element (0, 0); unused when it is null
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void lstmCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                               float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset,
                               int ldh, float[] workspace, int workspaceOffset) {
        if (checked) {
            checkLstmCell(batch, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset, h,
                    hOffset, ldh, workspace, workspaceOffset);
        }
        lstmCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset, h, hOffset, ldh,
                workspace, workspaceOffset);
    }

    /** {@link #lstmCell} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void lstmCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
            float[] workspace, int workspaceOffset);

    /**
     * Backward of {@link #lstmCell}. Given dh (the gradient of h'), dc (the gradient of c' from later steps),
     * cPrev, c' and the workspace the forward wrote, writes the pre-activation gradients dGates (equal for ig and
     * hg) and replaces dc by the gradient of cPrev:
     * <pre>
     * t = tanh(c')                 dc~ = dc + dh * o * (1 - t^2)
     * dI = dc~ * g * i (1 - i)     dF = dc~ * cPrev * f (1 - f)
     * dG = dc~ * i * (1 - g^2)     dO = dh * t * o (1 - o)
     * dc := dc~ * f
     * </pre>
     * Every operand is a {@link MatrixSlice} with its own leading dimension.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size, >= 0
     * @param dh the gradient of h', batch x hidden
     * @param dc the gradient of c' from later steps, replaced by that of cPrev, batch x hidden
     * @param cPrev the previous cell state the forward read, batch x hidden
     * @param c the cell state c' the forward wrote, batch x hidden
     * @param workspace what the forward saved, batch x 4·hidden: the activated gates i | f | g | o
     * @param dGates the gradient of the pre-activation gates, the output, batch x 4·hidden
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a slice or its array
     *         is null or too short, a leading dimension is below its row length, or one slice object is passed
     *         for two operands
     */
    public final void lstmCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice dc, MatrixSlice cPrev,
                                       MatrixSlice c, MatrixSlice workspace, MatrixSlice dGates) {
        if (checked) checkLstmCellBackward(batch, hidden, dh, dc, cPrev, c, workspace, dGates);
        lstmCellBackwardImpl(batch, hidden, dh, dc, cPrev, c, workspace, dGates);
    }

    /** {@link #lstmCellBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void lstmCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice dc,
            MatrixSlice cPrev, MatrixSlice c, MatrixSlice workspace, MatrixSlice dGates);

    /**
     * A whole recurrence of one layer and direction over {@code batch} sequences of equal length, for inference (no
     * workspace, nothing kept for a backward): for {@code s = 0 .. steps - 1} and step
     * {@code t = reverse ? steps - 1 - s : s},
     * <pre>
     * hg  = hPrev W_hh^T + b_hh             ({@link #broadcastRows} of b_hh, then {@link #sgemmPacked} with m = batch)
     * h_t = cell(ig_t, hg, hPrev [, c])     the cell kernel of {@code cell} with {@code batch} rows, no workspace
     * </pre>
     * where hPrev is h0 at the first step and the previous step's rows of h after it: the same operations as those
     * calls made step by step, with the same bits. G = {@code cell.gates()}. Row b of step t is sequence b's; the
     * sequences never mix. h may not overlap ig, h0, c or hg. An implementation may use two threads
     * ({@link KernelThreads}): at batch 1 splitting each step's hidden units, from batch 2 on giving each thread its
     * own sequences for the whole time loop; the bits stay the same.
     *
     * @param cell which cell kernel each step runs (and so G and the gate order)
     * @param reverse whether the steps run from the last to the first (the reverse direction of a layer)
     * @param steps number of time steps, >= 0
     * @param batch number of sequences, >= 0
     * @param hidden hidden size H, >= 0
     * @param ig the input gates, (steps * batch) x G*H contiguous: row {@code t * batch + b} =
     *           {@code x_t[b] W_ih^T + b_ih}
     * @param igOffset index in {@code ig} of row 0
     * @param whh W_hh^T packed by {@link #packB} of this implementation (H x G*H)
     * @param bhh b_hh (G*H), or null for no bias
     * @param bhhOffset index in {@code bhh} of its first element
     * @param h0 the initial hidden states, batch x H contiguous
     * @param h0Offset index in {@code h0} of row 0
     * @param c LSTM only (ignored otherwise, may be null): c_0 (batch x H contiguous) on entry, the last step's c on
     *          return
     * @param cOffset index in {@code c} of row 0
     * @param h receives every step's h_t, (steps * batch) x H with leading dimension ldh, row
     *          {@code t * batch + b} for sequence b at step t
     * @param hOffset index in {@code h} of row 0
     * @param ldh distance between the starts of two rows of h, >= H
     * @param hg scratch of batch x G*H floats for the hidden gates
     * @param hgOffset index in {@code hg} of the scratch's first element
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, {@code whh} has the wrong shape or comes from the other implementation, or a
     *         leading dimension is below its row length
     */
    public final void recurrentSequence(CellKind cell, boolean reverse, int steps, int batch, int hidden, float[] ig,
                                        int igOffset, PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0,
                                        int h0Offset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                                        float[] hg, int hgOffset) {
        if (checked) {
            checkRecurrentSequence(cell, steps, batch, hidden, ig, igOffset, whh, bhh, bhhOffset, h0, h0Offset, c,
                    cOffset, h, hOffset, ldh, hg, hgOffset);
        }
        recurrentSequenceImpl(cell, reverse, steps, batch, hidden, ig, igOffset, whh, bhh, bhhOffset, h0, h0Offset,
                c, cOffset, h, hOffset, ldh, hg, hgOffset);
    }

    /** {@link #recurrentSequence} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void recurrentSequenceImpl(CellKind cell, boolean reverse, int steps, int batch, int hidden,
            float[] ig, int igOffset, PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset,
            float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] hg, int hgOffset);

    // ---------------------------------------------------------------- row-wise softmax family (for losses)

    /**
     * {@code out[i] = log sum_j exp(x[i][j])} for a rows x cols matrix (ldx >= cols), computed as
     * {@code max_i + log sum_j exp(x[i][j] - max_i)}; like {@code torch.logsumexp}, a row of all -Inf gives -Inf, a
     * row with +Inf gives +Inf, a row with NaN gives NaN, and cols = 0 gives -Inf.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols columns of the matrices, >= 0
     * @param x the input matrix
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param ldx leading dimension of x: distance between the starts of two rows, >= cols
     * @param out the output: rows elements, one per row of x
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void logSumExp(int rows, int cols, float[] x, int xOffset, int ldx, float[] out, int outOffset) {
        if (checked) checkLogSumExp(rows, cols, x, xOffset, ldx, out, outOffset);
        logSumExpImpl(rows, cols, x, xOffset, ldx, out, outOffset);
    }

    /** {@link #logSumExp} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void logSumExpImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] out,
            int outOffset);

    /**
     * {@code y[i][j] = exp(x[i][j] - max_i) / S_i} with {@code S_i = sum_j exp(x[i][j] - max_i)}, PyTorch's order;
     * a row containing +Inf or NaN, or of all -Inf, becomes all NaN as in PyTorch. x and y may be the same slice
     * with the same ld.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols columns of the matrices, >= 0
     * @param x the input matrix
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param ldx leading dimension of x: distance between the starts of two rows, >= cols
     * @param y the output matrix; may be x's slice with the same ld
     * @param yOffset index in {@code y} of its element (0, 0)
     * @param ldy leading dimension of y: distance between the starts of two rows, >= cols
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void softmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        if (checked) checkRowwise("softmax", rows, cols, x, xOffset, ldx, y, yOffset, ldy);
        softmaxImpl(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }

    /** {@link #softmax} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void softmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset,
            int ldy);

    /**
     * {@code y[i][j] = (x[i][j] - max_i) - log S_i} (S_i as in {@link #softmax}), PyTorch's order; special rows as
     * in {@link #softmax}. x and y may be the same slice with the same ld.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols columns of the matrices, >= 0
     * @param x the input matrix
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param ldx leading dimension of x: distance between the starts of two rows, >= cols
     * @param y the output matrix; may be x's slice with the same ld
     * @param yOffset index in {@code y} of its element (0, 0)
     * @param ldy leading dimension of y: distance between the starts of two rows, >= cols
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void logSoftmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        if (checked) checkRowwise("logSoftmax", rows, cols, x, xOffset, ldx, y, yOffset, ldy);
        logSoftmaxImpl(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }

    /** {@link #logSoftmax} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void logSoftmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y,
            int yOffset, int ldy);

    /**
     * Backward of {@link #logSoftmax} given its output y:
     * {@code dx[i][j] = dy[i][j] - exp(y[i][j]) * sum_k dy[i][k]}. dx may be dy's slice with the same ld.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols columns of the matrices, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of its element (0, 0)
     * @param lddy leading dimension of dy: distance between the starts of two rows, >= cols
     * @param y the output of {@link #logSoftmax}
     * @param yOffset index in {@code y} of its element (0, 0)
     * @param ldy leading dimension of y: distance between the starts of two rows, >= cols
     * @param dx the gradient of the input, the output; may be dy's slice with the same ld
     * @param dxOffset index in {@code dx} of its element (0, 0)
     * @param lddx leading dimension of dx: distance between the starts of two rows, >= cols
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void logSoftmaxBackward(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y,
                                         int yOffset, int ldy, float[] dx, int dxOffset, int lddx) {
        if (checked) checkLogSoftmaxBackward(rows, cols, dy, dyOffset, lddy, y, yOffset, ldy, dx, dxOffset, lddx);
        logSoftmaxBackwardImpl(rows, cols, dy, dyOffset, lddy, y, yOffset, ldy, dx, dxOffset, lddx);
    }

    /** {@link #logSoftmaxBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void logSoftmaxBackwardImpl(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y,
            int yOffset, int ldy, float[] dx, int dxOffset, int lddx);

    // ---------------------------------------------------------------- layer normalisation and element-wise losses
    // Contiguous operands: a rows x cols matrix has row stride cols; per-row statistics are rows-element vectors.

    /**
     * Layer normalisation of each row of a contiguous rows x cols matrix ({@code torch.nn.functional.layer_norm}
     * over the trailing cols elements), in this order:
     * <pre>
     * mean_i  = (sum_j x[i][j]) / cols
     * var_i   = (sum_j (x[i][j] - mean_i)^2) / cols          (biased, as PyTorch)
     * rstd_i  = 1 / sqrt(var_i + eps)
     * y[i][j] = ((x[i][j] - mean_i) * rstd_i) * gamma[j] + beta[j]
     * </pre>
     * A null {@code gamma} stands for ones and a null {@code beta} for zeros (no elementwise affine). mean and rstd
     * receive mean_i and rstd_i, the inputs of {@link #layerNormBackward}. NaN propagates through its row; cols = 0
     * gives mean and rstd NaN for every row (0 / 0) and writes no y.
     *
     * @param rows rows of x and y, >= 0
     * @param cols the normalised width, >= 0
     * @param eps added to the variance, >= 0 and finite
     * @param x the input, rows x cols contiguous
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param gamma the scale, cols elements, or null for ones
     * @param gammaOffset index in {@code gamma} of gamma[0]
     * @param beta the shift, cols elements, or null for zeros
     * @param betaOffset index in {@code beta} of beta[0]
     * @param y the output, rows x cols contiguous; may be x's slice
     * @param yOffset index in {@code y} of its element (0, 0)
     * @param mean the row means, rows elements, overwritten
     * @param meanOffset index in {@code mean} of mean[0]
     * @param rstd the rows' reciprocal standard deviations, rows elements, overwritten
     * @param rstdOffset index in {@code rstd} of rstd[0]
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, eps is negative or not
     *         finite, a required array is null or too short for its slice
     */
    public final void layerNorm(int rows, int cols, float eps, float[] x, int xOffset, float[] gamma, int gammaOffset,
                                float[] beta, int betaOffset, float[] y, int yOffset, float[] mean, int meanOffset,
                                float[] rstd, int rstdOffset) {
        if (checked) {
            NormAndLossChecks.checkLayerNorm(rows, cols, eps, x, xOffset, gamma, gammaOffset, beta, betaOffset, y,
                    yOffset, mean, meanOffset, rstd, rstdOffset);
        }
        layerNormImpl(rows, cols, eps, x, xOffset, gamma, gammaOffset, beta, betaOffset, y, yOffset, mean, meanOffset,
                rstd, rstdOffset);
    }

    /** {@link #layerNorm} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void layerNormImpl(int rows, int cols, float eps, float[] x, int xOffset, float[] gamma,
            int gammaOffset, float[] beta, int betaOffset, float[] y, int yOffset, float[] mean, int meanOffset,
            float[] rstd, int rstdOffset);

    /**
     * Backward of {@link #layerNorm} given its saved mean and rstd, in this order (n = cols):
     * <pre>
     * xhat[i][j] = (x[i][j] - mean_i) * rstd_i
     * g[i][j]    = dy[i][j] * gamma[j]                       (dy[i][j] when gamma is null)
     * a_i        = (sum_j g[i][j]) / n
     * b_i        = (sum_j g[i][j] * xhat[i][j]) / n
     * dx[i][j]   = ((g[i][j] - a_i) - xhat[i][j] * b_i) * rstd_i
     * dgamma[j]  = sum_i dy[i][j] * xhat[i][j]               (overwritten; 0 when rows = 0)
     * dbeta[j]   = sum_i dy[i][j]                            (overwritten; 0 when rows = 0)
     * </pre>
     * Each of dx, dgamma and dbeta may be null, and is then not computed.
     *
     * @param rows rows of the matrices, >= 0
     * @param cols the normalised width, >= 0
     * @param dy the gradient of y, rows x cols contiguous
     * @param dyOffset index in {@code dy} of its element (0, 0)
     * @param x the forward input, rows x cols contiguous
     * @param xOffset index in {@code x} of its element (0, 0)
     * @param mean the forward's row means, rows elements
     * @param meanOffset index in {@code mean} of mean[0]
     * @param rstd the forward's reciprocal standard deviations, rows elements
     * @param rstdOffset index in {@code rstd} of rstd[0]
     * @param gamma the forward's scale, cols elements, or null for ones
     * @param gammaOffset index in {@code gamma} of gamma[0]
     * @param dx the gradient of x, rows x cols contiguous, or null; may be dy's slice
     * @param dxOffset index in {@code dx} of its element (0, 0)
     * @param dgamma the gradient of gamma, cols elements, or null
     * @param dgammaOffset index in {@code dgamma} of dgamma[0]
     * @param dbeta the gradient of beta, cols elements, or null
     * @param dbetaOffset index in {@code dbeta} of dbeta[0]
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a required array is
     *         null or an array too short for its slice
     */
    public final void layerNormBackward(int rows, int cols, float[] dy, int dyOffset, float[] x, int xOffset,
                                        float[] mean, int meanOffset, float[] rstd, int rstdOffset, float[] gamma,
                                        int gammaOffset, float[] dx, int dxOffset, float[] dgamma, int dgammaOffset,
                                        float[] dbeta, int dbetaOffset) {
        if (checked) {
            NormAndLossChecks.checkLayerNormBackward(rows, cols, dy, dyOffset, x, xOffset, mean, meanOffset, rstd,
                    rstdOffset, gamma, gammaOffset, dx, dxOffset, dgamma, dgammaOffset, dbeta, dbetaOffset);
        }
        layerNormBackwardImpl(rows, cols, dy, dyOffset, x, xOffset, mean, meanOffset, rstd, rstdOffset, gamma,
                gammaOffset, dx, dxOffset, dgamma, dgammaOffset, dbeta, dbetaOffset);
    }

    /** {@link #layerNormBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void layerNormBackwardImpl(int rows, int cols, float[] dy, int dyOffset, float[] x,
            int xOffset, float[] mean, int meanOffset, float[] rstd, int rstdOffset, float[] gamma, int gammaOffset,
            float[] dx, int dxOffset, float[] dgamma, int dgammaOffset, float[] dbeta, int dbetaOffset);

    /**
     * Per-element {@code torch.nn.BCEWithLogitsLoss} (reduction 'none') in PyTorch's overflow-free form, in this
     * order (softplus(-x) = log(1 + e^-x) without overflow):
     * <pre>
     * m      = max(-x, 0)
     * s      = log(exp(-m) + exp(-x - m)) + m
     * out    = ((1 - t) * x + lw * s) * w,    lw = (pw - 1) * t + 1
     * </pre>
     * A null {@code weight} stands for w = 1 and a null {@code posWeight} for pw = 1 (then {@code lw * s} is
     * {@code s}: no multiplication). Logits of any size stay finite: x = +-100 gives 100 or about 0, never Inf.
     *
     * @param n number of elements, >= 0
     * @param x the logits
     * @param xOffset index in {@code x} of x[0]
     * @param t the targets (probabilities, usually 0 or 1)
     * @param tOffset index in {@code t} of t[0]
     * @param weight the per-element weights, or null
     * @param weightOffset index in {@code weight} of its first element
     * @param posWeight the per-element weights of the positive term, or null
     * @param posWeightOffset index in {@code posWeight} of its first element
     * @param out the losses; may be x's or t's slice
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, a required array is null
     *         or an array too short for its slice
     */
    public final void bceWithLogits(int n, float[] x, int xOffset, float[] t, int tOffset, float[] weight,
                                    int weightOffset, float[] posWeight, int posWeightOffset, float[] out,
                                    int outOffset) {
        if (checked) {
            NormAndLossChecks.checkBceWithLogits(n, x, xOffset, t, tOffset, weight, weightOffset, posWeight,
                    posWeightOffset, out, outOffset);
        }
        bceWithLogitsImpl(n, x, xOffset, t, tOffset, weight, weightOffset, posWeight, posWeightOffset, out,
                outOffset);
    }

    /** {@link #bceWithLogits} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void bceWithLogitsImpl(int n, float[] x, int xOffset, float[] t, int tOffset, float[] weight,
            int weightOffset, float[] posWeight, int posWeightOffset, float[] out, int outOffset);

    /**
     * Backward of {@link #bceWithLogits} with respect to the logits, PyTorch's formula, in this order:
     * <pre>
     * without pw:  dx = ((sigmoid(x) - t) * dy) * w
     * with pw:     dx = (((pt + 1 - t) * sigmoid(x) - pt) * dy) * w,    pt = pw * t,  (pt + 1) - t left to right
     * </pre>
     * A null {@code weight} stands for w = 1 (no multiplication).
     *
     * @param n number of elements, >= 0
     * @param dy the gradient of each loss element (for 'mean' the upstream gradient divided by the count)
     * @param dyOffset index in {@code dy} of dy[0]
     * @param x the logits
     * @param xOffset index in {@code x} of x[0]
     * @param t the targets
     * @param tOffset index in {@code t} of t[0]
     * @param weight the per-element weights, or null
     * @param weightOffset index in {@code weight} of its first element
     * @param posWeight the per-element weights of the positive term, or null
     * @param posWeightOffset index in {@code posWeight} of its first element
     * @param dx the gradient of the logits; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, a required array is null
     *         or an array too short for its slice
     */
    public final void bceWithLogitsBackward(int n, float[] dy, int dyOffset, float[] x, int xOffset, float[] t,
                                            int tOffset, float[] weight, int weightOffset, float[] posWeight,
                                            int posWeightOffset, float[] dx, int dxOffset) {
        if (checked) {
            NormAndLossChecks.checkBceWithLogitsBackward(n, dy, dyOffset, x, xOffset, t, tOffset, weight,
                    weightOffset, posWeight, posWeightOffset, dx, dxOffset);
        }
        bceWithLogitsBackwardImpl(n, dy, dyOffset, x, xOffset, t, tOffset, weight, weightOffset, posWeight,
                posWeightOffset, dx, dxOffset);
    }

    /** {@link #bceWithLogitsBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void bceWithLogitsBackwardImpl(int n, float[] dy, int dyOffset, float[] x, int xOffset,
            float[] t, int tOffset, float[] weight, int weightOffset, float[] posWeight, int posWeightOffset,
            float[] dx, int dxOffset);

    /**
     * Per-element {@code torch.nn.SmoothL1Loss(beta)} (reduction 'none'), PyTorch's CPU order:
     * {@code z = |x - t|}, {@code out = z < beta ? ((0.5 * z) * z) / beta : z - 0.5 * beta}. beta = 0 is
     * {@code torch.nn.L1Loss}: {@code out = |x - t|} exactly.
     *
     * @param n number of elements, >= 0
     * @param beta the threshold between the quadratic and the linear part, >= 0 and finite
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param t the target
     * @param tOffset index in {@code t} of t[0]
     * @param out the losses; may be x's or t's slice
     * @param outOffset index in {@code out} of out[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, beta is negative or not
     *         finite, an array is null or too short for its slice
     */
    public final void smoothL1(int n, float beta, float[] x, int xOffset, float[] t, int tOffset, float[] out,
                               int outOffset) {
        if (checked) NormAndLossChecks.checkSmoothL1(n, beta, x, xOffset, t, tOffset, out, outOffset);
        smoothL1Impl(n, beta, x, xOffset, t, tOffset, out, outOffset);
    }

    /** {@link #smoothL1} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void smoothL1Impl(int n, float beta, float[] x, int xOffset, float[] t, int tOffset,
            float[] out, int outOffset);

    /**
     * Backward of {@link #smoothL1} with respect to x, PyTorch's CPU formula: with {@code d = x - t},
     * {@code dx = d <= -beta ? -dy : d >= beta ? dy : (d * dy) / beta}, tested in that order, so at beta = 0 a tie
     * d = 0 gives -dy (as {@code SmoothL1Loss(beta=0)}'s gradient in PyTorch, unlike L1Loss's 0). NaN propagates.
     * PyTorch's gradient with respect to t is this kernel with x and t swapped.
     *
     * @param n number of elements, >= 0
     * @param beta the forward's threshold, >= 0 and finite
     * @param dy the gradient of each loss element
     * @param dyOffset index in {@code dy} of dy[0]
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param t the target
     * @param tOffset index in {@code t} of t[0]
     * @param dx the gradient of x; may be dy's slice
     * @param dxOffset index in {@code dx} of dx[0]
     * @throws IllegalArgumentException on a checked instance, as {@link #smoothL1}
     */
    public final void smoothL1Backward(int n, float beta, float[] dy, int dyOffset, float[] x, int xOffset, float[] t,
                                       int tOffset, float[] dx, int dxOffset) {
        if (checked) {
            NormAndLossChecks.checkSmoothL1Backward(n, beta, dy, dyOffset, x, xOffset, t, tOffset, dx, dxOffset);
        }
        smoothL1BackwardImpl(n, beta, dy, dyOffset, x, xOffset, t, tOffset, dx, dxOffset);
    }

    /** {@link #smoothL1Backward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void smoothL1BackwardImpl(int n, float beta, float[] dy, int dyOffset, float[] x, int xOffset,
            float[] t, int tOffset, float[] dx, int dxOffset);

    // ---------------------------------------------------------------- optimizer updates (one pass per parameter)

    /**
     * One step of {@code torch.optim.SGD} on n elements, in PyTorch's order:
     * <pre>
     * d = g + weightDecay * p                                  (when weightDecay != 0)
     * if momentum != 0:
     *     buf = firstStep ? d : momentum * buf + (1 - dampening) * d
     *     d   = nesterov ? d + momentum * buf : buf
     * p = p - lr * d
     * </pre>
     * The gradient is left unchanged; {@code momentumBuffer} (n elements, updated in place) is only read or written
     * when momentum != 0 and may be null otherwise.
     *
     * @param n number of elements, >= 0
     * @param param the parameters p, updated in place
     * @param paramOffset index in {@code param} of param[0]
     * @param grad their gradient g, only read
     * @param gradOffset index in {@code grad} of grad[0]
     * @param momentumBuffer the momentum buffer, updated in place; read only when momentum != 0, may be null otherwise
     * @param momentumOffset index in {@code momentumBuffer} of its first element
     * @param lr the learning rate
     * @param momentum the momentum factor, 0 for none
     * @param dampening the dampening of the momentum
     * @param weightDecay the L2 penalty added to the gradient, 0 for none
     * @param nesterov whether to use Nesterov momentum
     * @param firstStep whether this is the buffer's first step (it is then set to d, not updated)
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n (momentumBuffer when momentum != 0)
     */
    public final void sgdStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
                              float[] momentumBuffer, int momentumOffset, float lr, float momentum, float dampening,
                              float weightDecay, boolean nesterov, boolean firstStep) {
        if (checked) checkSgdStep(n, param, paramOffset, grad, gradOffset, momentum, momentumBuffer, momentumOffset);
        sgdStepImpl(n, param, paramOffset, grad, gradOffset, momentumBuffer, momentumOffset, lr, momentum, dampening,
                weightDecay, nesterov, firstStep);
    }

    /** {@link #sgdStep} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sgdStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
            float[] momentumBuffer, int momentumOffset, float lr, float momentum, float dampening, float weightDecay,
            boolean nesterov, boolean firstStep);

    /**
     * One step of {@code torch.optim.Adam} / {@code AdamW} on n elements, in PyTorch's order:
     * <pre>
     * p = paramScale * p                     (AdamW's decoupled decay: paramScale = 1 - lr * weight_decay, else 1)
     * g' = g + gradDecay * p                 (Adam's L2 decay: gradDecay = weight_decay, else 0)
     * m = beta1 * m + (1 - beta1) * g'
     * v = beta2 * v + (1 - beta2) * g' * g'
     * vmax = max(vmax, v), and vmax replaces v below   (amsgrad: only when maxExpAvgSq is not null)
     * p = p - stepSize * m / (sqrt(v) / biasCorrection2Sqrt + eps)
     * </pre>
     * The caller computes, in double as PyTorch does, {@code stepSize = lr / (1 - beta1^t)} and
     * {@code biasCorrection2Sqrt = sqrt(1 - beta2^t)} for step t (1-based). m, v and vmax are updated in place;
     * the gradient is left unchanged.
     *
     * @param n number of elements, >= 0
     * @param param the parameters p, updated in place
     * @param paramOffset index in {@code param} of param[0]
     * @param grad their gradient g, only read
     * @param gradOffset index in {@code grad} of grad[0]
     * @param expAvg the first moment m, updated in place
     * @param expAvgOffset index in {@code expAvg} of expAvg[0]
     * @param expAvgSq the second moment v, updated in place
     * @param expAvgSqOffset index in {@code expAvgSq} of expAvgSq[0]
     * @param maxExpAvgSq the running maximum vmax of v for amsgrad, updated in place; null without amsgrad
     * @param maxExpAvgSqOffset index in {@code maxExpAvgSq} of its first element; unused when it is null
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps the term added to the denominator
     * @param paramScale factor applied to p first: 1 - lr * weight_decay for AdamW, else 1
     * @param gradDecay the L2 penalty added to the gradient: weight_decay for Adam, else 0
     * @param stepSize lr / (1 - beta1^t), computed by the caller in double
     * @param biasCorrection2Sqrt sqrt(1 - beta2^t), computed by the caller in double
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n (maxExpAvgSq when not null)
     */
    public final void adamStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] expAvg,
                               int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
                               int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale,
                               float gradDecay, float stepSize, float biasCorrection2Sqrt) {
        if (checked) {
            checkAdamStep(n, param, paramOffset, grad, gradOffset, expAvg, expAvgOffset, expAvgSq,
                    expAvgSqOffset, maxExpAvgSq, maxExpAvgSqOffset);
        }
        adamStepImpl(n, param, paramOffset, grad, gradOffset, expAvg, expAvgOffset, expAvgSq, expAvgSqOffset,
                maxExpAvgSq, maxExpAvgSqOffset, beta1, beta2, eps, paramScale, gradDecay, stepSize,
                biasCorrection2Sqrt);
    }

    /** {@link #adamStep} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void adamStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
            float[] expAvg, int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
            int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale, float gradDecay,
            float stepSize, float biasCorrection2Sqrt);

    // ---------------------------------------------------------------- strided data movement (tensor shape ops)
    //
    // An operand of these kernels is an n-dimensional strided view: an array, the offset of element (0, ..., 0) and
    // one non-negative stride per dimension, so element (i0, ..., ik) is x[offset + i0 * stride0 + ... + ik * strideK].
    // A stride of 0 repeats an element along its dimension (broadcasting). All operands share the index space
    // `sizes` (rank >= 1), walked in row-major order; the output must not overlap an input.

    /**
     * Strided copy {@code dst[i] = src[i]} for every index {@code i} of {@code sizes} (see the section comment
     * for strided views): slicing with steps, permutations, expansion (stride 0 in src), concatenation (a strided
     * region of dst) all reduce to it.
     *
     * @param sizes the index space, one size per dimension (rank >= 1), each >= 0
     * @param src the array holding the source view
     * @param srcOffset index in {@code src} of element (0, ..., 0)
     * @param srcStrides one stride per dimension, each >= 0
     * @param dst the array holding the destination view; must not overlap the source
     * @param dstOffset index in {@code dst} of element (0, ..., 0)
     * @param dstStrides one stride per dimension, each >= 0
     * @throws IllegalArgumentException on a checked instance: sizes is null or empty, a size, offset or stride is
     *         negative, a strides array has another length than sizes, or an array is null or too short for its view
     */
    public final void copyStrided(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                  int dstOffset, int[] dstStrides) {
        if (checked) {
            MovementChecks.checkStridedPair("copyStrided", sizes, src, srcOffset, srcStrides, dst, dstOffset,
                    dstStrides);
        }
        copyStridedImpl(sizes, src, srcOffset, srcStrides, dst, dstOffset, dstStrides);
    }

    /** {@link #copyStrided} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void copyStridedImpl(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
            int dstOffset, int[] dstStrides);

    /**
     * Strided accumulation {@code dst[i] += src[i]} for every index {@code i} of {@code sizes}, in row-major order
     * of {@code i}. A dst stride of 0 sums along that dimension (the backward of an expansion or a repeat), in that
     * fixed order in every implementation, so the results are bitwise the same.
     *
     * @param sizes the index space, one size per dimension (rank >= 1), each >= 0
     * @param src the array holding the source view
     * @param srcOffset index in {@code src} of element (0, ..., 0)
     * @param srcStrides one stride per dimension, each >= 0
     * @param dst the array holding the destination view, added into; must not overlap the source
     * @param dstOffset index in {@code dst} of element (0, ..., 0)
     * @param dstStrides one stride per dimension, each >= 0
     * @throws IllegalArgumentException on a checked instance: as {@link #copyStrided}
     */
    public final void addStrided(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                 int dstOffset, int[] dstStrides) {
        if (checked) {
            MovementChecks.checkStridedPair("addStrided", sizes, src, srcOffset, srcStrides, dst, dstOffset,
                    dstStrides);
        }
        addStridedImpl(sizes, src, srcOffset, srcStrides, dst, dstOffset, dstStrides);
    }

    /** {@link #addStrided} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void addStridedImpl(int[] sizes, float[] src, int srcOffset, int[] srcStrides, float[] dst,
            int dstOffset, int[] dstStrides);

    /**
     * Gather along {@code dim} (PyTorch's {@code gather} and {@code index_select}):
     * {@code dst[i] = src[i with i[dim] replaced by index[i]]} for every index {@code i} of {@code sizes}.
     * {@code index_select} passes an index view with stride 0 in every dimension but {@code dim}.
     *
     * @param sizes the index space (the shape of the result), rank >= 1
     * @param dim the dimension the index values select along, {@code 0 <= dim < sizes.length}
     * @param index the array holding the index view, values in {@code [0, srcDimSize)}
     * @param indexOffset index in {@code index} of element (0, ..., 0)
     * @param indexStrides one stride per dimension, each >= 0
     * @param srcDimSize the size of src along {@code dim}
     * @param src the array holding the source view (its size along dim is srcDimSize, along the others sizes)
     * @param srcOffset index in {@code src} of element (0, ..., 0)
     * @param srcStrides one stride per dimension, each >= 0
     * @param dst the array holding the destination view; must not overlap the source
     * @param dstOffset index in {@code dst} of element (0, ..., 0)
     * @param dstStrides one stride per dimension, each >= 0
     * @throws IllegalArgumentException on a checked instance: as {@link #copyStrided}, or dim is out of range, or an
     *         index value is outside {@code [0, srcDimSize)}
     */
    public final void gather(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides, int srcDimSize,
                             float[] src, int srcOffset, int[] srcStrides, float[] dst, int dstOffset,
                             int[] dstStrides) {
        if (checked) {
            MovementChecks.checkIndexed("gather", sizes, dim, index, indexOffset, indexStrides, srcDimSize, src,
                    srcOffset, srcStrides, "src", dst, dstOffset, dstStrides, "dst");
        }
        gatherImpl(sizes, dim, index, indexOffset, indexStrides, srcDimSize, src, srcOffset, srcStrides, dst,
                dstOffset, dstStrides);
    }

    /** {@link #gather} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void gatherImpl(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
            int srcDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst, int dstOffset,
            int[] dstStrides);

    /**
     * Scatter-add along {@code dim}, the backward of {@link #gather}:
     * {@code dst[i with i[dim] replaced by index[i]] += src[i]} for every index {@code i} of {@code sizes}, in
     * row-major order of {@code i}, so duplicate index values accumulate in that fixed order in every
     * implementation (bitwise the same results).
     *
     * @param sizes the index space (the shape of src), rank >= 1
     * @param dim the dimension the index values address in dst, {@code 0 <= dim < sizes.length}
     * @param index the array holding the index view, values in {@code [0, dstDimSize)}
     * @param indexOffset index in {@code index} of element (0, ..., 0)
     * @param indexStrides one stride per dimension, each >= 0
     * @param dstDimSize the size of dst along {@code dim}
     * @param src the array holding the source view
     * @param srcOffset index in {@code src} of element (0, ..., 0)
     * @param srcStrides one stride per dimension, each >= 0
     * @param dst the array holding the destination view (its size along dim is dstDimSize), added into; must not
     *            overlap the source
     * @param dstOffset index in {@code dst} of element (0, ..., 0)
     * @param dstStrides one stride per dimension, each >= 0
     * @throws IllegalArgumentException on a checked instance: as {@link #gather}
     */
    public final void scatterAdd(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
                                 int dstDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst,
                                 int dstOffset, int[] dstStrides) {
        if (checked) {
            MovementChecks.checkIndexed("scatterAdd", sizes, dim, index, indexOffset, indexStrides, dstDimSize, dst,
                    dstOffset, dstStrides, "dst", src, srcOffset, srcStrides, "src");
        }
        scatterAddImpl(sizes, dim, index, indexOffset, indexStrides, dstDimSize, src, srcOffset, srcStrides, dst,
                dstOffset, dstStrides);
    }

    /** {@link #scatterAdd} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void scatterAddImpl(int[] sizes, int dim, long[] index, int indexOffset, int[] indexStrides,
            int dstDimSize, float[] src, int srcOffset, int[] srcStrides, float[] dst, int dstOffset,
            int[] dstStrides);

    /**
     * PyTorch's {@code allclose} on float32 values: true when every element pair satisfies
     * {@code a[i] == b[i] || (|a[i] - b[i]| finite && |a[i] - b[i]| <= atol + |rtol * b[i]|)}, each operation
     * rounded to float as torch computes it on float32 tensors. NaN is close to nothing; equal infinities are
     * close; with {@code rtol = atol = 0} it is element-wise equality ({@code -0 == 0}).
     *
     * @param n the number of elements, >= 0
     * @param a the array holding a
     * @param aOffset index in {@code a} of a[0]
     * @param b the array holding b (the reference the relative tolerance scales with)
     * @param bOffset index in {@code b} of b[0]
     * @param rtol the relative tolerance
     * @param atol the absolute tolerance
     * @return whether all n pairs are close (true for n = 0)
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final boolean allClose(int n, float[] a, int aOffset, float[] b, int bOffset, float rtol, float atol) {
        if (checked) MovementChecks.checkAllClose(n, a, aOffset, b, bOffset);
        return allCloseImpl(n, a, aOffset, b, bOffset, rtol, atol);
    }

    /** {@link #allClose} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract boolean allCloseImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float rtol,
            float atol);

    /**
     * PyTorch 1.13's {@code torch.arange(start, end, step)} values in float32 on a CPU with 256-bit vectors, bit for
     * bit: with {@code v = 8} and {@code full = floor(n / 2v) * 2v}, element {@code i < full} of the block starting
     * at {@code k = v floor(i / v)} is {@code (float) ((double) (float) (start + step k) + step (i - k))}, and every
     * later element is {@code (float) (start + step i)}, all in double before the one rounding to float (torch's
     * vectorised fill of two vectors per step, then its scalar tail). Creation, not a hot loop: implementations may
     * share the one formula.
     *
     * @param n the number of values, >= 0
     * @param start the first value
     * @param step the distance between values
     * @param x the output array
     * @param xOffset index in {@code x} of the first value
     * @throws IllegalArgumentException on a checked instance: n or xOffset is negative, or x is null or shorter than
     *         xOffset + n
     */
    public final void arange(int n, double start, double step, float[] x, int xOffset) {
        if (checked) checkVector("arange", n, x, xOffset);
        arangeImpl(n, start, step, x, xOffset);
    }

    /** {@link #arange} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void arangeImpl(int n, double start, double step, float[] x, int xOffset);

    /**
     * A short name for logs and benchmark tables, the same for both twins.
     *
     * @return the implementation's name, e.g. {@code "scalar"} or {@code "vector"}
     */
    public abstract String name();

    // ---------------------------------------------------------------- tensor operations: broadcasting, along a dim
    //
    // Broadcast operands are rows x cols blocks: row r of operand x starts at xRows[r] and its cols elements are
    // either a contiguous run (stride 1) or one value repeated (stride 0, a broadcast dimension). The output is
    // contiguous. Reductions along a dimension see a contiguous tensor as (outer, size, inner): element (o, k, i)
    // at offset + (o * size + k) * inner + i, reduced over k into an (outer, inner) result.

    /**
     * {@code out[r * cols + j] = op(a[aRows[r] + j * aStride], b[bRows[r] + j * bStride])} for {@code r < rows},
     * {@code j < cols}: a broadcast element-wise operation ({@link BinaryOp}, exact IEEE float arithmetic or a 0/1
     * comparison). The output may be an operand's exact slice only when that operand is contiguous.
     *
     * @param op the operation
     * @param rows number of rows, >= 0
     * @param cols elements per row, >= 0
     * @param a the first operand's array
     * @param aRows start of each of a's rows in {@code a} (rows entries)
     * @param aStride 1 when a's rows are contiguous runs, 0 when each row is one value repeated
     * @param b the second operand's array
     * @param bRows start of each of b's rows in {@code b} (rows entries)
     * @param bStride 1 or 0, as aStride
     * @param out the output, rows x cols contiguous
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for a row, a row-start array has fewer than rows entries, or a stride is not 0 or 1
     */
    public final void broadcastBinary(BinaryOp op, int rows, int cols, float[] a, int[] aRows, int aStride, float[] b,
                                      int[] bRows, int bStride, float[] out, int outOffset) {
        if (checked) checkBroadcastBinary(op, rows, cols, a, aRows, aStride, b, bRows, bStride, out, outOffset);
        broadcastBinaryImpl(op, rows, cols, a, aRows, aStride, b, bRows, bStride, out, outOffset);
    }

    /** {@link #broadcastBinary} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void broadcastBinaryImpl(BinaryOp op, int rows, int cols, float[] a, int[] aRows, int aStride,
            float[] b, int[] bRows, int bStride, float[] out, int outOffset);

    /**
     * {@code out[r * cols + j] = cond[cRows[r] + j * cStride] != 0 ? a[...] : b[...]} (operands laid out as in
     * {@link #broadcastBinary}): PyTorch's {@code torch.where(cond, a, b)}; the branch not taken is never read into
     * the result, so a NaN there does not propagate.
     *
     * @param rows number of rows, >= 0
     * @param cols elements per row, >= 0
     * @param cond the condition's array (0 is false, anything else true)
     * @param cRows start of each of the condition's rows
     * @param cStride 1 or 0, as in {@link #broadcastBinary}
     * @param a the values taken where the condition holds
     * @param aRows start of each of a's rows
     * @param aStride 1 or 0
     * @param b the values taken elsewhere
     * @param bRows start of each of b's rows
     * @param bStride 1 or 0
     * @param out the output, rows x cols contiguous
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance, as {@link #broadcastBinary}
     */
    public final void broadcastWhere(int rows, int cols, float[] cond, int[] cRows, int cStride, float[] a,
                                     int[] aRows, int aStride, float[] b, int[] bRows, int bStride, float[] out,
                                     int outOffset) {
        if (checked) {
            checkBroadcastWhere(rows, cols, cond, cRows, cStride, a, aRows, aStride, b, bRows, bStride, out,
                    outOffset);
        }
        broadcastWhereImpl(rows, cols, cond, cRows, cStride, a, aRows, aStride, b, bRows, bStride, out, outOffset);
    }

    /** {@link #broadcastWhere} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void broadcastWhereImpl(int rows, int cols, float[] cond, int[] cRows, int cStride, float[] a,
            int[] aRows, int aStride, float[] b, int[] bRows, int bStride, float[] out, int outOffset);

    /**
     * {@code y[i] = f(x[i])} for the function {@code op} ({@link UnaryOp}: log, sqrt, rsqrt, abs, neg, sign).
     *
     * @param op the function
     * @param n number of elements, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void unary(UnaryOp op, int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkUnary(op, n, x, xOffset, y, yOffset);
        unaryImpl(op, n, x, xOffset, y, yOffset);
    }

    /** {@link #unary} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void unaryImpl(UnaryOp op, int n, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y[i] = x[i]^p} as {@code torch.pow(x, p)} computes it on the CPU: {@code x*x} for p = 2,
     * {@code x*x*x} for 3, {@code sqrt(x)} for 0.5, {@code 1/sqrt(x)} for -0.5, {@code 1/x} for -1,
     * {@code 1/(x*x)} for -2 (float operations in that order), otherwise {@code pow(x, p)} correctly rounded from
     * double.
     *
     * @param n number of elements, >= 0
     * @param p the exponent
     * @param x the base
     * @param xOffset index in {@code x} of x[0]
     * @param y the output; may be x's slice
     * @param yOffset index in {@code y} of y[0]
     * @throws IllegalArgumentException on a checked instance: n or an offset is negative, or an array is null or
     *         shorter than its offset plus n
     */
    public final void powScalar(int n, float p, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("powScalar", n, x, xOffset, y, yOffset);
        powScalarImpl(n, p, x, xOffset, y, yOffset);
    }

    /** {@link #powScalar} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void powScalarImpl(int n, float p, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code out[o * inner + i] = sum_k x[(o * size + k) * inner + i]} (0 for size = 0): the sum along the middle
     * dimension of a contiguous (outer, size, inner) view, accumulated in float (order unspecified).
     *
     * @param outer product of the dimensions before the reduced one, >= 0
     * @param size the reduced dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param out the (outer, inner) result, overwritten
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short, or the element count overflows int
     */
    public final void sumAlong(int outer, int size, int inner, float[] x, int xOffset, float[] out, int outOffset) {
        if (checked) checkAlong("sumAlong", outer, size, inner, x, xOffset, out, outOffset);
        sumAlongImpl(outer, size, inner, x, xOffset, out, outOffset);
    }

    /** {@link #sumAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void sumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out,
            int outOffset);

    /**
     * The largest (or, with {@code largest = false}, smallest) element along the middle dimension of an
     * (outer, size, inner) view and its position k, as {@code torch.max(x, dim)} / {@code torch.min(x, dim)}: the
     * first position among equal extremes, and the first NaN when there is one (NaN is the result).
     *
     * @param largest true for the maximum, false for the minimum
     * @param outer product of the dimensions before the reduced one, >= 0
     * @param size the reduced dimension, >= 1 unless outer or inner is 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param values the (outer, inner) extremes, overwritten
     * @param valuesOffset index in {@code values} of its first element
     * @param indices the (outer, inner) positions k, overwritten
     * @param indicesOffset index in {@code indices} of its first element
     * @throws IllegalArgumentException on a checked instance: as {@link #sumAlong}, or size is 0 for a non-empty
     *         result
     */
    public final void maxAlong(boolean largest, int outer, int size, int inner, float[] x, int xOffset,
                               float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        if (checked) checkMaxAlong(outer, size, inner, x, xOffset, values, valuesOffset, indices, indicesOffset);
        maxAlongImpl(largest, outer, size, inner, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    /** {@link #maxAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void maxAlongImpl(boolean largest, int outer, int size, int inner, float[] x, int xOffset,
            float[] values, int valuesOffset, int[] indices, int indicesOffset);

    /**
     * The k largest (or smallest) elements along the middle dimension of an (outer, size, inner) view, sorted, with
     * their positions, as {@code torch.topk(x, k, dim, largest, sorted=True)}: NaN counts as larger than every
     * number; equal values come in the order torch 1.13's CPU topk leaves them (its libstdc++ selection and sort,
     * not position order; {@code TopK} repeats their steps). Output element (o, j, i) is at
     * {@code (o * k + j) * inner + i}.
     *
     * @param largest true for the largest elements in decreasing order, false for the smallest in increasing order
     * @param outer product of the dimensions before the dimension, >= 0
     * @param size the dimension, >= k
     * @param inner product of the dimensions after it, >= 0
     * @param k how many to keep, 0 to size
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param values the (outer, k, inner) values, overwritten
     * @param valuesOffset index in {@code values} of its first element
     * @param indices the (outer, k, inner) positions, overwritten
     * @param indicesOffset index in {@code indices} of its first element
     * @throws IllegalArgumentException on a checked instance: as {@link #sumAlong}, or k is outside [0, size]
     */
    public final void topkAlong(boolean largest, int outer, int size, int inner, int k, float[] x, int xOffset,
                                float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        if (checked) checkTopkAlong(outer, size, inner, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
        topkAlongImpl(largest, outer, size, inner, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    /** {@link #topkAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void topkAlongImpl(boolean largest, int outer, int size, int inner, int k, float[] x,
            int xOffset, float[] values, int valuesOffset, int[] indices, int indicesOffset);

    /**
     * Adds each element of an (outer, k, inner) source into an (outer, size, inner) output at the position its index
     * names: {@code out[(o * size + index[e]) * inner + i] += src[e]} with {@code e = (o * k + j) * inner + i}, like
     * {@code out.scatter_add_(dim, index, src)}; repeated indices add up (in increasing j).
     *
     * @param outer product of the dimensions before the dimension, >= 0
     * @param k the source's extent along the dimension, >= 0
     * @param size the output's extent along it, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param src the values to add
     * @param srcOffset index in {@code src} of its first element
     * @param index the positions, each in [0, size), laid out like src
     * @param indexOffset index in {@code index} of its first element
     * @param out the output, added into
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance: as {@link #sumAlong}, or an index is outside [0, size)
     */
    public final void scatterAddAlong(int outer, int k, int size, int inner, float[] src, int srcOffset, int[] index,
                                      int indexOffset, float[] out, int outOffset) {
        if (checked) checkScatterAddAlong(outer, k, size, inner, src, srcOffset, index, indexOffset, out, outOffset);
        scatterAddAlongImpl(outer, k, size, inner, src, srcOffset, index, indexOffset, out, outOffset);
    }

    /** {@link #scatterAddAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void scatterAddAlongImpl(int outer, int k, int size, int inner, float[] src, int srcOffset,
            int[] index, int indexOffset, float[] out, int outOffset);

    /**
     * {@link #logSumExp} along the middle dimension of an (outer, size, inner) view:
     * {@code out[o * inner + i] = m + log sum_k exp(x[o, k, i] - m)} with m the largest of the k elements; special
     * values as {@link #logSumExp} (size = 0 gives -Inf).
     *
     * @param outer product of the dimensions before the reduced one, >= 0
     * @param size the reduced dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param out the (outer, inner) result, overwritten
     * @param outOffset index in {@code out} of its first element
     * @throws IllegalArgumentException on a checked instance, as {@link #sumAlong}
     */
    public final void logSumExpAlong(int outer, int size, int inner, float[] x, int xOffset, float[] out,
                                     int outOffset) {
        if (checked) checkAlong("logSumExpAlong", outer, size, inner, x, xOffset, out, outOffset);
        logSumExpAlongImpl(outer, size, inner, x, xOffset, out, outOffset);
    }

    /** {@link #logSumExpAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void logSumExpAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out,
            int outOffset);

    /**
     * {@link #softmax} (or, with {@code log}, {@link #logSoftmax}) along the middle dimension of an
     * (outer, size, inner) view, in PyTorch's order and with its special rows; y has x's layout and may be x's
     * slice.
     *
     * @param log false for softmax, true for log-softmax
     * @param outer product of the dimensions before the normalised one, >= 0
     * @param size the normalised dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param y the output
     * @param yOffset index in {@code y} of element (0, 0, 0)
     * @throws IllegalArgumentException on a checked instance, as {@link #sumAlong}
     */
    public final void softmaxAlong(boolean log, int outer, int size, int inner, float[] x, int xOffset, float[] y,
                                   int yOffset) {
        if (checked) checkSoftmaxAlong(outer, size, inner, x, xOffset, y, yOffset);
        softmaxAlongImpl(log, outer, size, inner, x, xOffset, y, yOffset);
    }

    /** {@link #softmaxAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void softmaxAlongImpl(boolean log, int outer, int size, int inner, float[] x, int xOffset,
            float[] y, int yOffset);

    /**
     * Backward of {@link #softmaxAlong} given its output y, summing over k along the middle dimension:
     * {@code dx = y * (dy - sum_k dy * y)} for softmax, {@code dx = dy - exp(y) * sum_k dy} for log-softmax. dx may
     * be dy's slice.
     *
     * @param log false for softmax, true for log-softmax
     * @param outer product of the dimensions before the normalised one, >= 0
     * @param size the normalised dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param dy the gradient of the output
     * @param dyOffset index in {@code dy} of element (0, 0, 0)
     * @param y the forward output
     * @param yOffset index in {@code y} of element (0, 0, 0)
     * @param dx the gradient of the input, the output
     * @param dxOffset index in {@code dx} of element (0, 0, 0)
     * @throws IllegalArgumentException on a checked instance, as {@link #sumAlong}
     */
    public final void softmaxBackwardAlong(boolean log, int outer, int size, int inner, float[] dy, int dyOffset,
                                           float[] y, int yOffset, float[] dx, int dxOffset) {
        if (checked) checkSoftmaxBackwardAlong(outer, size, inner, dy, dyOffset, y, yOffset, dx, dxOffset);
        softmaxBackwardAlongImpl(log, outer, size, inner, dy, dyOffset, y, yOffset, dx, dxOffset);
    }

    /** {@link #softmaxBackwardAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void softmaxBackwardAlongImpl(boolean log, int outer, int size, int inner, float[] dy,
            int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset);

    /**
     * Running sums along the middle dimension of a contiguous (outer, size, inner) view, accumulated in float in
     * increasing k: {@code y(o, k, i) = (((x(o, 0, i) + x(o, 1, i)) + ...) + x(o, k, i))}, each partial sum rounded
     * to float. This order is part of the result (the cumulative distribution of PyTorch's CPU
     * {@code torch.multinomial} with replacement is this sum); both implementations keep it, so they agree bit for
     * bit. y may be x's slice.
     *
     * @param outer product of the dimensions before the summed one, >= 0
     * @param size the summed dimension, >= 0
     * @param inner product of the dimensions after it, >= 0
     * @param x the input
     * @param xOffset index in {@code x} of element (0, 0, 0)
     * @param y the (outer, size, inner) running sums, overwritten
     * @param yOffset index in {@code y} of element (0, 0, 0)
     * @throws IllegalArgumentException on a checked instance, as {@link #sumAlong}
     */
    public final void cumsumAlong(int outer, int size, int inner, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkCumsumAlong(outer, size, inner, x, xOffset, y, yOffset);
        cumsumAlongImpl(outer, size, inner, x, xOffset, y, yOffset);
    }

    /** {@link #cumsumAlong} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void cumsumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] y,
            int yOffset);
}
