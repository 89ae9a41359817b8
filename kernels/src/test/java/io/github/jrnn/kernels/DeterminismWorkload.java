package io.github.jrnn.kernels;

import java.util.SplittableRandom;

/**
 * A fixed workload over the vector kernels whose every output bit goes into one checksum. {@link #main} prints the
 * checksum, so a child JVM in another execution mode (e.g. {@code -Xint}) can be compared with this one.
 */
public final class DeterminismWorkload {

    private DeterminismWorkload() {
    }

    public static void main(String[] args) {
        System.out.println(Long.toHexString(checksum(KernelProvider.checkedVector())));
    }

    /** Runs every reduction-bearing kernel on fixed data and hashes the raw bits of all results. */
    static long checksum(Kernels k) {
        SplittableRandom random = new SplittableRandom(7);
        int m = 21;
        int n = 37;
        int p = 53;
        float[] a = data(random, m * p);
        float[] b = data(random, n * p);
        float[] c = new float[m * n];
        long h = 17;
        k.sgemm(false, true, m, n, p, 1f, a, 0, p, b, 0, p, 0f, c, 0, n);
        h = mix(h, c);
        k.sgemm(false, false, m, p, n, 0.5f, c, 0, n, b, 0, p, 0f, a, 0, p);
        h = mix(h, a);
        float[] y = new float[n];
        k.sgemv(false, n, p, 1f, b, 0, p, a, 0, 0f, y, 0);
        h = mix(h, y);
        PackedMatrix packed = k.packB(true, p, n, b, 0, p);
        k.sgemmPacked(false, m, 1f, a, 0, p, packed, 0f, c, 0, n);
        h = mix(h, c);
        k.sgemmPacked(false, 1, 1f, a, 0, p, packed, 0f, y, 0, n);
        h = mix(h, y);
        h = h * 31 + Float.floatToRawIntBits(k.dot(n * p, b, 0, b, 0));
        float[] lse = new float[m];
        k.logSumExp(m, n, c, 0, n, lse, 0);
        h = mix(h, lse);
        float[] soft = new float[m * n];
        k.softmax(m, n, c, 0, n, soft, 0, n);
        h = mix(h, soft);
        float[] logp = new float[m * n];
        k.logSoftmax(m, n, c, 0, n, logp, 0, n);
        k.logSoftmaxBackward(m, n, soft, 0, n, logp, 0, n, soft, 0, n);
        h = mix(h, soft);
        float[] sums = new float[n];
        k.sumRows(m, n, c, 0, n, sums, 0);
        return mix(h, sums);
    }

    private static float[] data(SplittableRandom random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static long mix(long h, float[] values) {
        for (float v : values) {
            h = h * 31 + Float.floatToRawIntBits(v);
        }
        return h;
    }
}
