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
}
