package io.github.jrnn.nn;

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
 * <p>Thread safety: evaluation mode touches no state. In training mode the generator is synchronized, so calls
 * from several threads are safe but their masks depend on the interleaving.
 */
public final class Dropout extends Module {

    private final double p;
    private final Generator generator;
    private final Kernels kernels;

    /** {@code nn.Dropout(p)} drawing its masks from {@link Generator#defaultGenerator()}. */
    public Dropout(double p) {
        this(p, null, null);
    }

    /**
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

    /** PyTorch {@code p}. */
    public double p() {
        return p;
    }

    /** Training: a new tensor with dropout applied; evaluation: {@code input} itself. */
    public Tensor forward(Tensor input) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        if (!isTraining() || p == 0) {
            return input;
        }
        Tensor out = input.copy();
        dropoutInPlace(kernels, generator, p, out.data(), 0, out.numel());
        return out;
    }

    /**
     * The functional form ({@code torch.nn.functional.dropout(x, p, training=True)}) on {@code x[offset ..
     * offset + n)}, in place: {@code x[i] *= mask[i]} with the mask of {@link Generator#dropoutMask} (0 or
     * {@code 1 / (1 - p)}, PyTorch's CPU noise). p = 0 leaves x unchanged and draws nothing.
     */
    public static void dropoutInPlace(Kernels kernels, Generator generator, double p, float[] x, int offset, int n) {
        checkProbability(p);
        if (p == 0 || n == 0) {
            return;
        }
        float[] mask = new float[n];
        generator.dropoutMask(mask, 0, n, p);
        kernels.mul(n, x, offset, mask, 0, x, offset);
    }

    private static void checkProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
    }
}
