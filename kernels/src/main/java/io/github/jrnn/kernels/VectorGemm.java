package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;

import java.util.function.Function;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The matrix products of the vector implementation ({@code sgemm}, {@code sgemv}, {@code packB}, {@code repackB},
 * {@code sgemmPacked}, {@code dot}) with the semantics documented on {@link Kernels}: chooses the algorithm and the
 * number of threads. One link of the chain of abstract classes that makes up {@link VectorKernels}, which splits
 * the vector implementation into files by family only: the order of the chain means nothing.
 *
 * <ul>
 *   <li>alpha = 0 or k = 0: C = beta C (C not read when beta = 0).</li>
 *   <li>a single row of C from a non-transposed A: a matrix-vector product ({@link VectorGemv}); with a packed B,
 *       split between threads by columns from {@link GemmBlocking#ROW_THREADING_MIN_MULTIPLY_ADDS} on.</li>
 *   <li>small products, where packing does not pay ({@link GemmBlocking#DIRECT_MAX_MULTIPLY_ADDS},
 *       {@link GemmBlocking#DIRECT_TRANSPOSED_B_MAX_ROWS}): straight from the caller's arrays
 *       ({@link DirectGemm}); never with both operands transposed, which only packing handles.</li>
 *   <li>otherwise the packed, cache-blocked product ({@link BlockedGemm}), split between threads by
 *       {@link GemmThreads} from {@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS} multiply-adds on.</li>
 * </ul>
 * A split ({@link ProductSplit}, reused by the calling thread, so it allocates nothing) cuts the larger of the two
 * output dimensions into equal runs of whole panels (NR columns or MR rows): each thread then packs only its share
 * of that operand, and the operand that every thread packs in full is the smaller one (with a packed B, splitting
 * rows packs nothing twice).
 */
abstract class VectorGemm extends VectorMovement {

    VectorGemm(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    VectorGemm(Kernels checkedTwin) {
        super(checkedTwin);
    }

    @Override
    protected final void sgemmImpl(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                   int aOffset, int lda, float[] b, int bOffset, int ldb, float beta, float[] c,
                                   int cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        long multiplyAdds = (long) m * n * k;
        if (alpha == 0f || k == 0) {
            scaleRows(m, n, beta, c, cOffset, ldc);
        } else if (m == 1 && !transA) {
            // c = alpha * op(B)^T a + beta c, a and c contiguous: B stored k x n is read as its transpose.
            sgemvImpl(!transB, transB ? n : k, transB ? k : n, alpha, b, bOffset, ldb, a, aOffset, beta, c, cOffset);
        } else if (transB && !transA && m < GemmBlocking.DIRECT_TRANSPOSED_B_MAX_ROWS) {
            DirectGemm.dotForm(m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        } else if (!transB && m >= 4 && multiplyAdds < GemmBlocking.DIRECT_MAX_MULTIPLY_ADDS) {
            DirectGemm.broadcastForm(transA, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset,
                    ldc);
        } else {
            int threads = threadsFor(multiplyAdds);
            if (threads == 1) {
                BlockedGemm.multiply(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c,
                        cOffset, ldc);
            } else {
                GemmScratch.current().productSplit().multiply(threads, transA, transB, m, n, k, alpha, a, aOffset,
                        lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            }
        }
    }

    @Override
    protected final void sgemvImpl(boolean transA, int m, int n, float alpha, float[] a, int aOffset, int lda,
                                   float[] x, int xOffset, float beta, float[] y, int yOffset) {
        int outLength = transA ? n : m;
        if (outLength == 0) {
            return;
        }
        if (alpha == 0f || (transA ? m : n) == 0) {
            scaleRows(1, outLength, beta, y, yOffset, outLength);
        } else if (transA) {
            VectorGemv.gemvTransposed(m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
        } else {
            VectorGemv.gemvRows(m, n, alpha, a, aOffset, lda, x, xOffset, beta, y, yOffset);
        }
    }

    @Override
    protected final float dotImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        return VectorGemv.dot(n, x, xOffset, y, yOffset);
    }

    @Override
    protected final PackedMatrix packBImpl(boolean transB, int k, int n, float[] b, int bOffset, int ldb) {
        return new VectorPackedMatrix(transB, k, n, b, bOffset, ldb);
    }

    @Override
    protected final PackedMatrix repackBImpl(PackedMatrix reuse, boolean transB, int k, int n, float[] b,
                                             int bOffset, int ldb) {
        return reuse == null ? packBImpl(transB, k, n, b, bOffset, ldb)
                : VectorPackedMatrix.of(reuse, "repackB", "reuse").refill(transB, k, n, b, bOffset, ldb);
    }

    @Override
    protected final void sgemmPackedImpl(boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
                                         PackedMatrix b, float beta, float[] c, int cOffset, int ldc) {
        packedProduct(transA, m, alpha, a, aOffset, lda, VectorPackedMatrix.of(b, "sgemmPacked", "b"), beta, null, 0,
                c, cOffset, ldc);
    }

    @Override
    protected final void sgemmPackedBiasImpl(boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
                                             PackedMatrix b, float[] bias, int biasOffset, float[] c, int cOffset,
                                             int ldc) {
        packedProduct(transA, m, alpha, a, aOffset, lda, VectorPackedMatrix.of(b, "sgemmPackedBias", "b"), 1f, bias,
                biasOffset, c, cOffset, ldc);
    }

    /** sgemmPacked, or with a bias (else null) sgemmPackedBias: the algorithm and thread choice of both. */
    private void packedProduct(boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
                               VectorPackedMatrix packed, float beta, float[] bias, int biasOffset, float[] c,
                               int cOffset, int ldc) {
        int n = packed.cols();
        int k = packed.rows();
        if (m == 0 || n == 0) {
            return;
        }
        long multiplyAdds = (long) m * n * k;
        int threads = threadsFor(multiplyAdds);
        if (alpha == 0f || k == 0) {
            if (bias != null) {
                broadcastRowsImpl(m, n, bias, biasOffset, c, cOffset, ldc);
            } else {
                scaleRows(m, n, beta, c, cOffset, ldc);
            }
        } else if (m == 1) {
            VectorGemv.packedRow(rowThreadsFor(multiplyAdds), alpha, a, aOffset, transA ? lda : 1, packed, beta, bias,
                    biasOffset, c, cOffset);
        } else if (threads == 1) {
            BlockedGemm.multiplyPacked(transA, m, 0, n, alpha, a, aOffset, lda, packed, beta, bias, biasOffset, c,
                    cOffset, ldc);
        } else {
            GemmScratch.current().productSplit().multiplyPacked(threads, transA, m, alpha, a, aOffset, lda, packed,
                    beta, bias, biasOffset, c, cOffset, ldc);
        }
    }

    /** 1 below the threading threshold, else the configured count (also the batched recurrence's rule). */
    static int threadsFor(long multiplyAdds) {
        return multiplyAdds < GemmBlocking.THREADING_MIN_MULTIPLY_ADDS ? 1 : KernelThreads.count();
    }

    /** 1 below the one-row product's threading threshold, else the configured count. */
    private static int rowThreadsFor(long multiplyAdds) {
        return multiplyAdds < GemmBlocking.ROW_THREADING_MIN_MULTIPLY_ADDS ? 1 : KernelThreads.count();
    }

    /** C = beta * C for the alpha = 0 / k = 0 case (beta = 0 writes zeros without reading C). */
    static void scaleRows(int m, int n, float beta, float[] c, int cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOffset + i * ldc;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> mask = S.indexInRange(j, n);
                FloatVector out = beta == 0f ? FloatVector.zero(S)
                        : FloatVector.fromArray(S, c, row + j, mask).mul(beta);
                out.intoArray(c, row + j, mask);
            }
        }
    }

    /** Writes {@code alpha * acc + beta * C} into the (masked) vector of C at index (C not read when beta = 0). */
    static void store(FloatVector acc, float alpha, float beta, float[] c, int index, VectorMask<Float> mask) {
        FloatVector out = acc.mul(alpha);
        if (beta != 0f) {
            out = out.add(FloatVector.fromArray(S, c, index, mask).mul(beta));
        }
        out.intoArray(c, index, mask);
    }

    /** Writes {@code alpha * sum + beta * c[index]} (c not read when beta = 0). */
    static void store(float sum, float alpha, float beta, float[] c, int index) {
        c[index] = beta == 0f ? alpha * sum : alpha * sum + beta * c[index];
    }
}
