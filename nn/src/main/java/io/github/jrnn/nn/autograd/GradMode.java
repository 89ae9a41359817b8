package io.github.jrnn.nn.autograd;

import java.util.function.Supplier;

/**
 * Whether operations record the backward graph on this thread, like {@code torch.no_grad()}/
 * {@code torch.enable_grad()}. Recording is on by default; an operation records a {@link GradNode} only when it
 * is on and at least one input requires a gradient.
 *
 * <pre>{@code
 * RecurrentOutput out = GradMode.noGrad(() -> gru.forward(x));   // no graph, nothing saved for backward
 *
 * try (GradMode.Scope _ = GradMode.noGrad()) {                   // the same for a block of statements
 *     RecurrentOutput out = gru.forward(x);
 * }
 * }</pre>
 * The scope is an unnamed variable ({@code _}, Java 22+): a named one that the block never reads draws javac's
 * {@code -Xlint:try} warning "auto-closeable resource ... is never referenced", an unnamed one does not.
 * {@link Scope#close()} throws no checked exception, so the {@code try} needs no {@code catch}.
 *
 * <p>Inference in a service should run under {@code noGrad()} (as in PyTorch): a recorded forward keeps what its
 * backward needs (gate activations of every time step) alive until the output is unreachable.
 *
 * <p>Thread safety: the flag is per thread, so one thread's inference never changes another thread's training.
 */
public final class GradMode {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /**
     * Whether recording is on.
     *
     * @return true when operations on this thread record the backward graph
     */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /**
     * Turns recording off on this thread until the returned scope is closed (which restores the previous state).
     *
     * @return the scope to close, best in a {@code try}-with-resources statement
     */
    public static Scope noGrad() {
        return set(false);
    }

    /**
     * Turns recording on on this thread until the returned scope is closed.
     *
     * @return the scope that restores the previous state when closed
     */
    public static Scope enableGrad() {
        return set(true);
    }

    /**
     * Computes {@code body} with recording off on this thread, then restores the previous state (also when
     * {@code body} throws), like a function decorated with {@code @torch.no_grad()}.
     *
     * @param body the computation, e.g. {@code () -> gru.forward(x)}
     * @param <T>  what it returns
     * @return what {@code body} returned
     * @throws IllegalArgumentException when {@code body} is null
     */
    public static <T> T noGrad(Supplier<T> body) {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        try (Scope _ = noGrad()) {
            return body.get();
        }
    }

    private static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return () -> flag[0] = previous;
    }

    /**
     * Restores the previous recording state when closed; scopes nest like {@code with torch.no_grad():} blocks.
     * Close a scope on the thread that opened it.
     */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        /** Restores the recording state that was current when this scope was opened; throws nothing. */
        @Override
        void close();
    }
}
