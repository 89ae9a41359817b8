package io.github.jrnn.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.LSTM;

import java.io.DataInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every key's recurrent state survives what Flink does to state: stop-with-savepoint and a restore at another
 * parallelism (1 -> 2, so key groups move between tasks), and an injected task failure recovered from the last
 * checkpoint; with the hashmap and the RocksDB state backends. The proof is in the scores: every reading's score
 * must equal, bit for bit, a sequential jrnn run over that sensor's readings, each applied exactly once. A reading
 * lost or applied twice would change every later score of its sensor.
 */
class StateRecoveryTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int SENSORS = 40;
    private static final int INPUT = 3;
    private static final long READINGS = SENSORS * 40L;
    private static final int READINGS_PER_SECOND = 800;

    private static final LSTM MODEL = LSTM.builder(INPUT, 8).numLayers(2).generator(new Generator(3)).build();

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void stopWithSavepointThenRestoreAtParallelismTwoContinuesEveryKey(String backend,
            @InjectClusterClient ClusterClient<?> client, @TempDir Path dir) throws Exception {
        String run = UUID.randomUUID().toString();
        CollectingSink sink = new CollectingSink(run);
        JobID first = client.submitJob(job(backend, 1, dir, sink, null)).get();
        while (sink.size() < READINGS / 8) {
            Thread.sleep(20);
        }
        String savepoint = client.stopWithSavepoint(first, false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.NATIVE).get();
        int beforeRestore = sink.size();
        assertTrue(beforeRestore < READINGS, "the savepoint was taken before the end: " + beforeRestore);
        // RocksDB's native savepoints hold its incremental handles (its .sst files); the heap backend's do not.
        assertEquals(backend.equals("rocksdb"), keyedStateIsIncremental(savepoint), "state backend " + backend);

        JobGraph second = job(backend, 2, dir, sink, null);
        second.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        JobResult result = client.submitJob(second).thenCompose(client::requestJobResult).get();
        assertTrue(result.isSuccess(), () -> "restored job failed: " + result.getSerializedThrowable());

        List<Score> scores = sink.scores();
        assertEquals(READINGS, scores.size(), "every reading scored exactly once across the two runs");
        assertEveryScoreIsTheSequentialOne(scores);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void anInjectedFailureRecoversEveryKeyFromTheLastCheckpoint(String backend,
            @InjectClusterClient ClusterClient<?> client, @TempDir Path dir) throws Exception {
        String run = UUID.randomUUID().toString();
        CollectingSink sink = new CollectingSink(run);
        JobResult result = client.submitJob(job(backend, 2, dir, sink, new FailOnce(run, (int) READINGS / 6)))
                .thenCompose(client::requestJobResult).get();
        assertTrue(result.isSuccess(), () -> "job failed: " + result.getSerializedThrowable());
        assertTrue(FailOnce.failed(run), "the failure was injected");

        List<Score> scores = sink.scores();
        // The sink is not transactional: scores since the restored checkpoint arrive twice, with equal values.
        assertTrue(scores.size() > READINGS, "some scores were replayed after the restore: " + scores.size());
        Map<Long, Score> distinct = new HashMap<>();
        scores.forEach(s -> distinct.put(s.id(), s));
        assertEquals(READINGS, distinct.size(), "every reading scored");
        assertEveryScoreIsTheSequentialOne(scores);
    }

    /**
     * The job: a checkpointed, rate-limited generator (parallelism 1, so each sensor's readings stay in order),
     * keyed by sensor, scored, optionally through the failure injector, into the sink.
     */
    private static JobGraph job(String backend, int parallelism, Path dir, CollectingSink sink, FailOnce failure)
            throws Exception {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, backend);
        // RocksDB's usual production setting; its native savepoints then hold the database's .sst files.
        config.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve("checkpoints").toUri().toString());
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        env.setMaxParallelism(64);
        DataGeneratorSource<Reading> source = new DataGeneratorSource<>(
                index -> Sensors.reading(index, SENSORS, INPUT), READINGS,
                RateLimiterStrategy.perSecond(READINGS_PER_SECOND), TypeInformation.of(Reading.class));
        DataStream<Score> scores = env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings")
                .setParallelism(1).uid("readings")
                .keyBy(Reading::sensor)
                .process(Sensors.function(ModelHandle.of(MODEL, LSTM.class))).uid("jrnn");
        if (failure != null) {
            scores = scores.map(failure).uid("failure");
        }
        scores.sinkTo(sink).uid("sink");
        return env.getStreamGraph().getJobGraph();
    }

    private static void assertEveryScoreIsTheSequentialOne(List<Score> scores) {
        Map<Long, float[]> expected = Sensors.expected(MODEL, Sensors.readings(READINGS, SENSORS, INPUT));
        for (Score s : scores) {
            assertArrayEquals(expected.get(s.id()), s.h(), () -> "sensor " + s.sensor() + " reading " + s.seq());
        }
    }

    /** Whether every keyed state handle of the savepoint is an incremental (RocksDB) one; false if none is. */
    private static boolean keyedStateIsIncremental(String savepoint) throws Exception {
        Path metadata = Path.of(URI.create(savepoint)).resolve("_metadata");
        List<KeyedStateHandle> handles;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(metadata))) {
            handles = Checkpoints.loadCheckpointMetadata(in, StateRecoveryTest.class.getClassLoader(), savepoint)
                    .getOperatorStates().stream()
                    .flatMap(operator -> operator.getStates().stream())
                    .flatMap(subtask -> subtask.getManagedKeyedState().stream())
                    .toList();
        }
        assertTrue(!handles.isEmpty(), "the savepoint holds keyed state");
        return handles.stream().allMatch(h -> h instanceof IncrementalKeyedStateHandle);
    }
}
