package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;

import java.util.List;

/**
 * The two kernel implementations the properties run: the Vector API one under test and the scalar reference.
 * Both are taken explicitly, so {@code -Djrnn.kernels} does not change what the properties test. They are the
 * checked instances, so every generated shape also passes through the front-door checks (which must accept
 * every valid argument); the unchecked twins run the same Impls.
 */
final class Implementations {

    static final Kernels VECTOR = KernelProvider.checkedVector();
    static final Kernels SCALAR = KernelProvider.checkedScalar();

    /** Both implementations, vector first, for properties that hold each of them to a double-precision bound. */
    static final List<Kernels> BOTH = List.of(VECTOR, SCALAR);

    private Implementations() {
    }
}
