package io.github.jrnn.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;

import java.util.Locale;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Throughput benchmark, not part of the test suite (its name matches no test pattern): events per second of the
 * keyed GRU job (1000 sensors, 8 features, hidden 128 and 256, hashmap backend unless
 * {@code -Djrnn.flink.bench.backend=rocksdb}) against the same job with the
 * model step removed ({@link StateOnlyFunction}: the same state reads and writes), and their ratio, which says how
 * much of the job's time the model takes. Run it on a quiet machine with
 * <pre>
 * mvn -B -ntp -pl integrations/flink -am verify -Dtest=FlinkThroughputBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Djrnn.flink.bench.events=400000] [-Djrnn.flink.bench.parallelism=2]
 *     [-Djrnn.flink.bench.backend=rocksdb]
 * </pre>
 * Each job runs twice and the second run counts (the first warms the JIT up).
 */
class FlinkThroughputBenchmark {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    private static final int SENSORS = 1000;
    private static final int INPUT = 8;
    private static final long EVENTS = Long.getLong("jrnn.flink.bench.events", 400_000);
    private static final int PARALLELISM = Integer.getInteger("jrnn.flink.bench.parallelism", 2);
    private static final String BACKEND = System.getProperty("jrnn.flink.bench.backend", "hashmap");

    @Test
    void keyedGruJobAgainstTheSameJobWithoutTheModel() throws Exception {
        System.out.printf("%d events, %d sensors, parallelism %d, %s backend%n", EVENTS, SENSORS, PARALLELISM,
                BACKEND);
        System.out.println("| hidden | with the GRU (events/s) | state only (events/s) | ratio |");
        System.out.println("|---:|---:|---:|---:|");
        for (int hidden : new int[] {128, 256}) {
            GRU gru = GRU.builder(INPUT, hidden).generator(new Generator(hidden)).build();
            ModelHandle<GRU> handle = ModelHandle.of(gru, GRU.class);
            InputExtractor<Reading> extractor = (r, x) -> System.arraycopy(r.values(), 0, x, 0, x.length);
            OutputMapper<Reading, Float> firstUnit = (r, h) -> h[0];
            KeyedProcessFunction<Integer, Reading, Float> model =
                    RecurrentKeyedFunction.builder(handle, extractor, firstUnit, Float.class).build();
            KeyedProcessFunction<Integer, Reading, Float> stateOnly =
                    new StateOnlyFunction<>(hidden, INPUT, hidden, extractor, firstUnit, Types.FLOAT);
            double withModel = eventsPerSecond(model);
            double without = eventsPerSecond(stateOnly);
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.2f |%n", hidden, withModel, without,
                    withModel / without);
        }
    }

    private static double eventsPerSecond(KeyedProcessFunction<Integer, Reading, Float> function) throws Exception {
        double rate = 0;
        for (int run = 0; run < 2; run++) {
            Configuration config = new Configuration();
            config.set(StateBackendOptions.STATE_BACKEND, BACKEND);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(PARALLELISM);
            DataGeneratorSource<Reading> source = new DataGeneratorSource<>(
                    index -> Sensors.reading(index, SENSORS, INPUT), EVENTS, TypeInformation.of(Reading.class));
            DataStream<Float> scores = env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings")
                    .keyBy(Reading::sensor).process(function);
            scores.map(new Counting()).sinkTo(new DiscardingSink<>());
            JobExecutionResult result = env.execute("throughput");
            long counted = result.<Long>getAccumulatorResult(Counting.NAME);
            assertEquals(EVENTS, counted, "every event scored");
            rate = EVENTS / (result.getNetRuntime() / 1000.0);
        }
        return rate;
    }

    /** Counts the outputs (an accumulator), so that a run that lost events cannot report a rate. */
    private static final class Counting extends RichMapFunction<Float, Float> {
        static final String NAME = "outputs";
        private static final long serialVersionUID = 1L;
        private transient LongCounter count;

        @Override
        public void open(OpenContext openContext) {
            count = new LongCounter();
            getRuntimeContext().addAccumulator(NAME, count);
        }

        @Override
        public Float map(Float value) {
            count.add(1);
            return value;
        }
    }
}
