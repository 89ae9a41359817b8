package io.github.jrnn.nn.optim;

import static io.github.jrnn.nn.testing.GoldenJson.doubles;
import static io.github.jrnn.nn.testing.GoldenJson.list;
import static io.github.jrnn.nn.testing.GoldenJson.number;
import static io.github.jrnn.nn.testing.GoldenJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.testing.GoldenJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scheduler's learning rates over 60 steps equal torch 1.13's (golden/scheduler/schedules.json, written by
 * tools/make_scheduler_golden.py): SGD with two parameter groups (lr 0.1 and 0.02), the scheduler built on it, then
 * {@code step()} (ReduceLROnPlateau: {@code step(metric)} with the recorded metrics) after every optimizer step.
 * The rates are compared bit for bit, except that CosineAnnealingLR may differ by one unit in the last place (its
 * {@code cos} is Java's Math.cos, torch's the C library's; both are specified to one ulp). The plateau counters
 * and the state after step 25 are torch's too.
 */
class SchedulerGoldenTest {

    static final Map<String, Object> GOLDEN = object(GoldenJson.load("/golden/scheduler/schedules.json"));

    /** The fixture's LambdaLR factors, in the same double operations as the script's Python lambdas. */
    static final Map<String, IntToDoubleFunction> LAMBDAS = Map.of(
            "warmup", e -> Math.min(1.0, (e + 1) / 5.0),
            "inverse", e -> 1.0 / (1 + e));

    static Stream<Map<String, Object>> cases() {
        return list(GOLDEN.get("cases")).stream().map(GoldenJson::object);
    }

    /** SGD(lr=0.1) with one group per learning rate of the case. */
    static Optimizer optimizer(Map<String, Object> c) {
        List<ParamGroup> groups = new ArrayList<>();
        for (double lr : doubles(c.get("group_lrs"))) {
            groups.add(ParamGroup.of(List.of(Parameter.zeros(2))).set("lr", lr));
        }
        return new SGD(groups, 0.1, 0, 0, 0, false);
    }

    /** The case's scheduler on {@code opt}, built with the script's arguments (torch's defaults elsewhere). */
    static LearningRateScheduler scheduler(Map<String, Object> c, Optimizer opt) {
        Map<String, Object> a = object(c.get("args"));
        return switch ((String) c.get("scheduler")) {
            case "StepLR" -> a.containsKey("gamma")
                    ? new StepLR(opt, (int) number(a.get("step_size")), number(a.get("gamma")))
                    : new StepLR(opt, (int) number(a.get("step_size")));
            case "ExponentialLR" -> new ExponentialLR(opt, number(a.get("gamma")));
            case "CosineAnnealingLR" -> a.containsKey("eta_min")
                    ? new CosineAnnealingLR(opt, (int) number(a.get("T_max")), number(a.get("eta_min")))
                    : new CosineAnnealingLR(opt, (int) number(a.get("T_max")));
            case "LambdaLR" -> a.get("lr_lambda") instanceof String name
                    ? new LambdaLR(opt, LAMBDAS.get(name))
                    : new LambdaLR(opt, list(a.get("lr_lambda")).stream().map(n -> LAMBDAS.get((String) n)).toList());
            case "ReduceLROnPlateau" -> a.isEmpty() ? new ReduceLROnPlateau(opt) : plateau(a, opt);
            default -> throw new IllegalStateException("unknown scheduler " + c.get("scheduler"));
        };
    }

    private static ReduceLROnPlateau plateau(Map<String, Object> a, Optimizer opt) {
        Object minLr = a.get("min_lr");
        double[] minLrs = minLr instanceof List<?> ? doubles(minLr)
                : new double[] {number(minLr), number(minLr)};
        return new ReduceLROnPlateau(opt, (String) a.get("mode"), number(a.get("factor")),
                (int) number(a.get("patience")), number(a.get("threshold")), (String) a.get("threshold_mode"),
                (int) number(a.get("cooldown")), minLrs, number(a.get("eps")));
    }

    /** One scheduler step after an optimizer step, as the script does; {@code t} is 0-based. */
    static void step(Map<String, Object> c, LearningRateScheduler s, int t) {
        if (s instanceof ReduceLROnPlateau plateau) {
            plateau.step(doubles(c.get("metrics"))[t]);
        } else {
            ((LRScheduler) s).step();
        }
    }

    /** The learning rates torch reported after step t (t = 0: after construction). */
    static double[] torchLrs(Map<String, Object> c, int t) {
        return doubles(list(c.get("lrs")).get(t));
    }

    /** Bitwise, or within one ulp for the cosine schedule. */
    static void assertRates(Map<String, Object> c, double[] expected, List<Double> actual, String what) {
        assertEquals(expected.length, actual.size(), what + ": group count");
        long allowedUlps = c.get("scheduler").equals("CosineAnnealingLR") ? 1 : 0;
        for (int i = 0; i < expected.length; i++) {
            long ulps = Math.abs(Double.doubleToLongBits(expected[i]) - Double.doubleToLongBits(actual.get(i)));
            assertTrue(ulps <= allowedUlps, what + " group " + i + ": torch " + expected[i] + ", jrnn "
                    + actual.get(i) + " (" + ulps + " ulps apart, " + allowedUlps + " allowed)");
        }
    }

    static List<Double> groupLrs(Optimizer opt) {
        return opt.paramGroups().stream().map(ParamGroup::lr).toList();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void ratesFollowTorchsTrajectory(Map<String, Object> c) {
        Optimizer opt = optimizer(c);
        LearningRateScheduler s = scheduler(c, opt);
        String name = (String) c.get("name");
        assertRates(c, torchLrs(c, 0), groupLrs(opt), name + " after construction");
        int steps = (int) number(GOLDEN.get("steps"));
        for (int t = 0; t < steps; t++) {
            opt.step();
            step(c, s, t);
            assertRates(c, torchLrs(c, t + 1), s.getLastLr(), name + " step " + (t + 1));
            assertRates(c, torchLrs(c, t + 1), groupLrs(opt), name + " groups' lr at step " + (t + 1));
            if (s instanceof ReduceLROnPlateau plateau) {
                double[] counters = doubles(list(c.get("counters")).get(t));
                assertEquals(counters[0], plateau.best(), name + " best at step " + (t + 1));
                assertEquals((int) counters[1], plateau.numBadEpochs(), name + " num_bad_epochs at " + (t + 1));
                assertEquals((int) counters[2], plateau.cooldownCounter(), name + " cooldown at " + (t + 1));
            }
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void stateMidScheduleHoldsTorchsCounters(Map<String, Object> c) {
        Map<String, Object> at = object(c.get("state_at"));
        Map<String, Object> torchState = object(at.get("state"));
        Optimizer opt = optimizer(c);
        LearningRateScheduler s = scheduler(c, opt);
        for (int t = 0; t < number(at.get("epoch")); t++) {
            step(c, s, t);
        }
        Map<String, String> state = s.stateDict();
        assertEquals(c.get("scheduler"), state.get("scheduler"));
        torchState.forEach((key, value) -> {
            String mine = state.get(key);
            String where = c.get("name") + " state " + key;
            if (value instanceof String text) {
                assertEquals(text, mine, where);
            } else if (value instanceof List<?> values) {
                assertEquals(values.stream().map(v -> number(v)).toList(),
                        List.of(mine.split(",")).stream().map(Double::valueOf).toList(), where);
            } else {
                assertEquals(number(value), Double.parseDouble(mine), where);
            }
        });
    }
}
