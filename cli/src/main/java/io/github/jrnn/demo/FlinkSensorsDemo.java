package io.github.jrnn.demo;

import io.github.jrnn.flink.RecurrentKeyedFunction;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Locale;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * A local Flink job (a mini cluster in this JVM, parallelism 2) scoring generated sensor readings with a GRU kept
 * per sensor in Flink's keyed state ({@link RecurrentKeyedFunction}): {@value #SENSORS} sensors, {@value #STEPS}
 * readings each of {@value #FEATURES} features (a daily cycle, its slope, a drift on every 50th sensor, a
 * deterministic jitter), a {@code GRU(4, 32)} from {@code new Generator(seed)}, and per reading a score
 * {@code tanh(w . h)} with a fixed head w. The model is untrained: the scores show the plumbing, not a detector.
 * Prints the throughput (events over the job's run time, which includes deploying its tasks but not starting the
 * local cluster), the kernels, and the sensors with the highest last score; only the last scores are collected.
 */
final class FlinkSensorsDemo implements Demo {

    static final int SENSORS = 500;
    static final int STEPS = 100;
    static final int FEATURES = 4;
    static final int HIDDEN = 32;
    static final int SHOWN = 5;

    /** One reading; a record, so Flink serialises it as a POJO. */
    public record Reading(int sensor, int step, float[] values) implements Serializable {
    }

    /** One score: the reading's sensor and step, and {@code tanh(w . h)} of the GRU's new h. */
    public record Score(int sensor, int step, float score) implements Serializable {
    }

    @Override
    public String name() {
        return "flink-sensors";
    }

    @Override
    public String description() {
        return "a local Flink job: per-sensor GRU state in Flink keyed state, " + SENSORS + " sensors x " + STEPS
                + " readings";
    }

    /** The {@code index}-th reading of the interleaved stream: sensor {@code index % SENSORS}. */
    static Reading reading(long index) {
        int sensor = (int) (index % SENSORS);
        int step = (int) (index / SENSORS);
        double phase = 2 * Math.PI * step / 24 + sensor * 0.1;
        float drift = sensor % 50 == 0 ? 0.05f * step : 0f;
        float jitter = (float) Math.sin(index * 12.9898) * 0.05f;
        float[] values = {(float) Math.sin(phase) + drift + jitter, (float) Math.cos(phase), drift, jitter};
        return new Reading(sensor, step, values);
    }

    /** The fixed head w of the score: the weight of {@code Linear(HIDDEN, 1, bias=False)}, torch's init. */
    static float[] head(long seed) {
        return new Linear(HIDDEN, 1, false, new Generator(seed + 1), null).namedParameters().get("weight").data()
                .clone();
    }

    static float score(float[] w, float[] h) {
        double dot = 0;
        for (int i = 0; i < h.length; i++) {
            dot += w[i] * h[i];
        }
        return (float) Math.tanh(dot);
    }

    static GRU model(long seed) {
        return GRU.builder(FEATURES, HIDDEN).generator(new Generator(seed)).build();
    }

    @Override
    public void run(long seed, PrintStream out) throws Exception {
        ModelHandle<GRU> handle = ModelHandle.of(model(seed), GRU.class);
        float[] w = head(seed);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        long events = (long) SENSORS * STEPS;
        DataGeneratorSource<Reading> source = new DataGeneratorSource<>(FlinkSensorsDemo::reading, events,
                TypeInformation.of(Reading.class));
        RecurrentKeyedFunction<Integer, Reading, Score> scorer = RecurrentKeyedFunction.builder(handle,
                (Reading r, float[] x) -> System.arraycopy(r.values(), 0, x, 0, FEATURES),
                (Reading r, float[] h) -> new Score(r.sensor(), r.step(), score(w, h)), Score.class)
                .allowScalarKernels(true)   // a demo runs anywhere and prints which kernels it used
                .build();
        CloseableIterator<Score> lastScores = env.fromSource(source, WatermarkStrategy.noWatermarks(), "sensors")
                .setParallelism(1)
                .keyBy(Reading::sensor)
                .process(scorer).uid("jrnn-scorer")
                .filter(new LastStep())
                .collectAsync();
        JobExecutionResult result = env.execute("flink-sensors");
        List<Score> last = new ArrayList<>();
        try {
            lastScores.forEachRemaining(last::add);
        } finally {
            lastScores.close();  // may throw InterruptedException, which try-with-resources lint refuses
        }
        long count = result.<Long>getAccumulatorResult(LastStep.SCORED);
        double seconds = result.getNetRuntime() / 1000.0;
        out.printf(Locale.ROOT, "model: %s, kernels: %s%n", handle, KernelProvider.choice().implementation());
        out.printf(Locale.ROOT, "scored %d events of %d sensors in %.2f s: %.0f events/s (parallelism 2, the job's"
                + " run time)%n", count, last.size(), seconds, count / seconds);
        out.println("highest last scores:");
        last.stream()
                .sorted(Comparator.comparingDouble(Score::score).reversed().thenComparingInt(Score::sensor))
                .limit(SHOWN)
                .forEach(s -> out.printf(Locale.ROOT, "  sensor %3d  step %d  score %.6f%n", s.sensor(), s.step(),
                        s.score()));
    }

    /** Passes each sensor's last score only, counting every score it sees (accumulator {@value #SCORED}). */
    private static final class LastStep extends RichFilterFunction<Score> {
        static final String SCORED = "scored";
        private static final long serialVersionUID = 1L;
        private transient LongCounter scored;

        @Override
        public void open(OpenContext openContext) {
            scored = new LongCounter();
            getRuntimeContext().addAccumulator(SCORED, scored);
        }

        @Override
        public boolean filter(Score score) {
            scored.add(1);
            return score.step() == STEPS - 1;
        }
    }
}
