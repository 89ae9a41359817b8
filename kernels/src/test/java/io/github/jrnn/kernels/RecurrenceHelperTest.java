package io.github.jrnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The two-thread split of a batch-1 recurrence ({@link RecurrenceHelper}), driven directly so that each test knows
 * the split happened: it computes the bits of the same recurrence on one thread, a busy helper sends other callers
 * back to their own thread, a thread whose partner is late computes the partner's half, a wait parks and is
 * woken, and a failure in either half reaches the caller and leaves the helper serving.
 */
class RecurrenceHelperTest {

    private static final int NR = GemmMicroKernel.NR;

    /** Arguments of one recurrence over fresh arrays (h and c start as NaN / given values, ig random). */
    private record Case(CellKind cell, boolean reverse, int steps, int hidden, float[] ig, VectorPackedMatrix whh,
                        float[] bhh, float[] h0, float[] c, float[] h, int ldh, float[] hg) {

        static Case random(CellKind cell, boolean reverse, int steps, int hidden, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int gh = cell.gates() * hidden;
            float[] w = values(random, gh * hidden, 1.5 / Math.sqrt(hidden));
            VectorPackedMatrix whh = new VectorPackedMatrix(true, hidden, gh, w, 0, hidden);
            int ldh = hidden + 3;
            float[] h = new float[steps * ldh];
            Arrays.fill(h, Float.NaN);
            return new Case(cell, reverse, steps, hidden, values(random, steps * gh, 2), whh, values(random, gh, 0.5),
                    values(random, hidden, 1), values(random, hidden, 1), h, ldh, new float[gh]);
        }

        Case copy() {
            return new Case(cell, reverse, steps, hidden, ig.clone(), whh, bhh, h0, c.clone(), h.clone(), ldh,
                    hg.clone());
        }

        VectorRecurrence recurrence() {
            return recurrence(h, c, 0);
        }

        VectorRecurrence recurrence(float[] hOut, float[] cState, int cOffset) {
            return new VectorRecurrence(cell, reverse, steps, hidden, ig, 0, whh, bhh, 0, h0, 0, cState, cOffset, hOut,
                    0, ldh, hg, 0);
        }

        /** The recurrence on the calling thread: the reference a split must match bit for bit. */
        void runAlone() {
            VectorRecurrence.runAlone(cell, reverse, steps, hidden, ig, 0, whh, bhh, 0, h0, 0, c, 0, h, 0, ldh, hg, 0);
        }

        void assertSameBits(Case expected, String what) {
            assertArrayEquals(expected.h, h, what + ": h");
            assertArrayEquals(expected.c, c, what + ": c");
            assertArrayEquals(expected.ig, ig, what + ": consumed ig");
        }
    }

    private static float[] values(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    /**
     * The documented policy ({@link KernelThreads}): a split needs two threads, {@code G * hidden^2} of at least the
     * minimum per step (GRU at hidden 192 is exactly it), the minimum number of steps, and hidden a whole number of
     * panels, at least two. Each condition fails alone at its edge.
     */
    @Test
    void aRecurrenceSplitsExactlyWhenEveryDocumentedConditionHolds() {
        int threads = KernelThreads.count();
        int steps = KernelThreads.SPLIT_RECURRENCE_MIN_STEPS;
        assertEquals(0, 192 % NR, "192 hidden units are whole panels at every width");
        assertEquals(KernelThreads.SPLIT_RECURRENCE_MIN_STEP_MULTIPLY_ADDS, 3L * 192 * 192);
        // enough gates for one panel of hidden units to pass the product test on its own
        int manyGates = (int) (KernelThreads.SPLIT_RECURRENCE_MIN_STEP_MULTIPLY_ADDS / ((long) NR * NR)) + 1;
        try {
            KernelThreads.setCount(2);
            assertTrue(RecurrenceHelper.splits(3, 192, steps), "GRU 192: the minimum product, the minimum steps");
            assertFalse(RecurrenceHelper.splits(3, 192 - NR, steps), "one panel fewer: below the product");
            assertFalse(RecurrenceHelper.splits(3, 192, steps - 1), "one step too few");
            assertFalse(RecurrenceHelper.splits(3, 193, steps), "not a whole number of panels");
            assertTrue(RecurrenceHelper.splits(manyGates, 2 * NR, steps), "two panels");
            assertFalse(RecurrenceHelper.splits(manyGates, NR, steps), "one panel cannot be halved");
            KernelThreads.setCount(1);
            assertFalse(RecurrenceHelper.splits(3, 192, steps), "one thread allowed");
        } finally {
            KernelThreads.setCount(threads);
        }
    }

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void aSplitGivesTheBitsOfOneThread(CellKind cell) {
        // 2 NR: even halves; 3 NR: the caller takes one panel per gate, the helper two
        for (int hidden : new int[] {2 * NR, 3 * NR}) {
            for (boolean reverse : new boolean[] {false, true}) {
                Case alone = Case.random(cell, reverse, 9, hidden, hidden + (reverse ? 1 : 0));
                Case split = alone.copy();
                alone.runAlone();
                assertTrue(RecurrenceHelper.tryRunSplit(split.recurrence()), "the helper was free");
                split.assertSameBits(alone, cell + " hidden " + hidden + (reverse ? " reverse" : ""));
                for (int i = 0; i < alone.steps * alone.ldh; i++) {
                    // h starts as NaN: the units of every row are written, the padding between rows is not
                    assertEquals(i % alone.ldh >= hidden, Float.isNaN(split.h[i]), "h[" + i + "]");
                }
            }
        }
    }

    @Test
    void aCallerFindingTheHelperBusyRunsAlone() throws Exception {
        // One thread keeps the helper busy with long splits while this one asks for it again and again: some of
        // the requests must be refused (false, nothing computed) and every computed result must be right.
        Case longCase = Case.random(CellKind.GRU, false, 4000, 2 * NR, 3);
        Case longExpected = longCase.copy();
        longExpected.runAlone();
        Case shortCase = Case.random(CellKind.RNN_TANH, false, 3, 2 * NR, 4);
        Case shortExpected = shortCase.copy();
        shortExpected.runAlone();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger longSplits = new AtomicInteger();
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                Case run = longCase.copy();
                if (RecurrenceHelper.tryRunSplit(run.recurrence())) {
                    longSplits.incrementAndGet();
                } else {
                    run.runAlone();
                }
                run.assertSameBits(longExpected, "long sequence");
            }
        });
        int refused = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((refused < 3 || longSplits.get() < 3) && System.nanoTime() < deadline && !holder.isDone()) {
            Case run = shortCase.copy();
            if (!RecurrenceHelper.tryRunSplit(run.recurrence())) {
                refused++;
                assertArrayEquals(shortCase.h, run.h, "a refused split computes nothing");
                run.runAlone();
            }
            run.assertSameBits(shortExpected, "short sequence");
        }
        stop.set(true);
        holder.get(60, TimeUnit.SECONDS);
        assertTrue(refused >= 3 && longSplits.get() >= 3, "refused " + refused + ", long splits "
                + longSplits.get());
    }

    @Test
    void aFailureInTheHelpersHalfReachesTheCallerAndTheHelperServesOn() {
        Case c = Case.random(CellKind.GRU, false, 12, 2 * NR, 5);
        // h ends half-way through the last row: only the helper's units (the upper half) write out of bounds
        float[] shortH = new float[c.h.length - c.ldh + NR];
        assertThrows(IndexOutOfBoundsException.class,
                () -> RecurrenceHelper.tryRunSplit(c.recurrence(shortH, c.c, 0)));
        assertTheHelperStillSplitsCorrectly();
    }

    @Test
    void aFailureInTheCallersHalfStopsTheHelperAndReachesTheCaller() {
        Case c = Case.random(CellKind.LSTM, true, 12, 2 * NR, 6);
        // c at offset -NR: the caller's units (the lower half) index before the array's start, the helper's not
        float[] cells = new float[NR];
        assertThrows(IndexOutOfBoundsException.class,
                () -> RecurrenceHelper.tryRunSplit(c.recurrence(c.h, cells, -NR)));
        assertTheHelperStillSplitsCorrectly();
    }

    private static void assertTheHelperStillSplitsCorrectly() {
        Case alone = Case.random(CellKind.LSTM, false, 10, 2 * NR, 7);
        Case split = alone.copy();
        alone.runAlone();
        assertTrue(RecurrenceHelper.tryRunSplit(split.recurrence()), "the helper is free again");
        split.assertSameBits(alone, "after a failure");
    }

    @Test
    void aThreadWhosePartnerNeverComesComputesEveryHalfItself() {
        // The caller's share of a split with no helper running: it claims half 1 of every step as well, so the
        // pass completes on this thread alone, with the same bits.
        Case alone = Case.random(CellKind.GRU, true, 7, 3 * NR, 8);
        Case split = alone.copy();
        alone.runAlone();
        SplitSteps steps = new SplitSteps(Thread.currentThread(), new Thread(() -> { }, "absent helper"));
        split.recurrence().runSplit(steps, SplitSteps.CALLER, NR);
        split.assertSameBits(alone, "caller alone");
        assertEquals(8, steps.current(), "all 7 steps complete");
    }

    @Test
    void aWaitLongerThanTheSpinParksAndTheLastHalfWakesIt() throws Exception {
        SplitSteps[] steps = new SplitSteps[1];
        AtomicBoolean completed = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            assertTrue(steps[0].claim(0, 1));
            steps[0].done(SplitSteps.CALLER, 0, 1);
            completed.set(steps[0].awaitStep(SplitSteps.CALLER, 1));
        }, "waiting caller");
        Thread helper = new Thread(() -> {
            assertTrue(steps[0].claim(1, 1));
            steps[0].done(SplitSteps.HELPER, 1, 1);
        }, "late helper");
        steps[0] = new SplitSteps(caller, helper);
        caller.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (LockSupport.getBlocker(caller) != steps[0]) {
            assertTrue(System.nanoTime() < deadline, "the waiting thread never parked");
            Thread.sleep(1);
        }
        assertEquals(1, steps[0].current(), "step 1 is still in progress: half 1 is not done");
        helper.start();
        caller.join(TimeUnit.SECONDS.toMillis(30));
        helper.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(caller.isAlive(), "the helper's half woke the parked caller");
        assertTrue(completed.get(), "released by the completed step, not by an abort");
        assertEquals(2, steps[0].current());
    }
}
