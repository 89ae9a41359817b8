package io.github.jrnn.nn.optim;

import static io.github.jrnn.nn.optim.SchedulerGoldenTest.GOLDEN;
import static io.github.jrnn.nn.optim.SchedulerGoldenTest.assertRates;
import static io.github.jrnn.nn.optim.SchedulerGoldenTest.torchLrs;
import static io.github.jrnn.nn.testing.GoldenJson.number;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.models.TrainingCheckpoint;
import io.github.jrnn.nn.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A schedule saved in a {@link TrainingCheckpoint} mid-way and restored into a freshly built optimizer and
 * scheduler continues exactly as torch's uninterrupted one (the golden rates of {@link SchedulerGoldenTest}); the
 * groups' learning rates, their {@code initial_lr} and the scheduler's counters all come back.
 */
class SchedulerCheckpointTest {

    /** A module holding the optimizer's parameters, so that the checkpoint has a model part. */
    private static final class Holder extends Module {
        Holder(List<Parameter> params) {
            for (int i = 0; i < params.size(); i++) {
                registerParameter("p" + i, params.get(i));
            }
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("io.github.jrnn.nn.optim.SchedulerGoldenTest#cases")
    void aScheduleRestoredMidWayContinuesAsTorchs(Map<String, Object> c, @TempDir Path dir) throws IOException {
        int steps = (int) number(GOLDEN.get("steps"));
        int half = 23;
        Optimizer first = SchedulerGoldenTest.optimizer(c);
        LearningRateScheduler before = SchedulerGoldenTest.scheduler(c, first);
        for (int t = 0; t < half; t++) {
            first.step();
            SchedulerGoldenTest.step(c, before, t);
        }
        Path file = dir.resolve("run.safetensors");
        TrainingCheckpoint.save(file, new Holder(first.parameters()), first, before);

        Optimizer resumed = SchedulerGoldenTest.optimizer(c);
        LearningRateScheduler after = SchedulerGoldenTest.scheduler(c, resumed);
        TrainingCheckpoint.load(file, new Holder(resumed.parameters()), resumed, after);
        assertEquals(first.hyperparameters(), resumed.hyperparameters(), c.get("name") + ": group options");
        assertEquals(before.stateDict(), after.stateDict(), c.get("name") + ": scheduler state");
        for (int t = half; t < steps; t++) {
            resumed.step();
            SchedulerGoldenTest.step(c, after, t);
            assertRates(c, torchLrs(c, t + 1), after.getLastLr(), c.get("name") + " resumed, step " + (t + 1));
        }
    }

    @Test
    void aCheckpointWithoutSchedulersIsRefusedWhenSchedulersAreGivenAndNothingChanges(@TempDir Path dir)
            throws IOException {
        Parameter p = new Parameter(Tensor.of(new float[] {1f, 2f}, 2));
        Optimizer opt = new Adam(List.of(p), 0.1);
        Path file = dir.resolve("old.safetensors");
        TrainingCheckpoint.save(file, new Holder(List.of(p)), opt);

        Parameter q = new Parameter(Tensor.of(new float[] {5f, 6f}, 2));
        Optimizer other = new Adam(List.of(q), 0.1);
        StepLR steps = new StepLR(other, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.load(file, new Holder(List.of(q)), other, steps));
        assertTrue(e.getMessage().contains("holds the state of 0 learning-rate schedulers, 1 were given"),
                e.getMessage());
        assertArrayEquals(new float[] {5f, 6f}, q.data());
        TrainingCheckpoint.load(file, new Holder(List.of(q)), other);
        assertArrayEquals(new float[] {1f, 2f}, q.data());
    }

    @Test
    void aSchedulerWithOtherSettingsIsRefusedAndTheOptimizerAndModuleAreLeftAsTheyWere(@TempDir Path dir)
            throws IOException {
        Parameter p = new Parameter(Tensor.of(new float[] {1f, 2f}, 2));
        Optimizer opt = new SGD(List.of(p), 0.1);
        StepLR saved = new StepLR(opt, 3, 0.5);
        for (int i = 0; i < 7; i++) {
            saved.step();
        }
        Path file = dir.resolve("run.safetensors");
        TrainingCheckpoint.save(file, new Holder(List.of(p)), opt, saved);

        Parameter q = new Parameter(Tensor.of(new float[] {5f, 6f}, 2));
        Optimizer other = new SGD(List.of(q), 0.1);
        StepLR mismatched = new StepLR(other, 4, 0.5);
        Map<String, String> optimizerBefore = other.hyperparameters();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.load(file, new Holder(List.of(q)), other, mismatched));
        assertTrue(e.getMessage().contains("step_size: this scheduler has 4, the saved state has 3"), e.getMessage());
        assertArrayEquals(new float[] {5f, 6f}, q.data());
        assertEquals(optimizerBefore, other.hyperparameters(), "the optimizer's groups are restored as they were");
        assertEquals(0, mismatched.lastEpoch());
    }
}
