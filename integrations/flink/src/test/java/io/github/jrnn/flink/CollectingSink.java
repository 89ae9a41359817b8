package io.github.jrnn.flink;

import java.io.Serial;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that appends every score to an in-JVM queue named by the test run (the mini cluster runs in the test's
 * JVM). Not transactional: after a failure, the scores emitted since the last checkpoint arrive again.
 */
final class CollectingSink implements Sink<Score> {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final Map<String, Queue<Score>> RUNS = new ConcurrentHashMap<>();

    private final String run;

    CollectingSink(String run) {
        this.run = run;
        RUNS.put(run, new ConcurrentLinkedQueue<>());
    }

    /** Everything written so far, in arrival order. */
    List<Score> scores() {
        return List.copyOf(RUNS.get(run));
    }

    int size() {
        return RUNS.get(run).size();
    }

    @Override
    public SinkWriter<Score> createWriter(WriterInitContext context) {
        Queue<Score> queue = RUNS.get(run);
        return new SinkWriter<>() {
            @Override
            public void write(Score score, Context ctx) {
                queue.add(score);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
