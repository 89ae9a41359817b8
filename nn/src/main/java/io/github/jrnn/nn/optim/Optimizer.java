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

    /** The parameters in the order given (the indices of {@link #stateTensors()}). */
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

    /** One fused update of parameter {@code index} ({@code value} and {@code grad} have the same length). */
    protected abstract void update(int index, float[] value, float[] grad);

    /** Every per-parameter buffer, named {@code state.<index>.<buffer>} (copies). */
    public abstract Map<String, Tensor> stateTensors();

    /** The optimizer's kind and settings as strings (for a checkpoint's metadata). */
    public abstract Map<String, String> hyperparameters();

    /**
     * Restores buffers saved by {@link #stateTensors()} from an optimizer with the same {@link #hyperparameters()}.
     *
     * @throws IllegalArgumentException naming every mismatching setting, missing or wrongly shaped buffer
     */
    public abstract void loadState(Map<String, Tensor> tensors, Map<String, String> hyperparameters);

    // ---------------------------------------------------------------- helpers for subclasses

    /** Checks {@code saved} against {@link #hyperparameters()} and lists every difference. */
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

    /** The saved buffer {@code state.<index>.<name>} with the parameter's element count, copied into {@code into}. */
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
