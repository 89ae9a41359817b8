package io.github.jrnn.kernels;

import java.util.concurrent.locks.LockSupport;

/**
 * Where the two threads of a split recurrence ({@link RecurrenceHelper}) wait for each other after every step:
 * each party publishes how many steps it has completed (a volatile write after its plain writes of h, so the
 * other party sees them once it has read the count), and waits until the other party's count reaches its own.
 *
 * <p>Waiting spins ({@link Thread#onSpinWait}) for up to {@link #SPIN_NANOS}, which covers the usual case of
 * parties a fraction of a step apart without a system call, then parks until the other party's next
 * {@link #arrive} unparks it, so a partner that lost its core on an oversubscribed machine does not keep the
 * other one's core busy. A party about to park first announces it in its {@code parked} flag and checks the
 * other's count once more; the other party writes its count before it reads that flag (both volatile), so
 * either the waiter sees the new count or the arriving party sees the flag and unparks it: no wake-up is lost.
 *
 * <p>{@link #abort} ends the pass for both: a party that failed aborts, the other one's waits return at once and
 * report it. The helper calls {@link #finish} when it no longer touches the pass (normally or not); the caller
 * returns only after {@link #awaitFinished}, so no write of the helper reaches the caller's arrays later.
 */
final class StepBarrier {

    /** The party that called the kernel. */
    static final int CALLER = 0;
    /** The helper thread. */
    static final int HELPER = 1;

    /**
     * How long a party spins before parking: about ten steps of the smallest split recurrence (see
     * {@link KernelThreads#SPLIT_RECURRENCE_MIN_HIDDEN}), far longer than two running parties are apart, far shorter
     * than a scheduler time slice (milliseconds) that a descheduled partner waits for.
     */
    static final long SPIN_NANOS = 20_000;

    /** The helper's count once it has finished with the pass, above any step count. */
    private static final int FINISHED = Integer.MAX_VALUE;

    private final Thread caller;
    private final Thread helper;
    private volatile int callerSteps;
    private volatile int helperSteps;
    private volatile boolean callerParked;
    private volatile boolean helperParked;
    private volatile boolean aborted;

    StepBarrier(Thread caller, Thread helper) {
        this.caller = caller;
        this.helper = helper;
    }

    /** {@code party} has completed {@code steps} steps; wakes the other party if it parked. */
    void arrive(int party, int steps) {
        if (party == CALLER) {
            callerSteps = steps;
            if (helperParked) {
                LockSupport.unpark(helper);
            }
        } else {
            helperSteps = steps;
            if (callerParked) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** Waits until the other party has completed {@code steps} steps; false when the pass was aborted instead. */
    boolean await(int party, int steps) {
        waitFor(party, steps, true);
        return !aborted;
    }

    /** Ends the pass for both parties (the other one's waits return false). */
    void abort(int party) {
        aborted = true;
        LockSupport.unpark(party == CALLER ? helper : caller);
    }

    /** The helper has finished with the pass: it reads and writes none of its arrays any more. */
    void finish() {
        arrive(HELPER, FINISHED);
    }

    /** The caller waits until the helper has finished, aborted or not. */
    void awaitFinished() {
        waitFor(CALLER, FINISHED, false);
    }

    private boolean released(int party, int steps, boolean byAbort) {
        return (party == CALLER ? helperSteps : callerSteps) >= steps || (byAbort && aborted);
    }

    private void waitFor(int party, int steps, boolean byAbort) {
        if (released(party, steps, byAbort)) {
            return;
        }
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (!released(party, steps, byAbort)) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            setParked(party, true);
            if (!released(party, steps, byAbort)) {
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
