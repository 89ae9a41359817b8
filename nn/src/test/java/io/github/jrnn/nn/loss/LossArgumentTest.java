package io.github.jrnn.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every refusal of the losses names the problem in PyTorch's words. */
class LossArgumentTest {

    private static final Tensor LOGITS = Tensor.zeros(3, 4);

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
        }
    }

    @Test
    void targetOutOfRangeIsRefusedWithTheClassRange() {
        assertMessage(() -> new CrossEntropyLoss().forward(LOGITS, 0, 7, 1), "Target 7 is out of bounds", "[0, 3]");
        assertMessage(() -> new CrossEntropyLoss().forward(LOGITS, 0, -1, 1), "Target -1 is out of bounds");
    }

    @Test
    void oneBasedLabelsGetAHint() {
        assertMessage(() -> new NLLLoss().forward(LOGITS, 1, 4, 2), "Target 4", "1-based");
    }

    @Test
    void ignoreIndexIsNotOutOfRange() {
        Tensor loss = new CrossEntropyLoss().forward(LOGITS, 0, CrossEntropyLoss.DEFAULT_IGNORE_INDEX, 1);
        assertEquals((float) Math.log(4), loss.data()[0], 1e-6f);
    }

    @Test
    void batchSizeMismatchIsRefused() {
        assertMessage(() -> new CrossEntropyLoss().forward(LOGITS, 0, 1),
                "Expected input batch_size (3) to match target batch_size (2).");
    }

    @Test
    void classWeightsMustCoverEveryClass() {
        assertMessage(() -> new CrossEntropyLoss(Tensor.zeros(3), -100, Reduction.MEAN, 0).forward(LOGITS, 0, 1, 2),
                "weight tensor should be defined either for all 4 classes", "[3]");
    }

    @Test
    void labelSmoothingMustBeAProbability() {
        assertMessage(() -> new CrossEntropyLoss(null, -100, Reduction.MEAN, 1.5),
                "label_smoothing must be between 0.0 and 1.0. Got: 1.5");
        assertMessage(() -> new CrossEntropyLoss(null, -100, Reduction.MEAN, Double.NaN), "label_smoothing");
    }

    @Test
    void unknownReductionIsRefused() {
        assertMessage(() -> Reduction.parse("average"), "average is not a valid value for reduction");
    }

    @Test
    void mseRefusesToBroadcast() {
        assertMessage(() -> new MSELoss().forward(Tensor.zeros(3, 1), Tensor.zeros(3)),
                "target size [3] must be the same as input size [3, 1]");
    }
}
