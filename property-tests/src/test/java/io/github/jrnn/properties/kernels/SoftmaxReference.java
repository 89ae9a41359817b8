package io.github.jrnn.properties.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's row-wise log-sum-exp, softmax and log-softmax of one row, evaluated in double with {@link Tracked}
 * error bounds, the way {@code torch.softmax} computes them: {@code m = max_j x_j}, {@code d_j = x_j - m},
 * {@code S = sum_j exp(d_j)}, then {@code logSumExp = m + log S}, {@code softmax_j = exp(d_j) / S},
 * {@code logSoftmax_j = d_j - log S}. Shifting by the maximum keeps every exp in [0, 1] (no overflow for logits
 * like 1e30) and leaves the large magnitude out of the small results.
 *
 * <p>Edge rows as in PyTorch: an empty row has logSumExp -Inf; a row of all -Inf has logSumExp -Inf and NaN
 * softmax and logSoftmax; a row containing +Inf has logSumExp +Inf and NaN softmax and logSoftmax everywhere;
 * a -Inf entry of an otherwise finite row has softmax 0 and logSoftmax -Inf exactly.
 *
 * @param logSumExp  the row's log-sum-exp
 * @param softmax    per column
 * @param logSoftmax per column
 */
record SoftmaxReference(Tracked logSumExp, Tracked[] softmax, Tracked[] logSoftmax) {

    private static Tracked exactly(double value) {
        return new Tracked(value, Math.abs(value), 0);
    }

    static SoftmaxReference ofRow(StridedMatrix x, int row) {
        int cols = x.cols;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x.get(row, j));
        }
        Tracked[] softmax = new Tracked[cols];
        Tracked[] logSoftmax = new Tracked[cols];
        if (max == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
            java.util.Arrays.fill(softmax, exactly(Double.NaN));
            java.util.Arrays.fill(logSoftmax, exactly(Double.NaN));
            return new SoftmaxReference(exactly(max), softmax, logSoftmax);
        }
        Tracked m = Tracked.exact(max);
        Tracked[] shifted = new Tracked[cols];
        Tracked[] exps = new Tracked[cols];
        List<Tracked> terms = new ArrayList<>();
        for (int j = 0; j < cols; j++) {
            float xj = x.get(row, j);
            if (xj == Float.NEGATIVE_INFINITY) {
                continue;
            }
            shifted[j] = Tracked.exact(xj).minus(m);
            exps[j] = shifted[j].exp();
            terms.add(exps[j]);
        }
        Tracked sum = Tracked.sum(terms);
        Tracked logSum = sum.log();
        for (int j = 0; j < cols; j++) {
            if (shifted[j] == null) {
                softmax[j] = exactly(0);
                logSoftmax[j] = exactly(Double.NEGATIVE_INFINITY);
            } else {
                softmax[j] = exps[j].dividedBy(sum);
                logSoftmax[j] = shifted[j].minus(logSum);
            }
        }
        return new SoftmaxReference(m.plus(logSum), softmax, logSoftmax);
    }
}
