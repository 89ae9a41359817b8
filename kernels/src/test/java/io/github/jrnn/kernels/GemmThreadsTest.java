package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The split-product pool: every part runs exactly once, on the caller and at most {@code threads - 1} helpers,
 * {@link GemmThreads#run} returns only when every part has finished (also one a helper is still computing), and a
 * part that throws makes it rethrow that very throwable once the other parts have finished.
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
    void runReturnsOnlyWhenThePartsOfHelpersHaveFinishedToo() {
        Thread caller = Thread.currentThread();
        CountDownLatch helperWorking = new CountDownLatch(1);
        AtomicIntegerArray finished = new AtomicIntegerArray(2);
        GemmThreads.run(2, 2, part -> {
            if (Thread.currentThread() == caller) {
                // hold the caller's part until a helper is busy with the other one (or the helper never comes)
                awaitQuietly(helperWorking);
            } else {
                helperWorking.countDown();
                sleepQuietly(200);
            }
            finished.set(part, 1);
        });
        assertEquals(1, finished.get(0), "part 0 when run returned");
        assertEquals(1, finished.get(1), "part 1 when run returned");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
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
