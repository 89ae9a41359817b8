package io.github.jrnn.spark;

import io.github.jrnn.nn.tensor.Tensor;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a DataFrame column of variable-length sequences with a jrnn recurrent model, on Spark's executors.
 *
 * <pre>{@code
 * ModelHandle<GRU> handle = ModelHandle.of(Path.of("/models/gru.safetensors"), GRU.class);
 * SparkSequenceScorer scorer = SparkSequenceScorer.builder(SequenceModel.recurrent(handle))
 *         .input(SequenceInput.nested("features"))      // array<array<float>>, (L, input_size) per row
 *         .output(ScoreOutput.LAST_HIDDEN)              // or OUTPUT_SEQUENCE, HEAD_LOGITS
 *         .outputColumn("embedding")
 *         .build();
 * Dataset<Row> scored = scorer.transform(df);           // df's columns + embedding + embedding_error
 * scorer.registerUdf(spark, "gru_embed");               // SELECT gru_embed(features).value FROM t
 * }</pre>
 *
 * <p>{@link #transform} adds two columns: the score ({@link ScoreOutput#sparkType()}) and {@code <name>_error}
 * (string). Each partition is scored in batches of up to {@link Builder#batchSize} sequences, one packed forward per
 * batch (ragged lengths computed exactly); the model is loaded once per executor JVM from the handle and shared by
 * its tasks. A row that cannot be scored never fails the task: a null sequence gives a null score and a null error;
 * an empty sequence, a null or non-number element, a step whose width is not input_size, or a flat row whose values
 * do not hold {@code length * input_size} floats gives a null score and an error naming the step or count, expected
 * and given. NaN and infinities are scored (they propagate as in PyTorch). Mistakes that concern the whole job (a
 * missing column, a wrong column type, an output the model cannot give) are refused on the driver, by
 * {@link Builder#build} or {@link #transform}, before any task runs.
 *
 * <p>Bits: each row's score equals a jrnn forward of that sequence alone, bit for bit, whatever the batch or
 * partition it lands in (see the tests). Thread safety: immutable and serialisable.
 */
public final class SparkSequenceScorer implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final SequenceModel<?> model;
    private final SequenceInput input;
    private final ScoreOutput output;
    private final String outputColumn;
    private final int batchSize;

    private SparkSequenceScorer(Builder b) {
        this.model = b.model;
        this.input = b.input;
        this.output = b.output;
        this.outputColumn = b.outputColumn;
        this.batchSize = b.batchSize;
    }

    /**
     * Starts a scorer for {@code model}.
     *
     * @param model the model and its parts
     * @return a builder; {@link Builder#input} must be set
     */
    public static Builder builder(SequenceModel<?> model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null: pass e.g. SequenceModel.recurrent(handle)");
        }
        return new Builder(model);
    }

    /**
     * {@code df} with the score and error columns appended; lazy, as every Dataset transformation.
     *
     * @param df a DataFrame with the input columns
     * @return the scored DataFrame
     * @throws IllegalArgumentException when an input column is missing or of the wrong type, or the output column
     *                                  already exists
     */
    public Dataset<Row> transform(Dataset<Row> df) {
        StructType schema = df.schema();
        int[] indices = input.fieldIndices(schema);
        StructType scored = outputSchema(schema);
        return df.mapPartitions(new ScorePartition(model, input, output, indices, batchSize), Encoders.row(scored));
    }

    /**
     * The schema {@link #transform} produces from {@code schema}.
     *
     * @param schema the input DataFrame's schema
     * @return its fields plus the score and {@code <name>_error}
     */
    public StructType outputSchema(StructType schema) {
        for (String name : new String[] {outputColumn, errorColumn()}) {
            if (Arrays.asList(schema.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("the DataFrame already has a column '" + name + "'; choose"
                        + " another outputColumn");
            }
        }
        return schema.add(outputColumn, output.sparkType(), true).add(errorColumn(), DataTypes.StringType, true);
    }

    /**
     * Registers a SQL function {@code name} that scores one sequence per call: {@code name(column)} for a nested
     * input, {@code name(values, length)} for a flat one. It returns {@code struct<value, error>} with the
     * meaning of {@link #transform}'s two columns. For ad-hoc queries; {@link #transform} batches many sequences per
     * forward and is the faster way to score a table.
     *
     * @param spark the session
     * @param name  the function's name
     */
    public void registerUdf(SparkSession spark, String name) {
        if (spark == null || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("registerUdf needs a session and a function name, got "
                    + (spark == null ? "no session" : "name " + name));
        }
        StructType type = new StructType(new StructField[] {
            DataTypes.createStructField("value", output.sparkType(), true),
            DataTypes.createStructField("error", DataTypes.StringType, true)});
        ScoreUdf udf = new ScoreUdf(model, output);
        if (input.isFlat()) {
            spark.udf().register(name, (UDF2<Object, Object, Row>) udf::scoreFlat, type);
        } else {
            spark.udf().register(name, (UDF1<Object, Row>) udf::scoreNested, type);
        }
    }

    /**
     * The score column's name.
     *
     * @return the name given to {@link Builder#outputColumn}
     */
    public String outputColumn() {
        return outputColumn;
    }

    /**
     * The error column's name, {@code <outputColumn>_error}.
     *
     * @return the name
     */
    public String errorColumn() {
        return outputColumn + "_error";
    }

    /**
     * Settings of a {@link SparkSequenceScorer}.
     */
    public static final class Builder {
        private final SequenceModel<?> model;
        private SequenceInput input;
        private ScoreOutput output = ScoreOutput.LAST_HIDDEN;
        private String outputColumn = "jrnn_output";
        private int batchSize = 64;

        private Builder(SequenceModel<?> model) {
            this.model = model;
        }

        /**
         * Where the sequences are (required).
         *
         * @param input {@link SequenceInput#nested} or {@link SequenceInput#flat}
         * @return this
         */
        public Builder input(SequenceInput input) {
            this.input = input;
            return this;
        }

        /**
         * What each row receives (default {@link ScoreOutput#LAST_HIDDEN}).
         *
         * @param output the score
         * @return this
         */
        public Builder output(ScoreOutput output) {
            if (output == null) {
                throw new IllegalArgumentException("output must not be null: pass OUTPUT_SEQUENCE, LAST_HIDDEN or"
                        + " HEAD_LOGITS");
            }
            this.output = output;
            return this;
        }

        /**
         * The score column's name (default {@code jrnn_output}); errors go to {@code <name>_error}.
         *
         * @param name the column name
         * @return this
         */
        public Builder outputColumn(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("outputColumn must be a column name, got "
                        + (name == null ? "null" : "an empty string"));
            }
            this.outputColumn = name;
            return this;
        }

        /**
         * How many sequences one forward call packs (default 64). Larger batches amortise the per-step overhead
         * over more rows; memory per task grows with batchSize * longest sequence * input_size floats.
         *
         * @param sequences at least 1
         * @return this
         */
        public Builder batchSize(int sequences) {
            if (sequences < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + sequences);
            }
            this.batchSize = sequences;
            return this;
        }

        /**
         * Builds the scorer, loading the model on the driver (the handle shares it) to refuse what cannot work
         * before a job starts: HEAD_LOGITS without a head, a head that does not take the last hidden state.
         *
         * @return the scorer
         * @throws IllegalArgumentException when the input is not set, or the model cannot give the output
         */
        public SparkSequenceScorer build() {
            if (input == null) {
                throw new IllegalArgumentException("input is not set: call input(SequenceInput.nested(\"column\"))"
                        + " or input(SequenceInput.flat(\"values\", \"length\"))");
            }
            BatchScorer scorer = new BatchScorer(model.parts(), output);
            if (output == ScoreOutput.HEAD_LOGITS) {
                int width = scorer.lastHiddenWidth();
                try {
                    model.parts().head().forward(Tensor.zeros(1, width));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("the model's head does not take the last hidden state ("
                            + width + " floats: directions x hidden size): " + e.getMessage(), e);
                }
            }
            return new SparkSequenceScorer(this);
        }
    }
}
