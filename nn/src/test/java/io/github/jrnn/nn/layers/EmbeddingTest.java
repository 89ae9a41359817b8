package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.tensor.LongTensor;
import io.github.jrnn.nn.tensor.Tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.random.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Embedding lookups, padding rows, and the index errors users hit. */
class EmbeddingTest {

    @Test
    void lookupSelectsRowsAndAppendsTheEmbeddingDimension() {
        Embedding e = new Embedding(5, 3, null, new Generator(4));
        float[] w = e.namedParameters().get("weight").data();
        Tensor out = e.forward(new int[] {4, 0, 4, 2}, 2, 2);
        assertArrayEquals(new int[] {2, 2, 3}, out.shape());
        int[] rows = {4, 0, 4, 2};
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(Arrays.copyOfRange(w, rows[i] * 3, rows[i] * 3 + 3),
                    Arrays.copyOfRange(out.data(), i * 3, i * 3 + 3), "index " + i);
        }
        assertEquals(out, e.forward(LongTensor.of(new long[] {4, 0, 4, 2}, 2, 2)), "int64 indices give the same");
    }

    @Test
    void paddingRowStartsAtZeroAndNegativePaddingCountsFromTheEnd() {
        Embedding e = new Embedding(6, 4, -2, new Generator(9));
        assertEquals(4, e.paddingIdx());
        float[] w = e.namedParameters().get("weight").data();
        assertArrayEquals(new float[4], Arrays.copyOfRange(w, 16, 20));
        assertTrue(Arrays.stream(new int[] {0, 1, 2, 3, 5}).allMatch(r -> w[r * 4] != 0f), "other rows are drawn");
    }

    @Test
    void outOfRangeAndNegativeIndicesAreRefusedWithTheirPosition() {
        Embedding e = new Embedding(5, 3);
        String high = assertThrows(IllegalArgumentException.class, () -> e.forward(new int[] {1, 5})).getMessage();
        assertTrue(high.contains("index out of range in self: indices[1] = 5"), high);
        assertTrue(high.contains("0 <= index < 5") && high.contains("largest valid one is 4"), high);
        String negative = assertThrows(IllegalArgumentException.class, () -> e.forward(new long[] {-1})).getMessage();
        assertTrue(negative.contains("indices[0] = -1") && negative.contains("negative indices"), negative);
        String shape = assertThrows(IllegalArgumentException.class, () -> e.forward(new int[] {1, 2, 3}, 2, 2))
                .getMessage();
        assertTrue(shape.contains("shape [2, 2] holds 4 indices, but 3 were given"), shape);
    }

    @Test
    void paddingIndexOutsideTheTableIsRefused() {
        String m = assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 3, 5)).getMessage();
        assertTrue(m.startsWith("Padding_idx must be within num_embeddings"), m);
    }
}
