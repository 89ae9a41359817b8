package io.github.jrnn.properties.fuzz;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a read of fuzzed bytes on a daemon thread under a time bound. A result is returned; a hang (no result after
 * {@value #TIMEOUT_SECONDS} s) or anything thrown is an {@link AssertionError} naming the input. The task itself
 * turns the documented refusal into a result, so every exception that reaches here escaped the reader.
 */
final class Bounded {
    /** Far above a normal read of these small files (well under a millisecond): only a hang reaches it. */
    static final long TIMEOUT_SECONDS = 10;

    private static final ExecutorService READER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-reader");
        t.setDaemon(true); // a hung read must not keep the test JVM alive
        return t;
    });

    private Bounded() {
    }

    static <T> T run(Callable<T> task, Supplier<String> input) {
        Future<T> f = READER.submit(task);
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no result after " + TIMEOUT_SECONDS + " s (hang?) for " + input.get());
        } catch (ExecutionException e) {
            throw new AssertionError("neither a load nor a CheckpointFormatException for " + input.get() + ": "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
