package io.github.jrnn.nn.init;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;

import java.util.List;

/**
 * {@code torch.nn.init} and the default parameter initialisation of jrnn's modules, drawing from a
 * {@link Generator} exactly as PyTorch 1.13 does, so that {@code torch.manual_seed(s)} before building a module and
 * {@code Generator.manualSeed(s)} before building its jrnn twin give bitwise-equal parameters.
 *
 * <h2>nn.init</h2>
 * All bounds and standard deviations are computed in double in PyTorch's order, then handed to
 * {@link Generator#uniform} / {@link Generator#normal} on the whole tensor (row-major order, so a float tensor of
 * 16 or more elements takes the vectorised normal path):
 * <ul>
 *   <li>{@link #uniform}: {@code U(a, b)}; {@link #normal}: {@code N(mean, std^2)}.</li>
 *   <li>{@link #kaimingUniform}: {@code bound = sqrt(3) * (gain / sqrt(fan))}, {@code U(-bound, bound)};
 *   {@link #kaimingNormal}: {@code N(0, (gain / sqrt(fan))^2)}, with {@code gain = nonlinearity.gain(a)} and fan
 *   the fan_in or fan_out of {@link #fans}. A tensor with a zero dimension is left alone and draws nothing.</li>
 *   <li>{@link #xavierUniform}: {@code a = sqrt(3) * gain * sqrt(2 / (fan_in + fan_out))}, {@code U(-a, a)};
 *   {@link #xavierNormal}: {@code N(0, (gain * sqrt(2 / (fan_in + fan_out)))^2)}.</li>
 * </ul>
 *
 * <h2>Module defaults: the exact sequence of generator calls</h2>
 * Each module draws only in its constructor's {@code reset_parameters()}, one whole parameter at a time, in
 * parameter registration order (the order of {@code module.parameters()} and of the state_dict keys):
 * <ul>
 *   <li>{@code nn.RNN / nn.GRU / nn.LSTM} ({@link #recurrentDefault}): with {@code stdv = 1 / sqrt(hidden_size)} (0
 *   when hidden_size is 0), {@code uniform_(-stdv, stdv)} on every parameter in the order: for each layer
 *   {@code k = 0 .. num_layers-1}, for each direction (forward, then {@code _reverse}): {@code weight_ih_lk}
 *   (gates*hidden, in), {@code weight_hh_lk} (gates*hidden, hidden or proj), then if bias {@code bias_ih_lk},
 *   {@code bias_hh_lk} (gates*hidden), then if proj_size > 0 {@code weight_hr_lk} (proj, hidden). gates = 1 (RNN),
 *   3 (GRU), 4 (LSTM). Every weight, including the projection, uses the hidden_size bound.</li>
 *   <li>{@code nn.RNNCell / GRUCell / LSTMCell} (also {@link #recurrentDefault}): same bound, order
 *   {@code weight_ih, weight_hh, bias_ih, bias_hh}.</li>
 *   <li>{@code nn.Linear(in, out)} ({@link #linearDefault}): {@code kaiming_uniform_(weight, a = sqrt(5))} on the
 *   (out, in) weight, i.e. {@code uniform_(-b, b)} with {@code b = sqrt(3) * sqrt(2 / (1 + 5)) / sqrt(in)} computed
 *   in that order (nothing drawn when in or out is 0), then if bias {@code uniform_(-1 / sqrt(in), 1 / sqrt(in))} on
 *   the (out) bias (bound 0 when in is 0, which still draws out values).</li>
 *   <li>{@code nn.Embedding(num, dim, padding_idx)} ({@link #embeddingDefault}): {@code normal_(0, 1)} on the (num,
 *   dim) weight, then row padding_idx (negative counts from the end) set to zero.</li>
 * </ul>
 * {@code nn.Dropout}, activations and losses draw nothing at construction; dropout draws per forward call (see
 * {@link Generator#dropoutMask}).
 *
 * <p>Thread safety: stateless; the arrays it fills must not be read or written by other threads meanwhile.
 */
public final class Init {

    private Init() {
    }

    /**
     * fan_in and fan_out of a weight, as PyTorch's {@code _calculate_fan_in_and_fan_out}.
     *
     * @param fanIn {@code size(1)} times the receptive field
     * @param fanOut {@code size(0)} times the receptive field
     */
    public record Fans(int fanIn, int fanOut) {
    }

    /**
     * {@code fan_in = size(1) * receptive field}, {@code fan_out = size(0) * receptive field}, where the receptive
     * field is the product of the dimensions after the first two (1 for a matrix).
     *
     * @param shape the weight's dimensions, at least 2
     * @return its fans
     * @throws IllegalArgumentException for fewer than 2 dimensions (PyTorch's message)
     */
    public static Fans fans(int... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 "
                    + "dimensions, got shape " + Tensor.shapeString(shape));
        }
        int receptiveField = 1;
        for (int d = 2; d < shape.length; d++) {
            receptiveField *= shape[d];
        }
        return new Fans(shape[1] * receptiveField, shape[0] * receptiveField);
    }

    /**
     * {@code nn.init.uniform_(t, a, b)}.
     *
     * @param g the generator to draw from
     * @param t the tensor to fill in place
     * @param a the lower bound
     * @param b the upper bound
     * @return {@code t}
     */
    public static Tensor uniform(Generator g, Tensor t, double a, double b) {
        g.uniform(t.data(), 0, t.numel(), a, b);
        return t;
    }

    /**
     * {@code nn.init.normal_(t, mean, std)}.
     *
     * @param g the generator to draw from
     * @param t the tensor to fill in place
     * @param mean the mean
     * @param std the standard deviation
     * @return {@code t}
     */
    public static Tensor normal(Generator g, Tensor t, double mean, double std) {
        g.normal(t.data(), 0, t.numel(), mean, std);
        return t;
    }

    /**
     * {@code nn.init.kaiming_uniform_(t, a, mode, nonlinearity)}; PyTorch's defaults are 0, FAN_IN, LEAKY_RELU.
     *
     * @param g the generator to draw from
     * @param t the tensor to fill in place, at least 2-D
     * @param a the negative slope of the rectifier after this layer (leaky_relu only)
     * @param mode which fan to preserve the variance of
     * @param nonlinearity the function after this layer, for its gain
     * @return {@code t}, filled from U(-bound, bound) with {@code bound = gain * sqrt(3 / fan)}
     */
    public static Tensor kaimingUniform(Generator g, Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        if (t.numel() == 0) {
            return t; // PyTorch warns "Initializing zero-element tensors is a no-op" and draws nothing
        }
        double std = nonlinearity.gain(a) / Math.sqrt(fan(t, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform(g, t, -bound, bound);
    }

    /**
     * {@code nn.init.kaiming_normal_(t, a, mode, nonlinearity)}; PyTorch's defaults are 0, FAN_IN, LEAKY_RELU.
     *
     * @param g the generator to draw from
     * @param t the tensor to fill in place, at least 2-D
     * @param a the negative slope of the rectifier after this layer (leaky_relu only)
     * @param mode which fan to preserve the variance of
     * @param nonlinearity the function after this layer, for its gain
     * @return {@code t}, filled from N(0, std^2) with {@code std = gain / sqrt(fan)}
     */
    public static Tensor kaimingNormal(Generator g, Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        if (t.numel() == 0) {
            return t; // as kaimingUniform
        }
        double std = nonlinearity.gain(a) / Math.sqrt(fan(t, mode));
        return normal(g, t, 0, std);
    }

    /**
     * {@code nn.init.xavier_uniform_(t, gain)} (Glorot); PyTorch's default gain is 1.
     *
     * @param g the generator to draw from
     * @param t the tensor to fill in place, at least 2-D
     * @param gain the scaling factor
     * @return {@code t}, filled from U(-a, a) with {@code a = gain * sqrt(6 / (fan_in + fan_out))}
     */
    public static Tensor xavierUniform(Generator g, Tensor t, double gain) {
        double a = Math.sqrt(3.0) * xavierStd(t, gain);
        return uniform(g, t, -a, a);
    }

    /**
     * {@code nn.init.xavier_normal_(t, gain)} (Glorot); PyTorch's default gain is 1.
     *
     * @param g the generator to draw from
     * @param t the tensor to fill in place, at least 2-D
     * @param gain the scaling factor
     * @return {@code t}, filled from N(0, std^2) with {@code std = gain * sqrt(2 / (fan_in + fan_out))}
     */
    public static Tensor xavierNormal(Generator g, Tensor t, double gain) {
        return normal(g, t, 0, xavierStd(t, gain));
    }

    /**
     * The default initialisation of {@code nn.RNN}, {@code nn.GRU}, {@code nn.LSTM} and their cells: every parameter
     * {@code uniform_(-1/sqrt(hidden), 1/sqrt(hidden))}, whole arrays in the given order, which must be PyTorch's
     * registration order (see the class comment).
     *
     * @param g the generator to draw from
     * @param hidden hidden_size
     * @param paramsInOrder the parameter arrays, filled in place in this order
     * @throws IllegalArgumentException when hidden is negative or a parameter array is null
     */
    public static void recurrentDefault(Generator g, int hidden, List<float[]> paramsInOrder) {
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden_size must be non-negative, got " + hidden);
        }
        double stdv = hidden > 0 ? 1.0 / Math.sqrt(hidden) : 0.0;
        for (int i = 0; i < paramsInOrder.size(); i++) {
            float[] p = paramsInOrder.get(i);
            if (p == null) {
                throw new IllegalArgumentException("parameter " + i + " of the list is null");
            }
            g.uniform(p, 0, p.length, -stdv, stdv);
        }
    }

    /**
     * The default initialisation of {@code nn.Linear(inFeatures, outFeatures, bias)}: Kaiming-uniform with
     * {@code a = sqrt(5)} on the (out, in) weight, then {@code U(-1/sqrt(in), 1/sqrt(in))} on the bias when
     * {@code bias != null}.
     *
     * @param g the generator to draw from
     * @param weight the (out_features, in_features) weight, filled in place
     * @param outFeatures out_features
     * @param inFeatures in_features
     * @param bias the (out_features) bias, filled in place, or null
     * @throws IllegalArgumentException when a size is negative or an array length does not match its shape
     */
    public static void linearDefault(Generator g, float[] weight, int outFeatures, int inFeatures, float[] bias) {
        Tensor w = Tensor.of(weight, outFeatures, inFeatures);
        if (bias != null && bias.length != outFeatures) {
            throw new IllegalArgumentException("bias must have out_features = " + outFeatures + " elements, got "
                    + bias.length);
        }
        kaimingUniform(g, w, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
        if (bias != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            g.uniform(bias, 0, bias.length, -bound, bound);
        }
    }

    /**
     * {@link #embeddingDefault(Generator, float[], int, int, int)} without a padding row.
     *
     * @param g the generator to draw from
     * @param weight the (num_embeddings, embedding_dim) weight, filled in place
     * @param numEmbeddings num_embeddings
     * @param embeddingDim embedding_dim
     */
    public static void embeddingDefault(Generator g, float[] weight, int numEmbeddings, int embeddingDim) {
        Tensor w = Tensor.of(weight, numEmbeddings, embeddingDim);
        normal(g, w, 0, 1);
    }

    /**
     * The default initialisation of {@code nn.Embedding(numEmbeddings, embeddingDim, padding_idx=paddingIdx)}:
     * {@code N(0, 1)} on the (num, dim) weight, then row {@code paddingIdx} zeroed; a negative index counts from
     * the end, as in PyTorch.
     *
     * @param g the generator to draw from
     * @param weight the (num_embeddings, embedding_dim) weight, filled in place
     * @param numEmbeddings num_embeddings
     * @param embeddingDim embedding_dim
     * @param paddingIdx the row to zero, negative counting from the end
     * @throws IllegalArgumentException when the shape does not match the array or paddingIdx is outside
     *                                  {@code [-numEmbeddings, numEmbeddings)} (checked before drawing)
     */
    public static void embeddingDefault(Generator g, float[] weight, int numEmbeddings, int embeddingDim,
                                        int paddingIdx) {
        Tensor w = Tensor.of(weight, numEmbeddings, embeddingDim);
        if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
            throw new IllegalArgumentException("Padding_idx must be within num_embeddings: expected -"
                    + numEmbeddings + " <= padding_idx < " + numEmbeddings + ", got " + paddingIdx);
        }
        int row = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        normal(g, w, 0, 1);
        KernelProvider.kernels().fill(embeddingDim, 0f, weight, row * embeddingDim);
    }

    private static int fan(Tensor t, FanMode mode) {
        Fans f = fans(t.shape());
        return mode == FanMode.FAN_IN ? f.fanIn() : f.fanOut();
    }

    private static double xavierStd(Tensor t, double gain) {
        Fans f = fans(t.shape());
        return gain * Math.sqrt(2.0 / (double) (f.fanIn() + f.fanOut()));
    }
}
