package io.github.jrnn.nn.optim;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adam} and, with decoupled weight decay, {@code torch.optim.AdamW} (see {@link AdamW}). For step
 * t (1-based) of a parameter p with gradient g:
 * <pre>
 * Adam:  g = g + weight_decay * p                AdamW:  p = p * (1 - lr * weight_decay)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * v_hat = amsgrad ? (vmax = max(vmax, v)) : v
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v_hat) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * The bias corrections are computed in double, as PyTorch does in Python; the element-wise update is one
 * {@code adamStep} kernel. Arguments as PyTorch's: {@code lr = 1e-3}, {@code betas = (0.9, 0.999)},
 * {@code eps = 1e-8}, {@code weight_decay = 0} (AdamW: 1e-2), {@code amsgrad = false}; each is also a
 * {@link ParamGroup} option (PyTorch's {@code betas} tuple as {@code beta1} and {@code beta2}), read from the
 * parameter's group at every step. Buffers:
 * {@code state.<i>.exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (amsgrad) and {@code step} (one element).
 */
public class Adam extends Optimizer {

    private final boolean decoupled;
    private final List<State> states = new ArrayList<>(); // per parameter, null until its first step

    private static final class State {
        final float[] expAvg;
        final float[] expAvgSq;
        final float[] maxExpAvgSq;
        long step;

        State(int n, boolean amsgrad) {
            expAvg = new float[n];
            expAvgSq = new float[n];
            maxExpAvgSq = amsgrad ? new float[n] : null;
        }
    }

    /**
     * {@code Adam(params, lr)} with PyTorch's other defaults.
     *
     * @param params the parameters to update, e.g. {@code module.parameters()}
     * @param lr the learning rate
     */
    public Adam(List<Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /**
     * {@code Adam(params, lr, betas=(beta1, beta2), eps, weight_decay, amsgrad)}.
     *
     * @param params the parameters to update, e.g. {@code module.parameters()}
     * @param lr the learning rate
     * @param beta1 the decay of the first moment (PyTorch's 0.9)
     * @param beta2 the decay of the second moment (PyTorch's 0.999)
     * @param eps added to the denominator (PyTorch's 1e-8)
     * @param weightDecay the L2 penalty added to the gradient (PyTorch's 0)
     * @param amsgrad whether to use the maximum of past second moments
     */
    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad) {
        this(List.of(ParamGroup.of(params)), lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    /**
     * {@code Adam([group, ...], lr, betas=(beta1, beta2), eps, weight_decay, amsgrad)}: the arguments are the
     * defaults of the options a group does not set.
     *
     * @param groups the parameter groups
     * @param lr the default learning rate
     * @param beta1 the default decay of the first moment
     * @param beta2 the default decay of the second moment
     * @param eps the default denominator term
     * @param weightDecay the default L2 penalty
     * @param amsgrad the default amsgrad flag
     * @throws IllegalArgumentException on an invalid value (in a group or a default), an unknown option or a
     *                                  parameter in two groups
     */
    public Adam(Collection<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad) {
        this(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    Adam(Collection<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay,
         boolean amsgrad, boolean decoupled) {
        super(decoupled ? "AdamW" : "Adam", groups, defaults("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps,
                "weight_decay", weightDecay, "amsgrad", amsgrad), Adam::checkOptions);
        this.decoupled = decoupled;
    }

    private static void checkOptions(Map<String, Object> options) {
        checkNonNegative("learning rate", (Double) options.get("lr"));
        checkNonNegative("epsilon value", (Double) options.get("eps"));
        double beta1 = (Double) options.get("beta1");
        double beta2 = (Double) options.get("beta2");
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1 + " (must be in [0, 1))");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2 + " (must be in [0, 1))");
        }
        checkNonNegative("weight_decay value", (Double) options.get("weight_decay"));
    }

    @Override
    protected final void update(ParamGroup group, int index, float[] value, float[] grad) {
        while (states.size() <= index) {
            states.add(null);
        }
        boolean amsgrad = group.flag("amsgrad");
        State s = states.get(index);
        if (s == null) {
            s = new State(value.length, amsgrad);
            states.set(index, s);
        } else if (amsgrad && s.maxExpAvgSq == null) {
            throw new IllegalStateException("amsgrad was switched on after parameter " + index + " took its first"
                    + " step without it (PyTorch fails too: its state has no max_exp_avg_sq)");
        }
        double lr = group.lr();
        double beta1 = group.get("beta1");
        double beta2 = group.get("beta2");
        double weightDecay = group.get("weight_decay");
        s.step++;
        double biasCorrection1 = 1 - Math.pow(beta1, s.step);
        double biasCorrection2 = 1 - Math.pow(beta2, s.step);
        float stepSize = (float) (lr / biasCorrection1);
        float biasCorrection2Sqrt = (float) Math.sqrt(biasCorrection2);
        float paramScale = decoupled ? (float) (1 - lr * weightDecay) : 1f;
        float gradDecay = decoupled ? 0f : (float) weightDecay;
        KernelProvider.kernels().adamStep(value.length, value, 0, grad, 0, s.expAvg, 0, s.expAvgSq, 0,
                amsgrad ? s.maxExpAvgSq : null, 0, (float) beta1, (float) beta2, (float) group.get("eps"),
                paramScale, gradDecay, stepSize, biasCorrection2Sqrt);
    }

    @Override
    public final Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < states.size(); i++) {
            State s = states.get(i);
            if (s == null) {
                continue;
            }
            int[] shape = parameters().get(i).shape();
            out.put("state." + i + ".step", Tensor.of(new float[] {s.step}));
            out.put("state." + i + ".exp_avg", Tensor.of(s.expAvg.clone(), shape));
            out.put("state." + i + ".exp_avg_sq", Tensor.of(s.expAvgSq.clone(), shape));
            if (s.maxExpAvgSq != null) {
                out.put("state." + i + ".max_exp_avg_sq", Tensor.of(s.maxExpAvgSq.clone(), shape));
            }
        }
        return out;
    }

    @Override
    protected final Runnable prepareState(Map<String, Tensor> tensors, List<Map<String, Object>> groupOptions,
                                          List<String> problems) {
        List<State> restored = new ArrayList<>();
        for (int i = 0; i < parameters().size(); i++) {
            restored.add(null);
            Tensor step = tensors.get("state." + i + ".step");
            if (step == null) {
                continue; // this parameter had not been stepped yet
            }
            float steps = step.numel() == 1 ? step.data()[0] : -1;
            if (!(steps >= 1 && steps == Math.rint(steps))) {
                problems.add("state." + i + ".step must be one positive whole number, got "
                        + Tensor.shapeString(step.shape()) + " " + (step.numel() == 1 ? steps : ""));
                continue;
            }
            boolean amsgrad = (Boolean) groupOptions.get(groupIndexOf(i)).get("amsgrad");
            State s = new State(parameters().get(i).numel(), amsgrad);
            s.step = (long) steps;
            restoreBuffer(tensors, i, "exp_avg", s.expAvg, problems);
            restoreBuffer(tensors, i, "exp_avg_sq", s.expAvgSq, problems);
            if (amsgrad) {
                restoreBuffer(tensors, i, "max_exp_avg_sq", s.maxExpAvgSq, problems);
            }
            restored.set(i, s);
        }
        return () -> {
            states.clear();
            states.addAll(restored);
        };
    }
}
