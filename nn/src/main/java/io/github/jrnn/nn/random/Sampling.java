package io.github.jrnn.nn.random;

/**
 * The sequential draws of PyTorch's CPU sampling functions (torch 1.13), bit for bit on a {@link Generator}: the
 * exponential noise of {@code torch.multinomial} without replacement and the cumulative-distribution search of
 * {@code torch.multinomial} with replacement. Each call holds the generator's lock for all its draws, so they are
 * one contiguous run of the stream. The tensor-level functions ({@code Torch.multinomial}, {@code Torch.bernoulli})
 * build on these.
 */
public final class Sampling {

    private Sampling() {
    }

    /**
     * Fills {@code out[offset .. offset + n)} like {@code torch.empty(n).exponential_(lambda)} on a float32 tensor
     * (PyTorch built without MKL, as {@link Generator#bernoulli} explains): one 53-bit uniform
     * {@code u = (random64() & (2^53 - 1)) * 2^-53} per element, in index order, and
     * {@code (float) (-1.0 / lambda * log(1.0 - u))} computed in double.
     *
     * <p>{@code log} is {@link Math#log}, which gave glibc's results on every draw of the recorded fixtures; both are
     * within one unit in the last place of the double, so a float element could in principle differ from PyTorch's
     * when that ulp straddles a float rounding boundary (about once in 10^9 draws).
     *
     * @param g the generator to draw from
     * @param out the array to fill
     * @param offset where the slice starts
     * @param n how many values to draw
     * @param lambda the rate, positive
     * @throws IllegalArgumentException when lambda is not positive or the slice is outside {@code out}
     */
    public static void exponential(Generator g, float[] out, int offset, int n, double lambda) {
        if (!(lambda > 0.0)) {
            throw new IllegalArgumentException("exponential_ expects lambda > 0.0, but found lambda=" + lambda);
        }
        checkSlice("out", out == null ? -1 : out.length, offset, n);
        synchronized (g) {
            for (int i = 0; i < n; i++) {
                double u = Generator.unitDouble(g.random64());
                out[offset + i] = (float) (-1.0 / lambda * Math.log(1.0 - u));
            }
        }
    }

    /**
     * Draws {@code n} categories from one row's normalised cumulative distribution, PyTorch's sampling loop of
     * {@code torch.multinomial(p, n, replacement=True)}: per sample one 53-bit uniform {@code u} (as in
     * {@link #exponential}), then the first category c with {@code cumulative[c] >= u} (a binary search over
     * {@code [0, categories)}, comparing the float entries with u in double). The caller has set the last entry to
     * exactly 1, as PyTorch does, so every u in [0, 1) finds a category.
     *
     * @param g the generator to draw from
     * @param cumulative the running sums divided by their total, non-decreasing, last entry 1
     * @param offset index of the row's first entry in {@code cumulative}
     * @param categories the row's length, at least 1
     * @param out where the categories go
     * @param outOffset index in {@code out} of the first sample
     * @param n how many samples to draw
     * @throws IllegalArgumentException when a slice lies outside its array or {@code categories < 1}
     */
    public static void searchCumulative(Generator g, float[] cumulative, int offset, int categories, long[] out,
                                        int outOffset, int n) {
        if (categories < 1) {
            throw new IllegalArgumentException("categories must be at least 1, got " + categories);
        }
        checkSlice("cumulative", cumulative == null ? -1 : cumulative.length, offset, categories);
        checkSlice("out", out == null ? -1 : out.length, outOffset, n);
        synchronized (g) {
            for (int j = 0; j < n; j++) {
                double u = Generator.unitDouble(g.random64());
                int left = 0;
                int right = categories;
                while (right - left > 0) {
                    int mid = left + (right - left) / 2;
                    if (cumulative[offset + mid] < u) {
                        left = mid + 1;
                    } else {
                        right = mid;
                    }
                }
                out[outOffset + j] = left;
            }
        }
    }

    private static void checkSlice(String name, int length, int offset, int n) {
        if (length < 0) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (n < 0 || offset < 0 || offset > length - n) {
            throw new IllegalArgumentException("slice [offset=" + offset + ", n=" + n + ") must lie inside " + name
                    + " of length " + length);
        }
    }
}
