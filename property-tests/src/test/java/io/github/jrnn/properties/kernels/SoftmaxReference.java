package io.github.jrnn.properties.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Expected log-sum-exp, softmax and log-softmax of one row, in two senses.
 *
 * <p>{@link #documented}: the formulas of the {@code Kernels} Javadoc evaluated with {@link Tracked} error bounds:
 * {@code m = max_j x_j}, {@code d_j = x_j - m} (float), {@code S = sum_j exp(d_j)} (float), {@code lse = m + log S},
 * {@code softmax_j = exp(d_j) / S}, {@code logSoftmax_j = d_j - log S}. Edge rows follow the same formulas: an
 * empty or all -Inf row has lse -Inf, a row with +Inf has lse +Inf, and both make softmax and logSoftmax NaN in
 * every column (d_j is NaN for the +-Inf entries, so S is NaN); a -Inf entry of a finite row has softmax 0 and
 * logSoftmax -Inf.
 *
 * <p>{@link #pyTorch}: what {@code torch.softmax}, {@code torch.log_softmax} and {@code torch.logsumexp} compute,
 * in double (error bound 0): {@code d_j = x_j - m}, {@code S = sum exp(d_j)}, {@code softmax_j = exp(d_j) / S},
 * {@code logSoftmax_j = d_j - log S}; a row of all -Inf or with a +Inf entry gives NaN in every column
 * (checked against torch 1.13: {@code softmax([inf, 1]) = [nan, nan]}).
 *
 * @param logSumExp  the row's log-sum-exp
 * @param softmax    per column
 * @param logSoftmax per column
 */
record SoftmaxReference(Tracked logSumExp, Tracked[] softmax, Tracked[] logSoftmax) {

    private static Tracked exactly(double value) {
        return new Tracked(value, 0);
    }

    private static float rowMax(StridedMatrix x, int row) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < x.cols; j++) {
            max = Math.max(max, x.get(row, j));
        }
        return max;
    }

    /** The Javadoc's formulas with error bounds (see the class comment). */
    static SoftmaxReference documented(StridedMatrix x, int row) {
        int cols = x.cols;
        float max = rowMax(x, row);
        Tracked[] softmax = new Tracked[cols];
        Tracked[] logSoftmax = new Tracked[cols];
        if (Float.isInfinite(max)) {
            Arrays.fill(softmax, exactly(Double.NaN));
            Arrays.fill(logSoftmax, exactly(Double.NaN));
            return new SoftmaxReference(exactly(max), softmax, logSoftmax);
        }
        Tracked m = Tracked.exact(max);
        Tracked[] shifted = new Tracked[cols];
        List<Tracked> terms = new ArrayList<>();
        for (int j = 0; j < cols; j++) {
            float xj = x.get(row, j);
            if (xj != Float.NEGATIVE_INFINITY) {
                shifted[j] = Tracked.exact(xj).minus(m);
                terms.add(shifted[j].exp());
            }
        }
        Tracked sum = Tracked.sum(terms);
        Tracked logSum = sum.log();
        for (int j = 0; j < cols; j++) {
            if (shifted[j] == null) { // a -Inf entry: exp gives exactly 0
                softmax[j] = exactly(0.0);
                logSoftmax[j] = exactly(Double.NEGATIVE_INFINITY);
            } else {
                softmax[j] = shifted[j].exp().dividedBy(sum);
                logSoftmax[j] = shifted[j].minus(logSum);
            }
        }
        return new SoftmaxReference(m.plus(logSum), softmax, logSoftmax);
    }

    /** PyTorch's results in double (see the class comment). */
    static SoftmaxReference pyTorch(StridedMatrix x, int row) {
        int cols = x.cols;
        float max = rowMax(x, row);
        Tracked[] softmax = new Tracked[cols];
        Tracked[] logSoftmax = new Tracked[cols];
        if (max == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
            Arrays.fill(softmax, exactly(Double.NaN));
            Arrays.fill(logSoftmax, exactly(Double.NaN));
            return new SoftmaxReference(exactly(max), softmax, logSoftmax);
        }
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += Math.exp((double) x.get(row, j) - max);
        }
        double logSum = Math.log(sum);
        for (int j = 0; j < cols; j++) {
            double shifted = (double) x.get(row, j) - max;
            softmax[j] = exactly(Math.exp(shifted) / sum);
            logSoftmax[j] = exactly(shifted - logSum);
        }
        return new SoftmaxReference(exactly(max + logSum), softmax, logSoftmax);
    }
}
