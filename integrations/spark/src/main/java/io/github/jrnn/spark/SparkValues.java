package io.github.jrnn.spark;

import java.util.List;
import scala.jdk.javaapi.CollectionConverters;

/** Reads the values Spark hands to Java code for array columns: Scala sequences (rows, UDF arguments) or lists. */
final class SparkValues {

    private SparkValues() {
    }

    /**
     * A list view of an array value.
     *
     * @param value a {@code scala.collection.Seq} or a {@code java.util.List}
     * @param what  what the value is, for the message
     * @return the elements
     * @throws IllegalArgumentException for any other class (a schema the scorer should have refused)
     */
    static List<?> asList(Object value, String what) {
        if (value instanceof scala.collection.Seq<?> seq) {
            return CollectionConverters.asJava(seq);
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException(what + " must be an array, got a " + value.getClass().getName());
    }

    /**
     * Copies numbers as floats ({@code Number.floatValue()}: a double is rounded to the nearest float, as
     * {@code tensor.float()} does) into {@code target} from {@code offset}.
     *
     * @param source the elements, each a {@link Number}
     * @param target where they go
     * @param offset the first index written
     * @param what   the element's name for messages, followed by its index (e.g. {@code "step 3, feature "})
     * @return null when every element was a number, otherwise the message for the first one that was not
     */
    static String copyFloats(List<?> source, float[] target, int offset, String what) {
        int i = 0;
        for (Object element : source) {
            if (!(element instanceof Number number)) {
                return what + i + (element == null ? " is null" : " is a " + element.getClass().getSimpleName())
                        + "; expected a float";
            }
            target[offset + i] = number.floatValue();
            i++;
        }
        return null;
    }
}
