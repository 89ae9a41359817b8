package io.github.jrnn.bench;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.KernelThreads;
import io.github.jrnn.kernels.Kernels;

/** The jrnn side of the {@code impl} parameter, shared by the benchmarks. */
final class Impls {

    private Impls() {
    }

    /**
     * jrnn's kernels for {@code impl}: {@code vector} is the Vector API implementation, {@code scalar} the
     * reference loops; both the unchecked twins, without the front door's argument checks (a benchmark's shapes are
     * fixed). Sets {@link KernelThreads} to 1.
     */
    static Kernels jrnnKernels(String impl) {
        // One thread unless the benchmark asks for more: jrnn's default is one per core, the peers' here is one.
        KernelThreads.setCount(1);
        return switch (impl) {
            case "vector" -> KernelProvider.checkedVector().unchecked();
            case "scalar" -> KernelProvider.checkedScalar().unchecked();
            default -> throw unknown(impl, "vector, scalar");
        };
    }

    /**
     * Refuses a thread count an implementation cannot honour: jrnn's vector kernels
     * ({@code KernelThreads}) and OpenBLAS take one; the scalar reference and netlib compute on the calling thread.
     */
    static void requireThreads(String impl, int threads) {
        if (threads != 1 && !"openblas".equals(impl) && !"vector".equals(impl)) {
            throw new IllegalArgumentException("impl '" + impl + "' runs on the calling thread only; threads must"
                    + " be 1 for it, got " + threads + " (vector and openblas take a thread count)");
        }
    }

    static IllegalArgumentException unknown(String impl, String expected) {
        return new IllegalArgumentException("impl must be one of " + expected + ", got '" + impl + "'");
    }
}
