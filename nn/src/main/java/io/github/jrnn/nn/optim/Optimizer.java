package io.github.jrnn.nn.optim;

import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Base of the optimizers, with {@code torch.optim.Optimizer}'s loop shape: {@link #zeroGrad()}, then a backward
 * pass, then {@link #step()}, which updates every parameter that has a gradient (parameters without one are
 * skipped, as in PyTorch) through one fused update kernel per parameter, with the hyper-parameters of the
 * parameter's group.
 *
 * <h2>Parameter groups</h2>
 * PyTorch's {@code param_groups}: a list of {@link ParamGroup}s, each with its own parameters and options; an
 * option a group does not set takes the optimizer's default (the constructor's arguments). A parameter belongs to
 * one group only ({@code some parameters appear in more than one parameter group} otherwise).
 * {@link #addParamGroup} adds one later, as {@code optimizer.add_param_group}. Schedulers change the groups'
 * {@code lr}.
 *
 * <h2>State</h2>
 * {@link #stateTensors()} returns every per-parameter buffer under PyTorch's names ({@code state.<index>.<buffer>},
 * index = position in {@link #parameters()}, which numbers the parameters group after group like PyTorch's
 * {@code state_dict}) and {@link #hyperparameters()} the settings: {@code optimizer} (the kind), the defaults under
 * their names, and {@code param_groups} (count), {@code param_groups.<g>.params} (parameter count) and
 * {@code param_groups.<g>.<option>} for every option of group g. {@link #loadState} requires the same kind and
 * defaults and the same group sizes, and restores the groups' options (a learning rate changed by a scheduler
 * comes back) and the buffers, so a resumed run continues exactly as the uninterrupted one (see
 * {@code TrainingCheckpoint}). Settings saved before groups existed (no {@code param_groups} key) load into an
 * optimizer with one group, whose options are then left as they are.
 *
 * <p>Thread safety: an optimizer belongs to one training thread. {@link #step()} writes the parameters in place, so
 * it must not overlap forward calls of the same module on other threads; serve inference from a separate copy
 * ({@code copy.loadStateDict(trained.stateDict(), true)} between steps) instead.
 */
public abstract class Optimizer {

    private static final String GROUPS = "param_groups";

    private final String kind;
    private final Map<String, Object> defaults;
    private final Consumer<Map<String, Object>> optionCheck;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<Parameter> params = new ArrayList<>();
    private final List<Integer> groupOfParam = new ArrayList<>();

    /**
     * Takes the parameter groups and the defaults their missing options take.
     *
     * @param kind the optimizer's name, e.g. {@code "Adam"}
     * @param groups the groups, not empty
     * @param defaults option name to its default ({@code Double} or {@code Boolean}), in the order settings are
     *                 listed
     * @param optionCheck checks the values of a group's complete options (before a group is added or restored),
     *                    throwing {@code IllegalArgumentException} in PyTorch's words on an invalid one
     * @throws IllegalArgumentException when the list is empty or a group is refused by {@link #addParamGroup}
     */
    protected Optimizer(String kind, Collection<ParamGroup> groups, Map<String, Object> defaults,
                        Consumer<Map<String, Object>> optionCheck) {
        this.kind = kind;
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        this.optionCheck = optionCheck;
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list (pass module.parameters())");
        }
        for (ParamGroup g : groups) {
            addParamGroup(g);
        }
    }

    /**
     * {@code optimizer.add_param_group(group)}: fills the group's missing options with the defaults, checks them
     * and appends it; its parameters get the next state indices.
     *
     * @param group the group to add
     * @throws IllegalArgumentException when an option is unknown, has the wrong type or an invalid value, when a
     *                                  parameter appears twice in the group or is already in another group
     */
    public final void addParamGroup(ParamGroup group) {
        if (group == null) {
            throw new IllegalArgumentException("param group must not be null");
        }
        Map<String, Object> merged = new LinkedHashMap<>(group.options());
        defaults.forEach(merged::putIfAbsent);
        checkOptions("param group " + groups.size(), merged);
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        for (Parameter p : group.params()) {
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("some parameters appear more than once in the parameter list");
            }
        }
        for (Parameter p : params) {
            if (seen.containsKey(p)) {
                throw new IllegalArgumentException("some parameters appear in more than one parameter group");
            }
        }
        group.replaceOptions(merged);
        for (Parameter p : group.params()) {
            params.add(p);
            groupOfParam.add(groups.size());
        }
        groups.add(group);
    }

    /**
     * The parameter groups ({@code optimizer.param_groups}); their options may be changed between steps.
     *
     * @return the groups, unmodifiable list
     */
    public final List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /**
     * The parameters of every group, group after group (the indices of {@link #stateTensors()}).
     *
     * @return the parameters, unmodifiable view
     */
    public final List<Parameter> parameters() {
        return Collections.unmodifiableList(params);
    }

    /** Forgets every parameter's gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        params.forEach(Parameter::zeroGrad);
    }

    /** Updates every parameter that has a gradient, in place, with its group's options. */
    public final void step() {
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor grad = p.grad();
            if (grad != null) {
                update(groups.get(groupOfParam.get(i)), i, p.data(), grad.data());
                p.markModified();
            }
        }
    }

    /**
     * One fused update of parameter {@code index} ({@code value} and {@code grad} have the same length).
     *
     * @param group the parameter's group, whose options apply
     * @param index the parameter's index in {@link #parameters()}
     * @param value its values, updated in place
     * @param grad its gradient
     */
    protected abstract void update(ParamGroup group, int index, float[] value, float[] grad);

    /**
     * Every per-parameter buffer, named {@code state.<index>.<buffer>} (copies).
     *
     * @return buffer name to a copy of its values
     */
    public abstract Map<String, Tensor> stateTensors();

    /**
     * Reads the saved buffers for {@link #loadState} without changing anything.
     *
     * @param tensors buffers as {@link #stateTensors()} names them
     * @param groupOptions the options each group will have once loaded
     * @param problems where every missing or mis-sized buffer is reported
     * @return what installs the buffers, run only when no problem was found
     */
    protected abstract Runnable prepareState(Map<String, Tensor> tensors, List<Map<String, Object>> groupOptions,
                                             List<String> problems);

    /**
     * The optimizer's kind, defaults and groups as strings (for a checkpoint's metadata); see the class comment.
     *
     * @return setting name to value; {@code optimizer} names the kind
     */
    public final Map<String, String> hyperparameters() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("optimizer", kind);
        defaults.forEach((k, v) -> out.put(k, String.valueOf(v)));
        out.put(GROUPS, String.valueOf(groups.size()));
        for (int g = 0; g < groups.size(); g++) {
            String prefix = GROUPS + "." + g + ".";
            out.put(prefix + "params", String.valueOf(groups.get(g).params().size()));
            groups.get(g).options().forEach((k, v) -> out.put(prefix + k, String.valueOf(v)));
        }
        return out;
    }

    /**
     * Restores the group options and buffers saved by {@link #hyperparameters()} and {@link #stateTensors()} from
     * an optimizer of the same kind and defaults with groups of the same sizes. All or nothing.
     *
     * @param tensors buffers as {@link #stateTensors()} names them
     * @param saved the settings they were saved with
     * @throws IllegalArgumentException naming every mismatching setting, missing or wrongly shaped buffer
     */
    public final void loadState(Map<String, Tensor> tensors, Map<String, String> saved) {
        checkDefaults(saved);
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> restored = savedGroupOptions(saved, problems);
        Runnable install = problems.isEmpty() ? prepareState(tensors, restored, problems) : null;
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load " + kind + " state: " + String.join("; ", problems));
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).replaceOptions(restored.get(g));
        }
        install.run();
    }

    /**
     * The group a parameter belongs to.
     *
     * @param index the parameter's index in {@link #parameters()}
     * @return the index of its group in {@link #paramGroups()}
     */
    protected final int groupIndexOf(int index) {
        return groupOfParam.get(index);
    }

    /**
     * The saved buffer {@code state.<index>.<name>} with the parameter's element count, copied into {@code into}.
     *
     * @param tensors the saved buffers
     * @param index the parameter's index
     * @param name the buffer's name
     * @param into where the values go
     * @param problems where a missing or mis-sized buffer is reported
     */
    protected static void restoreBuffer(Map<String, Tensor> tensors, int index, String name, float[] into,
                                        List<String> problems) {
        String key = "state." + index + "." + name;
        Tensor t = tensors.get(key);
        if (t == null) {
            problems.add("missing " + key);
        } else if (t.numel() != into.length) {
            problems.add(key + " has " + t.numel() + " elements, parameter " + index + " has " + into.length);
        } else {
            System.arraycopy(t.data(), 0, into, 0, into.length);
        }
    }

    /**
     * Builds a defaults map from alternating names and values.
     *
     * @param keyValues alternating names and {@code Double}/{@code Boolean} values
     * @return the map, in the order given
     */
    protected static Map<String, Object> defaults(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }

    /**
     * Refuses a negative or NaN setting with PyTorch's text {@code Invalid <what>: <value>}.
     *
     * @param what the setting, e.g. {@code "learning rate"}
     * @param value its value
     */
    protected static void checkNonNegative(String what, double value) {
        if (!(value >= 0.0)) {
            throw new IllegalArgumentException("Invalid " + what + ": " + value);
        }
    }

    private void checkOptions(String where, Map<String, Object> options) {
        options.forEach((name, value) -> {
            Object expected = name.equals(ParamGroup.INITIAL_LR) ? 0.0 : defaults.get(name);
            if (expected == null) {
                throw new IllegalArgumentException(where + ": " + kind + " has no option '" + name + "' (its options"
                        + " are " + defaults.keySet() + ")");
            }
            if (expected.getClass() != value.getClass()) {
                throw new IllegalArgumentException(where + ": option '" + name + "' must be a "
                        + (expected instanceof Boolean ? "boolean" : "number") + ", got " + value);
            }
        });
        optionCheck.accept(options);
    }

    private void checkDefaults(Map<String, String> saved) {
        List<String> problems = new ArrayList<>();
        Map<String, String> mine = new LinkedHashMap<>();
        mine.put("optimizer", kind);
        defaults.forEach((k, v) -> mine.put(k, String.valueOf(v)));
        mine.forEach((key, value) -> {
            String s = saved.get(key);
            if (!value.equals(s)) {
                problems.add(key + ": this optimizer has " + value + ", the saved state has "
                        + (s == null ? "nothing" : s));
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load optimizer state: " + String.join("; ", problems));
        }
    }

    /** The options each group gets from {@code saved}; the current ones for settings saved before groups. */
    private List<Map<String, Object>> savedGroupOptions(Map<String, String> saved, List<String> problems) {
        List<Map<String, Object>> out = new ArrayList<>();
        String count = saved.get(GROUPS);
        if (count == null) {
            if (groups.size() != 1) {
                problems.add("the saved state has one parameter group (it predates groups), this optimizer has "
                        + groups.size());
            }
            groups.forEach(g -> out.add(new LinkedHashMap<>(g.options())));
            return out;
        }
        if (!count.equals(String.valueOf(groups.size()))) {
            problems.add("loaded state dict has a different number of parameter groups (" + count + ", this"
                    + " optimizer has " + groups.size() + ")");
            return out;
        }
        for (int g = 0; g < groups.size(); g++) {
            String prefix = GROUPS + "." + g + ".";
            String size = saved.get(prefix + "params");
            if (!String.valueOf(groups.get(g).params().size()).equals(size)) {
                problems.add("loaded state dict contains a parameter group that doesn't match the size of"
                        + " optimizer's group (group " + g + ": " + size + " parameters saved, "
                        + groups.get(g).params().size() + " here)");
                continue;
            }
            Map<String, Object> options = new LinkedHashMap<>();
            saved.forEach((key, value) -> {
                if (key.startsWith(prefix) && !key.equals(prefix + "params")) {
                    String name = key.substring(prefix.length());
                    Object type = name.equals(ParamGroup.INITIAL_LR) ? 0.0 : defaults.get(name);
                    options.put(name, type instanceof Boolean ? parseFlag(key, value, problems)
                            : parseNumber(key, value, problems));
                }
            });
            defaults.keySet().stream().filter(k -> !options.containsKey(k))
                    .forEach(k -> problems.add("missing " + prefix + k));
            if (problems.isEmpty()) {
                try {
                    checkOptions("saved " + prefix.substring(0, prefix.length() - 1), options);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            out.add(options);
        }
        return out;
    }

    private static Object parseFlag(String key, String value, List<String> problems) {
        if (!value.equals("true") && !value.equals("false")) {
            problems.add(key + " must be true or false, got " + value);
        }
        return Boolean.valueOf(value);
    }

    private static Object parseNumber(String key, String value, List<String> problems) {
        try {
            return Double.valueOf(value);
        } catch (NumberFormatException e) {
            problems.add(key + " must be a number, got " + value);
            return 0.0;
        }
    }
}
