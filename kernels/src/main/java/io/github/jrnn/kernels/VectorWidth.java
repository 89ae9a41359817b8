package io.github.jrnn.kernels;

/**
 * Implemented by kernels built on SIMD vectors so the provider can check the width without touching
 * {@code jdk.incubator.vector} types itself.
 */
interface VectorWidth {
    /** Bits in the float species the implementation computes with. */
    int vectorBitSize();
}
