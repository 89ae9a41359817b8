package io.github.jrnn.nn.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads and writes a scheduler's state map: settings that must match, counters parsed with every problem collected,
 * so that {@code loadStateDict} can refuse with one message and change nothing.
 */
final class SchedulerState {

    private final Map<String, String> saved;
    private final String kind;
    private final List<String> problems = new ArrayList<>();

    private SchedulerState(Map<String, String> saved, String kind) {
        this.saved = saved;
        this.kind = kind;
    }

    /** Starts reading {@code saved}, checking the kind and each of {@code settings} against the saved ones. */
    static SchedulerState read(Map<String, String> saved, String kind, Map<String, String> settings) {
        SchedulerState s = new SchedulerState(saved, kind);
        if (saved == null) {
            throw new IllegalArgumentException("cannot load " + kind + " state: no state given");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("scheduler", kind);
        expected.putAll(settings);
        expected.forEach((key, value) -> {
            String v = saved.get(key);
            if (!value.equals(v)) {
                s.problems.add(key + ": this scheduler has " + value + ", the saved state has "
                        + (v == null ? "nothing" : v));
            }
        });
        return s;
    }

    /** A new state map starting with the kind and settings. */
    static Map<String, String> write(String kind, Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("scheduler", kind);
        out.putAll(settings);
        return out;
    }

    static String doubles(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
    }

    int integer(String key) {
        String v = saved.get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, got " + v);
            return 0;
        }
    }

    double number(String key) {
        String v = saved.get(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException | NullPointerException e) {
            problems.add(key + " must be a number, got " + v);
            return 0;
        }
    }

    /** A comma-separated list of {@code count} doubles; null when {@code optional} and absent. */
    double[] numbers(String key, int count, boolean optional) {
        String v = saved.get(key);
        if (v == null && optional) {
            return null;
        }
        try {
            double[] out = Arrays.stream(v.split(",", -1)).mapToDouble(Double::parseDouble).toArray();
            if (out.length != count) {
                problems.add(key + " has " + out.length + " values, the optimizer has " + count + " parameter groups");
            }
            return out;
        } catch (NumberFormatException | NullPointerException e) {
            problems.add(key + " must be " + count + " comma-separated numbers, got " + v);
            return new double[count];
        }
    }

    /** Throws with every problem found, or returns when there was none. */
    void check() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load " + kind + " state: " + String.join("; ", problems));
        }
    }
}
