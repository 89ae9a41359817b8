package io.github.jrnn.flink;

import io.github.jrnn.kernels.KernelProvider;

/**
 * The check {@link RecurrentKeyedFunction#open} makes: a task manager started without the Vector API runs jrnn on
 * its scalar kernels, 7-17x slower on recurrent steps, which a cluster operator would otherwise only notice as lag.
 */
final class KernelRequirement {

    /** The line of Flink's configuration ({@code config.yaml}) that gives every Flink JVM the incubator module. */
    static final String FLINK_CONFIG_LINE = "env.java.opts.all: --add-modules jdk.incubator.vector";

    private KernelRequirement() {
    }

    /**
     * Passes when the vector kernels were chosen, or when the scalar ones are allowed.
     *
     * @param choice      the JVM's kernel choice ({@link KernelProvider#choice()})
     * @param allowScalar whether the job accepts the scalar kernels
     * @throws IllegalStateException when the scalar kernels were chosen and are not allowed, naming the fix
     */
    static void check(KernelProvider.Choice choice, boolean allowScalar) {
        if (choice.vector() || allowScalar) {
            return;
        }
        throw new IllegalStateException("jrnn would run on its scalar kernels in this task manager ("
                + choice.reason() + "), 7-17x slower than the Vector API kernels. Start every Flink JVM with the"
                + " incubator module: add '" + FLINK_CONFIG_LINE + "' to Flink's config.yaml (or pass"
                + " -D" + FLINK_CONFIG_LINE.replace(": ", "=\"") + "\" to the cluster), or accept the scalar kernels"
                + " with RecurrentKeyedFunction.builder(...).allowScalarKernels(true)");
    }
}
