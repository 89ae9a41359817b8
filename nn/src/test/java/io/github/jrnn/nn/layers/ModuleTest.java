package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.Tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.LSTM;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Module bookkeeping: names and order as PyTorch, state dicts, strict and non-strict loading, modes. */
class ModuleTest {

    /** A parent module like {@code nn.Sequential}-style user code: an LSTM and a Linear head. */
    private static final class Tagger extends Module {
        final LSTM lstm = registerModule("lstm", LSTM.builder(3, 4).generator(new Generator(1)).build());
        final Linear head = registerModule("head", new Linear(4, 2, true, new Generator(2), null));
    }

    @Test
    void namedParametersFollowPyTorchsRegistrationOrderWithDottedChildNames() {
        assertEquals(List.of("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
                "head.weight", "head.bias"), List.copyOf(new Tagger().namedParameters().keySet()));
    }

    @Test
    void parameterShapesAreDocumentedOnes() {
        Map<String, Parameter> p = new Tagger().namedParameters();
        assertArrayEquals(new int[] {16, 3}, p.get("lstm.weight_ih_l0").shape());
        assertArrayEquals(new int[] {16, 4}, p.get("lstm.weight_hh_l0").shape());
        assertArrayEquals(new int[] {2, 4}, p.get("head.weight").shape());
    }

    @Test
    void stateDictIsACopy() {
        Tagger t = new Tagger();
        Map<String, Tensor> sd = t.stateDict();
        float before = t.head.namedParameters().get("weight").data()[0];
        sd.get("head.weight").data()[0] = before + 1;
        assertEquals(before, t.head.namedParameters().get("weight").data()[0]);
    }

    @Test
    void loadingCopiesIntoTheSameParameterObjects() {
        Tagger a = new Tagger();
        Parameter w = a.namedParameters().get("head.weight");
        Map<String, Tensor> sd = new LinkedHashMap<>(a.stateDict());
        sd.put("head.weight", Tensor.full(0.5f, 2, 4));
        Module.LoadResult r = a.loadStateDict(sd, true);
        assertSame(w, a.namedParameters().get("head.weight"));
        assertArrayEquals(Tensor.full(0.5f, 2, 4).data(), w.data());
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
    }

    @Test
    void strictLoadingReportsEveryProblemAtOnceAndChangesNothing() {
        Tagger t = new Tagger();
        Map<String, Tensor> before = t.stateDict();
        Map<String, Tensor> sd = new LinkedHashMap<>(before);
        sd.remove("lstm.bias_hh_l0");
        sd.remove("head.bias");
        sd.put("extra", Tensor.zeros(1));
        sd.put("head.weight", Tensor.zeros(2, 5));
        sd.put("lstm.weight_ih_l0", Tensor.full(7f, 16, 3));
        String m = assertThrows(IllegalArgumentException.class, () -> t.loadStateDict(sd, true)).getMessage();
        assertTrue(m.startsWith("Error(s) in loading state_dict for Tagger:"), m);
        assertTrue(m.contains("Missing key(s) in state_dict: \"lstm.bias_hh_l0\", \"head.bias\"."), m);
        assertTrue(m.contains("Unexpected key(s) in state_dict: \"extra\"."), m);
        assertTrue(m.contains("size mismatch for head.weight: copying a param with shape [2, 5] from checkpoint, the"
                + " shape in current model is [2, 4]."), m);
        assertEquals(before, t.stateDict(), "a failed load must not copy anything");
    }

    @Test
    void nonStrictLoadingReturnsMissingAndUnexpectedKeysButStillRefusesSizeMismatches() {
        Tagger t = new Tagger();
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("head.bias", Tensor.full(3f, 2));
        sd.put("other", Tensor.zeros(1));
        Module.LoadResult r = t.loadStateDict(sd, false);
        assertEquals(List.of("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0",
                "head.weight"), r.missingKeys());
        assertEquals(List.of("other"), r.unexpectedKeys());
        assertArrayEquals(new float[] {3f, 3f}, t.namedParameters().get("head.bias").data());
        sd.put("head.bias", Tensor.zeros(3));
        assertThrows(IllegalArgumentException.class, () -> t.loadStateDict(sd, false));
    }

    @Test
    void trainAndEvalReachChildren() {
        Tagger t = new Tagger();
        assertTrue(t.isTraining() && t.lstm.isTraining());
        t.eval();
        assertFalse(t.isTraining() || t.lstm.isTraining() || t.head.isTraining());
        t.train();
        assertTrue(t.head.isTraining());
    }

    @Test
    void parameterGradientsAppearWithBackwardAndAreClearedByZeroGrad() {
        Parameter p = Parameter.zeros(2, 3);
        assertTrue(p.value().requiresGrad() && p.value().isLeaf());
        assertFalse(p.hasGrad());
        assertNull(p.grad());
        p.value().reshape(6).backward(Tensor.full(2f, 6));
        assertTrue(p.hasGrad());
        assertArrayEquals(new int[] {2, 3}, p.grad().shape());
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, p.grad().data());
        assertNotSame(p.value(), p.grad());
        p.zeroGrad();
        assertFalse(p.hasGrad());
    }

    @Test
    void registrationRefusesDuplicateAndDottedNames() {
        class Bad extends Module {
            Bad(String second) {
                registerParameter("w", Parameter.zeros(1));
                registerParameter(second, Parameter.zeros(1));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Bad("w"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("a.b"));
    }
}
