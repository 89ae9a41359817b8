package io.github.jrnn.nn.random;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A random number generator that reproduces PyTorch's CPU generator ({@code torch.Generator()} /
 * {@code torch.default_generator}, torch 1.13) bit for bit: the same Mersenne Twister state after the same seed, the
 * same raw draws, and the same transforms from raw draws to floats.
 *
 * <h2>Engine</h2>
 * The engine is MT19937 (Matsumoto and Nishimura, 1998; 624 words of 32 bits). PyTorch takes a 64-bit seed and keeps
 * all 64 bits as {@link #initialSeed()}, but seeds the twister with the <em>low 32 bits only</em>
 * ({@code state[0] = seed mod 2^32}, {@code state[i] = 1812433253 * (state[i-1] ^ (state[i-1] >>> 30)) + i}), so
 * seeds that differ by a multiple of 2^32 give the same numbers. A negative Java {@code long} stands for the unsigned
 * value with the same bits, as {@code torch.manual_seed(-1)} means {@code 2**64 - 1}.
 *
 * <ul>
 *   <li>{@link #random()}: the next 32-bit twister output, {@code [0, 2^32)}.</li>
 *   <li>{@link #random64()}: two outputs {@code hi, lo} in that order, combined as {@code (hi << 32) | lo}.</li>
 * </ul>
 *
 * <h2>Float uniform</h2>
 * {@code torch.empty(n).uniform_(from, to)} (float32) makes one 32-bit draw per element, in index order, and maps
 * it to {@code x = (r & 0xFFFFFF) * 2^-24} (exact, in {@code [0, 1)}), then to
 * {@code fma(x, to - from, from)} in float, where {@code from} and {@code to} are first rounded to float and
 * {@code to - from} is a float subtraction. The fused multiply-add is what PyTorch's AVX2 and AVX-512 kernels
 * compute (the compiler contracts {@code x * range + from}); every x86-64 CPU since 2013 selects one of them.
 * PyTorch forced to its baseline kernel ({@code ATEN_CPU_CAPABILITY=default}) rounds the product separately and can
 * differ in the last bit; jrnn does not reproduce that mode.
 *
 * <h2>Distributions</h2>
 * {@link #uniform}, {@link #normal} (with PyTorch's separate paths below and from 16 elements), {@link #bernoulli},
 * {@link #dropoutMask} (the noise of {@code F.dropout}), {@link #randint} and {@link #randperm} each document the
 * draws they make and the transform applied. All results are bitwise PyTorch's, checked against fixtures recorded
 * from torch 1.13 including million-sample digests. The one value that is not always bitwise is internal: the
 * cached second sample of a small {@code normal_} is a double computed with StrictMath where torch uses glibc, so
 * it (and its bytes in {@link #getState()}) can differ from torch's in the last bit of the double; the float
 * sample made from it is still torch's except, in principle, about once in 10^9 samples (see {@link #normal}).
 *
 * <h2>Default generator and thread safety</h2>
 * {@link #defaultGenerator()} is one shared instance, like {@code torch.default_generator}; {@link #manualSeed(long)}
 * reseeds it like {@code torch.manual_seed}. Like PyTorch, the default generator starts from a non-deterministic
 * seed; {@code new Generator()} starts from PyTorch's fixed default seed {@value #DEFAULT_SEED}.
 * Every method of a generator is synchronized on the generator, and a bulk fill such as {@link #uniform} holds the
 * lock for the whole fill, so concurrent users never corrupt the state and each fill is a contiguous run of the
 * stream. Which thread's fill comes first is of course not determined: code that needs reproducible numbers from
 * several threads should give each thread its own {@code new Generator(seed)}.
 */
public final class Generator {

    /** The seed of a new {@code torch.Generator()} (PyTorch's {@code default_rng_seed_val}). */
    public static final long DEFAULT_SEED = 67280421310721L;

    /** Length of the state from {@link #getState()}, equal to {@code torch.get_rng_state().numel()}. */
    public static final int STATE_BYTES = 5056;

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908B0DF;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7FFFFFFF;
    /** 2^-24: scales a 24-bit integer (float's significand width) into [0, 1) exactly. */
    private static final float FLOAT_UNIT = 1.0f / (1 << 24);
    /** 2^-53: scales a 53-bit integer (double's significand width) into [0, 1) exactly. */
    private static final double DOUBLE_UNIT = 1.0 / (1L << 53);
    /** Float tensors with at least this many contiguous elements take PyTorch's vectorised normal path. */
    private static final int AVX_NORMAL_MIN = 16;

    private static final class DefaultHolder {
        static final Generator INSTANCE = new Generator(new SecureRandom().nextLong());
    }

    private final int[] mt = new int[N];
    // The twister's position exactly as ATen keeps it, so that getState() round-trips torch.get_rng_state():
    // a draw first decrements `left` and twists when it reaches 0, then reads mt[next++].
    private int left;
    private int next;
    private long initialSeed;
    // PyTorch's two cached normal samples. The double one is the second value of the last scalar Box-Muller pair
    // (used by normal_ on small tensors); the float one belongs to ATen's float normal distribution, which CPU
    // tensor ops never use, and is kept only so that setState/getState round-trip a torch state unchanged.
    private double nextDoubleNormal;
    private boolean hasNextDoubleNormal;
    private float nextFloatNormal;
    private boolean hasNextFloatNormal;

    /** A generator with PyTorch's fixed default seed {@value #DEFAULT_SEED}, like {@code torch.Generator()}. */
    public Generator() {
        this(DEFAULT_SEED);
    }

    /**
     * A generator seeded like {@code torch.Generator().manual_seed(seed)}.
     *
     * @param seed the seed; a negative value stands for the unsigned value with the same bits
     */
    public Generator(long seed) {
        setSeed(seed);
    }

    /**
     * The shared default generator ({@code torch.default_generator}).
     *
     * @return the one default generator of this JVM
     */
    public static Generator defaultGenerator() {
        return DefaultHolder.INSTANCE;
    }

    /**
     * Reseeds the default generator, like {@code torch.manual_seed(seed)}; returns it.
     *
     * @param seed the seed; a negative value stands for the unsigned value with the same bits
     * @return the default generator
     */
    public static Generator manualSeed(long seed) {
        return defaultGenerator().setSeed(seed);
    }

    /**
     * Reseeds this generator, like {@code generator.manual_seed(seed)}: the twister is initialised from the low 32
     * bits of {@code seed} and any cached normal sample is dropped. Returns this generator.
     *
     * @param seed the seed; a negative value stands for the unsigned value with the same bits
     * @return this generator
     */
    public synchronized Generator setSeed(long seed) {
        initialSeed = seed;
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        left = 1;
        next = 0;
        hasNextDoubleNormal = false;
        hasNextFloatNormal = false;
        return this;
    }

    /**
     * The seed last given (all 64 bits, as {@code torch.initial_seed()}; read it unsigned).
     *
     * @return the seed (read it unsigned)
     */
    public synchronized long initialSeed() {
        return initialSeed;
    }

    /**
     * The complete state in the byte layout of {@code torch.get_rng_state()} / {@code Generator.get_state()}
     * ({@value #STATE_BYTES} bytes, little-endian): initial seed (u64), left (i32), seeded (i32), next (u64), the 624
     * state words (u64 each), three doubles of which the second is the cached normal sample, its validity flag
     * (i32), padding, the cached float normal sample (f32) and its flag (one byte), padding. Equal to torch's
     * bytes for the same history, except that the cached double normal can differ in its last bit (see the class
     * comment).
     *
     * @return a new array of {@value #STATE_BYTES} bytes
     */
    public synchronized byte[] getState() {
        ByteBuffer b = ByteBuffer.allocate(STATE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(initialSeed).putInt(left).putInt(1).putLong(next);
        for (int word : mt) {
            b.putLong(Integer.toUnsignedLong(word));
        }
        b.putDouble(0.0).putDouble(hasNextDoubleNormal ? nextDoubleNormal : 0.0).putDouble(0.0)
                .putInt(hasNextDoubleNormal ? 1 : 0).putInt(0);
        b.putFloat(hasNextFloatNormal ? nextFloatNormal : 0f).put((byte) (hasNextFloatNormal ? 1 : 0));
        return b.array();
    }

    /**
     * Restores a state produced by {@link #getState()} or by {@code torch.get_rng_state().numpy().tobytes()}, like
     * {@code torch.set_rng_state}.
     *
     * @param state {@value #STATE_BYTES} bytes in the layout of {@link #getState()}
     * @throws IllegalArgumentException when the length is not {@value #STATE_BYTES} or the twister position is
     *                                  impossible ({@code left} outside [1, 624] or {@code next} above 624)
     */
    public synchronized void setState(byte[] state) {
        if (state == null || state.length != STATE_BYTES) {
            throw new IllegalArgumentException("RNG state must be " + STATE_BYTES + " bytes (the layout of "
                    + "torch.get_rng_state()), got " + (state == null ? "null" : state.length + " bytes"));
        }
        ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        long seed = b.getLong();
        int newLeft = b.getInt();
        b.getInt(); // "seeded" flag: always 1 for a state PyTorch writes
        long newNext = b.getLong();
        if (newLeft < 1 || newLeft > N || newNext < 0 || newNext > N) {
            throw new IllegalArgumentException("RNG state has an impossible twister position: left=" + newLeft
                    + " (expected 1..624), next=" + newNext + " (expected 0..624); is it a torch CPU state?");
        }
        initialSeed = seed;
        left = newLeft;
        next = (int) newNext;
        for (int i = 0; i < N; i++) {
            mt[i] = (int) b.getLong();
        }
        b.getDouble();
        double normalY = b.getDouble();
        b.getDouble();
        hasNextDoubleNormal = b.getInt() != 0;
        nextDoubleNormal = hasNextDoubleNormal ? normalY : 0.0;
        b.getInt();
        float normalF = b.getFloat();
        hasNextFloatNormal = b.get() != 0;
        nextFloatNormal = hasNextFloatNormal ? normalF : 0f;
    }

    /**
     * The next 32-bit output of the twister, as a value in {@code [0, 2^32)}.
     *
     * @return the output, in {@code [0, 2^32)}
     */
    public synchronized long random() {
        return Integer.toUnsignedLong(next32());
    }

    /**
     * The next 64 random bits: two 32-bit outputs, the first in the high half (PyTorch's {@code random64()}).
     * Read the result unsigned where its sign matters.
     *
     * @return the 64 bits
     */
    public synchronized long random64() {
        return next64();
    }

    /**
     * Fills {@code out[offset .. offset + n)} like {@code torch.empty(n).uniform_(from, to)} on a float32 tensor
     * (see the class comment for the transform), consuming n 32-bit draws.
     *
     * @param out the array to fill
     * @param offset where the slice starts
     * @param n how many values to draw
     * @param from the lower bound
     * @param to the upper bound
     * @throws IllegalArgumentException when {@code from > to}, either bound is not a finite float, or
     *                                  {@code to - from} overflows float (PyTorch's checks), or the slice is outside
     *                                  {@code out}
     */
    public synchronized void uniform(float[] out, int offset, int n, double from, double to) {
        checkSlice(out, offset, n);
        float lo = checkFloatBound("from", from);
        float hi = checkFloatBound("to", to);
        checkUniformRange(lo, hi);
        float range = hi - lo;
        for (int i = 0; i < n; i++) {
            out[offset + i] = Math.fma(unitFloat(next32()), range, lo);
        }
    }

    /**
     * Fills {@code out[offset .. offset + n)} like {@code torch.empty(n).normal_(mean, std)} on a contiguous float32
     * tensor; {@code torch.randn(shape)} is the case mean 0, std 1. PyTorch has two code paths and so does this:
     *
     * <ul>
     *   <li>{@code n >= 16}: n float uniforms {@code u} (as {@link #uniform} with bounds 0, 1), then Box-Muller in
     *   place on every block of 16 ({@code u[j]} and {@code u[j + 8]} give elements j and j + 8, see
     *   {@link AvxBoxMuller}). If n is not a multiple of 16, 16 <em>new</em> uniforms overwrite the last 16
     *   elements and that block is transformed again, so elements {@code [n - 16, 16 * floor(n / 16))} are drawn
     *   twice. Mean and std are rounded to float. Consumes {@code n + (n % 16 == 0 ? 0 : 16)} 32-bit draws.</li>
     *   <li>{@code n < 16}: each element is a scalar double Box-Muller sample rounded to float:
     *   {@code u1, u2} = two 53-bit uniforms ({@code (random64() & (2^53 - 1)) * 2^-53}), {@code r = sqrt(-2 ln(1 -
     *   u2))}, {@code theta = 2 pi u1}, element {@code = fma(r cos(theta), std, mean)}; {@code r sin(theta)} is
     *   cached in the generator and is the next scalar sample ({@code fma(cached, std', mean')} with the mean and
     *   std of that later call). The cache outlives large fills and is dropped by reseeding.</li>
     * </ul>
     *
     * <p>Exactness: the large path is bitwise. The scalar path computes {@code ln, sin, cos} with
     * {@link StrictMath} (fdlibm), PyTorch with the C library (glibc); both are within one unit in the last place of
     * the double result and disagree in that bit for a few percent of arguments. A float result changes only when
     * that one double ulp straddles a float rounding boundary, about once in 10^9 to 10^10 samples; no recorded
     * fixture shows it.
     *
     * @param out the array to fill
     * @param offset where the slice starts
     * @param n how many values to draw
     * @param mean the mean
     * @param std the standard deviation, at least 0
     * @throws IllegalArgumentException when {@code std < 0} or is NaN, or the slice is outside {@code out}
     */
    public synchronized void normal(float[] out, int offset, int n, double mean, double std) {
        checkSlice(out, offset, n);
        if (!(std >= 0.0)) {
            throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        }
        if (n < AVX_NORMAL_MIN) {
            for (int i = 0; i < n; i++) {
                out[offset + i] = (float) nextNormalDouble(mean, std);
            }
            return;
        }
        float m = (float) mean;
        float s = (float) std;
        fillUnitFloats(out, offset, n);
        for (int i = 0; i + AVX_NORMAL_MIN <= n; i += AVX_NORMAL_MIN) {
            AvxBoxMuller.fill16(out, offset + i, m, s);
        }
        if (n % AVX_NORMAL_MIN != 0) {
            int last = offset + n - AVX_NORMAL_MIN;
            fillUnitFloats(out, last, AVX_NORMAL_MIN);
            AvxBoxMuller.fill16(out, last, m, s);
        }
    }

    /**
     * Fills {@code out[offset .. offset + n)} with 1 or 0 like {@code torch.empty(n).bernoulli_(p)} on a float32
     * tensor: one 53-bit uniform {@code u} per element ({@code (random64() & (2^53 - 1)) * 2^-53}), element
     * {@code = u < p ? 1 : 0}.
     *
     * <p>This is PyTorch's portable kernel, which every PyTorch build uses except one case: a build with Intel MKL
     * (the official x86 pip wheels) running on an Intel CPU takes one {@code random()} as the seed of an MKL MCG31
     * stream and draws the whole tensor from that stream instead ({@code viRngBernoulli}). jrnn matches PyTorch
     * without MKL (Debian's and most source builds, the recorded fixtures) and MKL wheels on AMD CPUs, where PyTorch
     * falls back to this kernel; it does not reproduce the MKL stream, so {@code bernoulli_} and dropout masks
     * differ from an MKL wheel on an Intel CPU.
     *
     * @param out the array to fill with 0 or 1
     * @param offset where the slice starts
     * @param n how many values to draw
     * @param p the probability of a 1
     * @throws IllegalArgumentException when p is outside [0, 1] (or NaN), or the slice is outside {@code out}
     */
    public synchronized void bernoulli(float[] out, int offset, int n, double p) {
        checkSlice(out, offset, n);
        checkProbability("bernoulli_ expects p to be in [0, 1], but got p=", p);
        for (int i = 0; i < n; i++) {
            out[offset + i] = unitDouble(next64()) < p ? 1f : 0f;
        }
    }

    /**
     * Fills {@code mask[offset .. offset + n)} with the noise PyTorch's CPU {@code F.dropout(x, p, training=True)}
     * multiplies {@code x} by: {@code bernoulli_(1 - p)} as in {@link #bernoulli}, each kept element then divided by
     * {@code (float) (1 - p)}, so an element is {@code 0} or {@code 1 / (1 - p)}. As in PyTorch, {@code p == 0}
     * gives all ones and {@code p == 1} all zeros without drawing (PyTorch returns the input, or the input times
     * zero, there). {@code dropout(x) = x * mask} element by element; an empty slice draws nothing. The MKL caveat
     * of {@link #bernoulli} applies.
     *
     * <p>{@code nn.RNN/GRU/LSTM(dropout=p)} in training use the same noise between layers: after layer k's whole
     * output (L, N, D*H) is computed (for a packed sequence: its packed data, sum of lengths x D*H) and before layer
     * k + 1 runs, one mask of that many elements is drawn and multiplied in; never after the last layer (checked
     * against torch 1.13).
     *
     * @param mask the array to fill with 0 or {@code 1 / (1 - p)}
     * @param offset where the slice starts
     * @param n how many values to draw
     * @param p the probability of a zero
     * @throws IllegalArgumentException when p is outside [0, 1] (or NaN), or the slice is outside {@code mask}
     */
    public synchronized void dropoutMask(float[] mask, int offset, int n, double p) {
        checkSlice(mask, offset, n);
        checkProbability("dropout probability has to be between 0 and 1, but got ", p);
        if (p == 0.0 || p == 1.0) {
            Arrays.fill(mask, offset, offset + n, p == 0.0 ? 1f : 0f);
            return;
        }
        double keep = 1.0 - p;
        float scale = (float) keep;
        for (int i = 0; i < n; i++) {
            mask[offset + i] = (unitDouble(next64()) < keep ? 1f : 0f) / scale;
        }
    }

    /**
     * Fills {@code out[offset .. offset + n)} like {@code torch.randint(low, high, (n,))} (int64): with
     * {@code range = high - low} (as an unsigned 64-bit number), element {@code = low + (r mod range)} where
     * {@code r = random64()} when {@code range >= 2^32} and {@code r = random()} otherwise. (The modulo makes very
     * large ranges slightly non-uniform, exactly as in PyTorch.)
     *
     * @param out the array to fill
     * @param offset where the slice starts
     * @param n how many values to draw
     * @param low the smallest value (inclusive)
     * @param high one past the largest value (exclusive)
     * @throws IllegalArgumentException when {@code low >= high} or the slice is outside {@code out}
     */
    public synchronized void randint(long[] out, int offset, int n, long low, long high) {
        checkSlice(out == null ? -1 : out.length, offset, n);
        if (low >= high) {
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low
                    + " >= to=" + high);
        }
        long range = high - low; // unsigned: at most 2^64 - 1
        boolean wide = Long.compareUnsigned(range, 1L << 32) >= 0;
        for (int i = 0; i < n; i++) {
            long r = wide ? next64() : Integer.toUnsignedLong(next32());
            out[offset + i] = low + Long.remainderUnsigned(r, range);
        }
    }

    /**
     * A random permutation of {@code 0 .. n-1} like {@code torch.randperm(n)} (int64) in torch 1.13, for every n:
     * start from the identity and for {@code i = 0 .. n-2} swap element i with element
     * {@code i + random() mod (n - i)} (n - 1 draws of 32 bits; the modulo bias for n near 2^32 is PyTorch's too).
     * Checked against torch for n on both sides of {@code UINT32_MAX / 20}, where later PyTorch versions switch
     * algorithm.
     *
     * @param n how many elements, at least 0
     * @return the permutation
     * @throws IllegalArgumentException when {@code n < 0}
     */
    public synchronized long[] randperm(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, got " + n);
        }
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            int z = (int) (Integer.toUnsignedLong(next32()) % (n - i));
            long saved = r[i];
            r[i] = r[z + i];
            r[z + i] = saved;
        }
        return r;
    }

    /**
     * One scalar normal sample in double, PyTorch's {@code at::normal_distribution<double>} with its cached second
     * value (see {@link #normal}). Caller holds the lock.
     */
    private double nextNormalDouble(double mean, double std) {
        if (hasNextDoubleNormal) {
            hasNextDoubleNormal = false;
            return Math.fma(nextDoubleNormal, std, mean);
        }
        double u1 = unitDouble(next64());
        double u2 = unitDouble(next64());
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormal = r * StrictMath.sin(theta);
        hasNextDoubleNormal = true;
        return Math.fma(r * StrictMath.cos(theta), std, mean);
    }

    /** n float uniforms in [0, 1) into out (caller holds the lock). */
    private void fillUnitFloats(float[] out, int offset, int n) {
        for (int i = 0; i < n; i++) {
            out[offset + i] = unitFloat(next32());
        }
    }

    /** {@code (r & (2^53 - 1)) * 2^-53}: the 53 low bits of a 64-bit draw as a double in [0, 1), exactly. */
    static double unitDouble(long bits) {
        return (bits & ((1L << 53) - 1)) * DOUBLE_UNIT;
    }

    /** {@code x = (r & 0xFFFFFF) * 2^-24}: the 24 low bits of a draw as a float in [0, 1), exactly. */
    private static float unitFloat(int bits) {
        return (bits & 0xFFFFFF) * FLOAT_UNIT;
    }

    /** The next twister output (caller holds the lock). */
    private int next32() {
        if (--left == 0) {
            twist();
        }
        int y = mt[next++];
        // Tempering (the MT19937 output transform).
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >>> 18;
        return y;
    }

    /** Two outputs, the first in the high half (caller holds the lock). */
    private long next64() {
        long hi = Integer.toUnsignedLong(next32());
        long lo = Integer.toUnsignedLong(next32());
        return (hi << 32) | lo;
    }

    /** Regenerates all 624 state words (the MT19937 recurrence). */
    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        left = N;
        next = 0;
    }

    private static void checkSlice(float[] out, int offset, int n) {
        checkSlice(out == null ? -1 : out.length, offset, n);
    }

    /** Checks that {@code [offset, offset + n)} lies inside an output array of the given length (-1: null). */
    private static void checkSlice(int length, int offset, int n) {
        if (length < 0) {
            throw new IllegalArgumentException("out must not be null");
        }
        if (n < 0 || offset < 0 || offset > length - n) {
            throw new IllegalArgumentException("slice [offset=" + offset + ", n=" + n
                    + ") must lie inside out of length " + length);
        }
    }

    private static void checkProbability(String message, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(message + p);
        }
    }

    private static float checkFloatBound(String name, double value) {
        float f = (float) value;
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException(name + " is out of bounds for float: " + value
                    + " (uniform bounds must be finite floats)");
        }
        return f;
    }

    private static void checkUniformRange(float from, float to) {
        if (from > to) {
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from="
                    + from + " > to=" + to);
        }
        if (!Float.isFinite(to - from)) {
            throw new IllegalArgumentException("uniform_ expects to-from <= Float.MAX_VALUE, but found to=" + to
                    + " and from=" + from + " which result in to-from to exceed the limit");
        }
    }
}
