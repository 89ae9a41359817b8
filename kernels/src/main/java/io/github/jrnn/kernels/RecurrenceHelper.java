package io.github.jrnn.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The second thread of a recurrence split over two cores by hidden units ({@link SplitRecurrence}: a batch-1
 * {@link Kernels#recurrentSequence}, or a {@link Kernels#recurrentLayer} with a large W_hh): one
 * persistent daemon thread, {@code jrnn-recurrence}, started the first time a recurrence is split and then kept
 * for the life of the JVM. It is separate from the product pool ({@link GemmThreads}), whose queue hand-off costs
 * microseconds: a batch-1 step costs a few microseconds, so the helper is woken once per call, not once per step,
 * and the two threads meet after every step through {@link SplitSteps} (spinning, then parking).
 *
 * <p>A split cuts the hidden units near hidden / 2 at the recurrence's {@link SplitRecurrence#splitUnit} (a multiple
 * of the panel width NR, or of MR for a gate-major layer): the caller owns the units {@code [0, split)}, the helper
 * {@code [split, hidden)}. Each thread computes its units' columns of every gate (so
 * each core streams only its half of W_hh, from its own cache) and their h' and c'; a thread that finds the other
 * half of a step still unclaimed when done with its own computes that half too.
 *
 * <p>One helper serves one split at a time. A caller that finds it busy with another caller's sequence gets
 * {@code false} from {@link #tryRunSplit} and runs its recurrence without it (a batch-1 recurrence alone, a layer
 * split by sequences): no caller ever waits for another one's sequence, so any number of threads may call
 * concurrently. An exception in either thread aborts the pass for both, and the caller rethrows it once the helper
 * has let go of the arrays; the helper then serves the next split as before.
 */
final class RecurrenceHelper {

    private static final int NR = GemmMicroKernel.NR;

    /** Taken by the caller whose recurrence the helper serves, from posting it until the helper has finished. */
    private static final AtomicBoolean CLAIMED = new AtomicBoolean();
    /** The split handed to the helper, until it takes it. */
    private static volatile Split posted;
    /** The helper thread; guarded by the class lock. */
    private static Thread helper;

    private RecurrenceHelper() {
    }

    /**
     * Whether a recurrence of this size is worth splitting: two threads allowed ({@link KernelThreads#count()}), at
     * least {@link KernelThreads#SPLIT_RECURRENCE_MIN_STEP_MULTIPLY_ADDS} per step and
     * {@link KernelThreads#SPLIT_RECURRENCE_MIN_STEPS} steps, and hidden a multiple of NR (at least 2 NR).
     */
    static boolean splits(int gates, int hidden, int steps) {
        return KernelThreads.count() >= 2 && steps >= KernelThreads.SPLIT_RECURRENCE_MIN_STEPS
                && hidden % NR == 0 && hidden >= 2 * NR
                && (long) gates * hidden * hidden >= KernelThreads.SPLIT_RECURRENCE_MIN_STEP_MULTIPLY_ADDS;
    }

    /**
     * Whether a whole layer over {@code batch >= 2} sequences (not recording) is split by hidden units
     * ({@link VectorLayerSplit}) rather than by sequences: two threads allowed, at most
     * {@link KernelThreads#SPLIT_LAYER_MAX_BATCH} sequences, a packed W_hh of at least
     * {@link KernelThreads#SPLIT_LAYER_MIN_WEIGHT_BYTES}, hidden a multiple of NR (at least 2 NR) and at least
     * {@link KernelThreads#SPLIT_RECURRENCE_MIN_STEPS} steps.
     */
    static boolean splitsLayer(int gates, int hidden, int batch, int steps) {
        return KernelThreads.count() >= 2 && batch <= KernelThreads.SPLIT_LAYER_MAX_BATCH
                && hidden % NR == 0 && hidden >= 2 * NR && steps >= KernelThreads.SPLIT_RECURRENCE_MIN_STEPS
                && (long) gates * hidden * hidden * Float.BYTES >= KernelThreads.SPLIT_LAYER_MIN_WEIGHT_BYTES;
    }

    /**
     * Whether a gate-major layer of one group ({@link GateMajorLayer}) splits by hidden units: two threads, at
     * least two MR-row panels per gate, at least {@link KernelThreads#SPLIT_RECURRENCE_MIN_STEPS} steps and a packed
     * W_hh of at least {@link KernelThreads#SPLIT_GATE_MAJOR_MIN_WEIGHT_BYTES}, or of at least
     * {@link KernelThreads#SPLIT_GATE_MAJOR_MANY_ROWS_MIN_WEIGHT_BYTES} over at least
     * {@link KernelThreads#SPLIT_GATE_MAJOR_MANY_ROWS} gate rows.
     */
    static boolean splitsGateMajor(int gates, int hidden, int steps) {
        long weightBytes = (long) gates * hidden * hidden * Float.BYTES;
        boolean large = weightBytes >= KernelThreads.SPLIT_GATE_MAJOR_MIN_WEIGHT_BYTES
                || ((long) gates * hidden >= KernelThreads.SPLIT_GATE_MAJOR_MANY_ROWS
                        && weightBytes >= KernelThreads.SPLIT_GATE_MAJOR_MANY_ROWS_MIN_WEIGHT_BYTES);
        return KernelThreads.count() >= 2 && hidden >= 2 * GemmMicroKernel.MR
                && steps >= KernelThreads.SPLIT_RECURRENCE_MIN_STEPS && large;
    }

    /**
     * Runs {@code r} split between the calling thread and the helper and returns true, or returns false at once,
     * computing nothing, when the helper is busy with another caller's split. {@code r.splitUnit()} must lie
     * strictly between 0 and {@code r.hidden()}.
     */
    static boolean tryRunSplit(SplitRecurrence r) {
        if (!CLAIMED.compareAndSet(false, true)) {
            return false;
        }
        try {
            Thread thread = helperThread();
            Split split = new Split(r, r.splitUnit(), new SplitSteps(Thread.currentThread(), thread));
            posted = split;
            LockSupport.unpark(thread);
            split.runCallerPart();
        } finally {
            CLAIMED.set(false);
        }
        return true;
    }

    private static synchronized Thread helperThread() {
        if (helper == null) {
            Thread thread = new Thread(RecurrenceHelper::serve, "jrnn-recurrence");
            thread.setDaemon(true);
            thread.start();
            helper = thread;
        }
        return helper;
    }

    /** The helper's loop: park until a split is posted, run its part, repeat. */
    private static void serve() {
        while (true) {
            Split split = posted;
            if (split == null) {
                LockSupport.park(RecurrenceHelper.class);
                // Nobody but the JVM's shutdown interrupts this thread; an interrupt must not turn park into a spin.
                Thread.interrupted();
                continue;
            }
            posted = null;
            split.runHelperPart();
        }
    }

    /** One split recurrence: where its halves meet, the steps, and what failed in the helper. */
    private static final class Split {
        private final SplitRecurrence r;
        private final int splitUnit;
        private final SplitSteps steps;
        private volatile Throwable helperFailure;

        Split(SplitRecurrence r, int splitUnit, SplitSteps steps) {
            this.r = r;
            this.splitUnit = splitUnit;
            this.steps = steps;
        }

        void runCallerPart() {
            Throwable failure = null;
            try {
                r.runSplit(steps, SplitSteps.CALLER, splitUnit);
            } catch (RuntimeException | Error e) {
                failure = e;
                steps.abort(SplitSteps.CALLER);
            }
            steps.awaitFinished();
            Throwable helperFailed = helperFailure;
            if (failure == null) {
                failure = helperFailed;
            } else if (helperFailed != null) {
                failure.addSuppressed(helperFailed);
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            }
        }

        void runHelperPart() {
            try {
                r.runSplit(steps, SplitSteps.HELPER, splitUnit);
            } catch (Throwable t) {
                helperFailure = t;
                steps.abort(SplitSteps.HELPER);
            } finally {
                steps.finish();
            }
        }
    }
}
