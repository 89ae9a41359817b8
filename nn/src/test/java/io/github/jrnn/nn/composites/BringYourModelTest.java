package io.github.jrnn.nn.composites;

import static io.github.jrnn.nn.composites.CompositeGoldenTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.StateDicts;
import io.github.jrnn.nn.random.Generator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README section "Bring your PyTorch model": the character model trained in PyTorch, saved with
 * {@code torch.save(model.state_dict(), "m.pt")}, loaded into {@link CharModel} with one call, generates torch's
 * greedy text and torch's logits and gradients.
 */
class BringYourModelTest {

    @Test
    void characterModelGeneratesTorchsGreedyText() throws Exception {
        StateDict torch = StateDicts.read(fixture("char_model.expected.pt"));
        String vocab = torch.metadata().get("vocab");
        String prompt = torch.metadata().get("prompt");
        String generated = torch.metadata().get("generated");

        CharModel model = new CharModel(vocab.length());
        model.loadStateDict(StateDicts.read(Path.of(fixture("char_model.pt").toString())), true);
        model.eval();
        String ours = GradMode.noGrad(() -> model.generate(vocab, prompt, generated.length() - prompt.length()));

        assertEquals(generated, ours);
    }

    /** The generation loop with temperature and sampling draws torch's characters from the same seed. */
    @Test
    void characterModelSamplesTorchsTextWithTemperature() throws Exception {
        Map<String, String> greedy = StateDicts.read(fixture("char_model.expected.pt")).metadata();
        String vocab = greedy.get("vocab");
        String prompt = greedy.get("prompt");
        CharModel model = new CharModel(vocab.length());
        model.loadStateDict(StateDicts.read(Path.of(fixture("char_model.pt").toString())), true);
        model.eval();
        Map<String, String> torch = SafeTensors.read(fixture("char_model.sampled.safetensors")).metadata();
        String[] cases = torch.get("cases").split(",");
        assertEquals(3, cases.length);
        for (String c : cases) {
            String[] seedAndTemperature = c.split(":");
            Generator g = new Generator(Long.parseLong(seedAndTemperature[0]));
            float temperature = Float.parseFloat(seedAndTemperature[1]);
            String expected = torch.get(c);
            String ours = GradMode.noGrad(() -> model.sample(vocab, prompt, expected.length() - prompt.length(),
                    temperature, g));
            assertEquals(expected, ours, "seed:temperature " + c);
        }
    }

    @Test
    void characterModelLogitsAndGradientsMatchTorch() throws Exception {
        CharModel model = new CharModel(StateDicts.read(fixture("char_model.expected.pt")).metadata().get("vocab")
                .length());
        CompositeGoldenTest.assertMatchesTorch("char_model", model,
                x -> model.head.forward(model.lstm.forward(model.embed.forward(x.toLongTensor())).output()));
    }
}
