package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;

import java.util.List;

/**
 * The two raw (unchecked) kernel implementations the properties run: the Vector API one under test and the
 * scalar reference. Both are taken explicitly, so {@code -Djrnn.kernels} does not change what the properties test.
 */
final class Implementations {

    static final Kernels VECTOR = KernelProvider.vector();
    static final Kernels SCALAR = KernelProvider.scalar();

    /** Both implementations, vector first, for properties that hold each of them to a double-precision bound. */
    static final List<Kernels> BOTH = List.of(VECTOR, SCALAR);

    private Implementations() {
    }
}
