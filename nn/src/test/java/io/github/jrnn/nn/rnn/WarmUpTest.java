package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up runs every inference path, respects its budget and changes no result or state of the module. */
class WarmUpTest {

    private static Tensor sequence() {
        float[] x = new float[6 * 2 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(i * 0.3);
        }
        return Tensor.of(x, 6, 2, 3);
    }

    /** The batch path's report line: batch 8, and the default kernels' group when it is another size. */
    private static String batchPathName() {
        int group = KernelProvider.kernels().recurrentLayerGroup();
        return "32-step sequence, batch 8" + (group > 1 && group != 8 ? " and " + group : "") + ": ";
    }

    @Test
    void warmingUpChangesNoResultNotEvenTheDropoutDraws() {
        // Training mode with dropout: a warm-up that ran the module's own forward would draw dropout masks from
        // its generator and change every later training-mode result.
        LSTM warmed = LSTM.builder(3, 5).numLayers(2).dropout(0.5).generator(new Generator(3)).build();
        LSTM cold = LSTM.builder(3, 5).numLayers(2).dropout(0.5).generator(new Generator(3)).build();
        WarmUp report = warmed.warmUp(Duration.ofMillis(300), EnumSet.allOf(WarmUp.Path.class));
        assertEquals(3, report.paths().size(), report.toString());
        assertTrue(report.paths().get(0).startsWith("stream step: "), report.toString());
        assertTrue(report.paths().get(2).startsWith(batchPathName()), report.toString());
        try (GradMode.Scope _ = GradMode.noGrad()) {
            assertArrayEquals(cold.forward(sequence()).output().data(), warmed.forward(sequence()).output().data());
        }
        assertEquals(cold.stateDict(), warmed.stateDict());
    }

    @Test
    void theBudgetBoundsTheTimeAndIsReported() {
        GRU gru = GRU.builder(4, 8).bidirectional(true).build();
        WarmUp report = gru.warmUp(Duration.ofMillis(1), EnumSet.allOf(WarmUp.Path.class));
        assertEquals(2, report.paths().size(), "a bidirectional module has no stream: " + report);
        assertTrue(report.paths().get(0).endsWith("(budget ran out)"), report.toString());
        assertEquals(false, report.steady());
        // One call per path may start before the deadline is seen; a small model's call takes far below a second.
        assertTrue(report.elapsed().compareTo(Duration.ofSeconds(2)) < 0, report.toString());
    }

    @Test
    void aBudgetMustBePositive() {
        GRU gru = new GRU(2, 2);
        for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofSeconds(-1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> gru.warmUp(bad, EnumSet.of(WarmUp.Path.STREAM)));
            assertTrue(e.getMessage().startsWith("budget must be a positive duration, got " + bad), e.getMessage());
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> gru.warmUp(Duration.ofSeconds(1), Set.of()));
        assertEquals("paths must name at least one of [STREAM, SEQUENCE, BATCH], got []; e.g."
                + " EnumSet.of(WarmUp.Path.STREAM)", none.getMessage());
    }

    @Test
    void onlyThePathsAskedForRunInTheirOrder() {
        GRU gru = new GRU(2, 3);
        WarmUp report = gru.warmUp(Duration.ofMillis(50), EnumSet.of(WarmUp.Path.BATCH, WarmUp.Path.STREAM));
        assertEquals(2, report.paths().size(), report.toString());
        assertTrue(report.paths().get(0).startsWith("stream step: "), report.toString());
        assertTrue(report.paths().get(1).startsWith(batchPathName()), report.toString());
    }
}
