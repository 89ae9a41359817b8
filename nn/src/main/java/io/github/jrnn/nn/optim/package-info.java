/**
 * {@code torch.optim}: {@link io.github.jrnn.nn.optim.SGD} (momentum, dampening, Nesterov, weight decay),
 * {@link io.github.jrnn.nn.optim.Adam} and {@link io.github.jrnn.nn.optim.AdamW} on their shared base
 * {@link io.github.jrnn.nn.optim.Optimizer}, each step one fused kernel pass computing PyTorch's update with the
 * options of the parameter's {@link io.github.jrnn.nn.optim.ParamGroup}; the learning-rate schedulers of
 * {@code torch.optim.lr_scheduler} ({@link io.github.jrnn.nn.optim.StepLR},
 * {@link io.github.jrnn.nn.optim.ExponentialLR}, {@link io.github.jrnn.nn.optim.CosineAnnealingLR},
 * {@link io.github.jrnn.nn.optim.LambdaLR} on {@link io.github.jrnn.nn.optim.LRScheduler}, and
 * {@link io.github.jrnn.nn.optim.ReduceLROnPlateau}), whose state saves through
 * {@link io.github.jrnn.nn.optim.LearningRateScheduler}; and {@link io.github.jrnn.nn.optim.GradClipping}
 * ({@code clip_grad_norm_}, {@code clip_grad_value_}).
 *
 * <p>Layering: above {@code layers} (it updates {@code Parameter}s), {@code tensor} and {@code kernels}; used by
 * {@code models} for training checkpoints.
 *
 * <p>Thread safety: an optimizer belongs to one training thread; its steps write the parameters in place and must
 * not overlap forward calls of the same module.
 */
package io.github.jrnn.nn.optim;
