package io.github.jrnn.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry and command line of {@code ./jrnn demo}. */
class DemosTest {

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Demos.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theRegistryHoldsEverySeedDemo() {
        assertEquals(List.of("kernels", "hello-cell", "hello-rnn", "hello-embedding", "encoder-shapes",
                "rnn-from-scratch", "seq2seq-attention", "flink-sensors"),
                List.copyOf(Demos.all().keySet()));
    }

    @Test
    void withoutNamesEveryDemoRuns() {
        Outcome o = run();
        assertEquals(0, o.status(), o.err());
        for (String name : Demos.all().keySet()) {
            assertTrue(o.out().contains("== " + name + ": "), name + " in " + o.out());
        }
        assertTrue(o.out().contains("Predicted string: ohlol, Epoch [15/15] loss="), o.out());
        assertTrue(o.out().contains("h_n:                 (1, 2, 4)"), o.out());
    }

    @Test
    void theSameSeedPrintsTheSameOutput() {
        assertEquals(run("--seed", "7", "hello-cell").out(), run("--seed", "7", "hello-cell").out());
    }

    @Test
    void numLayersConfiguresHelloRnn() {
        Outcome o = run("--num-layers", "2", "hello-rnn");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().startsWith("== hello-rnn: RNN(4, 4, num_layers=2)"), o.out());
        assertTrue(o.out().contains("Predicted: ohlol, Epoch [15/15] loss = "), o.out());
        Outcome bad = run("--num-layers", "0", "hello-rnn");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--num-layers must be at least 1, got 0"), bad.err());
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        Outcome o = run("hello");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("unknown demo 'hello'; known demos: kernels, hello-cell"), o.err());
    }
}
