package io.github.jrnn.nn.cli;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;

/** Entry point of the {@code ./jrnn} launcher's JVM subcommands. */
public final class JrnnCli {
    private JrnnCli() {
    }

    public static void main(String[] args) {
        Kernels k = KernelProvider.kernels();
        System.out.println("jrnn kernels: " + k.name());
    }
}
