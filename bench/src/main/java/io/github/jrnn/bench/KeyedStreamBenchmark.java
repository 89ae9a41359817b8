package io.github.jrnn.bench;

import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentStream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One stream serving many keys, as an engine integration runs it (a Flink keyed function, a service with one state
 * per session): each operation restores the next key's state into the stream ({@link RecurrentStream#loadState}),
 * steps it once and saves the state back ({@link RecurrentStream#storeState}); the keys' states live side by side
 * in one {@code float[]}, as an engine's managed state would hold them. {@link #oneKey()} is the same step without
 * the state moves, so the difference is what serving many keys costs. Run with {@code -prof gc}: both must show
 * 0 B/op ({@code gc.alloc.rate.norm}), the state API's promise.
 *
 * <p>The two-layer model is built in Java from a seeded generator (no export needed): its numbers do not matter
 * here, only the work per step (input = hidden).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KeyedStreamBenchmark {

    /** Keys served in turn, as in the Flink throughput job. */
    public static final int KEYS = 1000;

    @Param({"GRU", "LSTM"})
    public String mode;

    @Param({"128", "256"})
    public int hidden;

    private RecurrentStream stream;
    private float[] states;
    private int stateSize;
    private float[] frame;
    private float[] out;
    private int key;

    @Setup(Level.Trial)
    public void setUp() {
        RNNBase model = "LSTM".equals(mode)
                ? LSTM.builder(hidden, hidden).numLayers(2).generator(new Generator(7)).build()
                : GRU.builder(hidden, hidden).numLayers(2).generator(new Generator(7)).build();
        model.eval();
        stream = model.stream();
        stateSize = stream.stateSize();
        states = new float[KEYS * stateSize];
        frame = new float[hidden];
        for (int i = 0; i < hidden; i++) {
            frame[i] = (float) Math.sin(i);
        }
        out = new float[hidden];
    }

    /** Restore the next key's state, step, save it back. */
    @Benchmark
    public float[] keyed() {
        int at = key * stateSize;
        stream.loadState(states, at);
        stream.step(frame, 0, out, 0);
        stream.storeState(states, at);
        key = key + 1 == KEYS ? 0 : key + 1;
        return out;
    }

    /** The step alone, the state kept in the stream. */
    @Benchmark
    public float[] oneKey() {
        stream.step(frame, 0, out, 0);
        return out;
    }
}
