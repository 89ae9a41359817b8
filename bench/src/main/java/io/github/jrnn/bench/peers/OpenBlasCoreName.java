package io.github.jrnn.bench.peers;

/**
 * Prints {@code openblas_get_corename()} and exits. The study runs it in a child JVM whose environment lacks
 * {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE}, to report which kernels OpenBLAS would pick on this CPU by
 * itself next to the ones the machine's settings force; the benchmarks themselves run with the environment as it is.
 */
public final class OpenBlasCoreName {

    private OpenBlasCoreName() {
    }

    public static void main(String[] args) {
        System.out.println(OpenBlasPeer.coreName());
    }
}
