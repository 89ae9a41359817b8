package io.github.jrnn.bench.peers;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;

/**
 * {@code dev.ludovic.netlib:blas}, the pure-Java BLAS a JVM user would otherwise pick. Its {@code VectorBLAS} is
 * written on the same Vector API as jrnn's kernels; when the incubator module is missing it silently falls back to
 * {@code F2jBLAS} (translated Fortran), which is a different and much slower peer.
 *
 * <p>{@code BLAS.getInstance()} first tries a JNI binding of a system BLAS; the benchmarks use
 * {@code JavaBLAS.getInstance()} so they always measure the Java implementation, and refuse to run unless that is
 * {@code VectorBLAS}. Both class names are reported in the study.
 *
 * <p>netlib's BLAS is column-major (Fortran). A row-major m x n matrix is the column-major n x m matrix of its
 * transpose, so row-major {@code C = A B^T} is column-major {@code C^T = B A^T}: the benchmarks pass the operands
 * swapped and with the transposes flipped, which makes the Fortran routine do exactly the row-major product.
 */
public final class NetlibPeer {

    private static final String VECTOR_BLAS = "dev.ludovic.netlib.blas.VectorBLAS";

    private NetlibPeer() {
    }

    /**
     * The VectorBLAS instance.
     *
     * @throws IllegalStateException when netlib chose another Java implementation (e.g. F2jBLAS because
     *         {@code jdk.incubator.vector} is not readable), so no number is ever reported under the wrong name
     */
    public static BLAS vectorBlas() {
        BLAS blas = JavaBLAS.getInstance();
        if (!VECTOR_BLAS.equals(blas.getClass().getName())) {
            throw new IllegalStateException("netlib picked " + blas.getClass().getName() + ", not " + VECTOR_BLAS
                    + "; start the JVM with --add-modules jdk.incubator.vector");
        }
        return blas;
    }

    /** The class {@code BLAS.getInstance()} returns here (a native binding if one loads, else the Java one). */
    public static String defaultInstanceClass() {
        return BLAS.getInstance().getClass().getName();
    }

    /** The class of the Java implementation the benchmarks use ({@code JavaBLAS.getInstance()}). */
    public static String javaInstanceClass() {
        return JavaBLAS.getInstance().getClass().getName();
    }
}
