package io.github.jrnn.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;
import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Buffers, tied parameters, dtype checks and Sequential, as PyTorch's Module has them. */
class ModuleStateTest {

    @TempDir
    Path dir;

    /** Embedding-like weight tied to a head, a float buffer and an int64 buffer, nested one level. */
    private static final class Tied extends Module {
        final Embedding embed = registerModule("embed", new Embedding(5, 3));
        final Linear head = registerModule("head", new Linear(embed.namedParameters().get("weight"), false, null,
                null));
        final Tensor scale = registerBuffer("scale", Tensor.full(2f, 3));
        final LongTensor steps = registerBuffer("steps", LongTensor.of(new long[] {7}));
    }

    private StateDict read(Map<String, Tensor> floats, Map<String, long[]> longs) throws Exception {
        SafeTensorsWriter w = new SafeTensorsWriter();
        floats.forEach(w::putTensor);
        longs.forEach((k, v) -> w.putLongs(k, v, v.length == 1 ? new int[0] : new int[] {v.length}));
        Path file = dir.resolve("sd" + System.nanoTime() + ".safetensors");
        w.write(file);
        return StateDicts.read(file);
    }

    @Test
    void buffersAreStateButNotParameters() {
        Tied t = new Tied();
        assertEquals(List.of("scale", "embed.weight", "head.weight"), List.copyOf(t.stateDict().keySet()),
                "PyTorch's order: own parameters, own buffers, children; both tied names; float state only");
        assertEquals(List.of("embed.weight"), List.copyOf(t.namedParameters().keySet()), "a tied parameter once");
        assertEquals(1, t.parameters().size());
        assertEquals(Map.of("scale", t.scale), t.namedBuffers());
        assertEquals(Map.of("steps", t.steps), t.namedIntegerBuffers());
        assertThrows(IllegalArgumentException.class, () -> t.registerBuffer("w", Tensor.zeros(1).requiresGrad(true)));
        assertThrows(IllegalArgumentException.class, () -> t.registerBuffer("scale", Tensor.zeros(1)));
    }

    @Test
    void aStateDictFileLoadsFloatsAndIntegersAndWritesATiedParameterOnce() throws Exception {
        Tied t = new Tied();
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 5, 3);
        long before = t.head.namedParameters().get("weight").version();
        Map<String, Tensor> floats = new LinkedHashMap<>(Map.of("embed.weight", w, "head.weight", w,
                "scale", Tensor.full(0.5f, 3)));
        Module.LoadResult r = t.loadStateDict(read(floats, Map.of("steps", new long[] {11})), true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
        assertArrayEquals(w.data(), t.head.namedParameters().get("weight").data());
        assertEquals(before + 1, t.head.namedParameters().get("weight").version(), "written once");
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, t.scale.data());
        assertArrayEquals(new long[] {11}, t.steps.data());
    }

    @Test
    void tiedNamesWithDifferentValuesAndWrongDtypesAreRefusedTogether() throws Exception {
        Tied t = new Tied();
        Map<String, Tensor> before = t.stateDict();
        Map<String, Tensor> floats = new LinkedHashMap<>(Map.of("embed.weight", Tensor.zeros(5, 3),
                "head.weight", Tensor.full(1f, 5, 3), "steps", Tensor.zeros()));
        String m = assertThrows(IllegalArgumentException.class,
                () -> t.loadStateDict(read(floats, Map.of("scale", new long[] {1, 2, 3})), true)).getMessage();
        assertTrue(m.contains("tied names embed.weight and head.weight are one param in current model, but the"
                + " checkpoint gives them different values (first at element 0: 0.0 and 1.0)."), m);
        assertTrue(m.contains("dtype mismatch for scale: copying a tensor of dtype I64 from checkpoint, the buffer"
                + " in current model is F32 (floating point)."), m);
        assertTrue(m.contains("dtype mismatch for steps: copying a tensor of dtype F32 from checkpoint, the int64"
                + " buffer in current model is I64 (integer)."), m);
        assertEquals(before, t.stateDict(), "nothing copied");
        assertArrayEquals(new long[] {7}, t.steps.data());
    }

    @Test
    void aFloatMapDoesNotExpectIntegerBuffers() {
        Tied t = new Tied();
        Module.LoadResult r = t.loadStateDict(new Tied().stateDict(), true);
        assertEquals(List.of(), r.missingKeys());
    }

    @Test
    void sequentialNamesChildrenLikeTorchAndChainsTensorLayers() {
        Linear first = new Linear(3, 4);
        Linear second = new Linear(4, 2, false);
        Sequential seq = new Sequential(first, new Dropout(0.5), second);
        assertEquals(List.of("0.weight", "0.bias", "2.weight"), List.copyOf(seq.stateDict().keySet()));
        assertSame(second, seq.get(2));
        assertEquals(3, seq.size());
        seq.eval();
        Tensor x = Tensor.full(1f, 2, 3);
        assertArrayEquals(second.forward(first.forward(x)).data(), seq.forward(x).data());

        Embedding embed = new Embedding(6, 3);
        Sequential lookup = new Sequential(embed, new Linear(3, 2));
        assertArrayEquals(new int[] {2, 2}, lookup.forward(LongTensor.of(new long[] {1, 5}, 2)).shape());
        String notALayer = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(new Linear(3, 3), embed).forward(x)).getMessage();
        assertEquals("Sequential.forward: child (1) (Embedding) does not map one tensor to one tensor; call its"
                + " forward yourself with get(1)", notALayer);
        assertFalse(seq.isTraining() || first.isTraining());
    }
}
