package io.github.jrnn.nn.optim;

import io.github.jrnn.nn.layers.Parameter;
import java.util.Collection;
import java.util.List;

/**
 * {@code torch.optim.AdamW}: {@link Adam} with decoupled weight decay, {@code p = p * (1 - lr * weight_decay)}
 * before the moment update instead of adding {@code weight_decay * p} to the gradient. Defaults as PyTorch's:
 * {@code lr = 1e-3}, {@code betas = (0.9, 0.999)}, {@code eps = 1e-8}, {@code weight_decay = 1e-2},
 * {@code amsgrad = false}.
 */
public final class AdamW extends Adam {

    /**
     * {@code AdamW(params, lr)} with PyTorch's other defaults (weight_decay = 0.01).
     *
     * @param params the parameters to update, e.g. {@code module.parameters()}
     * @param lr the learning rate
     */
    public AdamW(List<Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false);
    }

    /**
     * {@code AdamW(params, lr, betas=(beta1, beta2), eps, weight_decay, amsgrad)}.
     *
     * @param params the parameters to update, e.g. {@code module.parameters()}
     * @param lr the learning rate
     * @param beta1 the decay of the first moment (PyTorch's 0.9)
     * @param beta2 the decay of the second moment (PyTorch's 0.999)
     * @param eps added to the denominator (PyTorch's 1e-8)
     * @param weightDecay the decoupled weight decay: each step multiplies the value by {@code 1 - lr * weightDecay}
     * @param amsgrad whether to use the maximum of past second moments
     */
    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                 boolean amsgrad) {
        this(List.of(ParamGroup.of(params)), lr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    /**
     * {@code AdamW([group, ...], lr, betas=(beta1, beta2), eps, weight_decay, amsgrad)}: the arguments are the
     * defaults of the options a group does not set.
     *
     * @param groups the parameter groups
     * @param lr the default learning rate
     * @param beta1 the default decay of the first moment
     * @param beta2 the default decay of the second moment
     * @param eps the default denominator term
     * @param weightDecay the default decoupled weight decay
     * @param amsgrad the default amsgrad flag
     * @throws IllegalArgumentException on an invalid value (in a group or a default), an unknown option or a
     *                                  parameter in two groups
     */
    public AdamW(Collection<ParamGroup> groups, double lr, double beta1, double beta2, double eps,
                 double weightDecay, boolean amsgrad) {
        super(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }
}
