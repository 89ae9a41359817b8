package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.optim.Adam;
import io.github.jrnn.nn.optim.Optimizer;
import io.github.jrnn.nn.optim.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCheckpointTest {

    /** Two parameters; the "loss" is sum(w * w) + sum(b * c) so every step has a state-dependent gradient. */
    private static final class Quadratic extends Module {
        final Parameter w = registerParameter("w", new Parameter(Tensor.of(new float[] {0.5f, -1f, 2f, 0.25f}, 2, 2)));
        final Parameter b = registerParameter("b", new Parameter(Tensor.of(new float[] {1f, -3f, 0.1f}, 3)));

        void backwardOnce() {
            // d/dw sum(w^2) = 2w ; d/db sum(b * c) = c, with c = (1, 2, 3): fed as the gradient of a view
            w.value().view(-1).backward(Tensor.of(new float[] {2 * w.data()[0], 2 * w.data()[1], 2 * w.data()[2],
                    2 * w.data()[3]}, 4));
            b.value().view(-1).backward(Tensor.of(new float[] {1f, 2f, 3f}, 3));
        }
    }

    private static void train(Quadratic m, Optimizer opt, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            m.backwardOnce();
            opt.step();
        }
    }

    @Test
    void resumingFromTheFileContinuesBitForBit(@TempDir Path dir) throws IOException {
        Quadratic straight = new Quadratic();
        train(straight, new Adam(straight.parameters(), 0.1, 0.9, 0.99, 1e-8, 0.01, true), 10);

        Quadratic first = new Quadratic();
        Optimizer opt = new Adam(first.parameters(), 0.1, 0.9, 0.99, 1e-8, 0.01, true);
        train(first, opt, 4);
        Path file = dir.resolve("run.safetensors");
        TrainingCheckpoint.save(file, first, opt);

        Quadratic resumed = new Quadratic();
        Optimizer resumedOpt = new Adam(resumed.parameters(), 0.1, 0.9, 0.99, 1e-8, 0.01, true);
        TrainingCheckpoint.load(file, resumed, resumedOpt);
        train(resumed, resumedOpt, 6);
        assertArrayEquals(straight.w.data(), resumed.w.data());
        assertArrayEquals(straight.b.data(), resumed.b.data());
    }

    @Test
    void anOptimizerWithOtherSettingsIsRefusedAndTheModuleIsLeftAsItWas(@TempDir Path dir) throws IOException {
        Quadratic m = new Quadratic();
        Optimizer opt = new Adam(m.parameters(), 0.1);
        train(m, opt, 2);
        Path file = dir.resolve("run.safetensors");
        TrainingCheckpoint.save(file, m, opt);

        Quadratic other = new Quadratic();
        float[] before = other.w.data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.load(file, other, new Adam(other.parameters(), 0.5)));
        assertTrue(e.getMessage().contains("lr: this optimizer has 0.5, the saved state has 0.1"), e.getMessage());
        assertArrayEquals(before, other.w.data());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.load(file, other, new SGD(other.parameters(), 0.1)));
        assertTrue(kind.getMessage().contains("optimizer: this optimizer has SGD, the saved state has Adam"),
                kind.getMessage());
    }

    @Test
    void aModuleCheckpointIsNotMistakenForATrainingCheckpoint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("weights.safetensors");
        new SafeTensorsWriter().putTensor("w", Tensor.zeros(2, 2)).write(file);
        Quadratic m = new Quadratic();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.load(file, m, new SGD(m.parameters(), 0.1)));
        assertTrue(e.getMessage().contains("not a jrnn training checkpoint"), e.getMessage());
        assertTrue(Files.exists(file));
    }

    @Test
    void aFileInTheLayoutFromBeforeGroupsAndSchedulersStillLoads(@TempDir Path dir) throws IOException {
        // what TrainingCheckpoint.save wrote before parameter groups: flat optimizer settings, no param_groups keys
        Quadratic saved = new Quadratic();
        Optimizer savedOpt = new Adam(saved.parameters(), 0.1);
        train(saved, savedOpt, 3);
        SafeTensorsWriter old = new SafeTensorsWriter();
        old.putMetadata(TrainingCheckpoint.FORMAT_KEY, TrainingCheckpoint.FORMAT);
        for (String key : new String[] {"optimizer", "lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"}) {
            old.putMetadata("optimizer." + key, savedOpt.hyperparameters().get(key));
        }
        saved.stateDict().forEach((name, t) -> old.putTensor("model." + name, t));
        savedOpt.stateTensors().forEach((name, t) -> old.putTensor("optimizer." + name, t));
        Path file = dir.resolve("old.safetensors");
        old.write(file);

        Quadratic resumed = new Quadratic();
        Optimizer resumedOpt = new Adam(resumed.parameters(), 0.1);
        TrainingCheckpoint.load(file, resumed, resumedOpt);
        train(saved, savedOpt, 2);
        train(resumed, resumedOpt, 2);
        assertArrayEquals(saved.w.data(), resumed.w.data());
        assertArrayEquals(saved.b.data(), resumed.b.data());
    }
}
