package io.github.jrnn.nn.optim;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}, over the parameters that have gradients.
 *
 * <p>Thread safety: stateless, but clipping writes the parameters' gradients in place: call it from the training
 * thread that owns them, between {@code backward()} and the optimizer step.
 */
public final class GradClipping {

    private GradClipping() {
    }

    /**
     * Scales all gradients by {@code min(1, max_norm / (total_norm + 1e-6))}, where total_norm is the norm of the
     * per-parameter gradient norms ({@code normType} 2 or {@code Double.POSITIVE_INFINITY} for the largest
     * absolute value), and returns total_norm, like PyTorch.
     *
     * @param params the parameters whose gradients are clipped in place (those without one are skipped)
     * @param maxNorm the largest total norm allowed
     * @param normType 2, or {@code Double.POSITIVE_INFINITY}
     * @param errorIfNonfinite whether a NaN or infinite total norm is an error
     * @return the total norm before clipping
     * @throws IllegalArgumentException for another norm type, or when the norm is NaN/Inf and
     *                                  {@code errorIfNonfinite}
     */
    public static float clipGradNorm(List<Parameter> params, double maxNorm, double normType,
                                     boolean errorIfNonfinite) {
        boolean infinity = normType == Double.POSITIVE_INFINITY;
        if (!infinity && normType != 2.0) {
            throw new IllegalArgumentException("clipGradNorm supports norm_type 2.0 and inf, got " + normType);
        }
        Kernels k = KernelProvider.kernels();
        float total = 0f;
        boolean any = false;
        for (Parameter p : params) {
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            any = true;
            if (infinity) {
                total = Math.max(total, k.maxAbs(g.numel(), g.data(), 0));
            } else {
                float norm = (float) Math.sqrt(k.dot(g.numel(), g.data(), 0, g.data(), 0));
                total += norm * norm;
            }
        }
        if (!any) {
            return 0f;
        }
        if (!infinity) {
            total = (float) Math.sqrt(total);
        }
        if (errorIfNonfinite && !Float.isFinite(total)) {
            throw new IllegalArgumentException("The total norm of order " + normType + " for gradients from"
                    + " `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the"
                    + " gradients by the non-finite norm anyway, set errorIfNonfinite=false");
        }
        float coefficient = Math.min(1f, (float) (maxNorm / (total + 1e-6)));
        for (Parameter p : params) {
            Tensor g = p.grad();
            if (g != null) {
                k.scale(g.numel(), coefficient, g.data(), 0);
            }
        }
        return total;
    }

    /**
     * {@code clip_grad_norm_(params, max_norm)} with the 2-norm.
     *
     * @param params the parameters whose gradients are clipped in place
     * @param maxNorm the largest total norm allowed
     * @return the total norm before clipping
     */
    public static float clipGradNorm(List<Parameter> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /**
     * Clamps every gradient element into {@code [-clipValue, clipValue]}.
     *
     * @param params the parameters whose gradients are clipped in place
     * @param clipValue the largest magnitude allowed, at least 0
     */
    public static void clipGradValue(List<Parameter> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clip_value must be >= 0, got " + clipValue);
        }
        Kernels k = KernelProvider.kernels();
        for (Parameter p : params) {
            Tensor g = p.grad();
            if (g != null) {
                k.clamp(g.numel(), (float) -clipValue, (float) clipValue, g.data(), 0);
            }
        }
    }
}
