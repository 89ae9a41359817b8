package io.github.jrnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading one row's sequence: what is accepted, and the per-row message for what is not. */
class SequenceRowTest {

    @Test
    void flatRowIsReadStepAfterStepAndDoublesAreRoundedToFloat() {
        SequenceRow row = SequenceRow.flat(List.of(1.0, 2.0, 0.1, 4.0), 2L, 2);
        assertEquals(2, row.steps());
        assertArrayEquals(new float[] {1f, 2f, 0.1f, 4f}, row.data());
        assertNull(row.error());
    }

    @Test
    void flatRowMistakesNameTheCountsExpectedAndGiven() {
        assertEquals("values has 5 floats, expected length 2 x input_size 3 = 6",
                SequenceRow.flat(List.of(1f, 2f, 3f, 4f, 5f), 2, 3).error());
        assertEquals("length is null; a flat sequence needs its number of steps",
                SequenceRow.flat(List.of(1f), null, 1).error());
        assertEquals("length must be >= 1, got -1", SequenceRow.flat(List.of(1f), -1, 1).error());
        assertEquals("empty sequence (0 steps); a recurrent model needs at least 1 step",
                SequenceRow.flat(List.of(), 0, 1).error());
        assertEquals("length must be an integer, got Double 2.0", SequenceRow.flat(List.of(1f, 2f), 2.0, 1).error());
        assertEquals("value 1 is null; expected a float", SequenceRow.flat(Arrays.asList(1f, null), 2, 1).error());
        assertEquals("value 0 is a String; expected a float", SequenceRow.flat(List.of("x"), 1, 1).error());
    }

    @Test
    void nullInputIsNullWithoutAnError() {
        assertSame(SequenceRow.NULL, SequenceRow.nested(null, 3));
        assertSame(SequenceRow.NULL, SequenceRow.flat(null, 2, 3));
    }

    @Test
    void nestedRowAcceptsScalaSequencesAsSparkPassesThem() {
        scala.collection.immutable.Seq<Object> step = scala.jdk.javaapi.CollectionConverters
                .asScala(List.<Object>of(1f, 2f)).toSeq();
        SequenceRow row = SequenceRow.nested(scala.jdk.javaapi.CollectionConverters
                .asScala(List.<Object>of(step, step)).toSeq(), 2);
        assertArrayEquals(new float[] {1f, 2f, 1f, 2f}, row.data());
    }
}
