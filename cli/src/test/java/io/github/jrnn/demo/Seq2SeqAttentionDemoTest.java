package io.github.jrnn.demo;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.random.Generator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ./jrnn demo seq2seq-attention} against the same model trained by torch
 * ({@code tools/make_seq2seq_golden.py}): the same initial weights and batches from the seed, and every loss of the
 * first steps within {@link io.github.jrnn.nn.testing.TorchTolerance#FORWARD}; and the demo itself solves the task.
 */
class Seq2SeqAttentionDemoTest {

    static Stream<Long> seeds() throws Exception {
        return Stream.of(golden().metadata().get("seeds").split(",")).map(Long::parseLong);
    }

    private static SafeTensorsFile golden() throws Exception {
        return SafeTensors.read(DemoRun.path("seq2seq_attention.safetensors"));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theFirstStepsLossesAreTorchs(long seed) throws Exception {
        float[] torch = golden().tensor("seed_" + seed + ".loss").data();
        Seq2SeqAttentionDemo.Training training = new Seq2SeqAttentionDemo.Training(seed);
        float[] ours = new float[torch.length];
        for (int i = 0; i < ours.length; i++) {
            ours[i] = training.step();
        }
        assertClose("seed " + seed + " losses", torch, ours, FORWARD);
    }

    @Test
    void batchesAreTheReversedDigitsWithTeacherForcing() {
        ReverseDigits batch = ReverseDigits.draw(new Generator(7), 3);
        for (int b = 0; b < 3; b++) {
            String source = batch.sourceText(b);
            int len = batch.lengths()[b];
            assertTrue(len >= 2 && len <= 5 && source.length() == len, source);
            long[] target = new long[batch.target().length];
            for (int i = 0; i < target.length; i++) {
                target[i] = batch.target()[i];
            }
            assertEquals(new StringBuilder(source).reverse().toString(), batch.text(target, b));
            assertEquals(ReverseDigits.START, batch.decoderInput().data()[b]);
            for (int t = 1; t < len; t++) {
                assertEquals(target[b * ReverseDigits.MAX_LEN + t - 1], batch.decoderInput().data()[t * 3 + b]);
            }
        }
    }

    @Test
    void theDemoReversesEveryHeldOutStringAndShowsTheAttention() throws Exception {
        List<String> lines = DemoRun.lines(new Seq2SeqAttentionDemo(), 42);
        assertTrue(lines.stream().anyMatch(l -> l.matches("solved after \\d+ steps")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("attention of ")), String.join("\n", lines));
    }
}
