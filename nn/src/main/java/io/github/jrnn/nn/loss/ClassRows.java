package io.github.jrnn.nn.loss;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * The (rows x classes) view that the classification losses compute on, built from PyTorch's accepted layouts and
 * checked like PyTorch checks them:
 * <ul>
 *   <li>input (C), target a single index: one row;</li>
 *   <li>input (N, C), target (N): N rows;</li>
 *   <li>input (N, C, d1, ..., dK), target (N, d1, ..., dK): N * d1 * ... * dK rows; the class dimension is moved
 *       last (a copy) so each row is contiguous.</li>
 * </ul>
 * Also holds, per row, the weight of its target class (0 for rows whose target is {@code ignore_index}).
 */
final class ClassRows {

    final int rows;
    final int classes;
    /** rows x classes, contiguous, class scores in row-major order. */
    final float[] scores;
    final int[] targets;
    /** weight[target] per row, 0 for ignored rows. */
    final float[] rowWeights;
    /** The shape of a per-element ('none') result: the target's shape. */
    final int[] targetShape;
    /** Input shape, to map gradients back. */
    final int[] inputShape;

    private ClassRows(int rows, int classes, float[] scores, int[] targets, float[] rowWeights, int[] targetShape,
                      int[] inputShape) {
        this.rows = rows;
        this.classes = classes;
        this.scores = scores;
        this.targets = targets;
        this.rowWeights = rowWeights;
        this.targetShape = targetShape;
        this.inputShape = inputShape;
    }

    static ClassRows of(String loss, Tensor input, int[] target, float[] classWeight, int ignoreIndex) {
        if (input == null || target == null) {
            throw new IllegalArgumentException(loss + ": input and target must not be null");
        }
        int[] shape = input.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException(loss + ": input must have at least 1 dimension (the classes), got a"
                    + " 0-dim tensor");
        }
        int classes = shape.length == 1 ? shape[0] : shape[1];
        int[] targetShape;
        float[] scores;
        if (shape.length == 1) {
            targetShape = new int[0];
            scores = input.data();
            checkTargetCount(loss, 1, target, "an unbatched input (C) takes exactly one target index");
        } else {
            targetShape = new int[shape.length - 1];
            targetShape[0] = shape[0];
            System.arraycopy(shape, 2, targetShape, 1, shape.length - 2);
            int expected = Tensor.checkedNumel(targetShape);
            if (target.length != expected) {
                throw new IllegalArgumentException(shape.length == 2
                        ? "Expected input batch_size (" + shape[0] + ") to match target batch_size ("
                                + target.length + ")."
                        : loss + ": target must hold one class index per position of shape "
                                + Tensor.shapeString(targetShape) + " (" + expected + " indices), got "
                                + target.length);
            }
            scores = shape.length == 2 ? input.data() : classesLast(input, shape);
        }
        if (classWeight != null && classWeight.length != classes) {
            throw new IllegalArgumentException("weight tensor should be defined either for all " + classes
                    + " classes or no classes but got weight tensor of shape: [" + classWeight.length + "]");
        }
        float[] rowWeights = new float[target.length];
        for (int i = 0; i < target.length; i++) {
            int t = target[i];
            if (t == ignoreIndex) {
                continue;
            }
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException("Target " + t + " is out of bounds: class indices must be in [0, "
                        + (classes - 1) + "] for " + classes + " classes (or equal ignore_index = " + ignoreIndex
                        + ")" + (t == classes ? "; are the labels 1-based?" : ""));
            }
            rowWeights[i] = classWeight == null ? 1f : classWeight[t];
        }
        return new ClassRows(target.length, classes, scores, target.clone(), rowWeights, targetShape, shape);
    }

    private static void checkTargetCount(String loss, int expected, int[] target, String why) {
        if (target.length != expected) {
            throw new IllegalArgumentException(loss + ": " + why + ", got " + target.length);
        }
    }

    /** (N, C, d...) to (N * d..., C) row-major, without recording a graph node (the loss records its own). */
    private static float[] classesLast(Tensor input, int[] shape) {
        int spatial = Tensor.checkedNumel(java.util.Arrays.copyOfRange(shape, 2, shape.length));
        return GradMode.noGrad(() -> input.detach().reshape(shape[0], shape[1], spatial).transpose(1, 2).data());
    }

    /** Maps a (rows x classes) gradient back to the input's layout. */
    float[] toInputLayout(float[] rowGrad) {
        if (inputShape.length <= 2) {
            return rowGrad;
        }
        int spatial = rows / inputShape[0];
        return GradMode.noGrad(() -> Tensor.of(rowGrad, inputShape[0], spatial, classes).transpose(1, 2).data());
    }
}
