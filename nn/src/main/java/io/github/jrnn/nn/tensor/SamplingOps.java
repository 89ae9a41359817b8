package io.github.jrnn.nn.tensor;

import io.github.jrnn.kernels.BinaryOp;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.random.Sampling;

/**
 * {@code torch.multinomial} and {@code torch.bernoulli(p)} as PyTorch 1.13 computes them on a CPU, with the same
 * draws in the same order (so the same results and the same generator state after the call) and the same refusals,
 * including refusals that come after some draws (PyTorch checks those probabilities as it reaches them).
 */
final class SamplingOps {

    /** PyTorch's bound: category indices pass through float, whose consecutive integers end at 2^24. */
    private static final int MAX_CATEGORIES = 1 << 24;

    private SamplingOps() {
    }

    /**
     * {@code torch.multinomial(probs, numSamples, replacement, generator=g)}; see {@link Torch#multinomial}. (PyTorch
     * 1.13 takes the exponential path only without replacement; later versions also take it for one sample.)
     */
    static LongTensor multinomial(Generator g, Tensor probs, int numSamples, boolean replacement) {
        if (probs.dim() < 1 || probs.dim() > 2) {
            throw new IllegalArgumentException("prob_dist must be 1 or 2 dim (got " + probs.dim()
                    + " dimensions, shape " + Tensor.shapeString(probs.shape()) + ")");
        }
        if (numSamples <= 0) {
            throw new IllegalArgumentException("cannot sample n_sample <= 0 samples (got num_samples = " + numSamples
                    + ")");
        }
        int categories = probs.size(-1);
        if (!replacement && numSamples > categories) {
            throw new IllegalArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without"
                    + " replacement (num_samples = " + numSamples + ", " + categories + " categories; pass"
                    + " replacement = true to draw a category more than once)");
        }
        if (categories > MAX_CATEGORIES) {
            throw new IllegalArgumentException("number of categories cannot exceed 2^24 (got " + categories + ")");
        }
        int rows = probs.dim() == 2 ? probs.size(0) : 1;
        int[] shape = probs.dim() == 2 ? new int[] {rows, numSamples} : new int[] {numSamples};
        if (rows == 0) {
            return LongTensor.of(new long[0], shape);
        }
        Tensor p = probs.detach();
        if (!replacement) {
            return byExponentialNoise(g, p, numSamples, shape);
        }
        return byCumulativeDistribution(g, p, rows, categories, numSamples, shape);
    }

    /**
     * PyTorch's path without replacement: {@code argmax} / {@code topk} of {@code p / q} with {@code q ~ Exp(1)}
     * drawn for every element, after checking the whole tensor before any draw. The top k keep torch's tie order
     * (the {@code topkAlong} kernel's), which matters for zero weights (ratio 0) when more samples than non-zero
     * weights are asked.
     */
    private static LongTensor byExponentialNoise(Generator g, Tensor p, int numSamples, int[] shape) {
        float max = p.max().item();
        float min = p.min().item();
        if (!(max < Float.POSITIVE_INFINITY && min >= 0)) {
            throw new IllegalArgumentException("probability tensor contains either `inf`, `nan` or element < 0"
                    + " (every probability must be finite and >= 0)");
        }
        // the probabilities are >= 0 here, so a row sums to 0 exactly when it is all zeros
        if (p.sum(-1, false).min().item() == 0f) {
            throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)"
                    + " (a row of probabilities is all zeros)");
        }
        Tensor q = Tensor.zeros(p.shape());
        Sampling.exponential(g, q.data(), 0, q.numel(), 1.0);
        Tensor ratio = p.div(q);
        if (numSamples == 1) {
            return LongTensor.of(ratio.argmax(-1, true).data(), shape);
        }
        return ratio.topk(numSamples, -1, true).indices();
    }

    /**
     * PyTorch's path with replacement and more than one sample: row by row, the running sums of the probabilities
     * (checked element by element as they are added), divided by the total, then one uniform draw and a search per
     * sample. A bad row is refused after the rows before it have drawn their samples, as in PyTorch.
     */
    private static LongTensor byCumulativeDistribution(Generator g, Tensor p, int rows, int categories,
                                                       int numSamples, int[] shape) {
        float[] probs = p.data();
        float[] cumulative = new float[probs.length];
        KernelProvider.kernels().cumsumAlong(rows, categories, 1, probs, 0, cumulative, 0);
        long[] out = new long[rows * numSamples];
        float[] total = new float[1];
        for (int r = 0; r < rows; r++) {
            int start = r * categories;
            checkRow(probs, start, categories, r);
            total[0] = categories == 0 ? 0f : cumulative[start + categories - 1];
            if (!(total[0] > 0)) {
                throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)"
                        + " (row " + r + " is all zeros)");
            }
            KernelProvider.kernels().broadcastBinary(BinaryOp.DIV, 1, categories, cumulative, new int[] {start}, 1,
                    total, new int[] {0}, 0, cumulative, start);
            cumulative[start + categories - 1] = 1f;
            Sampling.searchCumulative(g, cumulative, start, categories, out, r * numSamples, numSamples);
        }
        return LongTensor.of(out, shape);
    }

    /** PyTorch's per-element checks in its order: {@code p >= 0} (false for NaN), then finite. */
    private static void checkRow(float[] probs, int start, int categories, int row) {
        for (int j = 0; j < categories; j++) {
            float v = probs[start + j];
            if (!(v >= 0)) {
                throw new IllegalArgumentException("invalid multinomial distribution (encountering probability entry"
                        + " < 0) (row " + row + ", category " + j + " is " + v + ")");
            }
            if (v == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("invalid multinomial distribution (encountering probability entry"
                        + " = infinity or NaN) (row " + row + ", category " + j + ")");
            }
        }
    }

    /**
     * {@code torch.bernoulli(p, generator=g)}; see {@link Torch#bernoulli}. The draws are float uniforms as
     * {@code torch.rand} makes them, compared with p by the {@code LT} kernel.
     */
    static Tensor bernoulli(Generator g, Tensor p) {
        float[] probs = p.data();
        int bad = -1;
        for (int i = 0; i < probs.length && bad < 0; i++) {
            if (!(probs[i] >= 0 && probs[i] <= 1)) {
                bad = i;
            }
        }
        float[] u = new float[bad < 0 ? probs.length : bad];
        g.uniform(u, 0, u.length, 0.0, 1.0);
        if (bad >= 0) {
            // PyTorch checks each probability as it draws for it: the elements before the bad one have drawn
            throw new IllegalArgumentException("Expected p_in >= 0 && p_in <= 1 to be true, but got false."
                    + " (element " + bad + " of p is " + probs[bad] + "; probabilities must lie in [0, 1])");
        }
        float[] out = new float[probs.length];
        KernelProvider.kernels().broadcastBinary(BinaryOp.LT, 1, probs.length, u, new int[] {0}, 1, probs,
                new int[] {0}, 1, out, 0);
        return Tensor.of(out, p.shape());
    }
}
