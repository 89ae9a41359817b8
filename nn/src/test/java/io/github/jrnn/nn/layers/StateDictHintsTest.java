package io.github.jrnn.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hints of a refused load: each given when the names prove it, none when they do not (a single missing bias
 * is not blamed on bias=False, renamed tensors are not blamed on num_layers).
 */
class StateDictHintsTest {

    /** A user model with a recurrent child and a head, as people write them. */
    private static final class Tagger extends Module {
        Tagger(LSTM lstm) {
            registerModule("lstm", lstm);
            registerModule("head", new Linear(4, 2));
        }
    }

    private static List<String> hints(Module m, Map<String, Tensor> sd) {
        String message = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd, true)).getMessage();
        return message.lines().map(String::strip).filter(l -> l.startsWith("hint: "))
                .map(l -> l.substring("hint: ".length())).toList();
    }

    private static Map<String, Tensor> renamed(Map<String, Tensor> sd, String from, String to) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        sd.forEach((k, v) -> out.put(k.startsWith(from) ? to + k.substring(from.length()) : k, v));
        return out;
    }

    @Test
    void recurrentShapeDifferencesAreNamedForTheSubmodule() {
        LSTM one = LSTM.builder(3, 4).build();
        assertEquals(List.of("the module has num_layers=1 but the checkpoint has 2 layers of weights for it (_l0 .."
                + " _l1)"), hints(one, LSTM.builder(3, 4).numLayers(2).build().stateDict()));
        assertEquals(List.of("the checkpoint has 'weight_hr' weights for the module: it comes from an LSTM with"
                + " proj_size > 0"), hints(one, LSTM.builder(3, 4).projSize(2).build().stateDict()));
        assertEquals(List.of("'lstm' is bidirectional but the checkpoint has no '_reverse' weights for it"),
                hints(new Tagger(LSTM.builder(3, 4).bidirectional(true).build()), new Tagger(one).stateDict()));
    }

    @Test
    void biasIsBlamedOnlyWhenASubmoduleHasNoneAtAll() {
        Tagger noBias = new Tagger(LSTM.builder(3, 4).bias(false).build());
        Tagger withBias = new Tagger(LSTM.builder(3, 4).numLayers(2).build());
        Tagger withBias1 = new Tagger(LSTM.builder(3, 4).build());
        assertEquals(List.of("the checkpoint has biases for 'lstm': build 'lstm' with bias=True"),
                hints(noBias, withBias1.stateDict()));
        assertEquals(List.of("the checkpoint has no biases for 'lstm': build 'lstm' with bias=False"),
                hints(withBias1, noBias.stateDict()));

        Map<String, Tensor> oneBiasLost = withBias.stateDict();
        oneBiasLost.remove("lstm.bias_hh_l1");
        String message = assertThrows(IllegalArgumentException.class,
                () -> withBias.loadStateDict(oneBiasLost, true)).getMessage();
        assertEquals("Error(s) in loading state_dict for Tagger:\n\tMissing key(s) in state_dict:"
                + " \"lstm.bias_hh_l1\". ", message, "an incomplete checkpoint, not a bias=False one: no hint");
    }

    @Test
    void aRenamedPrefixIsNamedAndNothingElseIsGuessed() {
        GRU two = GRU.builder(3, 4).numLayers(2).build();
        Map<String, Tensor> sd = new Tagger(LSTM.builder(3, 4).build()).stateDict();
        Tagger model = new Tagger(LSTM.builder(3, 4).build());
        assertEquals(List.of("every key of the checkpoint has the prefix 'module.' that the model's keys lack: it was"
                + " saved from nn.DataParallel or DistributedDataParallel, which adds 'module.' to every key (save"
                + " model.module.state_dict() instead); load stateDict.withPrefix(\"module\")"),
                hints(model, renamed(sd, "", "module.")));
        assertEquals(List.of("every key of the checkpoint has the prefix 'model.' that the model's keys lack: it was"
                + " saved from a parent module; load stateDict.withPrefix(\"model\")"),
                hints(model, renamed(sd, "", "model.")));
        assertEquals(List.of("the checkpoint's keys start with 'rnn.' where the model's start with 'lstm.' and are"
                + " otherwise the same: a submodule has another name in the checkpoint; rename one of them"),
                hints(model, renamed(sd, "lstm.", "rnn.")), "renamed weights are not blamed on num_layers");
        Map<String, Tensor> bare = new LinkedHashMap<>();
        two.stateDict().forEach(bare::put);
        assertEquals(List.of("every key of the model has the prefix 'rnn.' that the checkpoint's keys lack: the"
                + " checkpoint holds only that submodule; load it into rnn, or add the prefix to its keys"),
                hints(new Wrapper(GRU.builder(3, 4).numLayers(2).build()), bare));
    }

    private static final class Wrapper extends Module {
        Wrapper(GRU rnn) {
            registerModule("rnn", rnn);
        }
    }
}
