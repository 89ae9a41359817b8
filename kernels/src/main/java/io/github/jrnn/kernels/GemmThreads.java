package io.github.jrnn.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The persistent thread pool that large products are split over: daemon threads named {@code jrnn-gemm-N},
 * started lazily the first time a product needs them (never more than {@link KernelThreads#count()} - 1 so far
 * asked for) and then kept for the life of the JVM, waiting on one shared queue.
 *
 * <p>A split product is a job of numbered parts. The caller queues the job once per helper it wants, then works on
 * the parts itself; every thread claims the next unclaimed part with an atomic increment until none is left, and
 * the caller returns when all parts have finished. Because the caller claims parts too, a product never waits
 * for helpers that are busy with other users' products (it just computes more parts itself), so any number of
 * user threads may call concurrently; a helper that dequeues a job whose parts are all claimed drops it.
 *
 * <p>An idle helper polls the queue for {@link #HELPER_SPIN_NANOS} before it parks, so back-to-back products (one
 * per time step) find it awake; it burns that much of a core after its last job.
 *
 * <p>Cost: a split product allocates its job, the part lambda and one queue node per helper (JMH {@code -prof gc}:
 * about 160 bytes per product with two threads; unsplit products allocate nothing) and wakes parked helpers (a
 * few microseconds), which is why products below {@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS} are not split.
 */
final class GemmThreads {

    private static final LinkedBlockingQueue<Job> QUEUE = new LinkedBlockingQueue<>();
    /** Started helper threads; guarded by the class lock. */
    private static int helpers;

    /** How long a caller spins for its helpers' last parts before parking (parts finish close together). */
    private static final long SPIN_NANOS = 20_000;
    /** How long an idle helper polls for the next job before it parks (the gap between two time steps' products). */
    private static final long HELPER_SPIN_NANOS = 100_000;

    private GemmThreads() {
    }

    /**
     * Runs {@code part.accept(i)} for every {@code 0 <= i < parts}, on the calling thread and up to
     * {@code threads - 1} helpers, and returns when all have finished. A part that throws makes this method
     * rethrow that exception after the other parts have finished.
     */
    static void run(int parts, int threads, IntConsumer part) {
        int wanted = Math.min(threads, parts) - 1;
        startHelpers(wanted);
        Job job = new Job(part, parts, Thread.currentThread());
        for (int i = 0; i < wanted; i++) {
            QUEUE.add(job);
        }
        job.work();
        job.awaitAllParts();
        Throwable failure = job.failure;
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
    }

    private static synchronized void startHelpers(int count) {
        while (helpers < count) {
            Thread helper = new Thread(GemmThreads::helperLoop, "jrnn-gemm-" + (++helpers));
            helper.setDaemon(true);
            helper.start();
        }
    }

    private static void helperLoop() {
        while (true) {
            try {
                nextJob().work();
            } catch (InterruptedException e) {
                // Nobody but the JVM's shutdown interrupts a pool thread; keep serving until then.
                Thread.interrupted();
            }
        }
    }

    /**
     * The next job: polled for {@link #HELPER_SPIN_NANOS} before the helper parks. A recurrent layer's batched
     * time steps each split one product, a few tens of microseconds apart; a parked helper takes several
     * microseconds (tens on a virtual machine) to wake for each of them, which the spin saves.
     */
    private static Job nextJob() throws InterruptedException {
        Job job = QUEUE.poll(); // an empty queue answers without taking its lock
        long spinUntil = System.nanoTime() + HELPER_SPIN_NANOS;
        while (job == null && System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
            job = QUEUE.poll();
        }
        return job != null ? job : QUEUE.take();
    }

    /** One split product: its parts, the next part to claim, and how many have finished. */
    private static final class Job {
        private static final VarHandle NEXT;
        private static final VarHandle FINISHED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                NEXT = lookup.findVarHandle(Job.class, "next", int.class);
                FINISHED = lookup.findVarHandle(Job.class, "finished", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final IntConsumer part;
        private final int parts;
        private final Thread caller;
        @SuppressWarnings("unused") // accessed through NEXT
        private volatile int next;
        private volatile int finished;
        private volatile Throwable failure;

        Job(IntConsumer part, int parts, Thread caller) {
            this.part = part;
            this.parts = parts;
            this.caller = caller;
        }

        /** Claims and runs parts until every part is claimed. */
        void work() {
            int i;
            while ((i = (int) NEXT.getAndAdd(this, 1)) < parts) {
                try {
                    part.accept(i);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if ((int) FINISHED.getAndAdd(this, 1) + 1 == parts) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        void awaitAllParts() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (finished < parts) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}
