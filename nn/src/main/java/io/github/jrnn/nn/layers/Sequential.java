package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.List;

/**
 * {@code torch.nn.Sequential(m0, m1, ...)}: children named {@code "0"}, {@code "1"}, ... in order, so its state
 * dict has PyTorch's names ({@code 0.weight}, {@code 2.bias}) and it prints like PyTorch.
 *
 * <p>What {@code forward} accepts: {@link #forward(Tensor)} feeds a float tensor through every child in order,
 * each of which must be a {@link TensorLayer} (one tensor in, one out: {@link Linear}, {@link Dropout}, a nested
 * {@code Sequential}, or a user's module implementing it); {@link #forward(LongTensor)} starts with indices, so
 * the first child must be an {@link Embedding} and the rest {@code TensorLayer}s. A child of another kind (an
 * {@code LSTM}, whose forward returns an output and a state) may still be held, loaded and saved, but a forward
 * through it is refused with a message naming its position; call it yourself ({@link #get(int)}).
 *
 * <p>Thread safety: as its children; the list of children is fixed at construction.
 */
public final class Sequential extends Module implements TensorLayer {

    private final List<Module> modules;

    /**
     * {@code nn.Sequential(modules...)}.
     *
     * @param modules the children in order, at least none, none of them null
     * @throws IllegalArgumentException when a child is null
     */
    public Sequential(Module... modules) {
        if (modules == null) {
            throw new IllegalArgumentException("modules must not be null");
        }
        for (int i = 0; i < modules.length; i++) {
            if (modules[i] == null) {
                throw new IllegalArgumentException("Sequential: module " + i + " is null");
            }
            registerModule(Integer.toString(i), modules[i]);
        }
        this.modules = List.of(modules);
    }

    /**
     * The child at {@code index}, like {@code seq[index]}.
     *
     * @param index from 0 to {@link #size()} - 1
     * @return the child
     * @throws IndexOutOfBoundsException when there is no such child
     */
    public Module get(int index) {
        return modules.get(index);
    }

    /**
     * Number of children, like {@code len(seq)}.
     *
     * @return the number of children
     */
    public int size() {
        return modules.size();
    }

    /**
     * Runs {@code input} through every child in order; each must be a {@link TensorLayer}.
     *
     * @param input the first child's input
     * @return the last child's output ({@code input} itself when there are no children)
     * @throws IllegalArgumentException when a child is no {@link TensorLayer}, or a child refuses its input
     */
    @Override
    public Tensor forward(Tensor input) {
        return forwardFrom(0, input);
    }

    /**
     * Looks up {@code indices} in the first child, an {@link Embedding}, and runs the result through the others
     * ({@link TensorLayer}s), like {@code nn.Sequential(nn.Embedding(...), nn.Linear(...))(indices)}.
     *
     * @param indices int64 indices of any shape
     * @return the last child's output
     * @throws IllegalArgumentException when the first child is no Embedding or a later one no TensorLayer
     */
    public Tensor forward(LongTensor indices) {
        if (modules.isEmpty() || !(modules.getFirst() instanceof Embedding embedding)) {
            throw new IllegalArgumentException("Sequential.forward(indices) needs an Embedding as child (0), got "
                    + (modules.isEmpty() ? "no children" : modules.getFirst().getClass().getSimpleName()));
        }
        return forwardFrom(1, embedding.forward(indices));
    }

    private Tensor forwardFrom(int first, Tensor input) {
        Tensor x = input;
        for (int i = first; i < modules.size(); i++) {
            if (!(modules.get(i) instanceof TensorLayer layer)) {
                throw new IllegalArgumentException("Sequential.forward: child (" + i + ") ("
                        + modules.get(i).getClass().getSimpleName() + ") does not map one tensor to one tensor;"
                        + " call its forward yourself with get(" + i + ")");
            }
            x = layer.forward(x);
        }
        return x;
    }
}
