package io.github.jrnn.nn.autograd;

/**
 * Whether operations record the backward graph on this thread, like {@code torch.no_grad()}/
 * {@code torch.enable_grad()}. Recording is on by default; an operation records a {@link GradNode} only when it
 * is on and at least one input requires a gradient.
 *
 * <pre>{@code
 * try (GradMode.Scope ignored = GradMode.noGrad()) {
 *     RecurrentOutput out = gru.forward(x);   // no graph, nothing saved for backward
 * }
 * }</pre>
 * Inference in a service should run under {@code noGrad()} (as in PyTorch): a recorded forward keeps what its
 * backward needs (gate activations of every time step) alive until the output is unreachable.
 *
 * <p>Thread safety: the flag is per thread, so one thread's inference never changes another thread's training.
 */
public final class GradMode {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** True when operations on this thread record the backward graph. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off on this thread until the returned scope is closed (which restores the previous state). */
    public static Scope noGrad() {
        return set(false);
    }

    /** Turns recording on on this thread until the returned scope is closed. */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return () -> flag[0] = previous;
    }

    /** Restores the previous recording state when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
