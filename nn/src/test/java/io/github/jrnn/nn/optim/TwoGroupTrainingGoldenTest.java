package io.github.jrnn.nn.optim;

import static io.github.jrnn.nn.testing.GoldenJson.doubles;
import static io.github.jrnn.nn.testing.GoldenJson.flatFloats;
import static io.github.jrnn.nn.testing.GoldenJson.list;
import static io.github.jrnn.nn.testing.GoldenJson.number;
import static io.github.jrnn.nn.testing.GoldenJson.object;
import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.loss.MSELoss;
import io.github.jrnn.nn.testing.GoldenJson;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Short training runs with two parameter groups equal torch's (golden/scheduler/two_groups.json, written by
 * tools/make_scheduler_golden.py): Linear(4, 3) with MSELoss for 12 steps, the weight and the bias in groups of
 * their own that override some of the optimizer's defaults (Adam with StepLR, AdamW with CosineAnnealingLR, SGD
 * with Nesterov momentum in one group and dampening in the other with ExponentialLR), the scheduler stepped after
 * every optimizer step. Losses and final parameters within {@code TorchTolerance.FORWARD}, learning rates as in
 * {@link SchedulerGoldenTest}.
 */
class TwoGroupTrainingGoldenTest {

    static Stream<Map<String, Object>> runs() {
        return list(object(GoldenJson.load("/golden/scheduler/two_groups.json")).get("runs")).stream()
                .map(GoldenJson::object);
    }

    /** A group of {@code p} with the run's own options for it (torch's betas tuple as beta1, beta2). */
    private static ParamGroup group(Parameter p, Map<String, Object> options) {
        ParamGroup g = ParamGroup.of(List.of(p));
        options.forEach((name, value) -> {
            if (value instanceof Boolean flag) {
                g.set(name, flag);
            } else if (name.equals("betas")) {
                g.set("beta1", doubles(value)[0]).set("beta2", doubles(value)[1]);
            } else {
                g.set(name, number(value));
            }
        });
        return g;
    }

    private static Optimizer optimizer(Map<String, Object> run, List<ParamGroup> groups) {
        Map<String, Object> d = object(run.get("defaults"));
        double lr = number(d.get("lr"));
        return switch ((String) run.get("optimizer")) {
            case "Adam" -> new Adam(groups, lr, 0.9, 0.999, 1e-8, 0, false);
            case "AdamW" -> new AdamW(groups, lr, 0.9, 0.999, 1e-8, 1e-2, false);
            case "SGD" -> new SGD(groups, lr, number(d.get("momentum")), 0, 0, false);
            default -> throw new IllegalStateException("unknown optimizer " + run.get("optimizer"));
        };
    }

    private static LRScheduler scheduler(Map<String, Object> run, Optimizer opt) {
        Map<String, Object> a = object(run.get("scheduler_args"));
        return switch ((String) run.get("scheduler")) {
            case "StepLR" -> new StepLR(opt, (int) number(a.get("step_size")), number(a.get("gamma")));
            case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, (int) number(a.get("T_max")),
                    number(a.get("eta_min")));
            case "ExponentialLR" -> new ExponentialLR(opt, number(a.get("gamma")));
            default -> throw new IllegalStateException("unknown scheduler " + run.get("scheduler"));
        };
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("runs")
    void parametersAfterTwelveStepsWithTwoGroupsAndAScheduleEqualTorchs(Map<String, Object> run) {
        String name = (String) run.get("name");
        Linear model = new Linear(4, 3);
        Parameter weight = model.namedParameters().get("weight");
        Parameter bias = model.namedParameters().get("bias");
        System.arraycopy(flatFloats(run.get("weight0")), 0, weight.data(), 0, 12);
        System.arraycopy(flatFloats(run.get("bias0")), 0, bias.data(), 0, 3);
        weight.markModified();
        bias.markModified();
        Tensor x = Tensor.of(flatFloats(run.get("x")), 6, 4);
        Tensor y = Tensor.of(flatFloats(run.get("y")), 6, 3);
        List<Object> own = list(run.get("groups"));
        List<ParamGroup> groups = new ArrayList<>(List.of(group(weight, object(own.get(0))),
                group(bias, object(own.get(1)))));
        Optimizer opt = optimizer(run, groups);
        LRScheduler schedule = scheduler(run, opt);
        MSELoss loss = new MSELoss();
        double[] losses = doubles(run.get("losses"));
        for (int t = 0; t < (int) number(run.get("steps")); t++) {
            opt.zeroGrad();
            Tensor l = loss.forward(model.forward(x), y);
            l.backward();
            assertClose(name + " loss at step " + t, losses[t], l.item(), FORWARD);
            opt.step();
            schedule.step();
            Map<String, Object> c = Map.of("scheduler", run.get("scheduler"));
            SchedulerGoldenTest.assertRates(c, doubles(list(run.get("lrs")).get(t)), schedule.getLastLr(),
                    name + " learning rates after step " + t);
        }
        assertClose(name + " weight", flatFloats(run.get("weight")), weight.data(), FORWARD);
        assertClose(name + " bias", flatFloats(run.get("bias")), bias.data(), FORWARD);
        assertEquals(List.of(weight, bias), opt.parameters());
    }
}
