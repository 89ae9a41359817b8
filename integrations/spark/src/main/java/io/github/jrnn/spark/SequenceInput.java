package io.github.jrnn.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a DataFrame holds its sequences: one nested column ({@code array<array<float>>}: one inner array of
 * input_size floats per step), or a flat column ({@code array<float>} of L * input_size floats, step after step)
 * plus a length column (L, an integer). {@code double} elements are accepted too and rounded to float. Sequences may
 * have any length from 1 step in the same column.
 */
public final class SequenceInput implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String valuesColumn;
    private final String lengthColumn; // null: nested

    private SequenceInput(String valuesColumn, String lengthColumn) {
        this.valuesColumn = valuesColumn;
        this.lengthColumn = lengthColumn;
    }

    /**
     * Sequences in one {@code array<array<float>>} column.
     *
     * @param column the column's name
     * @return the input layout
     */
    public static SequenceInput nested(String column) {
        requireName(column, "column");
        return new SequenceInput(column, null);
    }

    /**
     * Sequences as a flat {@code array<float>} column of L * input_size values and an integer column holding L.
     *
     * @param valuesColumn the values' column
     * @param lengthColumn the lengths' column ({@code int} or {@code bigint})
     * @return the input layout
     */
    public static SequenceInput flat(String valuesColumn, String lengthColumn) {
        requireName(valuesColumn, "valuesColumn");
        requireName(lengthColumn, "lengthColumn");
        return new SequenceInput(valuesColumn, lengthColumn);
    }

    boolean isFlat() {
        return lengthColumn != null;
    }

    /** The input columns, in the order the UDF takes them. */
    List<String> columns() {
        return isFlat() ? List.of(valuesColumn, lengthColumn) : List.of(valuesColumn);
    }

    /**
     * The positions of the input columns in {@code schema}, after checking their types.
     *
     * @throws IllegalArgumentException naming the column, the type expected and the type found
     */
    int[] fieldIndices(StructType schema) {
        List<Integer> indices = new ArrayList<>();
        for (String column : columns()) {
            indices.add(fieldIndex(schema, column));
        }
        checkType(schema.fields()[indices.getFirst()], isFlat() ? 1 : 2);
        if (isFlat()) {
            StructField length = schema.fields()[indices.get(1)];
            DataType t = length.dataType();
            if (!t.equals(DataTypes.IntegerType) && !t.equals(DataTypes.LongType)
                    && !t.equals(DataTypes.ShortType) && !t.equals(DataTypes.ByteType)) {
                throw new IllegalArgumentException("length column '" + length.name() + "' must be an integer type"
                        + " (int or bigint), got " + t.simpleString());
            }
        }
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reads the sequence of {@code row}, whose input columns are at {@code indices}. */
    SequenceRow read(Row row, int[] indices, int inputSize) {
        return isFlat() ? SequenceRow.flat(row.get(indices[0]), row.get(indices[1]), inputSize)
                : SequenceRow.nested(row.get(indices[0]), inputSize);
    }

    @Override
    public String toString() {
        return isFlat() ? "flat(" + valuesColumn + ", " + lengthColumn + ")" : "nested(" + valuesColumn + ")";
    }

    private static int fieldIndex(StructType schema, String column) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column '" + column + "' in the DataFrame; its columns are "
                + String.join(", ", schema.fieldNames()));
    }

    /** The column must be {@code depth} levels of arrays around float or double. */
    private static void checkType(StructField field, int depth) {
        DataType t = field.dataType();
        for (int level = 0; level < depth && t instanceof ArrayType array; level++) {
            t = array.elementType();
            if (level == depth - 1 && (t.equals(DataTypes.FloatType) || t.equals(DataTypes.DoubleType))) {
                return;
            }
        }
        String expected = depth == 2 ? "array<array<float>>" : "array<float>";
        throw new IllegalArgumentException("sequence column '" + field.name() + "' must be " + expected
                + " (or with double elements), got " + field.dataType().simpleString());
    }

    private static void requireName(String name, String argument) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(argument + " must be a column name, got "
                    + (name == null ? "null" : "an empty string"));
        }
    }
}
