package io.github.jrnn.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The steps of a recurrence split over two threads ({@link RecurrenceHelper}): which thread computes each half of
 * each step, and when a step is complete so that the next one may read its h.
 *
 * <p>Steps count from 1. The caller owns half 0 and the helper half 1; each thread first claims its own half of
 * the step in progress (so in the steady state each core streams the same half of W_hh from its own cache), then,
 * once done with it, claims the other half too if the other thread has not claimed it yet: a partner that was
 * descheduled, or is still waking up, costs the other thread a half step of work instead of a wait. A claim is a
 * compare-and-set of the half's last claimed step from s - 1 to s, so every half of every step is computed exactly
 * once; which thread computes it does not change its bits.
 *
 * <p>A step is complete when both halves have published it ({@link #done}: a volatile write after the plain writes
 * of h, so a thread that has read the count sees them). Waiting for that spins ({@link Thread#onSpinWait}) for up
 * to {@link #SPIN_NANOS}, then parks until the next {@link #done} unparks it, so a partner that lost its core on an
 * oversubscribed machine does not keep the other core busy. A thread about to park first sets its {@code parked}
 * flag and checks the counts once more; {@link #done} writes its count before it reads that flag (all volatile),
 * so either the waiter sees the new count or the other thread sees the flag and unparks it: no wake-up is lost.
 *
 * <p>{@link #abort} ends the pass: the waits of both threads return false. The helper calls {@link #finish} when it
 * no longer touches the pass, normally or not; the caller returns only after {@link #awaitFinished}.
 */
final class SplitSteps {

    /** The thread that called the kernel; it owns half 0. */
    static final int CALLER = 0;
    /** The helper thread; it owns half 1. */
    static final int HELPER = 1;

    /**
     * How long a thread spins before parking: several steps of the smallest split recurrence (a few microseconds
     * each, see {@link KernelThreads#SPLIT_RECURRENCE_MIN_STEP_MULTIPLY_ADDS}), far longer than two running threads
     * are apart, far shorter than the scheduler time slice that a descheduled partner waits for.
     */
    static final long SPIN_NANOS = 20_000;

    private static final VarHandle CLAIMED_0;
    private static final VarHandle CLAIMED_1;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLAIMED_0 = lookup.findVarHandle(SplitSteps.class, "claimed0", int.class);
            CLAIMED_1 = lookup.findVarHandle(SplitSteps.class, "claimed1", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread caller;
    private final Thread helper;
    private volatile int claimed0;  // the last step whose half 0 was claimed
    private volatile int claimed1;
    private volatile int done0;     // the last step whose half 0 is computed
    private volatile int done1;
    private volatile boolean callerParked;
    private volatile boolean helperParked;
    private volatile boolean aborted;
    private volatile boolean helperFinished;

    SplitSteps(Thread caller, Thread helper) {
        this.caller = caller;
        this.helper = helper;
    }

    /** The step in progress: the first one not complete (steps count from 1). */
    int current() {
        return Math.min(done0, done1) + 1;
    }

    /**
     * Claims {@code half} of step s (the step in progress) for the calling thread: true exactly once per half and
     * step, for the thread that must compute it.
     */
    boolean claim(int half, int s) {
        VarHandle claimed = half == 0 ? CLAIMED_0 : CLAIMED_1;
        // Read first: a claim that cannot succeed then costs no exclusive ownership of the shared cache line.
        return (int) claimed.getVolatile(this) == s - 1 && claimed.compareAndSet(this, s - 1, s);
    }

    /** {@code party} has computed {@code half} of step s; wakes the other thread if it parked. */
    void done(int party, int half, int s) {
        if (half == 0) {
            done0 = s;
        } else {
            done1 = s;
        }
        if (party == CALLER ? helperParked : callerParked) {
            LockSupport.unpark(party == CALLER ? helper : caller);
        }
    }

    /** Waits until step s is complete; false when the pass was aborted instead. */
    boolean awaitStep(int party, int s) {
        waitFor(party, s);
        return !aborted;
    }

    /** Ends the pass for both threads (their waits return false). */
    void abort(int party) {
        aborted = true;
        LockSupport.unpark(party == CALLER ? helper : caller);
    }

    boolean aborted() {
        return aborted;
    }

    /** The helper has finished with the pass: it reads and writes none of its arrays any more. */
    void finish() {
        helperFinished = true;
        if (callerParked) {
            LockSupport.unpark(caller);
        }
    }

    /** The caller waits until the helper has finished, aborted or not. */
    void awaitFinished() {
        waitFor(CALLER, -1);
    }

    /** Step s complete or the pass aborted; for s = -1, the helper finished. */
    private boolean released(int s) {
        return s < 0 ? helperFinished : aborted || Math.min(done0, done1) >= s;
    }

    private void waitFor(int party, int s) {
        if (released(s)) {
            return;
        }
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (!released(s)) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            setParked(party, true);
            if (!released(s)) {
                LockSupport.park(this);
            }
            setParked(party, false);
        }
    }

    private void setParked(int party, boolean parked) {
        if (party == CALLER) {
            callerParked = parked;
        } else {
            helperParked = parked;
        }
    }
}
