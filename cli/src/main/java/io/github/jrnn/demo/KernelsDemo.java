package io.github.jrnn.demo;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import java.io.PrintStream;
import java.util.SplittableRandom;

/**
 * Shows which kernels this JVM chose and how closely the SIMD kernels follow the scalar reference on one GRU
 * time step: the input and hidden products ({@code sgemm} against PyTorch-layout weights) and the fused gate update.
 */
final class KernelsDemo implements Demo {

    private static final int BATCH = 4;
    private static final int INPUT = 10;
    private static final int HIDDEN = 20;

    @Override
    public String name() {
        return "kernels";
    }

    @Override
    public String description() {
        return "which kernels run here, and one GRU step on SIMD vs scalar kernels";
    }

    @Override
    public void run(long seed, PrintStream out) {
        out.println("kernels in use: " + KernelProvider.choice());
        if (!KernelProvider.vectorModuleAvailable()) {
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = uniform(random, BATCH * INPUT);
        float[] h = uniform(random, BATCH * HIDDEN);
        float[] wIh = uniform(random, 3 * HIDDEN * INPUT);
        float[] wHh = uniform(random, 3 * HIDDEN * HIDDEN);
        float[] vector = gruStep(KernelProvider.checkedVector(), x, h, wIh, wHh);
        float[] scalar = gruStep(KernelProvider.checkedScalar(), x, h, wIh, wHh);
        double maxDiff = 0;
        for (int i = 0; i < vector.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(vector[i] - scalar[i]));
        }
        out.printf("GRU step, batch %d, input %d, hidden %d: h'[0][0..3] vector = %.6f %.6f %.6f %.6f%n",
                BATCH, INPUT, HIDDEN, vector[0], vector[1], vector[2], vector[3]);
        out.printf("                                     h'[0][0..3] scalar = %.6f %.6f %.6f %.6f%n",
                scalar[0], scalar[1], scalar[2], scalar[3]);
        out.printf("largest difference over all %d outputs: %.2e%n", vector.length, maxDiff);
    }

    private static float[] gruStep(Kernels k, float[] x, float[] h, float[] wIh, float[] wHh) {
        float[] ig = new float[BATCH * 3 * HIDDEN];
        float[] hg = new float[BATCH * 3 * HIDDEN];
        float[] out = new float[BATCH * HIDDEN];
        k.sgemm(false, true, BATCH, 3 * HIDDEN, INPUT, 1f, x, 0, INPUT, wIh, 0, INPUT, 0f, ig, 0, 3 * HIDDEN);
        k.sgemm(false, true, BATCH, 3 * HIDDEN, HIDDEN, 1f, h, 0, HIDDEN, wHh, 0, HIDDEN, 0f, hg, 0, 3 * HIDDEN);
        k.gruCell(BATCH, HIDDEN, ig, 0, hg, 0, h, 0, HIDDEN, out, 0, HIDDEN, null, 0);
        return out;
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }
}
