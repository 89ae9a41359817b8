package io.github.jrnn.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.RNNBase;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A keyed Flink job scores every reading exactly as a sequential jrnn run per sensor does, bit for bit, and reports
 * its metrics.
 */
class KeyedJobTest {

    /** Keeps every job's metrics after it finished. */
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    private static final int SENSORS = 23;
    private static final int INPUT = 4;

    @Test
    void twoLayerGruScoresEqualASequentialRunPerKey() throws Exception {
        GRU gru = GRU.builder(INPUT, 16).numLayers(2).generator(new Generator(11)).build();
        JobID job = assertJobMatchesSequentialRuns(gru, ModelHandle.of(gru, GRU.class));

        // Metrics of both parallel instances, in the operator's group jrnn.
        long steps = 0;
        int instances = 0;
        long meteredSteps = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group : METRICS.getMetricsByGroup().entrySet()) {
            String[] scope = group.getKey().getScopeComponents();
            if (!scope[scope.length - 1].equals("jrnn")
                    || !job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            Map<String, Metric> metrics = group.getValue();
            steps += ((Counter) metrics.get("steps")).getCount();
            instances++;
            assertEquals(KernelProvider.choice().implementation(), ((Gauge<?>) metrics.get("kernels")).getValue());
            meteredSteps += ((Meter) metrics.get("stepsPerSecond")).getCount();
        }
        assertEquals(SENSORS * 40L, steps, "one step per reading, summed over the instances");
        assertEquals(2, instances, "a jrnn metric group per parallel instance");
        assertEquals(steps, meteredSteps, "the meters count the steps");
    }

    @Test
    void projectedLstmScoresEqualASequentialRunPerKey() throws Exception {
        LSTM lstm = LSTM.builder(INPUT, 12).numLayers(2).projSize(5).generator(new Generator(5)).build();
        assertJobMatchesSequentialRuns(lstm, ModelHandle.of(lstm, LSTM.class));
    }

    private static JobID assertJobMatchesSequentialRuns(RNNBase reference, ModelHandle<? extends RNNBase> handle)
            throws Exception {
        List<Reading> readings = Sensors.readings(SENSORS * 40L, SENSORS, INPUT);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CollectingSink sink = new CollectingSink(UUID.randomUUID().toString());
        env.fromData(readings).setParallelism(1)
                .keyBy(Reading::sensor)
                .process(Sensors.function(handle)).uid("jrnn")
                .sinkTo(sink);
        JobID job = env.execute("keyed job").getJobID();

        Map<Long, float[]> expected = Sensors.expected(reference, readings);
        List<Score> scores = sink.scores();
        assertEquals(readings.size(), scores.size(), "one score per reading");
        Map<Integer, Long> lastSeq = new HashMap<>();
        for (Score s : scores) {
            assertArrayEquals(expected.get(s.id()), s.h(), () -> "sensor " + s.sensor() + " reading " + s.seq());
            long previous = lastSeq.getOrDefault(s.sensor(), -1L);
            assertEquals(previous + 1, s.seq(), "a sensor's scores arrive in its readings' order");
            lastSeq.put(s.sensor(), s.seq());
        }
        assertEquals(SENSORS, lastSeq.size());
        return job;
    }
}
