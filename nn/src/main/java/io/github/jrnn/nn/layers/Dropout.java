package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.random.Generator;

/**
 * {@code torch.nn.Dropout(p)}: in training mode each element is zeroed with probability p and the others are
 * scaled by {@code 1 / (1 - p)}, so the expectation is unchanged; in evaluation mode it is the identity (the input
 * tensor itself is returned, as PyTorch does).
 *
 * <p>The masks are drawn from the module's generator with {@link Generator#dropoutMask}, the noise of PyTorch's
 * portable CPU kernel (a seeded generator gives PyTorch's masks where PyTorch is built without MKL; see there).
 *
 * <p>Gradients: in training mode, when {@link GradNode#shouldRecord} holds for the input, the forward records a
 * {@code DropoutBackward} node keeping the mask: {@code dX = dY * mask} (the kept elements' gradient scaled by
 * {@code 1 / (1 - p)}, the dropped ones zero). Evaluation mode records nothing: the output is the input.
 *
 * <p>Thread safety: evaluation mode touches no state. In training mode the generator is synchronized, so calls
 * from several threads are safe but their masks depend on the interleaving.
 */
public final class Dropout extends Module implements TensorLayer {

    private final double p;
    private final Generator generator;
    private final Kernels kernels;

    /**
     * {@code nn.Dropout(p)} drawing its masks from {@link Generator#defaultGenerator()}.
     *
     * @param p PyTorch {@code p}: the probability of zeroing an element, in [0, 1]
     */
    public Dropout(double p) {
        this(p, null, null);
    }

    /**
     * {@code nn.Dropout(p)} drawing its masks from {@code generator}.
     *
     * @param p         PyTorch {@code p}: the probability of zeroing an element, in [0, 1]
     * @param generator the masks' generator, null for {@link Generator#defaultGenerator()}
     * @param kernels   the arithmetic, null for {@link KernelProvider#kernels()}
     */
    public Dropout(double p, Generator generator, Kernels kernels) {
        checkProbability(p);
        this.p = p;
        this.generator = generator != null ? generator : Generator.defaultGenerator();
        this.kernels = kernels != null ? kernels : KernelProvider.kernels();
    }

    /**
     * PyTorch {@code p}.
     *
     * @return the probability of zeroing an element
     */
    public double p() {
        return p;
    }

    /**
     * PyTorch's {@code p=0.5, inplace=False}: both, always; jrnn's dropout never works in place, so
     * {@code inplace=False}.
     */
    @Override
    protected String extraRepr() {
        return "p=" + repr(p) + ", inplace=" + repr(false);
    }

    /**
     * Training: a new tensor with dropout applied; evaluation: {@code input} itself.
     *
     * @param input any shape
     * @return in training a new tensor of the same shape, in evaluation {@code input}
     */
    @Override
    public Tensor forward(Tensor input) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        if (!isTraining() || p == 0) {
            return input;
        }
        int n = input.numel();
        float[] mask = mask(generator, p, n);
        Tensor out = Tensor.zeros(input.shape());
        kernels.mul(n, input.data(), 0, mask, 0, out.data(), 0);
        return GradNode.shouldRecord(input) ? new Backward(input, mask).output(0, out) : out;
    }

    /**
     * The functional form ({@code torch.nn.functional.dropout(x, p, training=True)}) on {@code x[offset ..
     * offset + n)}, in place: {@code x[i] *= mask[i]} with the mask of {@link Generator#dropoutMask} (0 or
     * {@code 1 / (1 - p)}, PyTorch's CPU noise). p = 0 leaves x unchanged and draws nothing.
     *
     * @param kernels the arithmetic
     * @param generator the masks' generator
     * @param p the probability of zeroing an element, in [0, 1]
     * @param x the array to drop out in place
     * @param offset where the slice starts
     * @param n the slice's length
     */
    public static void dropoutInPlace(Kernels kernels, Generator generator, double p, float[] x, int offset, int n) {
        checkProbability(p);
        if (p == 0 || n == 0) {
            return;
        }
        kernels.mul(n, x, offset, mask(generator, p, n), 0, x, offset);
    }

    private static float[] mask(Generator generator, double p, int n) {
        float[] mask = new float[n];
        generator.dropoutMask(mask, 0, n, p);
        return mask;
    }

    /** Backward of {@code y = x * mask}: {@code dX = dY * mask}, the forward's own mask (0 or 1 / (1 - p)). */
    private final class Backward extends GradNode {
        private float[] mask;

        Backward(Tensor input, float[] mask) {
            super(1, input);
            this.mask = mask;
        }

        @Override
        public String name() {
            return "DropoutBackward";
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            float[] dX = new float[mask.length];
            kernels.mul(mask.length, outputGrads[0], 0, mask, 0, dX, 0);
            return new float[][] {dX};
        }

        @Override
        protected void release() {
            mask = null;
        }
    }

    private static void checkProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
    }
}
