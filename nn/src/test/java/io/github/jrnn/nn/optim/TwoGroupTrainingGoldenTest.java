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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A short training run with two parameter groups equals torch's (golden/scheduler/two_groups_adam.json, written by
 * tools/make_scheduler_golden.py): Linear(4, 3) with MSELoss, Adam with the weight in a group of its own
 * ({@code lr = 0.05, weight_decay = 0.01}) and the bias in a group with {@code amsgrad} and the default
 * {@code lr = 0.01}, and a StepLR(3, 0.5) stepped after every optimizer step.
 */
class TwoGroupTrainingGoldenTest {

    @Test
    void parametersAfterTwelveAdamStepsWithTwoGroupsAndAScheduleEqualTorchs() {
        Map<String, Object> g = object(GoldenJson.load("/golden/scheduler/two_groups_adam.json"));
        Linear model = new Linear(4, 3);
        Parameter weight = model.namedParameters().get("weight");
        Parameter bias = model.namedParameters().get("bias");
        System.arraycopy(flatFloats(g.get("weight0")), 0, weight.data(), 0, 12);
        System.arraycopy(flatFloats(g.get("bias0")), 0, bias.data(), 0, 3);
        Tensor x = Tensor.of(flatFloats(g.get("x")), 6, 4);
        Tensor y = Tensor.of(flatFloats(g.get("y")), 6, 3);
        Adam opt = new Adam(List.of(
                ParamGroup.of(List.of(weight)).set("lr", 0.05).set("weight_decay", 0.01),
                ParamGroup.of(List.of(bias)).set("amsgrad", true)), 0.01, 0.9, 0.999, 1e-8, 0, false);
        StepLR schedule = new StepLR(opt, 3, 0.5);
        MSELoss loss = new MSELoss();
        int steps = (int) number(g.get("steps"));
        double[] losses = doubles(g.get("losses"));
        for (int t = 0; t < steps; t++) {
            opt.zeroGrad();
            Tensor l = loss.forward(model.forward(x), y);
            l.backward();
            assertClose("loss at step " + t, losses[t], l.item(), FORWARD);
            opt.step();
            schedule.step();
            assertEquals(List.of(doubles(list(g.get("lrs")).get(t))[0], doubles(list(g.get("lrs")).get(t))[1]),
                    schedule.getLastLr(), "learning rates after step " + t);
        }
        assertClose("weight", flatFloats(g.get("weight")), weight.data(), FORWARD);
        assertClose("bias", flatFloats(g.get("bias")), bias.data(), FORWARD);
    }
}
