package io.github.jrnn.bench;

import io.github.jrnn.bench.peers.Agreement;
import io.github.jrnn.bench.peers.Engines;
import io.github.jrnn.bench.peers.Outputs;
import io.github.jrnn.bench.peers.PeerModels;
import io.github.jrnn.bench.peers.RecurrentEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * From the first call: every fork is a fresh JVM and times one invocation ({@code SingleShotTime}, no warm-up), so
 * the figures include class loading, native library loading, JIT compilation and whatever else a user's first calls
 * pay. The exported hidden-{@value #HIDDEN} model at batch 1:
 * <ul>
 *   <li>{@link #load()}: from nothing to a model ready to run (jrnn {@code ModuleCheckpoints.load}, ORT session
 *       creation, DJL model load, each including its engine's start-up in this JVM);</li>
 *   <li>{@link #firstForward()}: the first whole-sequence forward ({@value RecurrentShapes#SEQ_LEN} steps) after
 *       the model was loaded in the setup;</li>
 *   <li>{@link #first100Calls()}: opening a stream and its first {@value RecurrentShapes#SEQ_LEN} steps after the
 *       model was loaded in the setup.</li>
 * </ul>
 * Checking agreement in the setup would warm the engine up, so here the outputs of the timed calls themselves are
 * checked against torch's in the teardown; an engine that disagrees fails its trial and no time is recorded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
@Fork(value = 5, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ColdStartBenchmark {

    /** Hidden size of the cold-start model. */
    public static final int HIDDEN = 256;

    @Param({"GRU", "LSTM"})
    public String mode;

    @Param({"vector", "vector-warm", "ort", "djl"})
    public String impl;

    @Param({"1"})
    public int threads;

    private PeerModels.SequenceReference reference;
    private RecurrentEngine engine;
    private float[] streamed;
    private String method;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        reference = PeerModels.sequence(mode, HIDDEN, 1);
        streamed = new float[RecurrentShapes.SEQ_LEN * HIDDEN];
        if (!"load".equals(method)) {
            engine = Engines.open(impl, mode, HIDDEN, threads);
            engine.prepareSequence(reference.input(), RecurrentShapes.SEQ_LEN, 1);
        }
    }

    @Benchmark
    public Object load() {
        engine = Engines.open(impl, mode, HIDDEN, threads);
        return engine;
    }

    @Benchmark
    public Object firstForward() {
        return engine.forward();
    }

    @Benchmark
    public float[] first100Calls() {
        engine.openStream();
        for (int t = 0; t < RecurrentShapes.SEQ_LEN; t++) {
            engine.step(reference.input(), t * HIDDEN, streamed, t * HIDDEN);
        }
        return streamed;
    }

    /** Checks what the timed call computed (after the load: one forward) against torch, then closes the engine. */
    @TearDown(Level.Trial)
    public void checkAndClose() {
        try {
            switch (method) {
                case "load" -> Engines.checkSequence(engine, reference, RecurrentShapes.SEQ_LEN, 1);
                case "firstForward" -> Agreement.check(engine.name(), engine.outputs(), reference.expected());
                default -> {
                    Outputs state = engine.streamState();
                    Agreement.check(engine.name() + " stream", new Outputs(streamed, state.hN(), state.cN()),
                            reference.expected());
                }
            }
        } finally {
            engine.close();
        }
    }
}
