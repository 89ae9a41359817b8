package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The split-product pool: every part runs exactly once, on the caller and at most {@code threads - 1} helpers, and a
 * part that throws makes {@link GemmThreads#run} rethrow that very throwable once the other parts have finished.
 */
class GemmThreadsTest {

    @Test
    void everyPartRunsExactlyOnceOnAtMostTheGivenNumberOfThreads() {
        for (int threads = 1; threads <= 4; threads++) {
            for (int parts = 1; parts <= 9; parts++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                Set<Thread> workers = ConcurrentHashMap.newKeySet();
                GemmThreads.run(parts, threads, part -> {
                    runs.incrementAndGet(part);
                    workers.add(Thread.currentThread());
                });
                for (int part = 0; part < parts; part++) {
                    assertEquals(1, runs.get(part), "runs of part " + part + " of " + parts + " on " + threads);
                }
                assertTrue(workers.size() <= Math.min(threads, parts),
                        parts + " parts on " + threads + " threads ran on " + workers.size() + " threads");
            }
        }
    }

    @Test
    void aPartThatThrowsIsRethrownAfterTheOtherPartsFinished() {
        AtomicIntegerArray finished = new AtomicIntegerArray(6);
        IllegalStateException thrown = new IllegalStateException("part 2 failed");
        IllegalStateException caught = assertThrows(IllegalStateException.class, () -> GemmThreads.run(6, 2, part -> {
            if (part == 2) {
                throw thrown;
            }
            finished.incrementAndGet(part);
        }));
        assertSame(thrown, caught);
        for (int part = 0; part < 6; part++) {
            assertEquals(part == 2 ? 0 : 1, finished.get(part), "part " + part + " when run returned");
        }
    }

    @Test
    void anErrorInAPartIsRethrownAsItself() {
        Error thrown = new Error("part 0 failed");
        assertSame(thrown, assertThrows(Error.class, () -> GemmThreads.run(3, 2, part -> {
            if (part == 0) {
                throw thrown;
            }
        })));
    }
}
