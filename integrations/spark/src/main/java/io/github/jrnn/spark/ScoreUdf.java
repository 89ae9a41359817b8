package io.github.jrnn.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The SQL function {@link SparkSequenceScorer#registerUdf} registers: one sequence per call, scored with the shared
 * model of the JVM, returned as {@code struct<value, error>}.
 */
final class ScoreUdf implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final SequenceModel<?> model;
    private final ScoreOutput output;
    /** Built on first use on each JVM (the model's parts are shared, the scorer holds no per-call state). */
    private transient volatile BatchScorer scorer;

    ScoreUdf(SequenceModel<?> model, ScoreOutput output) {
        this.model = model;
        this.output = output;
    }

    Row scoreNested(Object sequence) {
        BatchScorer s = scorer();
        return score(s, SequenceRow.nested(sequence, s.inputSize()));
    }

    Row scoreFlat(Object values, Object length) {
        BatchScorer s = scorer();
        return score(s, SequenceRow.flat(values, length, s.inputSize()));
    }

    private static Row score(BatchScorer s, SequenceRow row) {
        BatchScorer.Scored scored = s.score(List.of(row)).getFirst();
        return RowFactory.create(scored.value(), scored.error());
    }

    private BatchScorer scorer() {
        BatchScorer s = scorer;
        if (s == null) {
            s = new BatchScorer(model.parts(), output);
            scorer = s;
        }
        return s;
    }
}
