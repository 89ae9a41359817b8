package io.github.jrnn.nn.layers;

import java.math.BigDecimal;
import java.util.StringJoiner;

/**
 * Python's {@code repr} of the few value types module reprs print, so that {@link Module#toString()} reads
 * character for character like PyTorch's: {@code True}/{@code False} and floats in Python's shortest round-trip
 * form ({@code 0.5}, {@code 0.1}, {@code 1e-05}, {@code 1e+16}, {@code 1000000000000000.0}).
 */
final class PythonRepr {

    private PythonRepr() {
    }

    /** {@code True} or {@code False}. */
    static String of(boolean value) {
        return value ? "True" : "False";
    }

    /**
     * {@code repr(float(value))}. The digits are the shortest that round-trip (Java's {@link Double#toString} picks
     * the same ones for every normal double since JDK 19); Python writes them positionally while the decimal
     * exponent e of the first digit satisfies -5 &lt; e &lt; 16, otherwise as {@code d.ddde±XX}.
     */
    static String of(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        String sign = value < 0 || (value == 0 && 1 / value < 0) ? "-" : "";
        if (value == 0) {
            return sign + "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int point = digits.length() - shortest.scale(); // value = 0.digits * 10^point
        if (point <= -4 || point > 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int exponent = point - 1;
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        if (point <= 0) {
            return sign + "0." + "0".repeat(-point) + digits;
        }
        if (point >= digits.length()) {
            return sign + digits + "0".repeat(point - digits.length()) + ".0";
        }
        return sign + digits.substring(0, point) + "." + digits.substring(point);
    }

    /** {@code repr(tuple(values))} for ints: {@code (4,)}, {@code (3, 4)}, {@code ()}. */
    static String tuple(int[] values) {
        StringJoiner joined = new StringJoiner(", ", "(", values.length == 1 ? ",)" : ")");
        for (int v : values) {
            joined.add(Integer.toString(v));
        }
        return joined.toString();
    }
}
