package io.github.jrnn.bench;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;

/** The jrnn side of the {@code impl} parameter, shared by the benchmarks. */
final class Impls {

    private Impls() {
    }

    /**
     * jrnn's kernels for {@code impl}: {@code vector} is the Vector API implementation, {@code scalar} the
     * reference loops; both without the argument checks of the front door (a benchmark's shapes are fixed).
     */
    static Kernels jrnnKernels(String impl) {
        return switch (impl) {
            case "vector" -> KernelProvider.vector();
            case "scalar" -> KernelProvider.scalar();
            default -> throw unknown(impl, "vector, scalar");
        };
    }

    /**
     * Refuses a thread count an implementation cannot honour: only OpenBLAS takes a thread count; jrnn's kernels
     * and the Java peers compute on the calling thread.
     */
    static void requireThreads(String impl, int threads) {
        if (threads != 1 && !"openblas".equals(impl)) {
            throw new IllegalArgumentException("impl '" + impl + "' runs on the calling thread only; threads must"
                    + " be 1 for it, got " + threads + " (only openblas takes a thread count)");
        }
    }

    static IllegalArgumentException unknown(String impl, String expected) {
        return new IllegalArgumentException("impl must be one of " + expected + ", got '" + impl + "'");
    }
}
