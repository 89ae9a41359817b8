package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The split-product pool: every part runs exactly once, on the caller and at most {@code threads - 1} helpers,
 * {@link GemmThreads#run} returns only when every part has finished (also one a helper is still computing), and a
 * part that throws makes it rethrow that very throwable once the other parts have finished. A job reused product
 * after product gets each product's parts right, also with several callers at once; a caller never waits for a
 * helper busy elsewhere; and handing over a reused job allocates nothing.
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

    /**
     * A job reused product after product, as {@link VectorGemv.RowSplit} is: each product's parts run exactly once
     * and read that product's operands (the tag set in a plain field before the run), also on a helper that still
     * held the job from the product before; runs until helpers have computed parts of at least 100 products.
     */
    @Test
    void aReusedJobRunsEachProductsPartsExactlyOnceWithThatProductsOperands() {
        TaggedJob job = new TaggedJob(8, 1_000);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int helped = 0;
        for (int product = 1; product <= 2_000 || (helped < 100 && System.nanoTime() < giveUp); product++) {
            int parts = 1 + product % 7;
            job.prepare(product);
            GemmThreads.run(parts, 2, job);
            for (int part = 0; part < 8; part++) {
                assertEquals(part < parts ? 1 : 0, job.runs.get(part), "runs of part " + part + " of product "
                        + product + " (" + parts + " parts)");
                if (part < parts) {
                    assertEquals(product, job.tagSeen.get(part), "operand tag read by part " + part);
                }
            }
            helped += job.helperRuns.get() > 0 ? 1 : 0;
        }
        assertTrue(helped >= 100, "helpers computed parts of only " + helped + " products");
    }

    /** Four callers, each reusing its own job: no part of one caller's products runs with another's operands. */
    @Test
    void concurrentCallersWithReusedJobsGetOnlyTheirOwnParts() throws Exception {
        int callers = 4;
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int caller = t;
                running.add(threads.submit(() -> {
                    TaggedJob job = new TaggedJob(6, 500);
                    for (int product = 1; product <= 1_500; product++) {
                        int parts = 2 + (product + caller) % 5;
                        int tag = caller * 1_000_000 + product;
                        job.prepare(tag);
                        GemmThreads.run(parts, 3, job);
                        for (int part = 0; part < parts; part++) {
                            assertEquals(1, job.runs.get(part), "caller " + caller + " product " + product);
                            assertEquals(tag, job.tagSeen.get(part), "caller " + caller + " product " + product);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdown();
        }
    }

    /**
     * A helper busy with one caller's product is skipped by another caller, which returns with all its parts
     * computed while that helper is still busy (it would wait forever for it otherwise).
     */
    @Test
    void aCallerDoesNotWaitForAHelperBusyWithAnotherCallersProduct() throws Exception {
        CountDownLatch helperInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = callers.submit(() -> {
                Thread firstCaller = Thread.currentThread();
                GemmThreads.run(2, 2, part -> {
                    if (Thread.currentThread() == firstCaller) {
                        awaitQuietly(helperInside);
                    } else {
                        helperInside.countDown();
                        awaitQuietly(release);
                    }
                });
            });
            assertTrue(helperInside.await(10, TimeUnit.SECONDS), "no helper took the first caller's part");
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            callers.submit(() -> GemmThreads.run(2, 2, runs::incrementAndGet)).get(10, TimeUnit.SECONDS);
            assertEquals(1, runs.get(0), "runs of the second product's part 0");
            assertEquals(1, runs.get(1), "runs of the second product's part 1");
            assertEquals(1, release.getCount(), "the first product's helper was busy all along");
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            callers.shutdown();
        }
    }

    /**
     * A caller may put its job in place of one a helper holds once every part of that one has finished (the helper
     * is then only about to let it go, and the caller that waited for its last part may already hand over its next
     * product), or while the helper only polls it; never while a part of it still runs. A job never run counts as
     * finished.
     */
    @Test
    void aHeldJobIsReplaceableOnlyOnceAllItsPartsHaveFinished() throws Exception {
        CountDownLatch partRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GemmThreads.Job job = new GemmThreads.Job(false) {
            @Override
            protected void runPart(int part) {
                partRunning.countDown();
                awaitQuietly(release);
            }
        };
        assertTrue(GemmThreads.replaceable(job, false), "a job never run");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<?> run = caller.submit(() -> GemmThreads.run(1, 1, job));
            assertTrue(partRunning.await(10, TimeUnit.SECONDS), "the part never started");
            assertFalse(GemmThreads.replaceable(job, false), "a job with a part running");
            assertTrue(GemmThreads.replaceable(job, true), "a job its helper only polls");
            release.countDown();
            run.get(10, TimeUnit.SECONDS);
            assertTrue(GemmThreads.replaceable(job, false), "a job whose parts have all finished");
        } finally {
            release.countDown();
            caller.shutdown();
        }
    }

    /**
     * Handing a reused job to a helper and meeting it again allocates nothing, on the caller or on the helpers
     * (the bytes each thread allocated, {@link com.sun.management.ThreadMXBean}; the fewest over up to 100 rounds
     * of 2000 products, so that the JIT's one-off allocations while it compiles the pool's code drop out).
     */
    @Test
    void runningAReusedJobAllocatesNothingOnAnyThread() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count a thread's allocated bytes");
        TaggedJob job = new TaggedJob(2, 1_000);
        GemmThreads.run(2, 2, job); // starts the helper, if no test before did
        long[] helperIds = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jrnn-gemm-")).mapToLong(Thread::threadId).toArray();
        assertTrue(helperIds.length > 0, "no pool helper started");
        long fewestCaller = Long.MAX_VALUE;
        long fewestHelpers = Long.MAX_VALUE; // over the rounds in which helpers computed parts
        for (int round = 0; round < 100 && (fewestCaller > 0 || fewestHelpers > 0); round++) {
            long helpersBefore = allocatedBytes(mx, helperIds);
            long callerBefore = mx.getCurrentThreadAllocatedBytes();
            int helperParts = 0;
            for (int product = 0; product < 2_000; product++) {
                job.prepare(product);
                GemmThreads.run(2, 2, job);
                helperParts += job.helperRuns.get();
            }
            long caller = mx.getCurrentThreadAllocatedBytes() - callerBefore;
            long helpers = allocatedBytes(mx, helperIds) - helpersBefore;
            fewestCaller = Math.min(fewestCaller, caller);
            if (helperParts > 0) {
                fewestHelpers = Math.min(fewestHelpers, helpers);
            }
        }
        assertEquals(0, fewestCaller, "bytes the caller allocated for 2000 split products");
        assertEquals(0, fewestHelpers, "bytes the helpers allocated for 2000 split products (of which they"
                + " computed some parts; Long.MAX_VALUE: they computed none)");
    }

    private static long allocatedBytes(com.sun.management.ThreadMXBean mx, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += mx.getThreadAllocatedBytes(id);
        }
        return sum;
    }

    /**
     * A reusable job whose operand is a tag: each part counts its runs, records the tag it read, and busy-waits
     * {@code partNanos} so that a helper has time to join. Allocates nothing.
     */
    private static final class TaggedJob extends GemmThreads.Job {
        final AtomicIntegerArray runs;
        final AtomicIntegerArray tagSeen;
        final AtomicInteger helperRuns = new AtomicInteger();
        private final long partNanos;
        private Thread caller;
        private int tag;

        TaggedJob(int maxParts, long partNanos) {
            super(true);
            this.runs = new AtomicIntegerArray(maxParts);
            this.tagSeen = new AtomicIntegerArray(maxParts);
            this.partNanos = partNanos;
        }

        /** Sets the next product's operand; the previous product has finished, so plain writes are safe. */
        void prepare(int nextTag) {
            for (int i = 0; i < runs.length(); i++) {
                runs.set(i, 0);
                tagSeen.set(i, 0);
            }
            helperRuns.set(0);
            caller = Thread.currentThread();
            tag = nextTag;
        }

        @Override
        protected void runPart(int part) {
            runs.incrementAndGet(part);
            tagSeen.set(part, tag);
            if (Thread.currentThread() != caller) {
                helperRuns.incrementAndGet();
            }
            long until = System.nanoTime() + partNanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
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
