package io.github.jrnn.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.layers.Parameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scheduler behaviour beyond the golden trajectories: PyTorch's {@code initial_lr} bookkeeping (a second scheduler
 * starts from the first rates), refused arguments, and what is refused when restoring.
 */
class SchedulerTest {

    private static SGD sgd(double lr) {
        return new SGD(List.of(Parameter.zeros(2)), lr);
    }

    @Test
    void aSecondSchedulerStartsFromTheGroupsInitialLrNotTheDecayedOne() {
        SGD opt = sgd(1.0);
        StepLR first = new StepLR(opt, 1, 0.5);
        first.step();
        first.step();
        assertEquals(0.25, opt.paramGroups().get(0).lr());
        assertEquals(1.0, opt.paramGroups().get(0).get(ParamGroup.INITIAL_LR));
        LambdaLR second = new LambdaLR(opt, e -> 0.1);
        assertEquals(List.of(1.0), second.baseLrs());
        assertEquals(List.of(0.1), second.getLastLr());
    }

    @Test
    void settingsWithoutMeaningAreRefusedNamingThem() {
        IllegalArgumentException step = assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(1), 0));
        assertEquals("StepLR step_size must be at least 1, got 0", step.getMessage());
        IllegalArgumentException cosine = assertThrows(IllegalArgumentException.class,
                () -> new CosineAnnealingLR(sgd(1), 0));
        assertEquals("CosineAnnealingLR T_max must be at least 1, got 0", cosine.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(null, 0.9));
    }

    @Test
    void plateauHasNoLastRatesBeforeItsFirstStepAsInTorch() {
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(sgd(0.5));
        IllegalStateException e = assertThrows(IllegalStateException.class, plateau::getLastLr);
        assertTrue(e.getMessage().contains("before its first step(metric)"), e.getMessage());
        assertEquals(Double.POSITIVE_INFINITY, plateau.best());
        plateau.step(3.0);
        assertEquals(List.of(0.5), plateau.getLastLr());
        assertEquals(3.0, plateau.best());
    }

    @Test
    void restoringRefusesOtherSettingsAndMalformedCountersAndChangesNothing() {
        StepLR saved = new StepLR(sgd(1), 3, 0.5);
        saved.step();
        Map<String, String> state = saved.stateDict();

        StepLR other = new StepLR(sgd(1), 3, 0.25);
        IllegalArgumentException settings = assertThrows(IllegalArgumentException.class,
                () -> other.loadStateDict(state));
        assertTrue(settings.getMessage().contains("gamma: this scheduler has 0.25, the saved state has 0.5"),
                settings.getMessage());

        StepLR same = new StepLR(sgd(1), 3, 0.5);
        Map<String, String> broken = new java.util.LinkedHashMap<>(state);
        broken.put("last_epoch", "one");
        broken.put("base_lrs", "1.0,2.0");
        IllegalArgumentException counters = assertThrows(IllegalArgumentException.class,
                () -> same.loadStateDict(broken));
        assertTrue(counters.getMessage().contains("last_epoch must be a whole number, got one"),
                counters.getMessage());
        assertTrue(counters.getMessage().contains("base_lrs has 2 values, the optimizer has 1 parameter groups"),
                counters.getMessage());
        assertEquals(0, same.lastEpoch());

        ExponentialLR kind = new ExponentialLR(sgd(1), 0.5);
        IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class,
                () -> kind.loadStateDict(state));
        assertTrue(wrongKind.getMessage().contains("scheduler: this scheduler has ExponentialLR, the saved state has"
                + " StepLR"), wrongKind.getMessage());
    }

    @Test
    void aSchedulerBuiltBeforeAGroupWasAddedRefusesToStep() {
        SGD opt = sgd(1);
        StepLR schedule = new StepLR(opt, 2);
        opt.addParamGroup(ParamGroup.of(List.of(Parameter.zeros(1))));
        IllegalStateException e = assertThrows(IllegalStateException.class, schedule::step);
        assertTrue(e.getMessage().contains("built for 1 parameter groups, the optimizer now has 2"), e.getMessage());
    }
}
