package io.github.jrnn.nn.layers;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;

/**
 * {@code torch.nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True)}: normalises over the trailing
 * {@code normalized_shape} dimensions of the input. With the input seen as (rows, n), n the product of
 * normalized_shape and rows the product of the leading dimensions:
 * <pre>
 * mean_i = (1/n) sum_j x[i][j]     var_i = (1/n) sum_j (x[i][j] - mean_i)^2     (biased, as PyTorch)
 * y[i][j] = (x[i][j] - mean_i) / sqrt(var_i + eps) * weight[j] + bias[j]
 * </pre>
 * Shapes: input (*, normalized_shape...) to an output of the same shape.
 *
 * <p>Parameters, with {@code elementwise_affine} only, in PyTorch's order and names: {@code weight}
 * (normalized_shape, initialised to ones) and {@code bias} (normalized_shape, zeros).
 *
 * <p>Computed by the fused kernel pair {@link Kernels#layerNorm} / {@link Kernels#layerNormBackward}: the forward
 * keeps each row's mean and reciprocal standard deviation, and when {@link GradNode#shouldRecord} holds records
 * one {@code NativeLayerNormBackward} node giving the input, weight and bias gradients in one pass.
 *
 * <p>Thread safety: forward only reads the parameters; one module may serve many threads at once.
 */
public final class LayerNorm extends Module implements TensorLayer {

    /** PyTorch's default {@code eps}. */
    public static final double DEFAULT_EPS = 1e-5;

    private final int[] normalizedShape;
    private final int width;        // product of normalizedShape
    private final double eps;
    private final Kernels kernels;
    private final Parameter weight; // normalizedShape, null without elementwise affine
    private final Parameter bias;   // normalizedShape, null without elementwise affine

    /**
     * {@code nn.LayerNorm(normalized_shape)}: eps = 1e-5, with elementwise affine.
     *
     * @param normalizedShape the trailing dimensions to normalise over, at least one
     */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, DEFAULT_EPS, true, null);
    }

    /**
     * {@code nn.LayerNorm(normalized_shape, eps, elementwise_affine)}.
     *
     * @param normalizedShape   the trailing dimensions to normalise over, at least one, each >= 0
     * @param eps               added to the variance, >= 0 and finite
     * @param elementwiseAffine whether to learn a weight and a bias of shape normalized_shape
     * @param kernels           the arithmetic, null for {@link KernelProvider#kernels()}
     * @throws IllegalArgumentException when normalized_shape is null or empty, has a negative dimension, or eps is
     *                                  negative or not finite
     */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, Kernels kernels) {
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape must name at least one dimension, got "
                    + (normalizedShape == null ? "null" : "[]") + "; e.g. new LayerNorm(hidden_size)");
        }
        for (int d : normalizedShape) {
            if (d < 0) {
                throw new IllegalArgumentException("LayerNorm: normalized_shape dimensions must be >= 0, got "
                        + Arrays.toString(normalizedShape));
            }
        }
        if (!(eps >= 0 && eps < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("LayerNorm: eps must be >= 0 and finite, got " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.width = Tensor.checkedNumel(normalizedShape);
        this.eps = eps;
        this.kernels = kernels != null ? kernels : KernelProvider.kernels();
        if (elementwiseAffine) {
            this.weight = registerParameter("weight", Parameter.zeros(normalizedShape));
            this.bias = registerParameter("bias", Parameter.zeros(normalizedShape));
            this.kernels.fill(width, 1f, weight.data(), 0);
        } else {
            this.weight = null;
            this.bias = null;
        }
    }

    /**
     * PyTorch {@code normalized_shape}.
     *
     * @return a copy of the normalised trailing dimensions
     */
    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /**
     * PyTorch {@code eps}.
     *
     * @return the value added to the variance
     */
    public double eps() {
        return eps;
    }

    /**
     * PyTorch {@code elementwise_affine}.
     *
     * @return whether the module has a weight and a bias
     */
    public boolean elementwiseAffine() {
        return weight != null;
    }

    /** PyTorch's {@code (4,), eps=1e-05, elementwise_affine=True}: all three, always. */
    @Override
    protected String extraRepr() {
        return PythonRepr.tuple(normalizedShape) + ", eps=" + repr(eps) + ", elementwise_affine="
                + repr(elementwiseAffine());
    }

    /**
     * Normalises over the trailing {@code normalized_shape} dimensions.
     *
     * @param input (*, normalized_shape...)
     * @return a new tensor of the input's shape
     * @throws IllegalArgumentException when the input's trailing dimensions are not normalized_shape
     */
    @Override
    public Tensor forward(Tensor input) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        int[] shape = input.shape();
        int lead = shape.length - normalizedShape.length;
        if (lead < 0 || !Arrays.equals(shape, lead, shape.length, normalizedShape, 0, normalizedShape.length)) {
            throw new IllegalArgumentException("Given normalized_shape=" + Arrays.toString(normalizedShape)
                    + ", expected input with shape [*, " + Arrays.toString(normalizedShape).substring(1)
                    + ", but got input of size" + Arrays.toString(shape) + "; hint: LayerNorm normalises the last "
                    + normalizedShape.length + " dimension(s), which must equal normalized_shape");
        }
        int rows = Tensor.checkedNumel(Arrays.copyOf(shape, lead));
        Tensor out = Tensor.zeros(shape);
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        kernels.layerNorm(rows, width, (float) eps, input.data(), 0, affine(weight), 0, affine(bias), 0, out.data(),
                0, mean, 0, rstd, 0);
        if (GradNode.shouldRecord(input, weight == null ? null : weight.value(), bias == null ? null : bias.value())) {
            return new Backward(input, rows, mean, rstd).output(0, out);
        }
        return out;
    }

    private static float[] affine(Parameter p) {
        return p == null ? null : p.data();
    }

    /** Backward through {@link Kernels#layerNormBackward}: dx, dweight and dbias from the saved statistics. */
    private final class Backward extends GradNode {
        private final Tensor input;
        private final int rows;
        private float[] mean;
        private float[] rstd;

        Backward(Tensor input, int rows, float[] mean, float[] rstd) {
            super(1, input, weight == null ? null : weight.value(), bias == null ? null : bias.value());
            this.input = input;
            this.rows = rows;
            this.mean = mean;
            this.rstd = rstd;
        }

        @Override
        public String name() {
            return "NativeLayerNormBackward";
        }

        @Override
        protected float[][] backward(float[][] outputGrads) {
            float[] dx = input.requiresGrad() ? new float[rows * width] : null;
            float[] dWeight = weight != null && weight.value().requiresGrad() ? new float[width] : null;
            float[] dBias = bias != null && bias.value().requiresGrad() ? new float[width] : null;
            kernels.layerNormBackward(rows, width, outputGrads[0], 0, input.data(), 0, mean, 0, rstd, 0,
                    affine(weight), 0, dx, 0, dWeight, 0, dBias, 0);
            return new float[][] {dx, dWeight, dBias};
        }

        @Override
        protected void release() {
            mean = null;
            rstd = null;
        }
    }
}
