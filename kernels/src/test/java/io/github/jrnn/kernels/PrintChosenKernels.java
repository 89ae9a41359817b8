package io.github.jrnn.kernels;

/**
 * Child-JVM entry point for {@link KernelProviderTest}: prints the name of the implementation
 * {@link KernelProvider#kernels()} chose in this JVM on standard output, after the line of
 * {@link KernelProvider#choice()}.
 */
public final class PrintChosenKernels {

    private PrintChosenKernels() {
    }

    public static void main(String[] args) {
        System.out.println("choice: " + KernelProvider.choice());
        System.out.println(KernelProvider.kernels().name());
    }
}
