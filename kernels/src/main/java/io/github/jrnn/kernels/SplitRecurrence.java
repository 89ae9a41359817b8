package io.github.jrnn.kernels;

/**
 * A recurrence that two threads run split by hidden units ({@link RecurrenceHelper}): the caller owns the units
 * {@code [0, splitUnit)}, the helper {@code [splitUnit, hidden)}, and they meet after every step through
 * {@link SplitSteps}. Each step of a half computes that half's columns of every gate and the cell update of its
 * units; the next step's product reads all of h, hence the meeting. Implementations compute every element with the
 * same operations whichever half (and thread) it belongs to, so a split gives the bits of one thread.
 */
interface SplitRecurrence {

    /** Hidden units. */
    int hidden();

    /**
     * Where the halves meet: the caller's units are {@code [0, splitUnit())}, the helper's the rest; strictly between
     * 0 and {@link #hidden}. By default half the NR-column panels of a gate (hidden a multiple of NR, at least two
     * panels), for recurrences that compute gate columns panel by panel.
     */
    default int splitUnit() {
        return GemmMicroKernel.NR * (hidden() / GemmMicroKernel.NR / 2);
    }

    /** Steps of the recurrence. */
    int steps();

    /**
     * The half of step {@code s} (0-based, in the order the steps run) that covers the hidden units
     * {@code [u0, u1)}: its gate columns and its cell update. The units' part of every earlier step is complete.
     */
    void computeHalf(int s, int u0, int u1);

    /**
     * This thread's share of a split run: at every step, the halves it claims ({@link SplitSteps}: its own half
     * first, then the other one if the other thread is late), then a wait for the step to complete. Returns when all
     * steps are complete or the pass was aborted.
     */
    default void runSplit(SplitSteps split, int party, int splitUnit) {
        int steps = steps();
        int s;
        while ((s = split.current()) <= steps) {
            computeHalfIfClaimed(split, party, party, s, splitUnit);     // its own half first,
            computeHalfIfClaimed(split, party, 1 - party, s, splitUnit); // then the other one if still unclaimed
            if (!split.awaitStep(party, s)) {
                return;
            }
        }
    }

    private void computeHalfIfClaimed(SplitSteps split, int party, int half, int s, int splitUnit) {
        if (split.claim(half, s)) {
            computeHalf(s - 1, half == 0 ? 0 : splitUnit, half == 0 ? splitUnit : hidden());
            split.done(party, half, s);
        }
    }
}
