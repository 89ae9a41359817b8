package io.github.jrnn.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code repr(float)} as CPython 3 prints it (expected strings copied from {@code python3 -c 'print(repr(x))'}). */
class PythonReprTest {

    @ParameterizedTest(name = "repr({0}) = {1}")
    @CsvSource({
            "0.5, 0.5", "0.1, 0.1", "0.25, 0.25", "123.25, 123.25", "0.3333333333333333, 0.3333333333333333",
            "1e-4, 0.0001", "1e-5, 1e-05", "1.5e-5, 1.5e-05", "2e-300, 2e-300",
            "1e15, 1000000000000000.0", "1e16, 1e+16", "1.7976931348623157e308, 1.7976931348623157e+308",
            "-0.0, -0.0", "0.0, 0.0", "-2.5, -2.5", "NaN, nan", "Infinity, inf", "-Infinity, -inf"})
    void floatsAsPython(double value, String python) {
        assertEquals(python, PythonRepr.of(value));
    }
}
