package io.github.jrnn.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.RecurrentStream;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ./jrnn demo flink-sensors: every event scored, and the printed scores are those of a sequential jrnn run. */
class FlinkSensorsDemoTest {

    private static final Pattern SCORED = Pattern.compile("scored (\\d+) events of (\\d+) sensors in [0-9.]+ s:"
            + " \\d+ events/s \\(parallelism 2, the job's run time\\)");
    private static final Pattern SENSOR = Pattern.compile("  sensor +(\\d+)  step (\\d+)  score (-?[0-9.]+)");

    @Test
    void printsThroughputAndTheHighestScoresOfASequentialRun() throws Exception {
        List<String> lines = DemoRun.lines(new FlinkSensorsDemo(), 42);
        assertTrue(lines.get(0).matches("model: ModelHandle\\[GRU from <bytes>, sha256 [0-9a-f]{12}\\.\\.\\.],"
                + " kernels: (vector|scalar)"), lines.get(0));
        Matcher scored = SCORED.matcher(lines.get(1));
        assertTrue(scored.matches(), lines.get(1));
        assertEquals(FlinkSensorsDemo.SENSORS * FlinkSensorsDemo.STEPS, Integer.parseInt(scored.group(1)));
        assertEquals(FlinkSensorsDemo.SENSORS, Integer.parseInt(scored.group(2)));
        assertEquals("highest last scores:", lines.get(2));

        GRU gru = FlinkSensorsDemo.model(42);
        float[] w = FlinkSensorsDemo.head(42);
        List<String> shown = lines.subList(3, 3 + FlinkSensorsDemo.SHOWN);
        for (String line : shown) {
            Matcher m = SENSOR.matcher(line);
            assertTrue(m.matches(), line);
            int sensor = Integer.parseInt(m.group(1));
            assertEquals(FlinkSensorsDemo.STEPS - 1, Integer.parseInt(m.group(2)), line);
            RecurrentStream stream = gru.stream();
            float[] h = new float[FlinkSensorsDemo.HIDDEN];
            for (int step = 0; step < FlinkSensorsDemo.STEPS; step++) {
                stream.step(FlinkSensorsDemo.reading((long) step * FlinkSensorsDemo.SENSORS + sensor).values(), 0,
                        h, 0);
            }
            assertEquals(String.format(Locale.ROOT, "%.6f", FlinkSensorsDemo.score(w, h)), m.group(3), line);
        }
    }
}
