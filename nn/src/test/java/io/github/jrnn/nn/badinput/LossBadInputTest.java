package io.github.jrnn.nn.badinput;

import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.loss.CrossEntropyLoss;
import io.github.jrnn.nn.loss.MSELoss;
import io.github.jrnn.nn.loss.NLLLoss;
import io.github.jrnn.nn.loss.Reduction;
import io.github.jrnn.nn.random.Generator;
import org.junit.jupiter.api.Test;

import static io.github.jrnn.nn.badinput.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rows of the README table "Bad input and what it gets" for the losses; PyTorch 1.13 behaviour in each comment. */
class LossBadInputTest {

    private static Tensor logits(int rows, int classes) {
        float[] x = new float[rows * classes];
        new Generator(3).uniform(x, 0, x.length, -2, 2);
        return Tensor.of(x, rows, classes);
    }

    @Test
    void crossEntropyTargetEqualToTheClassCountIsRefused() {
        // torch: IndexError: Target 5 is out of bounds.
        assertRefused(IllegalArgumentException.class, "Target 5 is out of bounds",
                () -> new CrossEntropyLoss().forward(logits(3, 5), 0, 5, 1));
    }

    @Test
    void crossEntropyNegativeTargetIsRefused() {
        // torch: IndexError: Target -1 is out of bounds.
        assertRefused(IllegalArgumentException.class, "Target -1 is out of bounds",
                () -> new CrossEntropyLoss().forward(logits(3, 5), 0, -1, 1));
    }

    @Test
    void nllTargetOutOfRangeIsRefused() {
        // torch: IndexError: Target 5 is out of bounds. / Target -2 is out of bounds.
        assertRefused(IllegalArgumentException.class, "Target 5 is out of bounds",
                () -> new NLLLoss().forward(logits(3, 5), 0, 5, 1));
        assertRefused(IllegalArgumentException.class, "Target -2 is out of bounds",
                () -> new NLLLoss().forward(logits(3, 5), 0, -2, 1));
    }

    @Test
    void ignoreIndexTargetsAreSkippedNotRefused() {
        // torch: target -100 (the default ignore_index) or the configured ignore_index leaves the row out of the mean.
        Tensor x = logits(3, 5);
        Tensor rows02 = Tensor.of(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 2, 5);
        System.arraycopy(x.data(), 0, rows02.data(), 0, 5);
        System.arraycopy(x.data(), 10, rows02.data(), 5, 5);
        float both = new CrossEntropyLoss().forward(rows02, 0, 1).data()[0];
        assertEquals(both, new CrossEntropyLoss().forward(x, 0, -100, 1).data()[0]);
        assertEquals(both, new CrossEntropyLoss(null, 7, Reduction.MEAN, 0).forward(x, 0, 7, 1).data()[0]);
        assertEquals(new NLLLoss().forward(rows02, 0, 1).data()[0], new NLLLoss().forward(x, 0, -100, 1).data()[0]);
    }

    @Test
    void targetBatchSizeDifferentFromTheInputsIsRefused() {
        // torch: ValueError: Expected input batch_size (3) to match target batch_size (2).
        assertRefused(IllegalArgumentException.class, "Expected input batch_size (3) to match target batch_size (2)",
                () -> new CrossEntropyLoss().forward(logits(3, 5), 0, 1));
        assertRefused(IllegalArgumentException.class, "Expected input batch_size (3) to match target batch_size (2)",
                () -> new NLLLoss().forward(logits(3, 5), 0, 1));
    }

    @Test
    void emptyBatchGivesNanMeanZeroSumAndAnEmptyNone() {
        // torch: CrossEntropyLoss/NLLLoss on (0, 5): mean -> nan, sum -> 0., none -> shape (0,)
        Tensor empty = Tensor.zeros(0, 5);
        assertTrue(Float.isNaN(new CrossEntropyLoss().forward(empty).data()[0]));
        assertTrue(Float.isNaN(new NLLLoss().forward(empty).data()[0]));
        assertEquals(0f, new CrossEntropyLoss(null, -100, Reduction.SUM, 0).forward(empty).data()[0]);
        assertArrayEquals(new int[] {0}, new CrossEntropyLoss(null, -100, Reduction.NONE, 0).forward(empty).shape());
    }

    @Test
    void everyTargetIgnoredGivesNanMean() {
        // torch: CrossEntropyLoss()(x, [-100, -100]) -> nan
        assertTrue(Float.isNaN(new CrossEntropyLoss().forward(logits(2, 5), -100, -100).data()[0]));
    }

    @Test
    void mseEmptyBatchGivesNanMeanAndZeroSum() {
        // torch: MSELoss on (0, 5): mean -> nan, sum -> 0.
        assertTrue(Float.isNaN(new MSELoss().forward(Tensor.zeros(0, 5), Tensor.zeros(0, 5)).data()[0]));
        assertEquals(0f, new MSELoss(Reduction.SUM).forward(Tensor.zeros(0, 5), Tensor.zeros(0, 5)).data()[0]);
    }

    @Test
    void mseTargetOfAnotherShapeIsRefused() {
        // torch: broadcasting warning, then RuntimeError: The size of tensor a (3) must match the size of tensor b (2)
        assertRefused(IllegalArgumentException.class, "MSELoss: target size [2, 5]",
                () -> new MSELoss().forward(Tensor.zeros(3, 5), Tensor.zeros(2, 5)));
    }
}
