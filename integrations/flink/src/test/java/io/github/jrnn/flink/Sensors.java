package io.github.jrnn.flink;

import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated sensor readings and the expected scores, computed without Flink: one jrnn stream per sensor fed its
 * readings in order (a new stream at each session start).
 */
final class Sensors {

    private Sensors() {
    }

    /**
     * The {@code index}-th reading of an interleaved stream over {@code sensors} sensors: sensor {@code index %
     * sensors}, its reading {@code index / sensors}; a session starts at every 13th reading after the first.
     */
    static Reading reading(long index, int sensors, int inputSize) {
        int sensor = (int) (index % sensors);
        long seq = index / sensors;
        float[] values = new float[inputSize];
        for (int j = 0; j < inputSize; j++) {
            values[j] = (float) Math.sin(0.37 * index + 1.3 * j + 0.1 * sensor);
        }
        return new Reading(sensor, seq, values, seq > 0 && seq % 13 == 0);
    }

    static List<Reading> readings(long count, int sensors, int inputSize) {
        List<Reading> readings = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            readings.add(reading(i, sensors, inputSize));
        }
        return readings;
    }

    /**
     * The function under test: scores carry a copy of h; session starts reset the state. It accepts the scalar
     * kernels, since the suite also runs with them forced ({@code ./jrnn test -Djrnn.kernels=scalar}).
     */
    static RecurrentKeyedFunction<Integer, Reading, Score> function(ModelHandle<? extends RNNBase> model)
            throws IOException {
        return RecurrentKeyedFunction.builder(model,
                        (Reading r, float[] x) -> System.arraycopy(r.values(), 0, x, 0, x.length),
                        (Reading r, float[] h) -> new Score(r.sensor(), r.seq(), h.clone()), Score.class)
                .resetWhen(Reading::sessionStart)
                .allowScalarKernels(true)
                .build();
    }

    /** The expected h after every reading, by {@link Score#id()}: a sequential jrnn run per sensor. */
    static Map<Long, float[]> expected(RNNBase model, List<Reading> readings) {
        Map<Integer, RecurrentStream> streams = new HashMap<>();
        Map<Long, float[]> expected = new HashMap<>();
        int hOut = model.options().hiddenOutSize();
        for (Reading r : readings) {
            if (r.sessionStart() || !streams.containsKey(r.sensor())) {
                streams.put(r.sensor(), model.stream());
            }
            float[] h = new float[hOut];
            streams.get(r.sensor()).step(r.values(), 0, h, 0);
            expected.put(new Score(r.sensor(), r.seq(), h).id(), h);
        }
        return expected;
    }
}
