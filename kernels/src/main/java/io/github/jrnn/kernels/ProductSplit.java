package io.github.jrnn.kernels;

/**
 * A cache-blocked product ({@link BlockedGemm}) split over threads ({@link GemmThreads.Job}): one per thread that
 * calls split products (in its {@link GemmScratch}), reused product after product, so that a split product
 * allocates nothing (the lambda form of {@link GemmThreads#run(int, int, java.util.function.IntConsumer)} allocated
 * a lambda and a job per product: 120-170 bytes per two-thread {@code sgemm} in the study's {@code -prof gc}).
 *
 * <p>The split cuts the larger of the two output dimensions into near-equal runs of whole panels: NR columns of C
 * when op(B) has at least as many column panels as op(A) has row panels, else MR rows. Split points at whole panels
 * give every element of C the same operations in the same order whatever the thread count.
 *
 * <p>The operands are plain fields set before each run (the run's start publishes them to the helpers, see
 * {@link GemmThreads.Job}) and cleared after it, so that the job keeps no caller's arrays alive between products.
 */
final class ProductSplit extends GemmThreads.Job {

    private static final int MR = GemmMicroKernel.MR;
    private static final int NR = GemmMicroKernel.NR;

    private boolean byColumns;
    private int parts;
    private int panels;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float alpha;
    private float[] a;
    private int aOffset;
    private int lda;
    private float[] b;                  // sgemm: op(B) as the caller stores it; null for a packed B
    private int bOffset;
    private int ldb;
    private VectorPackedMatrix packed;  // sgemmPacked / sgemmPackedBias: the packed B; null for sgemm
    private float beta;
    private float[] bias;               // sgemmPackedBias: the bias added in place of beta C; else null
    private int biasOffset;
    private float[] c;
    private int cOffset;
    private int ldc;

    ProductSplit() {
        super(true);
    }

    /** {@link BlockedGemm#multiply} of the whole m x n x k product on up to {@code threads} threads. */
    void multiply(int threads, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                  int aOffset, int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.a = a;
        this.aOffset = aOffset;
        this.lda = lda;
        this.b = b;
        this.bOffset = bOffset;
        this.ldb = ldb;
        this.packed = null;
        this.beta = beta;
        this.bias = null;
        this.biasOffset = 0;
        this.c = c;
        this.cOffset = cOffset;
        this.ldc = ldc;
        run(threads);
    }

    /**
     * {@link BlockedGemm#multiplyPacked} of all m rows and all columns of {@code packed} on up to {@code threads}
     * threads, with a {@code bias} (else null) as in {@link Kernels#sgemmPackedBias}.
     */
    void multiplyPacked(int threads, boolean transA, int m, float alpha, float[] a, int aOffset, int lda,
                        VectorPackedMatrix packed, float beta, float[] bias, int biasOffset, float[] c, int cOffset,
                        int ldc) {
        this.transA = transA;
        this.transB = false;
        this.m = m;
        this.n = packed.cols();
        this.k = packed.rows();
        this.alpha = alpha;
        this.a = a;
        this.aOffset = aOffset;
        this.lda = lda;
        this.b = null;
        this.packed = packed;
        this.beta = beta;
        this.bias = bias;
        this.biasOffset = biasOffset;
        this.c = c;
        this.cOffset = cOffset;
        this.ldc = ldc;
        run(threads);
    }

    private void run(int threads) {
        int columnPanels = GemmPacking.ceilDiv(n, NR);
        int rowPanels = GemmPacking.ceilDiv(m, MR);
        byColumns = columnPanels >= rowPanels;
        panels = byColumns ? columnPanels : rowPanels;
        parts = Math.min(threads, panels);
        try {
            GemmThreads.run(parts, threads, this);
        } finally {
            a = null;
            b = null;
            packed = null;
            bias = null;
            c = null;
        }
    }

    /** Part {@code part}: its run of whole column panels (or row panels), the last run ending at n (or m). */
    @Override
    protected void runPart(int part) {
        int from = (int) ((long) part * panels / parts) * (byColumns ? NR : MR);
        int to = Math.min(byColumns ? n : m, (int) ((long) (part + 1) * panels / parts) * (byColumns ? NR : MR));
        if (byColumns) {
            if (packed != null) {
                BlockedGemm.multiplyPacked(transA, m, from, to, alpha, a, aOffset, lda, packed, beta, bias,
                        biasOffset, c, cOffset, ldc);
            } else {
                BlockedGemm.multiply(transA, transB, m, to - from, k, alpha, a, aOffset, lda, b,
                        bOffset + (transB ? from * ldb : from), ldb, beta, c, cOffset + from, ldc);
            }
        } else {
            int rowsA = aOffset + (transA ? from : from * lda);
            if (packed != null) {
                BlockedGemm.multiplyPacked(transA, to - from, 0, n, alpha, a, rowsA, lda, packed, beta, bias,
                        biasOffset, c, cOffset + from * ldc, ldc);
            } else {
                BlockedGemm.multiply(transA, transB, to - from, n, k, alpha, a, rowsA, lda, b, bOffset, ldb, beta, c,
                        cOffset + from * ldc, ldc);
            }
        }
    }
}
