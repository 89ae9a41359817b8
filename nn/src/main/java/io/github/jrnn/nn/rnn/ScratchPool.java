package io.github.jrnn.nn.rnn;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * The reusable scratches of one module ({@link ForwardScratch}, {@link BackwardScratch}); thread-safe. Each call
 * acquires one for itself and releases it when done, so a module serving k threads at once keeps k of them.
 *
 * @param <T> the kind of scratch
 */
final class ScratchPool<T> {

    // A handful of entries at most (one per concurrent caller); a lock taken twice per call costs nothing next to
    // the pass itself, and ArrayDeque allocates nothing once grown.
    private final ArrayDeque<T> free = new ArrayDeque<>();
    private final Supplier<T> create;

    ScratchPool(Supplier<T> create) {
        this.create = create;
    }

    synchronized T acquire() {
        T s = free.pollFirst();
        return s != null ? s : create.get();
    }

    synchronized void release(T s) {
        free.addFirst(s);
    }
}
