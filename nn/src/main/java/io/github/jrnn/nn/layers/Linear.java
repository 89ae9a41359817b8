package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.init.Init;
import io.github.jrnn.nn.random.Generator;
import java.util.Arrays;

/**
 * {@code torch.nn.Linear(in_features, out_features, bias=True)}: {@code y = x W^T + b} on the last dimension,
 * input (*, in_features) to output (*, out_features).
 *
 * <p>Parameters, in PyTorch's order: {@code weight} (out_features, in_features), {@code bias} (out_features) when
 * enabled. Initialised as PyTorch: {@code kaiming_uniform_(weight, a=sqrt(5))}, i.e. U(-1/sqrt(in), 1/sqrt(in))
 * with PyTorch's exact double arithmetic for the bound, then the bias from U(-1/sqrt(in), 1/sqrt(in)).
 *
 * <p>Gradients: when {@link GradNode#shouldRecord} holds (recording on, and the input or a parameter requires
 * grad) the forward records one {@code LinearBackward} node: {@code dX = dY W}, {@code dW += dY^T X},
 * {@code db += sum over rows of dY}, with all leading dimensions of the input flattened into rows.
 *
 * <p>Thread safety: forward only reads the parameters; one module may serve many threads at once.
 */
public final class Linear extends Module implements TensorLayer {

    private final int inFeatures;
    private final int outFeatures;
    private final Kernels kernels;
    private final Parameter weight; // (out_features, in_features)
    private final Parameter bias;   // (out_features), null without bias

    /**
     * {@code nn.Linear(in_features, out_features)} with bias.
     *
     * @param inFeatures  PyTorch {@code in_features}: the width of an input row
     * @param outFeatures PyTorch {@code out_features}: the width of an output row
     */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /**
     * {@code nn.Linear(in_features, out_features, bias)}.
     *
     * @param inFeatures  PyTorch {@code in_features}: the width of an input row
     * @param outFeatures PyTorch {@code out_features}: the width of an output row
     * @param bias        whether to add a learnt bias
     */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, null, null);
    }

    /**
     * {@code nn.Linear(in_features, out_features, bias)} with its initial weights drawn from {@code generator}.
     *
     * @param inFeatures  PyTorch {@code in_features}: the width of an input row
     * @param outFeatures PyTorch {@code out_features}: the width of an output row
     * @param bias        whether to add a learnt bias
     * @param generator   the initial weights' generator, null for {@link Generator#defaultGenerator()}
     * @param kernels     the arithmetic, null for {@link KernelProvider#kernels()}
     * @throws IllegalArgumentException when a size is negative
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator generator, Kernels kernels) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("in_features and out_features must be >= 0, got in_features="
                    + inFeatures + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.kernels = kernels != null ? kernels : KernelProvider.kernels();
        this.weight = registerParameter("weight", Parameter.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Parameter.zeros(outFeatures)) : null;
        resetParameters(generator != null ? generator : Generator.defaultGenerator());
    }

    /**
     * A Linear whose weight is {@code weight} itself, tied to wherever else it is registered: PyTorch's
     * {@code head = nn.Linear(d, vocab); head.weight = embed.weight}, the weight tying of language models. Its
     * shape (out_features, in_features) gives the sizes. The bias is drawn as that PyTorch code draws it (a
     * whole Linear initialisation, whose weight part is then discarded), so seeded runs stay in step with torch.
     *
     * @param weight    the shared (out_features, in_features) parameter, e.g. an Embedding's weight
     * @param bias      whether to add a learnt bias of its own
     * @param generator the bias's generator, null for {@link Generator#defaultGenerator()}
     * @param kernels   the arithmetic, null for {@link KernelProvider#kernels()}
     * @throws IllegalArgumentException when {@code weight} is null or not 2-D
     */
    public Linear(Parameter weight, boolean bias, Generator generator, Kernels kernels) {
        if (weight == null || weight.shape().length != 2) {
            throw new IllegalArgumentException("a tied Linear needs a 2-D (out_features, in_features) weight, got "
                    + (weight == null ? "null" : "shape " + Tensor.shapeString(weight.shape())));
        }
        this.outFeatures = weight.shape()[0];
        this.inFeatures = weight.shape()[1];
        this.kernels = kernels != null ? kernels : KernelProvider.kernels();
        this.weight = registerParameter("weight", weight);
        this.bias = bias ? registerParameter("bias", Parameter.zeros(outFeatures)) : null;
        Init.linearDefault(generator != null ? generator : Generator.defaultGenerator(),
                new float[outFeatures * inFeatures], outFeatures, inFeatures, bias ? this.bias.data() : null);
        if (this.bias != null) {
            this.bias.markModified();
        }
    }

    /**
     * PyTorch's {@code reset_parameters}: {@code kaiming_uniform_(weight, a=sqrt(5))} then
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias ({@link Init#linearDefault}).
     *
     * @param generator the generator to draw from
     */
    public void resetParameters(Generator generator) {
        Init.linearDefault(generator, weight.data(), outFeatures, inFeatures, bias == null ? null : bias.data());
        parameters().forEach(Parameter::markModified);
    }

    /**
     * PyTorch {@code in_features}.
     *
     * @return the width of an input row
     */
    public int inFeatures() {
        return inFeatures;
    }

    /**
     * PyTorch {@code out_features}.
     *
     * @return the width of an output row
     */
    public int outFeatures() {
        return outFeatures;
    }

    /** PyTorch's {@code in_features=3, out_features=4, bias=True}: all three, always. */
    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + repr(bias != null);
    }

    /**
     * {@code y = x W^T + b}: input (*, in_features) (at least 1-D) to (*, out_features).
     *
     * @param input (*, in_features), at least 1-D
     * @return (*, out_features)
     */
    @Override
    public Tensor forward(Tensor input) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            int cols = input.dim() == 0 ? 1 : input.size(-1);
            int rows = input.dim() <= 1 ? 1 : input.numel() / Math.max(1, cols);
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + rows + "x" + cols
                    + " and " + inFeatures + "x" + outFeatures + "); hint: Linear(in_features=" + inFeatures
                    + ", out_features=" + outFeatures + ") needs input.size(-1) == " + inFeatures + ", got input"
                    + " of shape " + Tensor.shapeString(input.shape()));
        }
        int[] shape = input.shape();
        int rows = Tensor.checkedNumel(Arrays.copyOf(shape, shape.length - 1));
        shape[shape.length - 1] = outFeatures;
        Tensor out = Tensor.zeros(shape);
        float beta = 0f;
        if (bias != null) {
            kernels.broadcastRows(rows, outFeatures, bias.data(), 0, out.data(), 0, outFeatures);
            beta = 1f;
        }
        kernels.sgemm(false, true, rows, outFeatures, inFeatures, 1f, input.data(), 0, inFeatures,
                weight.data(), 0, inFeatures, beta, out.data(), 0, outFeatures);
        if (GradNode.shouldRecord(input, weight.value(), bias == null ? null : bias.value())) {
            return new Backward(input, rows).output(0, out);
        }
        return out;
    }

    /**
     * Backward of {@code y = x W^T + b} with x and dY flattened to (rows, in_features) and (rows, out_features):
     * {@code dX = dY W}, {@code dW = dY^T X}, {@code db = sum over rows of dY}, each one kernel call.
     */
    private final class Backward extends GradNode {
        private final Tensor input;
        private final int rows;

        Backward(Tensor input, int rows) {
            super(1, input, weight.value(), bias == null ? null : bias.value());
            this.input = input;
            this.rows = rows;
        }

        @Override
        public String name() {
            return "LinearBackward";
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            float[] dY = outputGrads[0];
            float[] dX = null;
            if (input.requiresGrad()) {
                dX = new float[rows * inFeatures];
                kernels.sgemm(false, false, rows, inFeatures, outFeatures, 1f, dY, 0, outFeatures,
                        weight.data(), 0, inFeatures, 0f, dX, 0, inFeatures);
            }
            float[] dW = null;
            if (weight.value().requiresGrad()) {
                dW = new float[outFeatures * inFeatures];
                kernels.sgemm(true, false, outFeatures, inFeatures, rows, 1f, dY, 0, outFeatures,
                        input.data(), 0, inFeatures, 0f, dW, 0, inFeatures);
            }
            float[] db = null;
            if (bias != null && bias.value().requiresGrad()) {
                db = new float[outFeatures];
                kernels.sumRows(rows, outFeatures, dY, 0, outFeatures, db, 0);
            }
            return new float[][] {dX, dW, db};
        }
    }
}
