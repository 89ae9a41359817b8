package io.github.jrnn.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./jrnn demo encoder-shapes}: the document's shapes and the error for h_0 sized by the embedding. */
class EncoderShapesDemoTest {

    @Test
    void printsTheEncoderShapesAndTheWrongHiddenStateError() throws Exception {
        List<String> lines = DemoRun.lines(new EncoderShapesDemo(), 42);
        assertEquals("embedded:            (4, 2, 5)", lines.get(1));
        assertEquals("packed data:         (6, 5), batch_sizes [2, 2, 1, 1]", lines.get(2));
        assertEquals("output (padded):     (4, 2, 4), lengths [4, 2]", lines.get(3));
        assertEquals("h_n:                 (1, 2, 4)", lines.get(4));
        assertEquals("mistake: h_0 of shape (1, 2, 5) (embedding size instead of hidden_size):", lines.get(5));
        assertTrue(lines.get(6).startsWith("  IllegalArgumentException: Expected hidden size (1, 2, 4), got [1, 2, 5];"
                + " hint: "), lines.get(6));
        assertTrue(lines.get(6).contains("it must be hidden_size (4)"), lines.get(6));
    }

    @Test
    void theShapesDoNotDependOnTheSeed() throws Exception {
        List<String> a = DemoRun.lines(new EncoderShapesDemo(), 1);
        List<String> b = DemoRun.lines(new EncoderShapesDemo(), 2);
        assertEquals(a, b);
    }
}
