package io.github.jrnn.nn.optim;

import io.github.jrnn.nn.layers.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of {@code optimizer.param_groups}: a list of parameters and the hyper-parameters that apply to them,
 * e.g. {@code ParamGroup.of(head.parameters()).set("lr", 1e-2).set("weight_decay", 0)} for PyTorch's
 * {@code {'params': head.parameters(), 'lr': 1e-2, 'weight_decay': 0}}.
 *
 * <p>Options not set here take the optimizer's defaults when the group is added to an optimizer (PyTorch's
 * {@code param_group.setdefault(name, default)}), so after construction every group holds every option of its
 * optimizer. Names are PyTorch's, except that Adam's {@code betas} tuple is two options {@code beta1} and
 * {@code beta2}. Numbers are doubles, flags ({@code nesterov}, {@code amsgrad}) booleans. Schedulers change
 * {@code lr} through {@link #setLr} and record the starting rate as {@code initial_lr}, as PyTorch's do.
 *
 * <p>Thread safety: none; a group belongs to its optimizer's training thread.
 */
public final class ParamGroup {

    /** The option every scheduler starts from (set on first use, PyTorch's {@code group['initial_lr']}). */
    public static final String INITIAL_LR = "initial_lr";

    private final List<Parameter> params;
    private final Map<String, Object> options = new LinkedHashMap<>(); // Double or Boolean values

    private ParamGroup(List<Parameter> params) {
        this.params = List.copyOf(params);
    }

    /**
     * A group of the given parameters with no options of its own yet.
     *
     * @param params the parameters, not empty, without null
     * @return the group
     * @throws IllegalArgumentException when {@code params} is null, empty or holds null
     */
    public static ParamGroup of(List<Parameter> params) {
        if (params == null || params.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list (pass module.parameters())");
        }
        if (params.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("optimizer got a null parameter");
        }
        return new ParamGroup(params);
    }

    /**
     * Sets a numeric option of this group (PyTorch's {@code group[name] = value}).
     *
     * @param name the option, e.g. {@code lr}, {@code weight_decay}
     * @param value its value
     * @return this group
     */
    public ParamGroup set(String name, double value) {
        options.put(checkName(name), value);
        return this;
    }

    /**
     * Sets a flag of this group, e.g. {@code nesterov} or {@code amsgrad}.
     *
     * @param name the option
     * @param value its value
     * @return this group
     */
    public ParamGroup set(String name, boolean value) {
        options.put(checkName(name), value);
        return this;
    }

    /**
     * The group's parameters.
     *
     * @return the parameters, unmodifiable
     */
    public List<Parameter> params() {
        return params;
    }

    /**
     * Whether the group holds an option.
     *
     * @param name the option
     * @return true when set (by the user, as a default or by a scheduler)
     */
    public boolean has(String name) {
        return options.containsKey(name);
    }

    /**
     * A numeric option.
     *
     * @param name the option
     * @return its value
     * @throws IllegalArgumentException when the group has no such numeric option
     */
    public double get(String name) {
        if (options.get(name) instanceof Double d) {
            return d;
        }
        throw new IllegalArgumentException("parameter group has no numeric option '" + name + "' (it has "
                + options.keySet() + ")");
    }

    /**
     * A flag.
     *
     * @param name the option
     * @return its value
     * @throws IllegalArgumentException when the group has no such flag
     */
    public boolean flag(String name) {
        if (options.get(name) instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("parameter group has no flag '" + name + "' (it has "
                + options.keySet() + ")");
    }

    /**
     * The learning rate, {@code group['lr']}.
     *
     * @return the current learning rate of this group
     */
    public double lr() {
        return get("lr");
    }

    /**
     * Sets the learning rate (what schedulers do each step).
     *
     * @param lr the new learning rate
     */
    public void setLr(double lr) {
        set("lr", lr);
    }

    /**
     * Every option in insertion order (defaults after the user's own).
     *
     * @return option name to a {@code Double} or {@code Boolean}, unmodifiable view
     */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    /** Adds {@code value} under {@code name} unless the group already has the option (Python's setdefault). */
    void setDefault(String name, Object value) {
        options.putIfAbsent(name, value);
    }

    /** Replaces every option at once (restoring a saved state). */
    void replaceOptions(Map<String, Object> restored) {
        options.clear();
        options.putAll(restored);
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.equals("params")) {
            throw new IllegalArgumentException("option name must be a hyper-parameter name such as \"lr\", got "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        return name;
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " parameters, " + options + ")";
    }
}
