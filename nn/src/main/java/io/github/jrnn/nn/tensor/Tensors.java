package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.kernels.KernelProvider;

/**
 * Whole-tensor arithmetic that takes part in autograd, for the glue of a training loop, such as summing the
 * per-step losses of a cell stepped by hand ({@code loss += criterion(hidden, label)} in PyTorch):
 * <pre>{@code
 * Tensor loss = null;
 * for (int t = 0; t < steps; t++) {
 *     hidden = cell.forward(inputs.select(t), hidden);
 *     Tensor step = criterion.forward(hidden, labels[t]);
 *     loss = loss == null ? step : Tensors.add(loss, step);
 * }
 * loss.backward();
 * }</pre>
 */
public final class Tensors {

    private Tensors() {
    }

    /**
     * {@code a + b} element by element for tensors of the same shape (PyTorch's {@code torch.add(a, b)} without
     * broadcasting). Records an {@code AddBackward} node when {@link GradNode#shouldRecord} holds: both inputs
     * receive the output's gradient unchanged.
     *
     * @param a one operand
     * @param b the other operand, of the same shape
     * @return a new tensor {@code a + b}
     * @throws IllegalArgumentException when an argument is null or the shapes differ
     */
    public static Tensor add(Tensor a, Tensor b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException("add: both tensors are needed, got " + (a == null ? "a" : "b")
                    + " = null");
        }
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("add: the size of tensor a " + Tensor.shapeString(a.shape())
                    + " must match the size of tensor b " + Tensor.shapeString(b.shape())
                    + " (no broadcasting here)");
        }
        Tensor out = Tensor.zeros(a.shape());
        KernelProvider.kernels().add(out.numel(), a.data(), 0, b.data(), 0, out.data(), 0);
        return GradNode.shouldRecord(a, b) ? new AddBackward(a, b).output(0, out) : out;
    }

    /** Backward of {@code a + b}: the output gradient goes to both inputs. */
    private static final class AddBackward extends GradNode {
        AddBackward(Tensor a, Tensor b) {
            super(1, a, b);
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            return new float[][] {outputGrads[0], outputGrads[0]};
        }
    }

    /**
     * {@code torch.cat(tensors, dim)}: the tensors joined along {@code dim}; all other sizes must match (1-D empty
     * tensors are skipped, as in PyTorch). Records a {@code CatBackward0} node: each input receives its slice of
     * the output's gradient.
     *
     * @param tensors the tensors, in order; at least one
     * @param dim the joined dimension (negative counts from the end)
     * @return a new tensor whose size along dim is the sum of the inputs'
     * @throws IllegalArgumentException on an empty list, different ranks or sizes other than along dim (PyTorch's
     *         texts, e.g. {@code Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4
     *         for tensor number 1 in the list.})
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public static Tensor cat(java.util.List<Tensor> tensors, int dim) {
        return Joining.cat(tensors, dim);
    }

    /**
     * {@code torch.stack(tensors, dim)}: tensors of one shape joined along a new dimension {@code dim}. Records a
     * {@code StackBackward0} node.
     *
     * @param tensors the tensors, all of one shape; at least one
     * @param dim where the new dimension goes, from {@code -(rank + 1)} to {@code rank}
     * @return a new tensor with one more dimension, of size {@code tensors.size()}
     * @throws IllegalArgumentException on an empty list or different shapes (PyTorch's texts)
     * @throws IndexOutOfBoundsException when dim is out of range
     */
    public static Tensor stack(java.util.List<Tensor> tensors, int dim) {
        return Joining.stack(tensors, dim);
    }
}
