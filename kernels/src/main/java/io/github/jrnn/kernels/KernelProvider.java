package io.github.jrnn.kernels;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses the {@link Kernels} implementation once per JVM and hands out the checked front door to it.
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
 * returns shared, stateless instances.
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
        static final Kernels RAW = choose();
        static final Kernels CHECKED = new CheckedKernels(RAW);
    }

    /** The kernels to compute with: every argument is checked once, then the chosen implementation runs. */
    public static Kernels kernels() {
        return Holder.CHECKED;
    }

    /** The chosen implementation without argument checks, for callers that validated their shapes already. */
    public static Kernels unchecked() {
        return Holder.RAW;
    }

    /** True when {@code jdk.incubator.vector} is readable in this JVM. */
    public static boolean vectorModuleAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * Builds the Vector API implementation directly, bypassing the choice, e.g. for property tests and benchmarks.
     *
     * @throws IllegalStateException when the incubator module is not readable or the species is too narrow
     */
    public static Kernels vector() {
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

    /** Builds the scalar reference directly. */
    public static Kernels scalar() {
        return new ScalarKernels();
    }

    private static Kernels choose() {
        System.Logger log = System.getLogger(KernelProvider.class.getName());
        String forced = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        switch (forced) {
            case "scalar" -> {
                log.log(Level.INFO, "jrnn kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
                return scalar();
            }
            case "vector" -> {
                return vector();
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
            return scalar();
        }
        try {
            return vector();
        } catch (IllegalStateException e) {
            log.log(Level.INFO, "jrnn kernels: scalar, because " + e.getMessage());
            return scalar();
        }
    }
}
