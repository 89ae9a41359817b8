package io.github.jrnn.nn.optim;

import static io.github.jrnn.nn.optim.SchedulerGoldenTest.GOLDEN;
import static io.github.jrnn.nn.testing.GoldenJson.object;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Parameter groups: defaults fill what a group leaves out, each group's options drive its parameters' updates,
 * refused arguments give torch 1.13's messages (golden/scheduler/schedules.json "errors"), and saved settings
 * restore the groups (also settings saved before groups existed).
 */
class ParamGroupTest {

    private static Parameter param(float... values) {
        return new Parameter(Tensor.of(values, values.length));
    }

    private static void gradient(Parameter p, float... g) {
        p.value().view(-1).backward(Tensor.of(g, g.length));
    }

    @Test
    void groupsTakeTheDefaultsTheyDoNotSetInTorchsOrder() {
        Parameter a = param(1f);
        Parameter b = param(2f);
        SGD sgd = new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b)).set("lr", 0.5)
                .set("momentum", 0.9)), 0.1, 0, 0, 0.01, false);
        assertEquals(Map.of("lr", 0.1, "momentum", 0.0, "dampening", 0.0, "weight_decay", 0.01, "nesterov", false),
                sgd.paramGroups().get(0).options());
        assertEquals(Map.of("lr", 0.5, "momentum", 0.9, "dampening", 0.0, "weight_decay", 0.01, "nesterov", false),
                sgd.paramGroups().get(1).options());
        assertEquals(List.of(a, b), sgd.parameters());
    }

    @Test
    void eachGroupUpdatesItsParametersWithItsOwnLearningRate() {
        Parameter a = param(1f, 1f);
        Parameter b = param(1f, 1f);
        SGD sgd = new SGD(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b)).set("lr", 0.5)), 0.25,
                0, 0, 0, false);
        gradient(a, 1f, 2f);
        gradient(b, 1f, 2f);
        sgd.step();
        assertArrayEquals(new float[] {0.75f, 0.5f}, a.data());
        assertArrayEquals(new float[] {0.5f, 0f}, b.data());
        sgd.paramGroups().get(0).setLr(1.0); // what a scheduler does between steps
        sgd.zeroGrad();
        gradient(a, 0.25f, 0.5f);
        sgd.step();
        assertArrayEquals(new float[] {0.5f, 0f}, a.data());
    }

    @Test
    void addParamGroupAppendsAGroupWhoseParametersTakeTheNextStateIndices() {
        Parameter a = param(1f);
        Parameter b = param(1f, 2f);
        Adam adam = new Adam(List.of(a), 0.1);
        adam.addParamGroup(ParamGroup.of(List.of(b)).set("lr", 0.2).set("amsgrad", true));
        assertEquals(2, adam.paramGroups().size());
        assertEquals(true, adam.paramGroups().get(1).flag("amsgrad"));
        gradient(b, 1f, 1f);
        adam.step();
        assertEquals(List.of("state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"),
                List.copyOf(adam.stateTensors().keySet()));
        // Adam's first step moves each element by the group's lr (m / sqrt(v) = 1 after bias correction; the
        // float bias corrections round at about 1e-6), not by the default 0.1
        assertEquals(1f - 0.2f, b.data()[0], 1e-5);
    }

    @Test
    void refusedArgumentsGiveTorchsMessages() {
        Map<String, Object> torch = object(GOLDEN.get("errors"));
        Parameter p = param(0f, 0f);
        Parameter q = param(0f, 0f);
        Map<String, Executable> calls = new TreeMap<>();
        calls.put("param_in_two_groups", () -> new SGD(List.of(ParamGroup.of(List.of(p)),
                ParamGroup.of(List.of(q, p))), 0.1, 0, 0, 0, false));
        calls.put("add_param_group_overlap", () -> new Adam(List.of(p), 1e-3).addParamGroup(
                ParamGroup.of(List.of(p))));
        calls.put("lambda_count", () -> new LambdaLR(twoGroups(), List.of(e -> 1.0)));
        calls.put("plateau_factor", () -> new ReduceLROnPlateau(twoGroups(), "min", 1.0, 10, 1e-4, "rel", 0, 0,
                1e-8));
        calls.put("plateau_min_lrs", () -> new ReduceLROnPlateau(twoGroups(), "min", 0.1, 10, 1e-4, "rel", 0,
                new double[] {0.1}, 1e-8));
        calls.put("plateau_mode", () -> new ReduceLROnPlateau(twoGroups(), "least", 0.1, 10, 1e-4, "rel", 0, 0,
                1e-8));
        calls.put("plateau_threshold_mode", () -> new ReduceLROnPlateau(twoGroups(), "min", 0.1, 10, 1e-4,
                "ratio", 0, 0, 1e-8));
        calls.put("sgd_negative_lr", () -> new SGD(List.of(p), -0.1));
        calls.put("adam_beta", () -> new Adam(List.of(p), 1e-3, 1.0, 0.999, 1e-8, 0, false));
        assertEquals(new TreeMap<>(torch).keySet(), calls.keySet(), "every recorded error has its call");
        calls.forEach((name, call) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, name);
            assertTrue(e.getMessage().startsWith((String) torch.get(name)), name + ": torch says '"
                    + torch.get(name) + "', jrnn '" + e.getMessage() + "'");
        });
    }

    @Test
    void unknownOptionsAndWrongTypesAreRefusedNamingTheOption() {
        Parameter p = param(0f);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(ParamGroup.of(List.of(p)).set("betas", 0.9)), 0.1, 0, 0, 0, false));
        assertTrue(unknown.getMessage().contains("SGD has no option 'betas'"), unknown.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(ParamGroup.of(List.of(p)).set("amsgrad", 1.0)), 0.1, 0.9, 0.999, 1e-8, 0,
                        false));
        assertTrue(type.getMessage().contains("option 'amsgrad' must be a boolean, got 1.0"), type.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(ParamGroup.of(List.of(p)).set("lr", -1)), 0.1, 0.9, 0.999, 1e-8, 0, false));
        assertEquals("Invalid learning rate: -1.0", invalid.getMessage());
    }

    @Test
    void loadingRestoresEveryGroupsOptionsAndRefusesOtherGroupSizes() {
        Parameter a = param(1f);
        Parameter b = param(1f);
        Adam saved = new Adam(List.of(ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b)).set("lr", 0.5)), 0.1,
                0.9, 0.999, 1e-8, 0, false);
        saved.paramGroups().get(1).setLr(0.125);
        Map<String, String> settings = saved.hyperparameters();
        assertEquals("2", settings.get("param_groups"));
        assertEquals("0.125", settings.get("param_groups.1.lr"));

        Adam restored = new Adam(List.of(ParamGroup.of(List.of(param(0f))),
                ParamGroup.of(List.of(param(0f))).set("lr", 0.5)), 0.1, 0.9, 0.999, 1e-8, 0, false);
        restored.loadState(Map.of(), settings);
        assertEquals(0.125, restored.paramGroups().get(1).lr());
        assertEquals(settings, restored.hyperparameters());

        Adam oneGroup = new Adam(List.of(param(0f), param(0f)), 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> oneGroup.loadState(Map.of(), settings));
        assertTrue(e.getMessage().contains("loaded state dict has a different number of parameter groups (2, this"
                + " optimizer has 1)"), e.getMessage());
        assertEquals(0.1, oneGroup.paramGroups().get(0).lr());
    }

    @Test
    void settingsSavedBeforeGroupsExistedStillLoad() {
        Parameter p = param(1f, 2f);
        Adam adam = new Adam(List.of(p), 0.1);
        Map<String, String> old = new LinkedHashMap<>();
        old.put("optimizer", "Adam");
        old.put("lr", "0.1");
        old.put("beta1", "0.9");
        old.put("beta2", "0.999");
        old.put("eps", "1.0E-8");
        old.put("weight_decay", "0.0");
        old.put("amsgrad", "false");
        Map<String, Tensor> buffers = Map.of("state.0.step", Tensor.of(new float[] {3f}),
                "state.0.exp_avg", Tensor.of(new float[] {0.5f, 0.25f}, 2),
                "state.0.exp_avg_sq", Tensor.of(new float[] {0.125f, 0.0625f}, 2));
        adam.loadState(buffers, old);
        assertEquals(buffers.keySet(), adam.stateTensors().keySet());
        assertArrayEquals(new float[] {0.5f, 0.25f}, adam.stateTensors().get("state.0.exp_avg").data());
        assertEquals(0.1, adam.paramGroups().get(0).lr());
    }

    private static Optimizer twoGroups() {
        return new SGD(List.of(ParamGroup.of(List.of(param(0f))), ParamGroup.of(List.of(param(0f)))), 0.1, 0, 0,
                0, false);
    }
}
