package io.github.jrnn.spark;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Torch;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows per second of the Spark scorer next to jrnn alone on the same sequences, all on one core (not a test; a
 * program for a quiet machine). Prints four rates and two ratios: Spark's {@code transform} against the same
 * packed batches scored directly (the engine's cost), and packed batches against one forward per sequence (what
 * batching gains). Arguments: rows (default 4000), hidden size (128), rounds (3; the best round counts).
 *
 * <pre>
 * mvn -B -ntp -pl integrations/spark -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * T=integrations/spark/target
 * java --add-modules jdk.incubator.vector -cp "$T/test-classes:$T/classes:$(cat $T/cp.txt)" \
 *      io.github.jrnn.spark.ScoringThroughput 4000 128 3
 * </pre>
 */
public final class ScoringThroughput {

    private static final int INPUT = 32;
    private static final int BATCH = 64;

    private ScoringThroughput() {
    }

    /**
     * Runs the comparison.
     *
     * @param args rows, hidden size, rounds
     * @throws Exception when the model cannot be snapshot
     */
    public static void main(String[] args) throws Exception {
        int rowCount = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        GRU gru = GRU.builder(INPUT, hidden).generator(new Generator(1)).build();
        SequenceModel<GRU> model = SequenceModel.recurrent(ModelHandle.of(gru, GRU.class));
        Generator g = new Generator(2);
        List<SequenceRow> sequences = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < rowCount; i++) {
            int steps = 20 + (i * 37) % 81; // 20 to 100 steps
            float[] data = Torch.randn(g, steps, INPUT).data();
            sequences.add(new SequenceRow(data, steps, null));
            Float[][] nested = new Float[steps][INPUT];
            for (int j = 0; j < data.length; j++) {
                nested[j / INPUT][j % INPUT] = data[j];
            }
            rows.add(RowFactory.create((long) i, nested));
        }
        SparkSession spark = SparkSession.builder().master("local[1]").appName("jrnn-spark-throughput")
                .config("spark.ui.enabled", "false").getOrCreate();
        StructType schema = new StructType().add("id", DataTypes.LongType)
                .add("seq", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(1).cache();
        df.count();
        SparkSequenceScorer scorer = SparkSequenceScorer.builder(model).input(SequenceInput.nested("seq"))
                .batchSize(BATCH).build();
        scorer.registerUdf(spark, "embed");
        df.createOrReplaceTempView("sequences");
        BatchScorer direct = new BatchScorer(model.parts(), ScoreOutput.LAST_HIDDEN);

        double oneByOne = 0;
        double packed = 0;
        double sparkTransform = 0;
        double sparkUdf = 0;
        for (int r = 0; r < rounds; r++) {
            oneByOne = Math.max(oneByOne, rate(rowCount, () -> {
                for (SequenceRow s : sequences) {
                    GradMode.noGrad(() -> gru.forward(Tensor.of(s.data(), s.steps(), 1, INPUT), null, null));
                }
            }));
            packed = Math.max(packed, rate(rowCount, () -> {
                for (int from = 0; from < rowCount; from += BATCH) {
                    direct.score(sequences.subList(from, Math.min(rowCount, from + BATCH)));
                }
            }));
            sparkTransform = Math.max(sparkTransform, rate(rowCount, () -> scorer.transform(df)
                    .selectExpr("sum(size(jrnn_output))").collectAsList()));
            sparkUdf = Math.max(sparkUdf, rate(rowCount, () -> spark.sql(
                    "SELECT sum(size(embed(seq).value)) FROM sequences").collectAsList()));
        }
        spark.stop();
        System.out.printf("GRU(%d, %d), %d rows of 20-100 steps, one core, best of %d:%n", INPUT, hidden, rowCount,
                rounds);
        System.out.printf("  jrnn, one forward per sequence: %10.0f rows/s%n", oneByOne);
        System.out.printf("  jrnn, packed batches of %d:     %10.0f rows/s%n", BATCH, packed);
        System.out.printf("  Spark transform (batches %d):  %10.0f rows/s%n", BATCH, sparkTransform);
        System.out.printf("  Spark SQL function:             %10.0f rows/s%n", sparkUdf);
        System.out.printf("  transform / packed jrnn = %.2f; packed / one by one = %.2f%n",
                sparkTransform / packed, packed / oneByOne);
    }

    private static double rate(int rows, Runnable work) {
        long start = System.nanoTime();
        work.run();
        return rows / ((System.nanoTime() - start) / 1e9);
    }
}
