package io.github.jrnn.nn.optim;

import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the optimizers, with {@code torch.optim.Optimizer}'s loop shape: {@link #zeroGrad()}, then a backward
 * pass, then {@link #step()}, which updates every parameter that has a gradient (parameters without one are
 * skipped, as in PyTorch) through one fused update kernel per parameter.
 *
 * <p>State for saving and resuming: {@link #stateTensors()} returns every per-parameter buffer under PyTorch's
 * names ({@code state.<index>.<buffer>}, index = position in the parameter list) and {@link #hyperparameters()}
 * the settings; {@link #loadState} restores both, so a resumed run continues exactly as the uninterrupted one
 * (see {@code TrainingCheckpoint}).
 *
 * <p>Thread safety: an optimizer belongs to one training thread. {@link #step()} writes the parameters in place, so
 * it must not overlap forward calls of the same module on other threads; serve inference from a separate copy
 * ({@code copy.loadStateDict(trained.stateDict(), true)} between steps) instead.
 */
public abstract class Optimizer {

    private final List<Parameter> params;

    /**
     * Takes the parameters to update.
     *
     * @param params the parameters, each once, not empty
     * @throws IllegalArgumentException when the list is empty or holds null or a duplicate
     */
    protected Optimizer(List<Parameter> params) {
        if (params == null || params.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list (pass module.parameters())");
        }
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        for (Parameter p : params) {
            if (p == null) {
                throw new IllegalArgumentException("optimizer got a null parameter");
            }
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("some parameters appear more than once in the parameter list");
            }
        }
        this.params = List.copyOf(params);
    }

    /**
     * The parameters in the order given (the indices of {@link #stateTensors()}).
     *
     * @return the parameters, unmodifiable
     */
    public final List<Parameter> parameters() {
        return params;
    }

    /** Forgets every parameter's gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        params.forEach(Parameter::zeroGrad);
    }

    /** Updates every parameter that has a gradient, in place. */
    public final void step() {
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor grad = p.grad();
            if (grad != null) {
                update(i, p.data(), grad.data());
                p.markModified();
            }
        }
    }

    /**
     * One fused update of parameter {@code index} ({@code value} and {@code grad} have the same length).
     *
     * @param index the parameter's index in {@link #parameters()}
     * @param value its values, updated in place
     * @param grad its gradient
     */
    protected abstract void update(int index, float[] value, float[] grad);

    /**
     * Every per-parameter buffer, named {@code state.<index>.<buffer>} (copies).
     *
     * @return buffer name to a copy of its values
     */
    public abstract Map<String, Tensor> stateTensors();

    /**
     * The optimizer's kind and settings as strings (for a checkpoint's metadata).
     *
     * @return setting name to value; {@code optimizer} names the kind
     */
    public abstract Map<String, String> hyperparameters();

    /**
     * Restores buffers saved by {@link #stateTensors()} from an optimizer with the same {@link #hyperparameters()}.
     *
     * @param tensors buffers as {@link #stateTensors()} names them
     * @param hyperparameters the settings they were saved with
     * @throws IllegalArgumentException naming every mismatching setting, missing or wrongly shaped buffer
     */
    public abstract void loadState(Map<String, Tensor> tensors, Map<String, String> hyperparameters);

    // ---------------------------------------------------------------- helpers for subclasses

    /**
     * Checks {@code saved} against {@link #hyperparameters()} and lists every difference.
     *
     * @param saved the settings the buffers were saved with
     */
    protected final void checkHyperparameters(Map<String, String> saved) {
        List<String> problems = new ArrayList<>();
        hyperparameters().forEach((key, value) -> {
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

    /**
     * The saved buffer {@code state.<index>.<name>} with the parameter's element count, copied into {@code into}.
     *
     * @param tensors the saved buffers
     * @param index the parameter's index
     * @param name the buffer's name
     * @param into where the values go
     * @param problems where a missing or mis-sized buffer is reported
     */
    protected final void restoreBuffer(Map<String, Tensor> tensors, int index, String name, float[] into,
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
     * The settings map of {@link #hyperparameters()}: {@code optimizer = kind}, then the pairs.
     *
     * @param kind the optimizer's kind, e.g. {@code "Adam"}
     * @param keyValues alternating names and values
     * @return the map, in the order given
     */
    protected static Map<String, String> settings(String kind, Object... keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("optimizer", kind);
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        }
        return out;
    }

    static void checkNonNegative(String what, double value) {
        if (!(value >= 0.0)) {
            throw new IllegalArgumentException("Invalid " + what + ": " + value);
        }
    }
}
