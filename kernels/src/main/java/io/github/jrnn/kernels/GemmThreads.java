package io.github.jrnn.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The persistent thread pool that large products are split over: daemon threads named {@code jrnn-gemm-N},
 * started lazily the first time a product needs them (never more than {@link KernelThreads#count()} - 1 so far
 * asked for) and then kept for the life of the JVM.
 *
 * <p>A split product is a {@link Job} of numbered parts. The caller hands the job to up to {@code threads - 1}
 * helpers that are free (each helper has a one-job mailbox; a helper computing another caller's job is skipped,
 * one that has just finished its last part of one is not),
 * then works on the parts itself; every thread claims the next unclaimed part with a compare-and-set until none is
 * left, and the caller returns when all parts have finished. Because the caller claims parts too, a product never
 * waits for a helper that is busy elsewhere or slow to wake (it just computes more parts itself), so any number
 * of user threads may call concurrently.
 *
 * <p>A helper that has served a job polls its empty mailbox for {@link #HELPER_SPIN_NANOS} and then parks, so
 * back-to-back products find it awake. A job that its owner thread reuses product after product (see
 * {@link Job}: the one-row products of a streaming step, a few microseconds apart) the helper first keeps for
 * {@link #HELPER_SPIN_NANOS}, polling it for the owner's next product (it burns up to twice that much of a core
 * after its last job then); any caller may hand it another job meanwhile. (So a caller's products in the first
 * {@link #HELPER_SPIN_NANOS} after {@link KernelThreads#setCount} lowered the count may still be joined by as many
 * helpers as its last product had.)
 *
 * <p>Cost: handing over a job allocates nothing (the mailboxes are fields of the helpers, not queue nodes), and a
 * job reused by its owner thread allocates nothing either ({@link VectorGemv.RowSplit}: a split one-row product
 * allocates 0 bytes, JMH {@code -prof gc}; {@link ProductSplit}: a split blocked product, 0 bytes on the caller,
 * {@code SplitProductAllocationTest}). The lambda form {@link #run(int, int, IntConsumer)} allocates its lambda and
 * a job per call (120-170 bytes with the products' operands captured); the batched recurrence uses it once per
 * {@code recurrentSequence} call (a chunk of steps), not per step. Waking a parked helper costs a few
 * microseconds, which is why small products are not split ({@link GemmBlocking#THREADING_MIN_MULTIPLY_ADDS},
 * {@link GemmBlocking#ROW_THREADING_MIN_MULTIPLY_ADDS}).
 */
final class GemmThreads {

    /** How long a caller spins for its helpers' last parts before parking (parts finish close together). */
    private static final long SPIN_NANOS = 20_000;
    /**
     * How long an idle helper polls before it stops waiting for its last caller's next product, and again before
     * it parks: a recurrent layer's batched time steps each split one product, a few tens of microseconds apart,
     * and a parked helper takes several microseconds (tens on a virtual machine) to wake for each, which the spin
     * saves.
     */
    private static final long HELPER_SPIN_NANOS = 100_000;

    /** The started helpers, replaced by a longer copy when more are started; written under the class lock. */
    private static volatile Helper[] helpers = new Helper[0];

    private GemmThreads() {
    }

    /**
     * Runs {@code part.accept(i)} for every {@code 0 <= i < parts}, on the calling thread and up to
     * {@code threads - 1} helpers, and returns when all have finished. A part that throws makes this method
     * rethrow that exception after the other parts have finished.
     */
    static void run(int parts, int threads, IntConsumer part) {
        run(parts, threads, new Job(false) {
            @Override
            protected void runPart(int i) {
                part.accept(i);
            }
        });
    }

    /**
     * Runs {@code job.runPart(i)} for every {@code 0 <= i < parts}, on the calling thread and up to
     * {@code threads - 1} helpers, and returns when all have finished; then the caller may set the job up for its
     * next product and run it again. A part that throws makes this method rethrow that exception after the other
     * parts have finished. One job serves one calling thread at a time.
     */
    static void run(int parts, int threads, Job job) {
        int wanted = Math.min(threads, parts) - 1;
        // Helpers are started before the product is published (a thread that fails to start leaves nothing that a
        // helper could still be computing) and it is handed out after (see handOut).
        Helper[] pool = helpers(wanted);
        job.start(parts);
        handOut(pool, job, wanted);
        job.work();
        job.awaitAllParts();
        Throwable failure = job.failure;
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
    }

    /** The pool, with at least {@code wanted} helpers started. */
    private static Helper[] helpers(int wanted) {
        Helper[] pool = helpers;
        return pool.length < wanted ? startHelpers(wanted) : pool;
    }

    /**
     * Gives the published job to up to {@code wanted} helpers whose mailbox is free or holds a job they are done
     * with ({@link #replaceable}); a helper still holding this same job from its owner's last product counts as
     * given. Such a helper polls the job for new parts, and if
     * it gives up at that very moment, it checks the job once more after emptying its mailbox: the product is
     * published before the mailbox is read here and the mailbox emptied before the job is checked there (all
     * volatile), so either this sees an empty mailbox and hands the job over again, or the helper sees the new
     * parts and takes the job back.
     */
    private static void handOut(Helper[] pool, Job job, int wanted) {
        for (int h = 0; h < pool.length && wanted > 0; h++) {
            if (pool[h].offer(job)) {
                wanted--;
            }
        }
    }

    /**
     * Whether a caller may put its job in place of {@code held} in a helper's mailbox: when the helper only polls
     * held for its owner's next product ({@code polling}), or when every part of held's product has finished. The
     * helper then computes nothing of held and is about to let it go: it empties its mailbox only after its last
     * part counted as finished, and the caller that waited for that part may hand over its next product in
     * between. Refusing then (as until December 2026) left the helper idle for that whole product, which the
     * caller computed alone: a batched LSTM forward (hidden 256, batch 32, 2 threads) ran 4-5 of its 26 split
     * products so, and took 15.6-16.7 ms instead of 13.6-13.9. A helper computing a part of another caller's
     * product is still skipped.
     */
    static boolean replaceable(Job held, boolean polling) {
        return polling || held.allPartsFinished();
    }

    private static synchronized Helper[] startHelpers(int count) {
        Helper[] pool = helpers;
        if (pool.length < count) {
            pool = Arrays.copyOf(pool, count);
            for (int h = helpers.length; h < count; h++) {
                pool[h] = new Helper("jrnn-gemm-" + (h + 1));
            }
            helpers = pool;
            for (int h = 0; h < count; h++) {
                pool[h].startOnce();
            }
        }
        return pool;
    }

    /**
     * The parts of a split product and how far they are: subclasses hold the product's operands and compute
     * {@link #runPart}. A job may be run again by its owner thread once {@link GemmThreads#run} has returned
     * (new operands set in plain fields before the call), so the hot path allocates nothing; a helper still holding
     * it from the last product may then take parts of the new one, which is safe because a part is claimed only
     * against the product's published state (parts and next part in one {@code long}, written last by
     * {@link #start}) and its operands are read after the claim.
     */
    abstract static class Job {
        private static final VarHandle CLAIMS;
        private static final VarHandle FINISHED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                CLAIMS = lookup.findVarHandle(Job.class, "claims", long.class);
                FINISHED = lookup.findVarHandle(Job.class, "finished", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Whether the owner runs this job again for its next products (a helper then polls it for a while). */
        private final boolean reused;
        /** The number of parts (high 32 bits) and the next part to claim (low 32 bits) of the current product. */
        private volatile long claims;
        private volatile int finished;
        /** Written before the part counts as finished and read after all have (so ordered by {@link #finished}). */
        private Throwable failure;
        /** Written before the product is published and read after a part is claimed (ordered by the claim). */
        private Thread caller;
        private volatile boolean callerParked;

        /**
         * A job for one product ({@code reused} false), or one that its owner thread runs again product after
         * product (true): a helper that has served it polls it for the next product before it moves on.
         */
        Job(boolean reused) {
            this.reused = reused;
        }

        /** Computes part {@code part} of the current product (on any thread). */
        protected abstract void runPart(int part);

        /** Publishes a product of {@code parts} parts: the last write, after the operands' and the counters'. */
        private void start(int parts) {
            caller = Thread.currentThread();
            failure = null;
            FINISHED.set(this, 0); // a plain write, like the operands': the volatile one below orders them all
            claims = (long) parts << 32;
        }

        /** Whether every part of the current product has finished (true for a job never run). */
        boolean allPartsFinished() {
            long state = claims;
            return finished >= (int) (state >>> 32);
        }

        /** Whether the current product has a part nobody has claimed yet. */
        private boolean hasUnclaimedParts() {
            long state = claims;
            return (int) state < (int) (state >>> 32);
        }

        /** Claims and runs parts until every part of the current product is claimed. */
        private void work() {
            while (true) {
                long state = claims;
                int parts = (int) (state >>> 32);
                int next = (int) state;
                if (next >= parts) {
                    return;
                }
                if (CLAIMS.compareAndSet(this, state, state + 1)) {
                    try {
                        runPart(next);
                    } catch (Throwable t) {
                        failure = t;
                    } finally {
                        if ((int) FINISHED.getAndAdd(this, 1) + 1 == parts && callerParked) {
                            LockSupport.unpark(caller);
                        }
                    }
                }
            }
        }

        /**
         * Spins, then parks, until all parts have finished. The flag is set before the last check and read by the
         * thread finishing the last part after its count (both volatile), so either this thread sees the count or
         * that one sees the flag and unparks it.
         */
        private void awaitAllParts() {
            int parts = (int) (claims >>> 32);
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (finished < parts) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                callerParked = true;
                if (finished < parts) {
                    LockSupport.park(this);
                }
                callerParked = false;
            }
        }
    }

    /** A pool thread and its mailbox. */
    private static final class Helper {
        private static final VarHandle MAILBOX;

        static {
            try {
                MAILBOX = MethodHandles.lookup().findVarHandle(Helper.class, "mailbox", Job.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Thread thread;
        /** The job this helper serves or was handed; null when it is free. Set by callers, emptied by the helper. */
        private volatile Job mailbox;
        /** Whether the helper only polls its job for the owner's next product (another job may replace it). */
        private volatile boolean polling;
        private volatile boolean parked;

        Helper(String name) {
            thread = new Thread(this::serve, name);
            thread.setDaemon(true);
        }

        void startOnce() {
            if (thread.getState() == Thread.State.NEW) {
                thread.start();
            }
        }

        /**
         * Hands the job to this helper when it is free, only polling another job, done with every part of the job
         * it holds ({@link #replaceable}), or already holds this one; false when it is computing another caller's
         * parts.
         */
        boolean offer(Job job) {
            Job held = mailbox;
            if (held == job) {
                return true;
            }
            if (held == null) {
                if (!MAILBOX.compareAndSet(this, null, job)) {
                    return false;
                }
                if (parked) {
                    LockSupport.unpark(thread);
                }
                return true;
            }
            return replaceable(held, polling) && MAILBOX.compareAndSet(this, held, job);
        }

        private void serve() {
            Job job = awaitJob();
            while (true) {
                job.work();
                Job next = job.reused ? pollForNextProduct(job) : null;
                if (next == null) {
                    // Let go of the job, unless a caller has just handed over another one; then, as handOut
                    // explains, take the job back if its owner has published a product meanwhile.
                    if (!MAILBOX.compareAndSet(this, job, null)) {
                        next = mailbox;
                    } else if (job.reused && job.hasUnclaimedParts() && MAILBOX.compareAndSet(this, null, job)) {
                        next = job;
                    } else {
                        next = awaitJob();
                    }
                }
                job = next;
            }
        }

        /**
         * Polls the job for its owner's next product for up to {@link #HELPER_SPIN_NANOS}: returns the job when its
         * owner has published one, the job another caller handed over meanwhile, or null when none came. The flag
         * is cleared before the mailbox is read once more (both volatile, and {@link #offer} reads the flag before
         * it replaces the job), so a job handed over while this one is taken up again is served right after it.
         */
        private Job pollForNextProduct(Job job) {
            long spinUntil = System.nanoTime() + HELPER_SPIN_NANOS;
            polling = true;
            Job held;
            while ((held = mailbox) == job && !job.hasUnclaimedParts() && System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            }
            polling = false;
            held = mailbox;
            return held != job || job.hasUnclaimedParts() ? held : null;
        }

        /**
         * The next job handed to this helper: polled for {@link #HELPER_SPIN_NANOS}, then parked for. As in
         * {@link Job#awaitAllParts}, the flag is set before the last check and read by {@link #offer} after its
         * hand-over, so no wake-up is lost.
         */
        private Job awaitJob() {
            long spinUntil = System.nanoTime() + HELPER_SPIN_NANOS;
            Job job;
            while ((job = mailbox) == null) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (mailbox == null) {
                    LockSupport.park(this);
                    // Nobody but the JVM's shutdown interrupts a pool thread; an interrupt must not turn park
                    // into a spin.
                    Thread.interrupted();
                }
                parked = false;
            }
            return job;
        }
    }
}
