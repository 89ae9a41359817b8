package io.github.jrnn.consumer;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.models.ModuleCheckpoints;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import io.github.jrnn.nn.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a user's program does with jrnn as a plain Maven dependency: build a seeded GRU, save it as a checkpoint
 * (the JSON header goes through jackson-core), load it back, and run a forward pass without recording gradients.
 * Prints the kernels in use and the output, one {@code key=value} per line, for the tests that run it as a
 * class-path application and as a named module.
 */
public final class ConsumerApp {

    private ConsumerApp() {
    }

    /** Runs the program; exit status 0 when every step worked. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("jrnn-consumer");
        Path file = dir.resolve("gru.safetensors");
        try {
            GRU built = GRU.builder(3, 4).numLayers(2).generator(new Generator(7)).build();
            ModuleCheckpoints.save(built, file);
            GRU gru = ModuleCheckpoints.load(file, GRU.class);
            gru.eval();
            float[] x = new float[5 * 2 * 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 7 - 3) * 0.25f;
            }
            RecurrentOutput out = GradMode.noGrad(() -> gru.forward(Tensor.of(x, 5, 2, 3)));
            System.out.println("kernels=" + KernelProvider.choice().implementation());
            System.out.println("module=" + ConsumerApp.class.getModule().getName());
            System.out.println("output.shape=" + Arrays.toString(out.output().shape()));
            System.out.println("h_n=" + Arrays.toString(out.hN().data()));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
