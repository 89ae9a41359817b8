package io.github.jrnn.properties.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Expected log-sum-exp, softmax and log-softmax of one row, in two senses.
 *
 * <p>{@link #documented}: the formulas of the {@code Kernels} Javadoc evaluated with {@link Tracked} error bounds:
 * {@code m = max_j x_j}, {@code lse = m + log sum_j exp(x_j - m)} (a float intermediate), {@code softmax_j =
 * exp(x_j - lse)}, {@code logSoftmax_j = x_j - lse}. Edge rows follow the same formulas: an empty or all -Inf row
 * has lse -Inf (softmax and logSoftmax NaN); a row with +Inf has lse +Inf (softmax 0 and logSoftmax -Inf for
 * finite entries, NaN for +Inf entries); a -Inf entry of a finite row has softmax 0 and logSoftmax -Inf.
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
        Tracked lse;
        if (max == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
            lse = exactly(max);
        } else {
            Tracked m = Tracked.exact(max);
            List<Tracked> terms = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                float xj = x.get(row, j);
                if (xj != Float.NEGATIVE_INFINITY) {
                    terms.add(Tracked.exact(xj).minus(m).exp());
                }
            }
            lse = m.plus(Tracked.sum(terms).log());
        }
        Tracked[] softmax = new Tracked[cols];
        Tracked[] logSoftmax = new Tracked[cols];
        for (int j = 0; j < cols; j++) {
            float xj = x.get(row, j);
            if (Double.isInfinite(lse.value()) || Float.isInfinite(xj)) {
                double shifted = xj - lse.value(); // exact in IEEE: infinities and NaN
                softmax[j] = exactly(Math.exp(shifted));
                logSoftmax[j] = exactly(shifted);
            } else {
                Tracked shifted = Tracked.exact(xj).minus(lse);
                softmax[j] = shifted.exp();
                logSoftmax[j] = shifted;
            }
        }
        return new SoftmaxReference(lse, softmax, logSoftmax);
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
