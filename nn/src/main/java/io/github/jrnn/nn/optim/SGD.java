package io.github.jrnn.nn.optim;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.SGD}: per parameter p with gradient g,
 * <pre>
 * d = g + weight_decay * p
 * buf = d on the first step, else momentum * buf + (1 - dampening) * d       (when momentum != 0)
 * d = nesterov ? d + momentum * buf : buf                                   (when momentum != 0)
 * p = p - lr * d
 * </pre>
 * Arguments as PyTorch's: {@code lr} (required), {@code momentum = 0}, {@code dampening = 0},
 * {@code weight_decay = 0}, {@code nesterov = false}. Buffers: {@code state.<i>.momentum_buffer}.
 */
public final class SGD extends Optimizer {

    private final double lr;
    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;
    private final float[][] momentumBuffers; // one per parameter, null until its first step (or without momentum)

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
        super(params);
        checkNonNegative("learning rate", lr);
        checkNonNegative("momentum value", momentum);
        checkNonNegative("weight_decay value", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening (got"
                    + " momentum = " + momentum + ", dampening = " + dampening + ")");
        }
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.momentumBuffers = new float[params.size()][];
    }

    @Override
    protected void update(int index, float[] value, float[] grad) {
        boolean first = false;
        if (momentum != 0 && momentumBuffers[index] == null) {
            momentumBuffers[index] = new float[value.length];
            first = true;
        }
        KernelProvider.kernels().sgdStep(value.length, value, 0, grad, 0, momentumBuffers[index], 0, (float) lr,
                (float) momentum, (float) dampening, (float) weightDecay, nesterov, first);
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < momentumBuffers.length; i++) {
            if (momentumBuffers[i] != null) {
                out.put("state." + i + ".momentum_buffer", Tensor.of(momentumBuffers[i].clone(),
                        parameters().get(i).shape()));
            }
        }
        return out;
    }

    @Override
    public Map<String, String> hyperparameters() {
        return settings("SGD", "lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay,
                "nesterov", nesterov);
    }

    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, String> hyperparameters) {
        checkHyperparameters(hyperparameters);
        List<String> problems = new ArrayList<>();
        float[][] restored = new float[momentumBuffers.length][];
        for (int i = 0; i < restored.length; i++) {
            if (tensors.containsKey("state." + i + ".momentum_buffer")) {
                restored[i] = new float[parameters().get(i).numel()];
                restoreBuffer(tensors, i, "momentum_buffer", restored[i], problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load SGD state: " + String.join("; ", problems));
        }
        System.arraycopy(restored, 0, momentumBuffers, 0, restored.length);
    }
}
