package io.github.jrnn.spark;

import java.util.List;

/**
 * One DataFrame row's sequence, read and checked: {@code steps} rows of {@code input_size} floats, row-major, or the
 * reason it cannot be scored, or SQL null (a null input column).
 *
 * @param data   (steps, input_size) row-major, or null
 * @param steps  the sequence length L (at least 1 when {@code data} is set)
 * @param error  why the row cannot be scored, or null
 */
record SequenceRow(float[] data, int steps, String error) {

    /** A null input: scored as null, without an error (SQL's null in, null out). */
    static final SequenceRow NULL = new SequenceRow(null, 0, null);

    static SequenceRow invalid(String error) {
        return new SequenceRow(null, 0, error);
    }

    boolean scorable() {
        return data != null;
    }

    /**
     * Reads a nested sequence, {@code array<array<float>>} (or double, rounded to float): one inner array per step.
     *
     * @param value     the column's value: a Scala or Java list of lists of numbers, or null
     * @param inputSize the recurrent layer's input_size, the width every step must have
     * @return the row
     */
    static SequenceRow nested(Object value, int inputSize) {
        if (value == null) {
            return NULL;
        }
        List<?> steps = SparkValues.asList(value, "the sequence");
        if (steps.isEmpty()) {
            return invalid(emptyMessage());
        }
        float[] data = new float[Math.multiplyExact(steps.size(), inputSize)];
        for (int t = 0; t < steps.size(); t++) {
            Object step = steps.get(t);
            if (step == null) {
                return invalid("step " + t + " is null; every step must be an array of input_size = " + inputSize
                        + " floats");
            }
            List<?> features = SparkValues.asList(step, "step " + t);
            if (features.size() != inputSize) {
                return invalid("step " + t + " has " + features.size() + " features, expected input_size = "
                        + inputSize + " (the model's input width)");
            }
            String error = SparkValues.copyFloats(features, data, t * inputSize, "step " + t + ", feature ");
            if (error != null) {
                return invalid(error);
            }
        }
        return new SequenceRow(data, steps.size(), null);
    }

    /**
     * Reads a flat sequence: {@code values}, {@code array<float>} (or double) of {@code length * input_size} floats,
     * step after step, and {@code length}, the number of steps L.
     *
     * @param values    the values column's value, or null
     * @param length    the length column's value (an integer number), or null
     * @param inputSize the recurrent layer's input_size
     * @return the row
     */
    static SequenceRow flat(Object values, Object length, int inputSize) {
        if (values == null) {
            return NULL;
        }
        if (!(length instanceof Number n) || length instanceof Float || length instanceof Double) {
            return invalid(length == null ? "length is null; a flat sequence needs its number of steps"
                    : "length must be an integer, got " + length.getClass().getSimpleName() + " " + length);
        }
        long steps = n.longValue();
        if (steps == 0) {
            return invalid(emptyMessage());
        }
        if (steps < 0) {
            return invalid("length must be >= 1, got " + steps);
        }
        List<?> features = SparkValues.asList(values, "values");
        long expected = steps * inputSize;
        if (features.size() != expected) {
            return invalid("values has " + features.size() + " floats, expected length " + steps
                    + " x input_size " + inputSize + " = " + expected);
        }
        float[] data = new float[features.size()];
        String error = SparkValues.copyFloats(features, data, 0, "value ");
        return error != null ? invalid(error) : new SequenceRow(data, (int) steps, null);
    }

    private static String emptyMessage() {
        return "empty sequence (0 steps); a recurrent model needs at least 1 step";
    }
}
