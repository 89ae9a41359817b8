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
 * {@code torch.optim.SGD}: per parameter p with gradient g, with the options of p's group,
 * <pre>
 * d = g + weight_decay * p
 * buf = d on the first step, else momentum * buf + (1 - dampening) * d       (when momentum != 0)
 * d = nesterov ? d + momentum * buf : buf                                   (when momentum != 0)
 * p = p - lr * d
 * </pre>
 * Arguments as PyTorch's: {@code lr} (required), {@code momentum = 0}, {@code dampening = 0},
 * {@code weight_decay = 0}, {@code nesterov = false}; each is also a {@link ParamGroup} option under that name.
 * Buffers: {@code state.<i>.momentum_buffer}.
 */
public final class SGD extends Optimizer {

    private final List<float[]> momentumBuffers = new ArrayList<>(); // per parameter, null until its first step

    /**
     * {@code SGD(params, lr)}: plain gradient descent.
     *
     * @param params the parameters to update, e.g. {@code module.parameters()}
     * @param lr the learning rate
     */
    public SGD(List<Parameter> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /**
     * {@code SGD(params, lr, momentum, dampening, weight_decay, nesterov)}.
     *
     * @param params the parameters to update, e.g. {@code module.parameters()}
     * @param lr the learning rate
     * @param momentum the momentum factor (0 for none)
     * @param dampening the dampening of the momentum
     * @param weightDecay the L2 penalty added to the gradient
     * @param nesterov whether to use Nesterov momentum (needs momentum &gt; 0 and no dampening)
     */
    public SGD(List<Parameter> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        this(List.of(ParamGroup.of(params)), lr, momentum, dampening, weightDecay, nesterov);
    }

    /**
     * {@code SGD([group, ...], lr, momentum, dampening, weight_decay, nesterov)}: the arguments are the defaults of
     * the options a group does not set.
     *
     * @param groups the parameter groups
     * @param lr the default learning rate
     * @param momentum the default momentum factor
     * @param dampening the default dampening
     * @param weightDecay the default L2 penalty
     * @param nesterov the default Nesterov flag
     * @throws IllegalArgumentException on an invalid value (in a group or a default), an unknown option or a
     *                                  parameter in two groups
     */
    public SGD(Collection<ParamGroup> groups, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super("SGD", groups, defaults("lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay",
                weightDecay, "nesterov", nesterov), SGD::checkOptions);
    }

    private static void checkOptions(Map<String, Object> options) {
        double momentum = (Double) options.get("momentum");
        double dampening = (Double) options.get("dampening");
        checkNonNegative("learning rate", (Double) options.get("lr"));
        checkNonNegative("momentum value", momentum);
        checkNonNegative("weight_decay value", (Double) options.get("weight_decay"));
        if ((Boolean) options.get("nesterov") && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening (got"
                    + " momentum = " + momentum + ", dampening = " + dampening + ")");
        }
    }

    @Override
    protected void update(ParamGroup group, int index, float[] value, float[] grad) {
        while (momentumBuffers.size() <= index) {
            momentumBuffers.add(null);
        }
        double momentum = group.get("momentum");
        boolean first = false;
        if (momentum != 0 && momentumBuffers.get(index) == null) {
            momentumBuffers.set(index, new float[value.length]);
            first = true;
        }
        KernelProvider.kernels().sgdStep(value.length, value, 0, grad, 0, momentumBuffers.get(index), 0,
                (float) group.lr(), (float) momentum, (float) group.get("dampening"),
                (float) group.get("weight_decay"), group.flag("nesterov"), first);
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < momentumBuffers.size(); i++) {
            if (momentumBuffers.get(i) != null) {
                out.put("state." + i + ".momentum_buffer", Tensor.of(momentumBuffers.get(i).clone(),
                        parameters().get(i).shape()));
            }
        }
        return out;
    }

    @Override
    protected Runnable prepareState(Map<String, Tensor> tensors, List<Map<String, Object>> groupOptions,
                                    List<String> problems) {
        List<float[]> restored = new ArrayList<>();
        for (int i = 0; i < parameters().size(); i++) {
            float[] buffer = null;
            if (tensors.containsKey("state." + i + ".momentum_buffer")) {
                buffer = new float[parameters().get(i).numel()];
                restoreBuffer(tensors, i, "momentum_buffer", buffer, problems);
            }
            restored.add(buffer);
        }
        return () -> {
            momentumBuffers.clear();
            momentumBuffers.addAll(restored);
        };
    }
}
