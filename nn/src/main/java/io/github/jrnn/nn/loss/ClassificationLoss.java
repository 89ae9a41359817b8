package io.github.jrnn.nn.loss;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * The shared computation of {@link CrossEntropyLoss} and {@link NLLLoss}, with PyTorch's definitions. Per row i
 * with target t_i (rows whose target is {@code ignore_index} contribute nothing), log-probabilities lp and class
 * weights w (all 1 when none are given):
 * <pre>
 * nll_i    = -w[t_i] * lp[i][t_i]
 * smooth_i = -sum_c w[c] * lp[i][c]                       (label smoothing eps > 0 only)
 * loss_i   = (1 - eps) * nll_i + (eps / C) * smooth_i
 * 'none': loss_i     'sum': sum_i loss_i     'mean': sum_i loss_i / sum_i w[t_i]   (over rows not ignored)
 * </pre>
 * For cross-entropy lp = log_softmax(input) over the class dimension; for NLL the input already is lp (and eps = 0).
 * The mean of a batch whose targets are all ignored is 0 / 0 = NaN, as in PyTorch.
 */
final class ClassificationLoss {

    private final String name;
    private final boolean fromLogits;
    private final float[] classWeight; // (C) or null
    private final int ignoreIndex;
    private final Reduction reduction;
    private final float labelSmoothing;

    ClassificationLoss(String name, boolean fromLogits, Tensor weight, int ignoreIndex, Reduction reduction,
                       double labelSmoothing) {
        if (reduction == null) {
            throw new IllegalArgumentException(name + ": reduction must not be null (use Reduction.MEAN, the default)");
        }
        if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        if (weight != null && weight.dim() != 1) {
            throw new IllegalArgumentException(name + ": weight must be a 1-D tensor of one weight per class, got"
                    + " shape " + Tensor.shapeString(weight.shape()));
        }
        this.name = name;
        this.fromLogits = fromLogits;
        this.classWeight = weight == null ? null : weight.data().clone();
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        this.labelSmoothing = (float) labelSmoothing;
    }

    Tensor forward(Tensor input, int[] target) {
        Kernels k = KernelProvider.kernels();
        ClassRows rows = ClassRows.of(name, input, target, classWeight, ignoreIndex);
        int n = rows.rows;
        int c = rows.classes;
        float[] logp = rows.scores;
        if (fromLogits) {
            logp = new float[n * c];
            k.logSoftmax(n, c, rows.scores, 0, c, logp, 0, c);
        }
        float[] perRow = new float[n];
        for (int i = 0; i < n; i++) {
            if (rows.targets[i] != ignoreIndex) {
                perRow[i] = -rows.rowWeights[i] * logp[i * c + rows.targets[i]];
            }
        }
        float[] weightsOrOnes = weightsOrOnes(k, c);
        if (labelSmoothing > 0f) {
            float[] smooth = new float[n];
            k.sgemv(false, n, c, -1f, logp, 0, c, weightsOrOnes, 0, 0f, smooth, 0);
            zeroIgnoredRows(rows, smooth);
            k.scale(n, 1f - labelSmoothing, perRow, 0);
            k.axpy(n, labelSmoothing / c, smooth, 0, perRow, 0);
        }
        float normalizer = 1f;
        Tensor result;
        if (reduction == Reduction.NONE) {
            result = Tensor.of(perRow, rows.targetShape);
        } else {
            float[] total = new float[1];
            k.sumRows(n, 1, perRow, 0, 1, total, 0);
            if (reduction == Reduction.MEAN) {
                float[] weightSum = new float[1];
                k.sumRows(n, 1, rows.rowWeights, 0, 1, weightSum, 0);
                normalizer = weightSum[0];
                total[0] /= normalizer;
            }
            result = Tensor.of(total);
        }
        if (!GradNode.shouldRecord(input)) {
            return result;
        }
        return new Backward(input, rows, logp, weightsOrOnes, normalizer).output(0, result);
    }

    private float[] weightsOrOnes(Kernels k, int classes) {
        if (classWeight != null) {
            return classWeight;
        }
        float[] ones = new float[classes];
        k.fill(classes, 1f, ones, 0);
        return ones;
    }

    private void zeroIgnoredRows(ClassRows rows, float[] perRow) {
        for (int i = 0; i < rows.rows; i++) {
            if (rows.targets[i] == ignoreIndex) {
                perRow[i] = 0f;
            }
        }
    }

    /** d loss / d input: through the per-row weights, the smoothing term and (for logits) log_softmax. */
    private final class Backward extends GradNode {
        private final ClassRows rows;
        private final float[] logp;
        private final float[] weightsOrOnes;
        private final float normalizer;

        Backward(Tensor input, ClassRows rows, float[] logp, float[] weightsOrOnes, float normalizer) {
            super(1, input);
            this.rows = rows;
            this.logp = logp;
            this.weightsOrOnes = weightsOrOnes;
            this.normalizer = normalizer;
        }

        @Override
        public String name() {
            return fromLogits ? "CrossEntropyLossBackward" : "NllLossBackward";
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            Kernels k = KernelProvider.kernels();
            float[] g = outputGrads[0];
            int n = rows.rows;
            int c = rows.classes;
            float[] dLogp = new float[n * c];
            for (int i = 0; i < n; i++) {
                int t = rows.targets[i];
                if (t == ignoreIndex) {
                    continue;
                }
                float s = reduction == Reduction.NONE ? g[i] : g[0];
                if (reduction == Reduction.MEAN) {
                    s /= normalizer;
                }
                if (labelSmoothing > 0f) {
                    k.broadcastRows(1, c, weightsOrOnes, 0, dLogp, i * c, c);
                    k.scale(c, -(labelSmoothing / c) * s, dLogp, i * c);
                }
                dLogp[i * c + t] -= (1f - labelSmoothing) * rows.rowWeights[i] * s;
            }
            if (fromLogits) {
                k.logSoftmaxBackward(n, c, dLogp, 0, c, logp, 0, c, dLogp, 0, c);
            }
            return new float[][] {rows.toInputLayout(dLogp)};
        }
    }
}
