package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.*; // the check* methods of the front door

import java.util.function.Function;

/**
 * Every float kernel jrnn computes with: BLAS-style products, vector arithmetic, activations, the fused
 * recurrent gate updates and their backward forms, and row-wise softmax. Each kernel is written here once: a
 * public method that states its math and shapes and checks its arguments, and the protected {@code ...Impl}
 * method an implementation supplies ({@link ScalarKernels}, the reference, and {@code VectorKernels}): the same
 * kernel on arguments that are valid, with no checks (undefined results otherwise).
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
 * products pack into thread-owned buffers and split large products over a shared pool, a batch-1 recurrence over
 * one dedicated helper); results do not depend on it.
 *
 * <h2>Accuracy</h2>
 * The scalar reference rounds each operation to float in the order of the formula (activations in double, rounded
 * once). The vector implementation may reorder sums and uses its own polynomial approximations, held to the bounds
 * in the README and the property tests' {@code Tolerances}. NaN propagates like PyTorch's.
 *
 * <h2>Adding a kernel or an implementation</h2>
 * A kernel is one public method here (Javadoc, {@code if (checked)} its checks, then its Impl) with its protected
 * abstract {@code ...Impl}, implemented by the scalar and the vector class and compared by one property (the
 * property tests' completeness test finds the kernels by reflection). An implementation extends this class with
 * the constructor pair below, so each instance knows its twin; its Impls may assume valid arguments.
 */
public abstract class Kernels {

    private final boolean checked; // whether the public methods validate their arguments before the Impls
    private final Kernels twin;    // the same implementation with the opposite checked

    /**
     * Builds the checked instance of an implementation and, with {@code makeUncheckedTwin} (which must call
     * {@link #Kernels(Kernels)} with this instance), its unchecked twin; an {@link IllegalStateException} otherwise.
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

    /** Builds the unchecked twin of {@code checkedTwin}, from the function of {@link #Kernels(Function)}. */
    protected Kernels(Kernels checkedTwin) {
        if (checkedTwin == null || !checkedTwin.checked || checkedTwin.twin != null) {
            throw new IllegalArgumentException("checkedTwin must be the checked instance that is building its twin");
        }
        this.checked = false;
        this.twin = checkedTwin;
    }

    /** True for the instance that validates every argument, false for its unchecked twin. */
    public final boolean isChecked() {
        return checked;
    }

    /** The checked instance of this implementation: this one or its twin. */
    public final Kernels checked() {
        return checked ? this : twin;
    }

    /** The unchecked instance of this implementation: this one or its twin (see the class comment). */
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
     */
    public final void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                            int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        if (checked) checkSgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        sgemmImpl(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }
    protected abstract void sgemmImpl(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
            int aOffset, int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc);

    /**
     * Matrix-vector product {@code y = alpha * op(A) * x + beta * y} where A is stored m x n ({@code lda >= n}).
     * Without {@code transA}: x has n elements, y has m, {@code y[i] = alpha * sum_j A[i][j] x[j] + beta y[i]}.
     * With {@code transA}: x has m elements, y has n, {@code y[j] = alpha * sum_i A[i][j] x[i] + beta y[j]}.
     * Same beta/alpha conventions as {@link #sgemm}.
     */
    public final void sgemv(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda, float[] x,
                            int xOffset, float beta, float[] y, int yOffset) {
        if (checked) checkSgemv(transA, m, n, alpha, a, aOffset, lda, x, xOffset, y, yOffset);
        sgemvImpl(transA, m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
    }
    protected abstract void sgemvImpl(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda,
            float[] x, int xOffset, float beta, float[] y, int yOffset);

    /**
     * Packs the right operand of {@link #sgemmPacked} once: op(B) is k x n, stored k x n ({@code ldb >= n}) or,
     * with {@code transB}, n x k ({@code ldb >= k}; a PyTorch weight {@code W} of shape (n, k) packs as
     * {@code op(B) = W^T}). The result is a copy in this implementation's own layout (see {@link PackedMatrix});
     * use it for weights that stay the same over many products.
     */
    public final PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        if (checked) checkPackedOperand("packB", transB, k, n, b, bOffset, ldb);
        return packBImpl(transB, k, n, b, bOffset, ldb);
    }
    protected abstract PackedMatrix packBImpl(boolean transB, int k, int n, float[] b, int bOffset, int ldb);

    /**
     * {@link #packB} into the storage of {@code reuse}, for a caller that packs the same kind of operand again and
     * again (a recurrent pass packing its current W_hh once per call) and wants no allocation for it: returns
     * {@code reuse} refilled with op(B) when it came from this implementation (its storage grows only when too
     * small), or a new packed matrix when {@code reuse} is null. {@code reuse} must not be in use by another thread
     * or product while this runs; its previous contents are gone.
     */
    public final PackedMatrix repackB(PackedMatrix reuse, boolean transB, int k, int n, float[] b, int bOffset,
                                      int ldb) {
        if (checked) checkPackedOperand("repackB", transB, k, n, b, bOffset, ldb);
        return repackBImpl(reuse, transB, k, n, b, bOffset, ldb);
    }
    protected abstract PackedMatrix repackBImpl(PackedMatrix reuse, boolean transB, int k, int n, float[] b,
            int bOffset, int ldb);

    /**
     * {@link #sgemm} with a prepacked right operand:
     * {@code C[i][j] = alpha * sum_p op(A)[i][p] * B[p][j] + beta * C[i][j]} where B is the k x n matrix that
     * {@code b} holds ({@code k = b.rows()}, {@code n = b.cols()}), op(A) is m x k (stored m x k with
     * {@code lda >= k}, or k x m with {@code lda >= m} when {@code transA}), and C is m x n ({@code ldc >= n}).
     * Same alpha/beta conventions as {@link #sgemm}; {@code b} must come from this implementation's
     * {@link #packB}. The batch-1 case {@code m = 1} (a vector times a packed weight) is a first-class use.
     */
    public final void sgemmPacked(boolean transA, int m, float alpha, float[] a, int aOffset, int lda, PackedMatrix b,
                                  float beta, float[] c, int cOffset, int ldc) {
        if (checked) checkSgemmPacked(transA, m, alpha, a, aOffset, lda, b, c, cOffset, ldc);
        sgemmPackedImpl(transA, m, alpha, a, aOffset, lda, b, beta, c, cOffset, ldc);
    }
    protected abstract void sgemmPackedImpl(boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
            PackedMatrix b, float beta, float[] c, int cOffset, int ldc);

    // ---------------------------------------------------------------- BLAS level 1 and element-wise

    /** Dot product {@code sum_i x[i] * y[i]} over n elements. Returns 0 for n = 0. */
    public final float dot(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("dot", n, x, xOffset, y, yOffset);
        return dotImpl(n, x, xOffset, y, yOffset);
    }
    protected abstract float dotImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /** {@code y[i] += alpha * x[i]} for n elements. */
    public final void axpy(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("axpy", n, x, xOffset, y, yOffset);
        axpyImpl(n, alpha, x, xOffset, y, yOffset);
    }
    protected abstract void axpyImpl(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset);

    /** {@code x[i] *= alpha} for n elements (in place; alpha = 0 turns NaN into NaN, like a multiply). */
    public final void scale(int n, float alpha, float[] x, int xOffset) {
        if (checked) checkVector("scale", n, x, xOffset);
        scaleImpl(n, alpha, x, xOffset);
    }
    protected abstract void scaleImpl(int n, float alpha, float[] x, int xOffset);

    /** {@code x[i] = value} for n elements. */
    public final void fill(int n, float value, float[] x, int xOffset) {
        if (checked) checkVector("fill", n, x, xOffset);
        fillImpl(n, value, x, xOffset);
    }
    protected abstract void fillImpl(int n, float value, float[] x, int xOffset);

    /** {@code out[i] = a[i] + b[i]} for n elements. */
    public final void add(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        if (checked) checkBinary("add", n, a, aOffset, b, bOffset, out, outOffset);
        addImpl(n, a, aOffset, b, bOffset, out, outOffset);
    }
    protected abstract void addImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset);

    /**
     * {@code x[i] = min(max(x[i], lo), hi)} in place for n elements (as {@code torch.clamp_}); NaN stays NaN.
     * Requires {@code lo <= hi}.
     */
    public final void clamp(int n, float lo, float hi, float[] x, int xOffset) {
        if (checked) checkClamp(n, lo, hi, x, xOffset);
        clampImpl(n, lo, hi, x, xOffset);
    }
    protected abstract void clampImpl(int n, float lo, float hi, float[] x, int xOffset);

    /** {@code max_i |x[i]|} over n elements: 0 for n = 0, NaN if any element is NaN. */
    public final float maxAbs(int n, float[] x, int xOffset) {
        if (checked) checkVector("maxAbs", n, x, xOffset);
        return maxAbsImpl(n, x, xOffset);
    }
    protected abstract float maxAbsImpl(int n, float[] x, int xOffset);

    /** {@code out[i] = a[i] * b[i]} for n elements (Hadamard product, e.g. a dropout mask). */
    public final void mul(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        if (checked) checkBinary("mul", n, a, aOffset, b, bOffset, out, outOffset);
        mulImpl(n, a, aOffset, b, bOffset, out, outOffset);
    }
    protected abstract void mulImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset);

    /**
     * Copies one row vector into every row of a matrix: {@code C[i][j] = row[j]} for a rows x cols matrix C with
     * leading dimension {@code ldc >= cols}. Used to start a product from its bias ({@code sgemm} with beta = 1).
     */
    public final void broadcastRows(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset, int ldc) {
        if (checked) checkBroadcastRows(rows, cols, row, rowOffset, c, cOffset, ldc);
        broadcastRowsImpl(rows, cols, row, rowOffset, c, cOffset, ldc);
    }
    protected abstract void broadcastRowsImpl(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset,
            int ldc);

    /**
     * Accumulates column sums: {@code out[j] += sum_i A[i][j]} for a rows x cols matrix A ({@code lda >= cols}).
     * Used for bias gradients summed over batch and time.
     */
    public final void sumRows(int rows, int cols, float[] a, int aOffset, int lda, float[] out, int outOffset) {
        if (checked) checkSumRows(rows, cols, a, aOffset, lda, out, outOffset);
        sumRowsImpl(rows, cols, a, aOffset, lda, out, outOffset);
    }
    protected abstract void sumRowsImpl(int rows, int cols, float[] a, int aOffset, int lda, float[] out,
            int outOffset);

    // ---------------------------------------------------------------- activations (x and y may be the same slice)

    /** {@code y[i] = tanh(x[i])}; tanh(+-Inf) = +-1, tanh(-0) = -0, NaN stays NaN. */
    public final void tanh(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("tanh", n, x, xOffset, y, yOffset);
        tanhImpl(n, x, xOffset, y, yOffset);
    }
    protected abstract void tanhImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /** {@code y[i] = 1 / (1 + exp(-x[i]))}; sigmoid(-Inf) = 0, sigmoid(+Inf) = 1, NaN stays NaN. */
    public final void sigmoid(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("sigmoid", n, x, xOffset, y, yOffset);
        sigmoidImpl(n, x, xOffset, y, yOffset);
    }
    protected abstract void sigmoidImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /** {@code y[i] = max(x[i], 0)} with NaN propagating (as {@code torch.relu}); relu(-0) may be +-0. */
    public final void relu(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("relu", n, x, xOffset, y, yOffset);
        reluImpl(n, x, xOffset, y, yOffset);
    }
    protected abstract void reluImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /** {@code y[i] = exp(x[i])}; overflows to +Inf, underflows through subnormals to 0. */
    public final void exp(int n, float[] x, int xOffset, float[] y, int yOffset) {
        if (checked) checkVectors("exp", n, x, xOffset, y, yOffset);
        expImpl(n, x, xOffset, y, yOffset);
    }
    protected abstract void expImpl(int n, float[] x, int xOffset, float[] y, int yOffset);

    /** Backward of tanh given its output y: {@code dx[i] = dy[i] * (1 - y[i]^2)}. dx may be dy's slice. */
    public final void tanhBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        if (checked) checkActivationBackward("tanhBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        tanhBackwardImpl(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }
    protected abstract void tanhBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
            int dxOffset);

    /** Backward of sigmoid given its output y: {@code dx[i] = dy[i] * y[i] * (1 - y[i])}. dx may be dy's slice. */
    public final void sigmoidBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
                                      int dxOffset) {
        if (checked) checkActivationBackward("sigmoidBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        sigmoidBackwardImpl(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }
    protected abstract void sigmoidBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
            int dxOffset);

    /** Backward of relu given its output y: {@code dx[i] = y[i] > 0 ? dy[i] : 0}. dx may be dy's slice. */
    public final void reluBackward(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        if (checked) checkActivationBackward("reluBackward", n, dy, dyOffset, y, yOffset, dx, dxOffset);
        reluBackwardImpl(n, dy, dyOffset, y, yOffset, dx, dxOffset);
    }
    protected abstract void reluBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
            int dxOffset);

    // ---------------------------------------------------------------- fused recurrent cells
    // Shapes: the gate inputs ig = x W_ih^T + b_ih and hg = h W_hh^T + b_hh are batch x (G * hidden) matrices with
    // contiguous rows (row stride G * hidden, G = 1 RNN, 3 GRU, 4 LSTM). Hidden states are batch x hidden matrices
    // with an explicit leading dimension (they may be a slice of a sequence output of width D * hidden). Cell states
    // and backward gradients of the gates are contiguous (row stride hidden, resp. G * hidden).

    /**
     * RNN cell with tanh: {@code h[b][j] = tanh(ig[b][j] + hg[b][j])}.
     * ig, hg: batch x hidden (contiguous rows); h: batch x hidden with leading dimension ldh.
     */
    public final void rnnTanhCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                  float[] h, int hOffset, int ldh) {
        if (checked) checkRnnCell("rnnTanhCell", batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
        rnnTanhCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }
    protected abstract void rnnTanhCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] h, int hOffset, int ldh);

    /** RNN cell with relu: {@code h[b][j] = relu(ig[b][j] + hg[b][j])}; shapes as {@link #rnnTanhCell}. */
    public final void rnnReluCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                  float[] h, int hOffset, int ldh) {
        if (checked) checkRnnCell("rnnReluCell", batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
        rnnReluCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }
    protected abstract void rnnReluCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] h, int hOffset, int ldh);

    /**
     * Backward of {@link #rnnTanhCell}: {@code dGates[b][j] = dh[b][j] * (1 - h[b][j]^2)}, the gradient of the
     * pre-activation (equal for ig and hg). dh: batch x hidden, leading dimension lddh; h: the cell's output,
     * leading dimension ldh; dGates: batch x hidden, contiguous.
     */
    public final void rnnTanhCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] h,
                                          int hOffset, int ldh, float[] dGates, int dGatesOffset) {
        if (checked) checkRnnCellBackward("rnnTanhCellBackward", batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh,
                dGates, dGatesOffset);
        rnnTanhCellBackwardImpl(batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh, dGates, dGatesOffset);
    }
    protected abstract void rnnTanhCellBackwardImpl(int batch, int hidden, float[] dh, int dhOffset, int lddh,
            float[] h, int hOffset, int ldh, float[] dGates, int dGatesOffset);

    /** Backward of {@link #rnnReluCell}: {@code dGates[b][j] = h[b][j] > 0 ? dh[b][j] : 0}; shapes as tanh. */
    public final void rnnReluCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] h,
                                          int hOffset, int ldh, float[] dGates, int dGatesOffset) {
        if (checked) checkRnnCellBackward("rnnReluCellBackward", batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh,
                dGates, dGatesOffset);
        rnnReluCellBackwardImpl(batch, hidden, dh, dhOffset, lddh, h, hOffset, ldh, dGates, dGatesOffset);
    }
    protected abstract void rnnReluCellBackwardImpl(int batch, int hidden, float[] dh, int dhOffset, int lddh,
            float[] h, int hOffset, int ldh, float[] dGates, int dGatesOffset);

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
     */
    public final void gruCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                              float[] hPrev, int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh,
                              float[] workspace, int workspaceOffset) {
        if (checked) checkGruCell(batch, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hOffset,
                ldh, workspace, workspaceOffset);
        gruCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hOffset, ldh,
                workspace, workspaceOffset);
    }
    protected abstract void gruCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] hPrev, int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh, float[] workspace,
            int workspaceOffset);

    /**
     * Backward of {@link #gruCell}. Given dh (gradient of h', leading dimension lddh), hPrev and the workspace the
     * forward wrote, writes the pre-activation gradients (batch x 3·hidden each, contiguous):
     * <pre>
     * dn~ = dh * (1 - z) * (1 - n^2)           dIg_n = dn~          dHg_n = dn~ * r
     * dr~ = dn~ * hg_n * r * (1 - r)           dIg_r = dHg_r = dr~
     * dz~ = dh * (h - n) * z * (1 - z)         dIg_z = dHg_z = dz~
     * </pre>
     * and the direct part of the previous hidden state's gradient {@code dhPrev = dh * z} (batch x hidden, leading
     * dimension lddhPrev, overwritten); the caller adds {@code dHg W_hh} to it.
     */
    public final void gruCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] hPrev,
                                      int hPrevOffset, int ldhPrev, float[] workspace, int workspaceOffset,
                                      float[] dIg, int dIgOffset, float[] dHg, int dHgOffset, float[] dhPrev,
                                      int dhPrevOffset, int lddhPrev) {
        if (checked) checkGruCellBackward(batch, hidden, dh, dhOffset, lddh, hPrev, hPrevOffset, ldhPrev, workspace,
                workspaceOffset, dIg, dIgOffset, dHg, dHgOffset, dhPrev, dhPrevOffset, lddhPrev);
        gruCellBackwardImpl(batch, hidden, dh, dhOffset, lddh, hPrev, hPrevOffset, ldhPrev, workspace,
                workspaceOffset, dIg, dIgOffset, dHg, dHgOffset, dhPrev, dhPrevOffset, lddhPrev);
    }
    protected abstract void gruCellBackwardImpl(int batch, int hidden, float[] dh, int dhOffset, int lddh,
            float[] hPrev, int hPrevOffset, int ldhPrev, float[] workspace, int workspaceOffset, float[] dIg,
            int dIgOffset, float[] dHg, int dHgOffset, float[] dhPrev, int dhPrevOffset, int lddhPrev);

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
     */
    public final void lstmCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                               float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset,
                               int ldh, float[] workspace, int workspaceOffset) {
        if (checked) checkLstmCell(batch, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset, h,
                hOffset, ldh, workspace, workspaceOffset);
        lstmCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset, h, hOffset, ldh,
                workspace, workspaceOffset);
    }
    protected abstract void lstmCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
            float[] workspace, int workspaceOffset);

    /**
     * Backward of {@link #lstmCell}. Given dh (gradient of h', leading dimension lddh), dc (gradient of c' from
     * later steps, batch x hidden contiguous), cPrev, c' and the workspace, writes the pre-activation gradients
     * dGates (batch x 4·hidden, contiguous; equal for ig and hg) and replaces dc by the gradient of cPrev:
     * <pre>
     * t = tanh(c')                 dc~ = dc + dh * o * (1 - t^2)
     * dI = dc~ * g * i (1 - i)     dF = dc~ * cPrev * f (1 - f)
     * dG = dc~ * i * (1 - g^2)     dO = dh * t * o (1 - o)
     * dc := dc~ * f
     * </pre>
     */
    public final void lstmCellBackward(int batch, int hidden, float[] dh, int dhOffset, int lddh, float[] dc,
                                       int dcOffset, float[] cPrev, int cPrevOffset, float[] c, int cOffset,
                                       float[] workspace, int workspaceOffset, float[] dGates, int dGatesOffset) {
        if (checked) checkLstmCellBackward(batch, hidden, dh, dhOffset, lddh, dc, dcOffset, cPrev, cPrevOffset, c,
                cOffset, workspace, workspaceOffset, dGates, dGatesOffset);
        lstmCellBackwardImpl(batch, hidden, dh, dhOffset, lddh, dc, dcOffset, cPrev, cPrevOffset, c, cOffset,
                workspace, workspaceOffset, dGates, dGatesOffset);
    }
    protected abstract void lstmCellBackwardImpl(int batch, int hidden, float[] dh, int dhOffset, int lddh,
            float[] dc, int dcOffset, float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] workspace,
            int workspaceOffset, float[] dGates, int dGatesOffset);

    /**
     * A whole batch-1 recurrence of one layer and direction, for inference (no workspace, nothing kept for a
     * backward): for {@code s = 0 .. steps - 1} and step {@code t = reverse ? steps - 1 - s : s},
     * <pre>
     * hg  = hPrev W_hh^T + b_hh             ({@link #broadcastRows} of b_hh, then {@link #sgemmPacked} with m = 1)
     * h_t = cell(ig_t, hg, hPrev [, c])     the cell kernel of {@code cell} with batch 1 and no workspace
     * </pre>
     * where hPrev is h0 at the first step and the previous step's h_t after it: the same operations as those calls
     * made step by step, with the same bits. Shapes (G = {@code cell.gates()}): ig steps x G·hidden, contiguous,
     * row t = {@code x_t W_ih^T + b_ih}, consumed as the cell kernels consume it; whh = W_hh^T packed by
     * {@link #packB} (hidden x G·hidden); bhh G·hidden, or null for no bias; h0 hidden; c (LSTM only, ignored
     * otherwise) hidden, c_0 on entry and the last step's c on return; h steps x hidden with leading dimension ldh,
     * row t receiving h_t; hg a G·hidden scratch. h may not overlap ig, h0, c or hg. An implementation may split
     * each step's hidden units between two threads ({@link KernelThreads}); the bits stay the same.
     */
    public final void recurrentSequence(CellKind cell, boolean reverse, int steps, int hidden, float[] ig,
                                        int igOffset, PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0,
                                        int h0Offset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                                        float[] hg, int hgOffset) {
        if (checked) checkRecurrentSequence(cell, steps, hidden, ig, igOffset, whh, bhh, bhhOffset, h0, h0Offset, c,
                cOffset, h, hOffset, ldh, hg, hgOffset);
        recurrentSequenceImpl(cell, reverse, steps, hidden, ig, igOffset, whh, bhh, bhhOffset, h0, h0Offset, c,
                cOffset, h, hOffset, ldh, hg, hgOffset);
    }
    protected abstract void recurrentSequenceImpl(CellKind cell, boolean reverse, int steps, int hidden, float[] ig,
            int igOffset, PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset, float[] c,
            int cOffset, float[] h, int hOffset, int ldh, float[] hg, int hgOffset);

    // ---------------------------------------------------------------- row-wise softmax family (for losses)

    /**
     * {@code out[i] = log sum_j exp(x[i][j])} for a rows x cols matrix (ldx >= cols), computed as
     * {@code max_i + log sum_j exp(x[i][j] - max_i)}; like {@code torch.logsumexp}, a row of all -Inf gives -Inf, a
     * row with +Inf gives +Inf, a row with NaN gives NaN, and cols = 0 gives -Inf.
     */
    public final void logSumExp(int rows, int cols, float[] x, int xOffset, int ldx, float[] out, int outOffset) {
        if (checked) checkLogSumExp(rows, cols, x, xOffset, ldx, out, outOffset);
        logSumExpImpl(rows, cols, x, xOffset, ldx, out, outOffset);
    }
    protected abstract void logSumExpImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] out,
            int outOffset);

    /**
     * {@code y[i][j] = exp(x[i][j] - max_i) / S_i} with {@code S_i = sum_j exp(x[i][j] - max_i)}, PyTorch's order;
     * a row containing +Inf or NaN, or of all -Inf, becomes all NaN as in PyTorch. x and y may be the same slice
     * with the same ld.
     */
    public final void softmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        if (checked) checkRowwise("softmax", rows, cols, x, xOffset, ldx, y, yOffset, ldy);
        softmaxImpl(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }
    protected abstract void softmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset,
            int ldy);

    /**
     * {@code y[i][j] = (x[i][j] - max_i) - log S_i} (S_i as in {@link #softmax}), PyTorch's order; special rows as
     * in {@link #softmax}. x and y may be the same slice with the same ld.
     */
    public final void logSoftmax(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy) {
        if (checked) checkRowwise("logSoftmax", rows, cols, x, xOffset, ldx, y, yOffset, ldy);
        logSoftmaxImpl(rows, cols, x, xOffset, ldx, y, yOffset, ldy);
    }
    protected abstract void logSoftmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y,
            int yOffset, int ldy);

    /**
     * Backward of {@link #logSoftmax} given its output y:
     * {@code dx[i][j] = dy[i][j] - exp(y[i][j]) * sum_k dy[i][k]}. dx may be dy's slice with the same ld.
     */
    public final void logSoftmaxBackward(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y,
                                         int yOffset, int ldy, float[] dx, int dxOffset, int lddx) {
        if (checked) checkLogSoftmaxBackward(rows, cols, dy, dyOffset, lddy, y, yOffset, ldy, dx, dxOffset, lddx);
        logSoftmaxBackwardImpl(rows, cols, dy, dyOffset, lddy, y, yOffset, ldy, dx, dxOffset, lddx);
    }
    protected abstract void logSoftmaxBackwardImpl(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y,
            int yOffset, int ldy, float[] dx, int dxOffset, int lddx);

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
     */
    public final void sgdStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
                              float[] momentumBuffer, int momentumOffset, float lr, float momentum, float dampening,
                              float weightDecay, boolean nesterov, boolean firstStep) {
        if (checked) checkSgdStep(n, param, paramOffset, grad, gradOffset, momentum, momentumBuffer, momentumOffset);
        sgdStepImpl(n, param, paramOffset, grad, gradOffset, momentumBuffer, momentumOffset, lr, momentum, dampening,
                weightDecay, nesterov, firstStep);
    }
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
     */
    public final void adamStep(int n, float[] param, int paramOffset, float[] grad, int gradOffset, float[] expAvg,
                               int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
                               int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale,
                               float gradDecay, float stepSize, float biasCorrection2Sqrt) {
        if (checked) checkAdamStep(n, param, paramOffset, grad, gradOffset, expAvg, expAvgOffset, expAvgSq,
                expAvgSqOffset, maxExpAvgSq, maxExpAvgSqOffset);
        adamStepImpl(n, param, paramOffset, grad, gradOffset, expAvg, expAvgOffset, expAvgSq, expAvgSqOffset,
                maxExpAvgSq, maxExpAvgSqOffset, beta1, beta2, eps, paramScale, gradDecay, stepSize,
                biasCorrection2Sqrt);
    }
    protected abstract void adamStepImpl(int n, float[] param, int paramOffset, float[] grad, int gradOffset,
            float[] expAvg, int expAvgOffset, float[] expAvgSq, int expAvgSqOffset, float[] maxExpAvgSq,
            int maxExpAvgSqOffset, float beta1, float beta2, float eps, float paramScale, float gradDecay,
            float stepSize, float biasCorrection2Sqrt);

    /** A short name for logs and benchmark tables: {@code "scalar"} or {@code "vector"}. */
    public abstract String name();
}
