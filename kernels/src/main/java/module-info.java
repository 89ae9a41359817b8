/**
 * jrnn's float kernels: one {@link io.github.jrnn.kernels.Kernels} API with a scalar reference implementation
 * and a Vector API one, chosen once per JVM by {@link io.github.jrnn.kernels.KernelProvider}.
 *
 * <p>{@code jdk.incubator.vector} is required only statically: a JVM started without
 * {@code --add-modules jdk.incubator.vector} still runs jrnn, on the scalar kernels (20-50x slower on recurrent
 * work), and {@code KernelProvider} says so with one warning that names the flag.
 */
module io.github.jrnn.kernels {
    requires static jdk.incubator.vector;

    exports io.github.jrnn.kernels;
}
