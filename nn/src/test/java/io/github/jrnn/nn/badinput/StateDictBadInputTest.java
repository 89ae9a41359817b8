package io.github.jrnn.nn.badinput;

import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.models.ModuleCheckpoints;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.LSTM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.github.jrnn.nn.badinput.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rows of the README table "Bad input and what it gets" for loading a state dict into a module of another kind or
 * size: the message names the missing, unexpected and mismatched keys as PyTorch's {@code load_state_dict} does,
 * and nothing is copied when it refuses.
 */
class StateDictBadInputTest {

    @TempDir
    Path dir;

    private static LSTM lstm(int hidden) {
        return LSTM.builder(4, hidden).generator(new Generator(5)).build();
    }

    @Test
    void stateDictOfAnotherKindIsRefusedWithEverySizeMismatch() {
        // torch: RuntimeError: Error(s) in loading state_dict for LSTM:
        //   size mismatch for weight_ih_l0: copying a param with shape torch.Size([18, 4]) from checkpoint, the shape
        //   in current model is torch.Size([24, 4]). (and the same for weight_hh_l0, bias_ih_l0, bias_hh_l0)
        LSTM target = lstm(6);
        Map<String, Tensor> before = target.stateDict();
        IllegalArgumentException e = assertRefused(IllegalArgumentException.class, "Error(s) in loading state_dict"
                + " for LSTM:\n\tsize mismatch for weight_ih_l0: copying a param with shape [18, 4] from checkpoint,"
                + " the shape in current model is [24, 4].",
                () -> target.loadStateDict(new GRU(4, 6).stateDict(), true));
        for (String key : new String[] {"weight_hh_l0", "bias_ih_l0", "bias_hh_l0"}) {
            assertEquals(true, e.getMessage().contains("size mismatch for " + key), e.getMessage());
        }
        assertEquals(before, target.stateDict(), "nothing was copied");
    }

    @Test
    void stateDictOfAnotherSizeIsRefused() {
        // torch: size mismatch for weight_ih_l0: copying a param with shape torch.Size([28, 4]) ... [24, 4].
        assertRefused(IllegalArgumentException.class, "size mismatch for weight_ih_l0: copying a param with shape"
                + " [28, 4] from checkpoint, the shape in current model is [24, 4].",
                () -> lstm(6).loadStateDict(lstm(7).stateDict(), true));
    }

    @Test
    void stateDictOfAnotherModuleNamesMissingAndUnexpectedKeys() {
        // torch: Missing key(s) in state_dict: "weight_ih_l0", ... Unexpected key(s) in state_dict: "weight", "bias".
        IllegalArgumentException e = assertRefused(IllegalArgumentException.class, "Missing key(s) in state_dict:"
                + " \"weight_ih_l0\", \"weight_hh_l0\", \"bias_ih_l0\", \"bias_hh_l0\".",
                () -> lstm(6).loadStateDict(new Linear(4, 6).stateDict(), true));
        assertEquals(true, e.getMessage().contains("Unexpected key(s) in state_dict: \"weight\", \"bias\"."),
                e.getMessage());
    }

    @Test
    void bidirectionalStateDictIntoAUnidirectionalModuleGetsAHint() {
        LSTM bidirectional = LSTM.builder(4, 6).bidirectional(true).build();
        assertRefused(IllegalArgumentException.class,
                "hint: the checkpoint has '_reverse' weights for the module: it comes"
                        + " from a bidirectional module (bidirectional=True)",
                () -> lstm(6).loadStateDict(bidirectional.stateDict(), true));
    }

    @Test
    void checkpointFileWhoseTensorsDoNotFitItsMetadataIsRefused() throws Exception {
        // A file that says GRU but holds an LSTM's weights: a CheckpointFormatException naming the file.
        Path file = dir.resolve("mislabelled.safetensors");
        SafeTensorsWriter writer = new SafeTensorsWriter().putMetadata(ModuleCheckpoints.metadata(new GRU(4, 6)));
        lstm(6).stateDict().forEach(writer::putTensor);
        writer.write(file);
        CheckpointFormatException e = assertRefused(CheckpointFormatException.class, "size mismatch for"
                + " weight_ih_l0: copying a param with shape [24, 4] from checkpoint, the shape in current model is"
                + " [18, 4].", () -> ModuleCheckpoints.load(file));
        assertEquals(file, e.file());
    }

    @Test
    void linearCheckpointLoadedIntoAGruIsRefused() throws Exception {
        Path file = dir.resolve("linear-as-gru.safetensors");
        ModuleCheckpoints.save(new Linear(4, 6), file);
        Module loaded = ModuleCheckpoints.load(file);
        assertEquals(Linear.class, loaded.getClass(), "the metadata decides the kind");
        assertRefused(IllegalArgumentException.class, "Missing key(s) in state_dict",
                () -> new GRU(4, 6).loadStateDict(loaded.stateDict(), true));
    }
}
