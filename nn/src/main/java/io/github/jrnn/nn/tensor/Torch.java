package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.random.Generator;

/**
 * Static entry points that read like PyTorch's random functions and give PyTorch's numbers:
 * {@code Torch.manualSeed(42); Tensor x = Torch.randn(4, 6);} equals {@code torch.manual_seed(42);
 * x = torch.randn(4, 6)} bitwise (torch 1.13, CPU, float32).
 *
 * <p>The methods without a generator use and advance {@link Generator#defaultGenerator()}, shared by the whole JVM
 * like {@code torch.default_generator}; each overload taking a {@link Generator} uses only that one. Shapes follow
 * PyTorch: {@code randn()} with no dimensions is a scalar (one element), a 0 dimension gives an empty tensor.
 * The distributions and their exact transforms are documented on {@link Generator}.
 *
 * <p>Thread safety: safe from many threads (the generators are synchronized), but threads sharing the default
 * generator take its numbers in whatever order they run; give each thread its own generator for reproducibility.
 */
public final class Torch {

    private Torch() {
    }

    /**
     * {@code torch.manual_seed(seed)}: reseeds the default generator and returns it.
     *
     * @param seed the seed; negative values stand for the unsigned value with the same bits
     * @return the default generator
     */
    public static Generator manualSeed(long seed) {
        return Generator.manualSeed(seed);
    }

    /**
     * {@code torch.randn(*shape)} from the default generator.
     *
     * @param shape the dimensions
     * @return a new tensor of N(0, 1) samples
     */
    public static Tensor randn(int... shape) {
        return randn(Generator.defaultGenerator(), shape);
    }

    /**
     * {@code torch.randn(*shape, generator=g)}: standard normal samples, see {@link Generator#normal}.
     *
     * @param g the generator to draw from
     * @param shape the dimensions
     * @return a new tensor of N(0, 1) samples
     */
    public static Tensor randn(Generator g, int... shape) {
        Tensor t = Tensor.zeros(shape);
        g.normal(t.data(), 0, t.numel(), 0.0, 1.0);
        return t;
    }

    /**
     * {@code torch.rand(*shape)} from the default generator.
     *
     * @param shape the dimensions
     * @return a new tensor of U[0, 1) samples
     */
    public static Tensor rand(int... shape) {
        return rand(Generator.defaultGenerator(), shape);
    }

    /**
     * {@code torch.rand(*shape, generator=g)}: uniform samples in [0, 1), see {@link Generator#uniform}.
     *
     * @param g the generator to draw from
     * @param shape the dimensions
     * @return a new tensor of U[0, 1) samples
     */
    public static Tensor rand(Generator g, int... shape) {
        Tensor t = Tensor.zeros(shape);
        g.uniform(t.data(), 0, t.numel(), 0.0, 1.0);
        return t;
    }

    /**
     * {@code torch.randint(low, high, shape)} (int64) from the default generator.
     *
     * @param low the smallest value (inclusive)
     * @param high one past the largest value (exclusive)
     * @param shape the dimensions
     * @return a new tensor of uniform integers in [low, high)
     */
    public static LongTensor randint(long low, long high, int... shape) {
        return randint(Generator.defaultGenerator(), low, high, shape);
    }

    /**
     * {@code torch.randint(low, high, shape, generator=g)}: integers in [low, high), see {@link Generator#randint}.
     *
     * @param g the generator to draw from
     * @param low the smallest value (inclusive)
     * @param high one past the largest value (exclusive)
     * @param shape the dimensions
     * @return a new tensor of uniform integers in [low, high)
     */
    public static LongTensor randint(Generator g, long low, long high, int... shape) {
        long[] data = new long[Tensor.checkedNumel(shape)];
        g.randint(data, 0, data.length, low, high);
        return LongTensor.of(data, shape);
    }

    /**
     * {@code torch.randperm(n)} (int64) from the default generator.
     *
     * @param n how many
     * @return a random permutation of {@code 0 .. n - 1}
     */
    public static long[] randperm(int n) {
        return Generator.defaultGenerator().randperm(n);
    }

    /**
     * {@code torch.randperm(n, generator=g)}: a random permutation of 0 .. n-1, see {@link Generator#randperm}.
     *
     * @param g the generator to draw from
     * @param n how many
     * @return a random permutation of {@code 0 .. n - 1}
     */
    public static long[] randperm(Generator g, int n) {
        return g.randperm(n);
    }

    /**
     * {@code torch.multinomial(probs, num_samples, replacement)} from the default generator.
     *
     * @param probs the (categories) or (rows, categories) non-negative weights, not necessarily normalised
     * @param numSamples how many samples per row, at least 1
     * @param replacement whether a category may be drawn more than once
     * @return the sampled category indices, (numSamples) or (rows, numSamples)
     */
    public static LongTensor multinomial(Tensor probs, int numSamples, boolean replacement) {
        return multinomial(Generator.defaultGenerator(), probs, numSamples, replacement);
    }

    /**
     * {@code torch.multinomial(probs, num_samples, replacement, generator=g)}: category indices drawn with weights
     * {@code probs} (each row on its own), PyTorch 1.13's CPU algorithm bit for bit, including the generator's
     * state afterwards:
     * <ul>
     *   <li>without replacement: one exponential draw {@code q} per element of probs (row-major, see
     *   {@link io.github.jrnn.nn.random.Sampling#exponential}), then the {@code numSamples} largest
     *   {@code probs / q} per row ({@code argmax} for one sample, else torch's {@code topk}, largest first).
     *   Categories with zero weight have ratio 0 and come last, in the order torch's selection leaves them;</li>
     *   <li>with replacement (one sample too, in torch 1.13): per row, the float running sums of the weights divided by
     *   their total (last entry set to 1), and per sample one 53-bit uniform searched in them
     *   ({@link io.github.jrnn.nn.random.Sampling#searchCumulative}).</li>
     * </ul>
     * Refusals in PyTorch's words: {@code prob_dist must be 1 or 2 dim}, {@code cannot sample n_sample <= 0
     * samples}, {@code cannot sample n_sample > prob_dist.size(-1) samples without replacement}; without
     * replacement {@code probability tensor contains either `inf`, `nan` or element < 0} and {@code invalid
     * multinomial distribution (sum of probabilities <= 0)} before any draw; with replacement the per-element
     * {@code invalid multinomial distribution (encountering probability entry < 0)} (also for NaN) or
     * {@code (... = infinity or NaN)} and the zero-sum text, raised when the sampling reaches that row (earlier rows
     * have drawn, as in PyTorch). No gradient flows (the result is integers).
     *
     * @param g the generator to draw from
     * @param probs the (categories) or (rows, categories) non-negative weights
     * @param numSamples how many samples per row, at least 1
     * @param replacement whether a category may be drawn more than once
     * @return the sampled category indices, (numSamples) or (rows, numSamples)
     * @throws IllegalArgumentException as listed above
     */
    public static LongTensor multinomial(Generator g, Tensor probs, int numSamples, boolean replacement) {
        return SamplingOps.multinomial(g, probs, numSamples, replacement);
    }

    /**
     * {@code torch.bernoulli(p)} from the default generator.
     *
     * @param p the probability of a 1 for each element, in [0, 1]
     * @return a new tensor of 0 and 1 of p's shape
     */
    public static Tensor bernoulli(Tensor p) {
        return bernoulli(Generator.defaultGenerator(), p);
    }

    /**
     * {@code torch.bernoulli(p, generator=g)} for a float32 tensor of probabilities: per element in index order one
     * 32-bit draw made into a float uniform {@code u} in [0, 1) exactly as {@link #rand} makes it, and the element
     * is {@code u < p ? 1 : 0}. (A scalar probability, {@code bernoulli_(p)}, draws 53-bit uniforms instead: see
     * {@link Generator#bernoulli}.) As in PyTorch, each probability is checked when its element is drawn: a value
     * outside [0, 1] or NaN is refused with {@code Expected p_in >= 0 && p_in <= 1 to be true, but got false.} after
     * the elements before it have drawn. No gradient flows.
     *
     * @param g the generator to draw from
     * @param p the probability of a 1 for each element, in [0, 1]
     * @return a new tensor of 0 and 1 of p's shape
     * @throws IllegalArgumentException when an element of p is outside [0, 1] or NaN
     */
    public static Tensor bernoulli(Generator g, Tensor p) {
        return SamplingOps.bernoulli(g, p);
    }

    // ---------------------------------------------------------------- creation (float32, like torch's defaults)

    /**
     * {@code torch.zeros(*shape)}.
     *
     * @param shape the dimensions, each >= 0
     * @return a new tensor of zeros
     */
    public static Tensor zeros(int... shape) {
        return Tensor.zeros(Creation.checkShape(shape));
    }

    /**
     * {@code torch.ones(*shape)}.
     *
     * @param shape the dimensions, each >= 0
     * @return a new tensor of ones
     * @throws IllegalArgumentException on a negative dimension, in PyTorch's words
     */
    public static Tensor ones(int... shape) {
        return Tensor.full(1f, Creation.checkShape(shape));
    }

    /**
     * {@code torch.full(shape, value)}.
     *
     * @param value the value of every element
     * @param shape the dimensions, each >= 0
     * @return a new tensor
     */
    public static Tensor full(float value, int... shape) {
        return Tensor.full(value, Creation.checkShape(shape));
    }

    /**
     * {@code torch.zeros_like(x)}: zeros of x's shape (no gradient history, like torch).
     *
     * @param x the tensor whose shape is used
     * @return a new tensor of zeros
     */
    public static Tensor zerosLike(Tensor x) {
        return Tensor.zeros(x.shape());
    }

    /**
     * {@code torch.ones_like(x)}.
     *
     * @param x the tensor whose shape is used
     * @return a new tensor of ones
     */
    public static Tensor onesLike(Tensor x) {
        return Tensor.full(1f, x.shape());
    }

    /**
     * {@code torch.full_like(x, value)}.
     *
     * @param x the tensor whose shape is used
     * @param value the value of every element
     * @return a new tensor
     */
    public static Tensor fullLike(Tensor x, float value) {
        return Tensor.full(value, x.shape());
    }

    /**
     * {@code torch.arange(end, dtype=torch.float32)}: 0, 1, ..., up to but excluding end.
     *
     * @param end the bound, excluded
     * @return a new 1-D tensor of {@code ceil(end)} values (a negative end is refused, as in torch)
     */
    public static Tensor arange(double end) {
        return arange(0, end, 1);
    }

    /**
     * {@code torch.arange(start, end, step, dtype=torch.float32)}: {@code ceil((end - start) / step)} values
     * {@code start + i step} computed as torch 1.13 does on a CPU (bitwise equal up to 32768 values; past that torch
     * splits the fill over its threads).
     *
     * @param start the first value
     * @param end the bound, excluded
     * @param step the distance between values, not 0, with the sign of {@code end - start}
     * @return a new 1-D tensor
     * @throws IllegalArgumentException when step is 0, its sign disagrees with the bounds, or a bound is not finite
     */
    public static Tensor arange(double start, double end, double step) {
        return Creation.arange(start, end, step);
    }

    /**
     * {@code torch.eye(n)}: the n x n identity matrix.
     *
     * @param n rows and columns, >= 0
     * @return a new 2-D tensor
     */
    public static Tensor eye(int n) {
        return eye(n, n);
    }

    /**
     * {@code torch.eye(n, m)}: ones on the main diagonal of an n x m matrix, zeros elsewhere.
     *
     * @param n rows, >= 0
     * @param m columns, >= 0
     * @return a new 2-D tensor
     * @throws IllegalArgumentException when n or m is negative, in PyTorch's words
     */
    public static Tensor eye(int n, int m) {
        return Creation.eye(n, m);
    }

    /**
     * {@code torch.where(cond, a, b)}: elements of a where cond holds, of b elsewhere, all three broadcast together;
     * gradients flow to the side that was chosen.
     *
     * @param cond the condition
     * @param a the values where it holds
     * @param b the values elsewhere
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the shapes do not broadcast
     */
    public static Tensor where(BoolTensor cond, Tensor a, Tensor b) {
        return ElementwiseOps.where(cond, a, b);
    }

    /**
     * {@code torch.matmul(a, b)}: 1-D x 1-D a dot product (0-dim), 2-D x 2-D a matrix product, a 1-D first operand
     * taken as a row and a 1-D second operand as a column (that dimension removed from the result), and with more
     * dimensions a batch of products whose leading dimensions broadcast: (j, 1, n, m) x (k, m, p) is (j, k, n, p).
     *
     * @param a the left operand, at least 1-D
     * @param b the right operand, at least 1-D
     * @return the product
     * @throws IllegalArgumentException when an operand is 0-D, the inner sizes differ or the batches do not broadcast
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        return LinearAlgebra.matmul(a, b);
    }
}
