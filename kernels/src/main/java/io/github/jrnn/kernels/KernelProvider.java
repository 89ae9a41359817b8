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
 * wide; otherwise the scalar reference, with one log line saying why. {@code -Djrnn.kernels=scalar} or
 * {@code -Djrnn.kernels=vector} forces either (forcing vector on a JVM without the module fails with a clear
 * {@link IllegalStateException}).
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

    /** Holder idiom: the choice runs once, on first use, and is then a constant the JIT can fold. */
    private static final class Holder {
        static final Kernels CHOSEN = choose();
    }

    /**
     * The checked instance of the chosen implementation: every argument is validated once, then the chosen
     * implementation runs. {@code kernels().unchecked()} is the same implementation without the checks.
     */
    public static Kernels kernels() {
        return Holder.CHOSEN;
    }

    /** True when {@code jdk.incubator.vector} is readable in this JVM. */
    public static boolean vectorModuleAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * Builds the checked Vector API kernels directly, bypassing the choice, e.g. for property tests and benchmarks
     * ({@code .unchecked()} for their twin without checks).
     *
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

    /** Builds the checked scalar reference kernels directly ({@code .unchecked()} for their twin without checks). */
    public static Kernels checkedScalar() {
        return new ScalarKernels();
    }
    private static Kernels choose() {
        System.Logger log = System.getLogger(KernelProvider.class.getName());
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "scalar" -> {
                log.log(Level.INFO, "jrnn kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
                return checkedScalar();
            }
            case "vector" -> {
                return checkedVector();
            }
            case "" -> {
                // fall through to automatic choice
            }
            default -> throw new IllegalStateException("-D" + PROPERTY + " must be 'scalar' or 'vector', got '"
                    + forced + "'");
        }
        if (!vectorModuleAvailable()) {
            log.log(Level.INFO, "jrnn kernels: scalar, because the " + VECTOR_MODULE + " module is not readable"
                    + " (start the JVM with --add-modules " + VECTOR_MODULE + " for SIMD kernels)");
            return checkedScalar();
        }
        try {
            return checkedVector();
        } catch (IllegalStateException e) {
            log.log(Level.INFO, "jrnn kernels: scalar, because " + e.getMessage());
            return checkedScalar();
        }
    }
}
