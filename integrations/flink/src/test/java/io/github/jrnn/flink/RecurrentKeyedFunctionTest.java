package io.github.jrnn.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.RecurrentStream;
import io.github.jrnn.nn.testing.AllocationMeter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** One operator instance on Flink's test harness: resets, state expiry, restored states of another model. */
class RecurrentKeyedFunctionTest {

    private static final int INPUT = 3;
    private static final GRU GRU_8 = GRU.builder(INPUT, 8).generator(new Generator(1)).build();

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Reading, Score> harness(
            RecurrentKeyedFunction<Integer, Reading, Score> function, OperatorSubtaskState restored) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Integer, Reading, Score> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), Reading::sensor,
                        Types.INT);
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
        return harness;
    }

    private static Reading reading(int sensor, long seq, boolean start) {
        Reading r = Sensors.reading(seq * 7 + sensor, 7, INPUT);
        return new Reading(sensor, seq, r.values(), start);
    }

    private static float[] step(RecurrentStream stream, Reading r) {
        float[] h = new float[8];
        stream.step(r.values(), 0, h, 0);
        return h;
    }

    @Test
    void sessionStartsAndExpiredKeysStepFromZeroState() throws Exception {
        RecurrentKeyedFunction<Integer, Reading, Score> function = RecurrentKeyedFunction.builder(
                        ModelHandle.of(GRU_8, GRU.class),
                        (Reading r, float[] x) -> System.arraycopy(r.values(), 0, x, 0, x.length),
                        (Reading r, float[] h) -> new Score(r.sensor(), r.seq(), h.clone()), Score.class)
                .resetWhen(Reading::sessionStart).stateTtl(Duration.ofMillis(100)).allowScalarKernels(true).build();
        List<Reading> readings = List.of(reading(1, 0, false), reading(1, 1, false), reading(2, 0, false),
                reading(1, 2, true), reading(1, 3, false), reading(1, 4, false));
        var harness = harness(function, null);
        try {
            harness.setStateTtlProcessingTime(0);
            for (Reading r : readings.subList(0, 5)) {
                harness.processElement(r, 0);
            }
            harness.setStateTtlProcessingTime(150);  // sensor 1 idle for longer than the TTL
            harness.processElement(readings.get(5), 0);

            RecurrentStream sensor1 = GRU_8.stream();
            RecurrentStream sensor2 = GRU_8.stream();
            float[][] expected = {step(sensor1, readings.get(0)), step(sensor1, readings.get(1)),
                step(sensor2, readings.get(2)), step(GRU_8.stream(), readings.get(3)), null,
                step(GRU_8.stream(), readings.get(5))};
            RecurrentStream afterStart = GRU_8.stream();
            step(afterStart, readings.get(3));
            expected[4] = step(afterStart, readings.get(4));
            List<Score> scores = harness.extractOutputValues();
            assertEquals(readings.size(), scores.size());
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], scores.get(i).h(), "score " + i);
            }
        } finally {
            harness.close();  // may throw InterruptedException, which try-with-resources lint refuses
        }
    }

    @Test
    void aRestoredStateOfAnotherModelIsRefusedNamingTheKeyAndSizes() throws Exception {
        OperatorSubtaskState snapshot;
        var original = harness(Sensors.function(ModelHandle.of(GRU_8, GRU.class)), null);
        try {
            original.processElement(reading(5, 0, false), 0);
            snapshot = original.snapshot(1, 1);
        } finally {
            original.close();  // may throw InterruptedException, which try-with-resources lint refuses
        }
        GRU gru6 = GRU.builder(INPUT, 6).generator(new Generator(2)).build();
        var restored = harness(Sensors.function(ModelHandle.of(gru6, GRU.class)), snapshot);
        try {
            restored.processElement(reading(6, 0, false), 0);  // a new key is fine
            Exception e = assertThrows(Exception.class, () -> restored.processElement(reading(5, 1, false), 0));
            Throwable cause = e;
            while (!(cause instanceof IllegalStateException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertTrue(cause.getMessage().contains("the state 'jrnn-recurrent-state' of key 5 has 8 floats, but"),
                    cause.getMessage());
            assertTrue(cause.getMessage().contains("keeps 6 per key"), cause.getMessage());
        } finally {
            restored.close();  // may throw InterruptedException, which try-with-resources lint refuses
        }
    }

    /** By default open() refuses a JVM on the scalar kernels (this suite runs on either: the test follows it). */
    @Test
    void openRefusesTheScalarKernelsUnlessAllowed() throws Exception {
        ModelHandle<GRU> model = ModelHandle.of(GRU_8, GRU.class);
        InputExtractor<Reading> extractor = (r, x) -> { };
        OutputMapper<Reading, Score> mapper = (r, h) -> null;
        RecurrentKeyedFunction<Integer, Reading, Score> strict =
                RecurrentKeyedFunction.builder(model, extractor, mapper, Score.class).build();
        if (KernelProvider.choice().vector()) {
            harness(strict, null).close();
        } else {
            Exception e = assertThrows(Exception.class, () -> harness(strict, null));
            Throwable cause = e;
            while (!(cause instanceof IllegalStateException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertTrue(cause.getMessage().contains("env.java.opts.all: --add-modules jdk.incubator.vector"),
                    cause.getMessage());
        }
        harness(RecurrentKeyedFunction.builder(model, extractor, mapper, Score.class).allowScalarKernels(true)
                .build(), null).close();
    }

    @Test
    void builderRefusesMissingArgumentsAndBidirectionalModels() throws Exception {
        ModelHandle<GRU> model = ModelHandle.of(GRU_8, GRU.class);
        InputExtractor<Reading> extractor = (r, x) -> { };
        OutputMapper<Reading, Score> mapper = (r, h) -> null;
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class,
                () -> RecurrentKeyedFunction.builder(null, extractor, mapper, Score.class));
        assertEquals("model must not be null: pass a ModelHandle, e.g. ModelHandle.of(path, GRU.class)",
                noModel.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RecurrentKeyedFunction.builder(model, null, mapper, Score.class)).getMessage()
                .startsWith("extractor must not be null"));
        GRU both = GRU.builder(INPUT, 4).bidirectional(true).build();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RecurrentKeyedFunction.builder(ModelHandle.of(both, GRU.class), extractor, mapper, Score.class))
                .getMessage().startsWith("model must be unidirectional"));
        RecurrentKeyedFunction.Builder<Reading, Score> builder =
                RecurrentKeyedFunction.builder(model, extractor, mapper, Score.class);
        assertEquals("ttl must be at least 1 ms, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> builder.stateTtl(Duration.ZERO)).getMessage());
        assertEquals("name must be a non-blank state name, got ' '",
                assertThrows(IllegalArgumentException.class, () -> builder.stateName(" ")).getMessage());
    }

    /**
     * Per event of a known key on the hashmap backend, the function allocates no more than the same state work
     * without the model ({@link StateOnlyFunction}): everything it allocates is Flink's.
     */
    @Test
    void steppingAKnownKeyAllocatesNoMoreThanFlinksOwnStateWork() throws Exception {
        InputExtractor<Reading> extractor = (r, x) -> System.arraycopy(r.values(), 0, x, 0, x.length);
        OutputMapper<Reading, Score> noOutput = (r, h) -> null;   // only the functions' own work is measured
        // Vector API code allocates its vectors until C2 compiles it, later on a loaded machine: step the model
        // until a step allocates nothing, so that the rounds below measure compiled kernels.
        RecurrentStream warm = GRU_8.stream();
        float[] x = reading(0, 0, false).values();
        float[] h = new float[8];
        assertEquals(0, AllocationMeter.fewestBytes(500_000, () -> warm.step(x, 0, h, 0)), "bytes per step");
        long withModel = fewestBytesPer64Events(RecurrentKeyedFunction.builder(ModelHandle.of(GRU_8, GRU.class),
                extractor, noOutput, Score.class).allowScalarKernels(true).build());
        long stateOnly = fewestBytesPer64Events(new StateOnlyFunction<>(8, INPUT, 8, extractor, noOutput,
                TypeInformation.of(Score.class)));
        System.out.printf("bytes per 64 events of known keys: %d with the model, %d without%n", withModel,
                stateOnly);
        assertTrue(withModel <= stateOnly, withModel + " bytes with the model, " + stateOnly + " without");
    }

    private static long fewestBytesPer64Events(KeyedProcessFunction<Integer, Reading, Score> function)
            throws Exception {
        List<StreamRecord<Reading>> records = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            records.add(new StreamRecord<>(reading(i % 4, i / 4, false)));
        }
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function),
                Reading::sensor, Types.INT);
        harness.open();
        try {
            // The fewest bytes over many rounds: the first rounds run before the JIT compiled the vector kernels
            // (interpreted Vector API code allocates its vectors) and while HotSpot allocates for itself.
            return AllocationMeter.fewestBytes(1000, () -> {
                try {
                    for (StreamRecord<Reading> r : records) {
                        harness.processElement(r);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            harness.close();  // may throw InterruptedException, which try-with-resources lint refuses
        }
    }
}
