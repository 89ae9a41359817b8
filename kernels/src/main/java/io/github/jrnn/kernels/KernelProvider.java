package io.github.jrnn.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the {@link Kernels} implementation once per JVM and hands out its instances. Every method's name says
 * what it returns: {@link #kernels()} and the {@code checked...} builders return <b>checked</b> instances (each
 * argument validated at the front door, see {@link Kernels}); their {@link Kernels#unchecked()} twins skip the
 * checks, for callers that validated their shapes already.
 *
 * <p>Choice: the Vector API implementation when the {@code jdk.incubator.vector} module is readable (the JVM was
 * started with {@code --add-modules jdk.incubator.vector}) and its preferred float species is at least 128 bits
 * wide; otherwise the scalar reference, with one WARNING naming the fix (the scalar kernels are 20-50x slower on
 * recurrent work, so a misconfigured JVM must not go unnoticed). {@link #choice()} says which and why.
 * {@code -Djrnn.kernels=scalar} or {@code -Djrnn.kernels=vector} forces either (forcing vector on a JVM without
 * the module fails with a clear {@link IllegalStateException}).
 *
 * <p>The vector class is loaded reflectively and only after the module check, so a JVM without the incubator
 * module never touches {@code jdk.incubator.vector} types and runs with the scalar kernels.
 *
 * <p>Thread safety: the choice is made once, in a class initializer; every method may be called from any thread and
 * returns instances without mutable state.
 */
public final class KernelProvider {

    /** System property that forces an implementation: {@code scalar} or {@code vector}. */
    public static final String PROPERTY = "jrnn.kernels";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "io.github.jrnn.kernels.VectorKernels";
    private static final int MIN_VECTOR_BITS = 128;

    private KernelProvider() {
    }

    /**
     * Which kernels {@link #kernels()} runs and why.
     *
     * @param implementation {@code "vector"} or {@code "scalar"}
     * @param reason         why, e.g. {@code "jdk.incubator.vector is readable; 512-bit float vectors"} or the
     *                       missing flag
     */
    public record Choice(String implementation, String reason) {
        /**
         * Whether the Vector API kernels were chosen.
         *
         * @return true for the Vector API kernels, false for the scalar reference
         */
        public boolean vector() {
            return implementation.equals("vector");
        }

        @Override
        public String toString() {
            return implementation + " (" + reason + ")";
        }
    }

    /** Holder idiom: the choice runs once, on first use, and is then a constant the JIT can fold. */
    private static final class Holder {
        static final Choice CHOICE;
        static final Kernels CHOSEN;

        static {
            Choice[] why = new Choice[1];
            CHOSEN = choose(why);
            CHOICE = why[0];
        }
    }

    /**
     * Which implementation {@link #kernels()} runs and why (the choice is made on first use of either).
     *
     * @return the implementation and the reason for it
     */
    public static Choice choice() {
        return Holder.CHOICE;
    }

    /**
     * The checked instance of the chosen implementation: every argument is validated once, then the chosen
     * implementation runs. {@code kernels().unchecked()} is the same implementation without the checks.
     *
     * <p>When {@code -D}{@value #PROPERTY} names an unknown implementation, or forces the vector kernels on a JVM
     * that cannot run them, the first call of this method or {@link #choice()} fails with an
     * {@link ExceptionInInitializerError} whose cause, an {@link IllegalStateException}, says why.
     *
     * @return the checked instance of the chosen implementation, the same on every call
     */
    public static Kernels kernels() {
        return Holder.CHOSEN;
    }

    /**
     * Whether the Vector API module can be used.
     *
     * @return true when {@code jdk.incubator.vector} is readable in this JVM
     */
    public static boolean vectorModuleAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * Builds the checked Vector API kernels directly, bypassing the choice, e.g. for property tests and benchmarks
     * ({@code .unchecked()} for their twin without checks).
     *
     * @return a new checked instance of the Vector API kernels
     * @throws IllegalStateException when the incubator module is not readable or the species is too narrow
     */
    public static Kernels checkedVector() {
        if (!vectorModuleAvailable()) {
            throw new IllegalStateException("the Vector API kernels need the " + VECTOR_MODULE
                    + " module: start the JVM with --add-modules " + VECTOR_MODULE);
        }
        try {
            Kernels kernels = (Kernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
            int bits = ((VectorWidth) kernels).vectorBitSize();
            if (bits < MIN_VECTOR_BITS) {
                throw new IllegalStateException("the preferred float vector on this machine is " + bits
                        + " bits; the Vector API kernels need at least " + MIN_VECTOR_BITS);
            }
            return kernels;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + VECTOR_CLASS + ": " + e, e);
        }
    }

    /**
     * Builds the checked scalar reference kernels directly ({@code .unchecked()} for their twin without checks).
     *
     * @return a new checked instance of the scalar kernels
     */
    public static Kernels checkedScalar() {
        return new ScalarKernels();
    }
    private static Kernels choose(Choice[] why) {
        System.Logger log = System.getLogger(KernelProvider.class.getName());
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "scalar" -> {
                why[0] = new Choice("scalar", "forced by -D" + PROPERTY + "=scalar");
                log.log(Level.INFO, "jrnn kernels: " + why[0]);
                return checkedScalar();
            }
            case "vector" -> {
                Kernels vector = checkedVector();
                why[0] = new Choice("vector", "forced by -D" + PROPERTY + "=vector; "
                        + ((VectorWidth) vector).vectorBitSize() + "-bit float vectors");
                return vector;
            }
            case "" -> {
                // fall through to automatic choice
            }
            default -> throw new IllegalStateException("-D" + PROPERTY + " must be 'scalar' or 'vector', got '"
                    + forced + "'");
        }
        if (!vectorModuleAvailable()) {
            why[0] = new Choice("scalar", "the " + VECTOR_MODULE + " module is not readable: start the JVM with"
                    + " --add-modules " + VECTOR_MODULE + " for the SIMD kernels, 20-50x faster on recurrent work");
            log.log(Level.WARNING, "jrnn kernels: " + why[0]);
            return checkedScalar();
        }
        try {
            Kernels vector = checkedVector();
            why[0] = new Choice("vector", VECTOR_MODULE + " is readable; "
                    + ((VectorWidth) vector).vectorBitSize() + "-bit float vectors");
            return vector;
        } catch (IllegalStateException e) {
            why[0] = new Choice("scalar", e.getMessage());
            log.log(Level.WARNING, "jrnn kernels: " + why[0]);
            return checkedScalar();
        }
    }
}
