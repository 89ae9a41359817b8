package io.github.jrnn.spark;

import java.io.Serial;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition lazily: reads up to {@code batchSize} rows, scores them in one packed forward, hands them
 * out with the score and error appended, then reads the next batch, so a partition is never held in memory whole.
 * What travels to the executors is this object: the model's handle and the settings, never a module.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final SequenceModel<?> model;
    private final SequenceInput input;
    private final ScoreOutput output;
    private final int[] inputIndices;
    private final int batchSize;

    ScorePartition(SequenceModel<?> model, SequenceInput input, ScoreOutput output, int[] inputIndices,
                   int batchSize) {
        this.model = model;
        this.input = input;
        this.output = output;
        this.inputIndices = inputIndices.clone();
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        BatchScorer scorer = new BatchScorer(model.parts(), output);
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    scoreNextBatch();
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the partition has no more rows");
                }
                return ready.poll();
            }

            private void scoreNextBatch() {
                List<Row> batch = new ArrayList<>(batchSize);
                List<SequenceRow> sequences = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && rows.hasNext()) {
                    Row row = rows.next();
                    batch.add(row);
                    sequences.add(input.read(row, inputIndices, scorer.inputSize()));
                }
                List<BatchScorer.Scored> scored = scorer.score(sequences);
                for (int i = 0; i < batch.size(); i++) {
                    ready.add(withScore(batch.get(i), scored.get(i)));
                }
            }
        };
    }

    private static Row withScore(Row row, BatchScorer.Scored scored) {
        Object[] values = new Object[row.size() + 2];
        for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
        }
        values[row.size()] = scored.value();
        values[row.size() + 1] = scored.error();
        return RowFactory.create(values);
    }
}
