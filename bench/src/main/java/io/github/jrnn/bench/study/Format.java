package io.github.jrnn.bench.study;

import java.util.Locale;
import java.util.OptionalDouble;

/** How the report writes numbers (always with a '.' decimal point); {@link #MISSING} where there is no value. */
final class Format {

    /** A cell with no measurement. */
    static final String MISSING = "—";

    private Format() {
    }

    /** GFLOP/s with one decimal: {@code 12.3}. */
    static String gflops(double flopsPerSecond) {
        return String.format(Locale.ROOT, "%.1f", flopsPerSecond / 1e9);
    }

    /** A speed ratio with two decimals and a times sign: {@code 1.25x}. */
    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** A time ratio (jrnn's time over a peer's) with two decimals and no sign: {@code 0.80}. */
    static String timeRatio(double ratio) {
        return String.format(Locale.ROOT, "%.2f", ratio);
    }

    /** Seconds as milliseconds with one decimal: {@code 12.3}. */
    static String millis(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds * 1e3);
    }

    /** A fraction as a whole percentage: {@code 0.456 -> 46%}. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** Seconds as microseconds: three significant digits below 100, whole numbers above. */
    static String micros(double seconds) {
        double us = seconds * 1e6;
        return us < 100 ? String.format(Locale.ROOT, "%.3g", us) : String.format(Locale.ROOT, "%.0f", us);
    }

    /** A count with thousands separators and no decimals: {@code 12,345}. */
    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** Elements per second in G/s with two decimals. */
    static String gigaPerSecond(double perSecond) {
        return String.format(Locale.ROOT, "%.2f", perSecond / 1e9);
    }

    /** A byte count in binary units with one decimal: {@code 512 B}, {@code 7.2 KiB}, {@code 12.3 MiB}. */
    static String size(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%.0f B", bytes)
                : String.format(Locale.ROOT, "%.1f %s", bytes, units[unit]);
    }

    /** Bytes per operation: two decimals below 10, whole bytes above; {@link #MISSING} when not measured. */
    static String bytes(OptionalDouble bytes) {
        if (bytes.isEmpty()) {
            return MISSING;
        }
        double b = bytes.getAsDouble();
        return b < 10 ? String.format(Locale.ROOT, "%.2f", b) : String.format(Locale.ROOT, "%,.0f", b);
    }
}
