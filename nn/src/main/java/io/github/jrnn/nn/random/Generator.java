package io.github.jrnn.nn.random;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;

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

    /** A generator seeded like {@code torch.Generator().manual_seed(seed)}. */
    public Generator(long seed) {
        setSeed(seed);
    }

    /** The shared default generator ({@code torch.default_generator}). */
    public static Generator defaultGenerator() {
        return DefaultHolder.INSTANCE;
    }

    /** Reseeds the default generator, like {@code torch.manual_seed(seed)}; returns it. */
    public static Generator manualSeed(long seed) {
        return defaultGenerator().setSeed(seed);
    }

    /**
     * Reseeds this generator, like {@code generator.manual_seed(seed)}: the twister is initialised from the low 32
     * bits of {@code seed} and any cached normal sample is dropped. Returns this generator.
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

    /** The seed last given (all 64 bits, as {@code torch.initial_seed()}; read it unsigned). */
    public synchronized long initialSeed() {
        return initialSeed;
    }

    /**
     * The complete state in the byte layout of {@code torch.get_rng_state()} / {@code Generator.get_state()}
     * ({@value #STATE_BYTES} bytes, little-endian): initial seed (u64), left (i32), seeded (i32), next (u64), the 624
     * state words (u64 each), three doubles of which the second is the cached normal sample, its validity flag
     * (i32), padding, the cached float normal sample (f32) and its flag (one byte), padding.
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

    /** The next 32-bit output of the twister, as a value in {@code [0, 2^32)}. */
    public synchronized long random() {
        return Integer.toUnsignedLong(next32());
    }

    /**
     * The next 64 random bits: two 32-bit outputs, the first in the high half (PyTorch's {@code random64()}).
     * Read the result unsigned where its sign matters.
     */
    public synchronized long random64() {
        return next64();
    }

    /**
     * Fills {@code out[offset .. offset + n)} like {@code torch.empty(n).uniform_(from, to)} on a float32 tensor
     * (see the class comment for the transform), consuming n 32-bit draws.
     *
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

    /** {@code x = (r & 0xFFFFFF) * 2^-24}: the 24 low bits of a draw as a float in [0, 1), exactly. */
    static float unitFloat(int bits) {
        return (bits & 0xFFFFFF) * FLOAT_UNIT;
    }

    /** The next twister output (caller holds the lock). */
    int next32() {
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
    long next64() {
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

    static void checkSlice(float[] out, int offset, int n) {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        if (n < 0 || offset < 0 || offset > out.length - n) {
            throw new IllegalArgumentException("slice [offset=" + offset + ", n=" + n
                    + ") must lie inside out of length " + out.length);
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
