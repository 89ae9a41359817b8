package io.github.jrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.layers.Dropout;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Sequential;
import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.models.ModuleCheckpoints;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RecurrentOutput;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scorer on a real local Spark ({@code local[2]}: two task threads sharing one model), one session for the
 * class. Every expected value is a plain jrnn forward of one sequence alone (batch 1), compared bit for bit.
 */
class SparkScoringTest {

    private static final int INPUT = 5;
    private static final StructType NESTED = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("seq", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, true), true), true);

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("jrnn-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                // small local jobs: whole-stage code generation and adaptive planning cost more than they save
                .config("spark.sql.codegen.wholeStage", "false")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void packedBatchesGiveEachRowTheBitsOfItsOwnForward() throws Exception {
        GRU gru = GRU.builder(INPUT, 8).numLayers(2).bidirectional(true).generator(new Generator(1)).build();
        List<float[]> sequences = raggedSequences(new Generator(2), 41, 17);
        // batches of 7 over 3 partitions: batch edges fall inside partitions and lengths differ inside each batch
        Dataset<Row> df = nestedFrame(sequences).repartition(3);
        SequenceModel<GRU> model = SequenceModel.recurrent(ModelHandle.of(gru, GRU.class));

        Map<Long, Row> last = byId(scorer(model, ScoreOutput.LAST_HIDDEN, 7).transform(df).collectAsList());
        Map<Long, Row> all = byId(scorer(model, ScoreOutput.OUTPUT_SEQUENCE, 7).transform(df).collectAsList());

        assertEquals(sequences.size(), last.size());
        for (int i = 0; i < sequences.size(); i++) {
            RecurrentOutput alone = forwardAlone(gru, sequences.get(i));
            assertBits(topLayerLastHidden(gru, alone.hN()), floats(last.get((long) i).get(2)), "row " + i);
            assertNull(last.get((long) i).get(3));
            assertBits(alone.output().data(), flatten(all.get((long) i).get(2)), "row " + i + " output");
        }
    }

    @Test
    void projectedBidirectionalLstmMatchesItsOwnForwardToo() throws Exception {
        LSTM lstm = LSTM.builder(INPUT, 6).bidirectional(true).projSize(3).generator(new Generator(3)).build();
        List<float[]> sequences = raggedSequences(new Generator(4), 12, 9);
        SequenceModel<LSTM> model = SequenceModel.recurrent(ModelHandle.of(lstm, LSTM.class));

        Map<Long, Row> rows = byId(scorer(model, ScoreOutput.LAST_HIDDEN, 5).transform(nestedFrame(sequences))
                .collectAsList());

        for (int i = 0; i < sequences.size(); i++) {
            float[] expected = topLayerLastHidden(lstm, forwardAlone(lstm, sequences.get(i)).hN());
            assertEquals(6, expected.length); // D * proj_size
            assertBits(expected, floats(rows.get((long) i).get(2)), "row " + i);
        }
    }

    @Test
    void sequentialHeadGivesTheLogitsOfItsOwnForward() throws Exception {
        GRU gru = GRU.builder(INPUT, 8).generator(new Generator(5)).build();
        Linear head = new Linear(8, 3, true, new Generator(6), null);
        Sequential seq = new Sequential(gru, head);
        List<float[]> sequences = raggedSequences(new Generator(7), 20, 11);
        SequenceModel<Sequential> model = SequenceModel.sequential(ModelHandle.of(seq, Sequential.class));

        Map<Long, Row> rows = byId(scorer(model, ScoreOutput.HEAD_LOGITS, 6).transform(nestedFrame(sequences))
                .collectAsList());

        for (int i = 0; i < sequences.size(); i++) {
            float[] last = topLayerLastHidden(gru, forwardAlone(gru, sequences.get(i)).hN());
            float[] logits = GradMode.noGrad(() -> head.forward(Tensor.of(last, 1, 8))).data();
            assertBits(logits, floats(rows.get((long) i).get(2)), "row " + i);
        }
    }

    @Test
    void userModelFromAHandleFactoryScoresThroughItsAccessors() throws Exception {
        SensorModel trained = new SensorModel();
        byte[] checkpoint = ModuleCheckpoints.toBytes(trained);
        ModelHandle<SensorModel> handle = ModelHandle.of(checkpoint, SensorModel::new);
        SequenceModel<SensorModel> model = SequenceModel.of(handle, m -> m.lstm, m -> m.head);
        List<float[]> sequences = raggedSequences(new Generator(9), 10, 8);

        Map<Long, Row> rows = byId(scorer(model, ScoreOutput.HEAD_LOGITS, 4).transform(nestedFrame(sequences))
                .collectAsList());

        trained.eval(); // the handle's copy is in eval mode: dropout is the identity
        for (int i = 0; i < sequences.size(); i++) {
            float[] last = topLayerLastHidden(trained.lstm, forwardAlone(trained.lstm, sequences.get(i)).hN());
            float[] logits = GradMode.noGrad(() -> trained.head.forward(Tensor.of(last, 1, 7))).data();
            assertBits(logits, floats(rows.get((long) i).get(2)), "row " + i);
        }
    }

    @Test
    void flatValuesWithALengthColumnScoreLikeNestedSequences() throws Exception {
        GRU gru = GRU.builder(INPUT, 4).generator(new Generator(10)).build();
        List<float[]> sequences = raggedSequences(new Generator(11), 9, 6);
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("values", DataTypes.createArrayType(DataTypes.DoubleType, true), true)
                .add("steps", DataTypes.IntegerType, true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            float[] s = sequences.get(i);
            Double[] values = new Double[s.length];
            for (int j = 0; j < s.length; j++) {
                values[j] = (double) s[j]; // a float widened to double rounds back to itself
            }
            rows.add(RowFactory.create((long) i, values, s.length / INPUT));
        }
        SparkSequenceScorer scorer = SparkSequenceScorer.builder(SequenceModel.recurrent(ModelHandle.of(gru,
                GRU.class))).input(SequenceInput.flat("values", "steps")).batchSize(4).build();

        Map<Long, Row> scored = byId(scorer.transform(spark.createDataFrame(rows, schema)).collectAsList());

        for (int i = 0; i < sequences.size(); i++) {
            assertBits(topLayerLastHidden(gru, forwardAlone(gru, sequences.get(i)).hN()),
                    floats(scored.get((long) i).get(3)), "row " + i);
        }
    }

    @Test
    void badRowsGetAPerRowErrorAndTheirBatchMatesAreStillScored() throws Exception {
        GRU gru = GRU.builder(INPUT, 4).generator(new Generator(12)).build();
        float[] good = Torch.randn(new Generator(13), 3, INPUT).data();
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create(0L, nested(good)));
        rows.add(RowFactory.create(1L, null));
        rows.add(RowFactory.create(2L, new Float[0][]));
        rows.add(RowFactory.create(3L, new Float[][] {{1f, 2f, 3f, 4f, 5f}, {1f, 2f, 3f}}));
        rows.add(RowFactory.create(4L, new Float[][] {{1f, 2f, 3f, 4f, 5f}, null}));
        rows.add(RowFactory.create(5L, new Float[][] {{1f, 2f, null, 4f, 5f}}));
        rows.add(RowFactory.create(6L, nested(good)));
        SparkSequenceScorer scorer = scorer(SequenceModel.recurrent(ModelHandle.of(gru, GRU.class)),
                ScoreOutput.LAST_HIDDEN, 64);

        Map<Long, Row> scored = byId(scorer.transform(spark.createDataFrame(rows, NESTED).coalesce(1))
                .collectAsList());

        float[] expected = topLayerLastHidden(gru, forwardAlone(gru, good).hN());
        assertBits(expected, floats(scored.get(0L).get(2)), "good row before the bad ones");
        assertBits(expected, floats(scored.get(6L).get(2)), "good row after the bad ones");
        assertNull(scored.get(1L).get(2));
        assertNull(scored.get(1L).get(3), "a null sequence is null, not an error");
        assertEquals("empty sequence (0 steps); a recurrent model needs at least 1 step", scored.get(2L).get(3));
        assertEquals("step 1 has 3 features, expected input_size = 5 (the model's input width)",
                scored.get(3L).get(3));
        assertEquals("step 1 is null; every step must be an array of input_size = 5 floats", scored.get(4L).get(3));
        assertEquals("step 0, feature 2 is null; expected a float", scored.get(5L).get(3));
        for (long id = 2; id <= 5; id++) {
            assertNull(scored.get(id).get(2), "row " + id + " has no score");
        }
    }

    @Test
    void sqlFunctionScoresLikeTransformAndReportsErrors() throws Exception {
        GRU gru = GRU.builder(INPUT, 4).generator(new Generator(14)).build();
        List<float[]> sequences = raggedSequences(new Generator(15), 6, 5);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            rows.add(RowFactory.create((long) i, nested(sequences.get(i))));
        }
        rows.add(RowFactory.create(6L, new Float[][] {{1f}}));
        spark.createDataFrame(rows, NESTED).createOrReplaceTempView("sensor_sequences");
        scorer(SequenceModel.recurrent(ModelHandle.of(gru, GRU.class)), ScoreOutput.LAST_HIDDEN, 8)
                .registerUdf(spark, "gru_embed");

        Map<Long, Row> scored = byId(spark.sql("SELECT id, gru_embed(seq).value AS v, gru_embed(seq).error AS e"
                + " FROM sensor_sequences").collectAsList());

        for (int i = 0; i < sequences.size(); i++) {
            assertBits(topLayerLastHidden(gru, forwardAlone(gru, sequences.get(i)).hN()),
                    floats(scored.get((long) i).get(1)), "row " + i);
        }
        assertNull(scored.get(6L).get(1));
        assertEquals("step 0 has 1 features, expected input_size = 5 (the model's input width)",
                scored.get(6L).get(2));
    }

    @Test
    void jobWideMistakesAreRefusedOnTheDriver() throws Exception {
        GRU gru = GRU.builder(INPUT, 4).generator(new Generator(16)).build();
        SequenceModel<GRU> model = SequenceModel.recurrent(ModelHandle.of(gru, GRU.class));
        Dataset<Row> ints = spark.createDataFrame(List.of(RowFactory.create(0L, new Integer[][] {{1}})),
                new StructType().add("id", DataTypes.LongType).add("seq",
                        DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.IntegerType))));
        SparkSequenceScorer scorer = scorer(model, ScoreOutput.LAST_HIDDEN, 8);

        assertEquals("sequence column 'seq' must be array<array<float>> (or with double elements), got"
                + " array<array<int>>", assertThrows(IllegalArgumentException.class,
                    () -> scorer.transform(ints)).getMessage());
        assertEquals("no column 'seq' in the DataFrame; its columns are id", assertThrows(
                IllegalArgumentException.class, () -> scorer.transform(ints.select("id"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> scorer(model, ScoreOutput.HEAD_LOGITS, 8))
                .getMessage().startsWith("output HEAD_LOGITS needs a model with a head"));

        Sequential misfit = new Sequential(gru, new Linear(7, 2));
        SequenceModel<Sequential> misfitModel = SequenceModel.sequential(ModelHandle.of(misfit, Sequential.class));
        String message = assertThrows(IllegalArgumentException.class,
                () -> scorer(misfitModel, ScoreOutput.HEAD_LOGITS, 8)).getMessage();
        assertTrue(message.startsWith("the model's head does not take the last hidden state (4 floats"), message);
    }

    /** A model class of the user's own: an LSTM and a small head, loaded through a handle factory. */
    static final class SensorModel extends Module {
        final LSTM lstm;
        final Sequential head;

        SensorModel() {
            lstm = registerModule("lstm", LSTM.builder(INPUT, 7).numLayers(2).generator(new Generator(8)).build());
            head = registerModule("head", new Sequential(new Linear(7, 6, true, new Generator(17), null),
                    new Dropout(0.5), new Linear(6, 2, true, new Generator(18), null)));
        }
    }

    private static SparkSequenceScorer scorer(SequenceModel<?> model, ScoreOutput output, int batchSize) {
        return SparkSequenceScorer.builder(model).input(SequenceInput.nested("seq")).output(output)
                .outputColumn("score").batchSize(batchSize).build();
    }

    /** {@code count} sequences of 1 to {@code maxLength} steps of INPUT floats each, (L, INPUT) row-major. */
    private static List<float[]> raggedSequences(Generator g, int count, int maxLength) {
        List<float[]> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sequences.add(Torch.randn(g, 1 + (i * 7) % maxLength, INPUT).data());
        }
        return sequences;
    }

    private static Dataset<Row> nestedFrame(List<float[]> sequences) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            rows.add(RowFactory.create((long) i, nested(sequences.get(i))));
        }
        return spark.createDataFrame(rows, NESTED);
    }

    private static Float[][] nested(float[] sequence) {
        Float[][] steps = new Float[sequence.length / INPUT][INPUT];
        for (int j = 0; j < sequence.length; j++) {
            steps[j / INPUT][j % INPUT] = sequence[j];
        }
        return steps;
    }

    /** The module on this one sequence as a batch of one, (L, 1, INPUT), recording nothing. */
    private static RecurrentOutput forwardAlone(RNNBase module, float[] sequence) {
        int steps = sequence.length / INPUT;
        return GradMode.noGrad(() -> module.forward(Tensor.of(sequence.clone(), steps, 1, INPUT), null, null));
    }

    /** The top layer's final states of a batch-1 h_n (D * layers, 1, H_out), forward direction first. */
    private static float[] topLayerLastHidden(RNNBase module, Tensor hN) {
        int directions = module.options().numDirections();
        int width = module.options().hiddenOutSize();
        float[] states = hN.data();
        int top = states.length - directions * width;
        return Arrays.copyOfRange(states, top, states.length);
    }

    private static Map<Long, Row> byId(List<Row> rows) {
        Map<Long, Row> byId = new HashMap<>();
        for (Row row : rows) {
            byId.put(row.getLong(0), row);
        }
        return byId;
    }

    /** An {@code array<float>} value as Spark returns it (a Scala sequence of boxed floats). */
    private static float[] floats(Object value) {
        List<?> list = SparkValues.asList(value, "value");
        float[] result = new float[list.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = (Float) list.get(i);
        }
        return result;
    }

    private static float[] flatten(Object value) {
        List<float[]> steps = new ArrayList<>();
        int total = 0;
        for (Object step : SparkValues.asList(value, "value")) {
            float[] s = floats(step);
            steps.add(s);
            total += s.length;
        }
        float[] result = new float[total];
        int at = 0;
        for (float[] s : steps) {
            System.arraycopy(s, 0, result, at, s.length);
            at += s.length;
        }
        return result;
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int[] e = new int[expected.length];
        int[] a = new int[actual.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Float.floatToRawIntBits(expected[i]);
            a[i] = Float.floatToRawIntBits(actual[i]);
        }
        assertArrayEquals(e, a, what + ": bits");
    }
}
