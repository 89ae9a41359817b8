package io.github.jrnn.nn.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.SynchronousQueue;
import org.junit.jupiter.api.Test;

/**
 * The meter charges a round for what it keeps (also on a named helper thread) and reads zero for a round that
 * allocates nothing.
 */
class AllocationMeterTest {

    @Test
    void everyRoundThatKeepsObjectsIsChargedForThem() {
        Object[] kept = new Object[1_000];
        long fewest = AllocationMeter.fewestBytes(5, () -> {
            for (int i = 0; i < kept.length; i++) {
                kept[i] = new long[2]; // stored, so escape analysis cannot remove it: >= 16 bytes each
            }
        });
        assertTrue(fewest >= 16L * kept.length, fewest + " bytes for " + kept.length + " kept arrays");
    }

    @Test
    void aRoundThatAllocatesNothingReadsZero() {
        int[] runs = new int[1];
        assertEquals(0, AllocationMeter.fewestBytes(10, () -> runs[0]++));
        assertTrue(runs[0] >= 1 && runs[0] <= 10, runs[0] + " rounds");
    }

    @Test
    void whatANamedThreadAllocatesDuringARoundIsChargedToo() throws Exception {
        SynchronousQueue<Integer> requests = new SynchronousQueue<>();
        SynchronousQueue<long[]> replies = new SynchronousQueue<>();
        Thread helper = new Thread(() -> {
            try {
                while (true) {
                    replies.put(new long[requests.take()]);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "meter-test-helper");
        helper.setDaemon(true);
        helper.start();
        try {
            long fewest = AllocationMeter.fewestBytes(5, "meter-test-", () -> {
                try {
                    requests.put(100_000);
                    replies.take();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(fewest >= 800_000, fewest + " bytes for a round whose helper allocated 800,000");
        } finally {
            helper.interrupt();
        }
    }

    @Test
    void refusesFewerThanOneRound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocationMeter.fewestBytes(0, () -> { }));
        assertTrue(e.getMessage().contains("maxRounds must be at least 1, got 0"), e.getMessage());
    }
}
