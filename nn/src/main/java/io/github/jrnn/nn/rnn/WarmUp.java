package io.github.jrnn.nn.rnn;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RNNBase#warmUp(Duration, java.util.Set)} did: which inference paths it ran, how many calls each took
 * until its call time stopped falling, and the time it all took.
 *
 * <p>Why a warm-up: the kernels are Java code that HotSpot compiles while it runs. Until the JIT has compiled them
 * with the Vector API intrinsics, every vector operation runs through the API's Java fallback: a GRU with hidden
 * size 256 takes about 0.5 s for its first 100-step forward and about 1 ms per streaming step for the first hundred
 * steps, against about 20 µs once compiled. A service that loads its model at start-up and warms it up there
 * answers its first request at full speed. The warm-up runs the same kernels as real calls, so it changes no
 * result (the bits of every later call are the same with or without it), and it leaves the module untouched: its
 * own stream and scratch, no dropout, nothing recorded.
 *
 * @param paths   one line per path, e.g. {@code "stream step: 2400 calls, median of the last 21 20.5 µs"}
 * @param elapsed wall time of the whole warm-up
 * @param steady  whether every path reached a steady call time with the JIT idle before the budget ran out
 */
public record WarmUp(List<String> paths, Duration elapsed, boolean steady) {

    /**
     * Copies the path list.
     *
     * @param paths   one line per path
     * @param elapsed wall time
     * @param steady  whether every path settled
     */
    public WarmUp {
        paths = List.copyOf(paths);
    }

    /** The inference paths a warm-up can run; each compiles its own kernels. */
    public enum Path {
        /** {@link RecurrentStream#step}: one time step at batch 1 (matrix-vector products and the cell kernel). */
        STREAM,
        /** A forward at batch 1: each layer's time loop as one sequence kernel. */
        SEQUENCE,
        /**
         * Forwards at batch 8 and at the kernels' {@link io.github.jrnn.kernels.Kernels#recurrentLayerGroup} (32 on
         * the vector kernels at 512 bits): the layer kernels of a batch in both the layouts they take (blocked
         * products of every step on each thread's share of the sequences, or gate-major over whole groups, and the
         * cell kernels).
         */
        BATCH
    }

    /** Fewest calls of a path before it may count as warm: enough for HotSpot's C2 thresholds to be crossed. */
    static final int MIN_STEP_CALLS = 2000;
    static final int MIN_SEQUENCE_CALLS = 150;
    /** Batch size of the {@link Path#BATCH} path. */
    static final int BATCH = 8;
    /**
     * Sequence length of the warm-up's forward passes. Measured on a loaded 2-core machine (GRU/LSTM hidden 256): the
     * first 100-step forward after a warm-up on 16-step sequences still took 30-600 ms (part of its code was not yet
     * compiled by C2), after one on 32-step sequences 6-30 ms, against 3-8 ms once steady.
     */
    static final int SEQUENCE_STEPS = 32;
    /** Calls without a 5 % gain, and the quiet JIT time, that make a path steady. */
    private static final int PATIENCE_CALLS = 50;
    private static final long JIT_QUIET_NANOS = 50_000_000L;
    /** Calls whose median the report gives. */
    private static final int RECENT = 21;

    /** Runs {@code call} until steady (see {@link #steady}) or {@code deadline}; returns its report line. */
    static String runPath(String name, Runnable call, int minCalls, long deadline, boolean[] allSteady) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long[] recent = new long[RECENT];
        long best = Long.MAX_VALUE;
        int calls = 0;
        int sinceGain = 0;
        long jitTime = jitTimed ? jit.getTotalCompilationTime() : 0;
        long jitChanged = System.nanoTime();
        while (true) {
            long start = System.nanoTime();
            call.run();
            long end = System.nanoTime();
            long took = end - start;
            recent[calls % RECENT] = took;
            calls++;
            if (took < best * 0.95) {
                best = took;
                sinceGain = 0;
            } else {
                sinceGain++;
            }
            if (jitTimed) {
                long now = jit.getTotalCompilationTime();
                if (now != jitTime) {
                    jitTime = now;
                    jitChanged = end;
                }
            }
            boolean jitQuiet = !jitTimed || end - jitChanged >= JIT_QUIET_NANOS;
            boolean steady = calls >= minCalls && sinceGain >= PATIENCE_CALLS && jitQuiet;
            if (steady || end >= deadline) {
                allSteady[0] &= steady;
                long[] sorted = java.util.Arrays.copyOf(recent, Math.min(calls, RECENT));
                java.util.Arrays.sort(sorted);
                return String.format("%s: %d calls, median of the last %d %.1f µs%s", name, calls, sorted.length,
                        sorted[sorted.length / 2] / 1e3, steady ? "" : " (budget ran out)");
            }
        }
    }

    /** Collects the report lines of the paths run. */
    static final class Builder {
        final List<String> lines = new ArrayList<>();
        final boolean[] steady = {true};
        final long start = System.nanoTime();

        WarmUp build() {
            return new WarmUp(lines, Duration.ofNanos(System.nanoTime() - start), steady[0]);
        }
    }
}
