package io.github.jrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.models.ModelHandle;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.RNN;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Torch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch scorer without Spark: batch invariance for the RNN modes, and a failing row kept to itself. */
class BatchScorerTest {

    private static final int INPUT = 3;

    @Test
    void everyBatchSizeGivesEachRowTheBitsOfItsOwnForward() throws Exception {
        for (String nonlinearity : List.of("tanh", "relu")) {
            RNN rnn = RNN.builder(INPUT, 6).nonlinearity(nonlinearity).numLayers(2).bidirectional(true)
                    .generator(new Generator(21)).build();
            BatchScorer scorer = new BatchScorer(SequenceModel.recurrent(ModelHandle.of(rnn, RNN.class)).parts(),
                    ScoreOutput.LAST_HIDDEN);
            List<SequenceRow> rows = rows(new Generator(22), 23);
            for (int batch : new int[] {1, 2, 5, 23}) {
                for (int from = 0; from < rows.size(); from += batch) {
                    List<SequenceRow> slice = rows.subList(from, Math.min(rows.size(), from + batch));
                    List<BatchScorer.Scored> scored = scorer.score(slice);
                    for (int i = 0; i < slice.size(); i++) {
                        assertArrayEquals(bits(lastHiddenAlone(rnn, slice.get(i))),
                                bits((float[]) scored.get(i).value()), nonlinearity + " batch " + batch + " row "
                                        + (from + i));
                    }
                }
            }
        }
    }

    @Test
    void aRowTheModelFailsOnGetsTheErrorAndTheOthersTheirScores() throws Exception {
        RNN rnn = RNN.builder(INPUT, 4).generator(new Generator(23)).build();
        // a head of the user's own that refuses a state it cannot use
        SequenceModel<RNN> model = SequenceModel.of(ModelHandle.of(rnn, RNN.class), m -> m, m -> input -> {
            for (float v : input.data()) {
                if (Float.isNaN(v)) {
                    throw new IllegalStateException("NaN state");
                }
            }
            return input;
        });
        BatchScorer scorer = new BatchScorer(model.parts(), ScoreOutput.HEAD_LOGITS);
        List<SequenceRow> rows = new ArrayList<>(rows(new Generator(24), 3));
        float[] nan = new float[2 * INPUT];
        nan[4] = Float.NaN;
        rows.add(1, new SequenceRow(nan, 2, null));

        List<BatchScorer.Scored> scored = scorer.score(rows);

        assertEquals("jrnn could not score this row: java.lang.IllegalStateException: NaN state",
                scored.get(1).error());
        assertNull(scored.get(1).value());
        for (int i : new int[] {0, 2, 3}) {
            assertNull(scored.get(i).error());
            assertArrayEquals(bits(lastHiddenAlone(rnn, rows.get(i))), bits((float[]) scored.get(i).value()));
        }
    }

    private static List<SequenceRow> rows(Generator g, int count) {
        List<SequenceRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int steps = 1 + (i * 5) % 9;
            rows.add(new SequenceRow(Torch.randn(g, steps, INPUT).data(), steps, null));
        }
        return rows;
    }

    /** The top layer's final states of the module run on this sequence alone (batch 1). */
    private static float[] lastHiddenAlone(RNNBase module, SequenceRow row) {
        float[] hN = GradMode.noGrad(() -> module.forward(Tensor.of(row.data().clone(), row.steps(), 1, INPUT),
                null, null)).hN().data();
        int top = module.options().numDirections() * module.options().hiddenOutSize();
        return Arrays.copyOfRange(hN, hN.length - top, hN.length);
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
