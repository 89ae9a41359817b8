package io.github.jrnn.nn.layers;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.StoredTensor;
import io.github.jrnn.nn.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Module#loadStateDict}: compares every offered tensor with the module's state targets (name, dtype kind,
 * shape, tied names agreeing), reports every problem at once, and only then copies.
 */
final class StateDictLoading {

    private StateDictLoading() {
    }

    /** The values of one offered tensor, converted when asked: {@code float[]} or {@code long[]}. */
    @FunctionalInterface
    interface Values {
        Object get() throws CheckpointFormatException;
    }

    /**
     * One tensor offered for loading.
     *
     * @param shape    its shape, or null when the map held null for the name
     * @param dtype    its stored dtype's name, for messages (F32, I64, ...)
     * @param floating whether it holds floating-point values
     * @param values   its row-major values: {@code float[]} when floating, {@code long[]} otherwise
     */
    record Offered(int[] shape, String dtype, boolean floating, Values values) {
    }

    static Map<String, Offered> fromTensors(Map<String, Tensor> tensors) {
        Map<String, Offered> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, t == null ? new Offered(null, "F32", true, null)
                : new Offered(t.shape(), "F32", true, t::data)));
        return out;
    }

    static Map<String, Offered> fromStored(Map<String, StoredTensor> tensors) {
        Map<String, Offered> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            boolean floating = t.dtype().isFloatingPoint();
            out.put(name, new Offered(t.shape(), t.dtype().name(), floating,
                    floating ? () -> t.toTensor().data() : t::toLongs));
        });
        return out;
    }

    /**
     * Loads {@code given} into {@code module}; with {@code floatOnly} (a float32 map) integer buffers are not
     * expected.
     */
    static Module.LoadResult load(Module module, Map<String, Offered> given, boolean strict, boolean floatOnly) {
        List<StateTarget> targets = module.stateTargets();
        Map<String, StateTarget> byName = new LinkedHashMap<>();
        targets.forEach(t -> byName.put(t.name(), t));
        List<String> missing = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (StateTarget t : targets) {
            Offered o = given.get(t.name());
            if (o == null && !given.containsKey(t.name())) {
                if (!floatOnly || t.isFloat()) {
                    missing.add(t.name());
                }
                continue;
            }
            String problem = mismatch(t, o);
            if (problem != null) {
                mismatches.add(problem);
                continue;
            }
            try {
                values.put(t.name(), o.values().get());
            } catch (CheckpointFormatException e) {
                mismatches.add("cannot read " + t.name() + ": " + e.problem());
            }
        }
        mismatches.addAll(tiedDisagreements(targets, values));
        List<String> unexpected = given.keySet().stream().filter(k -> !byName.containsKey(k)).toList();
        StateDictCheck check = new StateDictCheck(List.copyOf(byName.keySet()), missing, unexpected, mismatches);
        String problems = check.describe(strict);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + name(module) + ":"
                    + problems);
        }
        copy(byName, values);
        return new Module.LoadResult(missing, unexpected);
    }

    private static String mismatch(StateTarget t, Offered o) {
        if (o == null) {
            return "value for " + t.name() + " is null";
        }
        if (o.floating() != t.isFloat()) {
            return "dtype mismatch for " + t.name() + ": copying a tensor of dtype " + o.dtype() + " from checkpoint,"
                    + " the " + t.what() + " in current model is " + (t.isFloat() ? "F32 (floating point)"
                    : "I64 (integer)") + ".";
        }
        if (!Arrays.equals(o.shape(), t.shape())) {
            return "size mismatch for " + t.name() + ": copying a param with shape "
                    + Tensor.shapeString(o.shape()) + " from checkpoint, the shape in current model is "
                    + Tensor.shapeString(t.shape()) + ".";
        }
        return null;
    }

    /** Tied names (one target under several names) must be given equal values, compared bit for bit. */
    private static List<String> tiedDisagreements(List<StateTarget> targets, Map<String, Object> values) {
        Map<Object, String> first = new IdentityHashMap<>();
        List<String> out = new ArrayList<>();
        for (StateTarget t : targets) {
            Object v = values.get(t.name());
            if (v == null) {
                continue;
            }
            String earlier = first.putIfAbsent(t.identity(), t.name());
            if (earlier != null) {
                int at = firstDifference(values.get(earlier), v);
                if (at >= 0) {
                    out.add("tied names " + earlier + " and " + t.name() + " are one " + t.what() + " in current"
                            + " model, but the checkpoint gives them different values (first at element " + at
                            + ": " + element(values.get(earlier), at) + " and " + element(v, at) + ").");
                }
            }
        }
        return out;
    }

    /** The first index where two arrays of one length differ bitwise, or -1. */
    private static int firstDifference(Object a, Object b) {
        int n = a instanceof float[] f ? f.length : ((long[]) a).length;
        for (int i = 0; i < n; i++) {
            boolean same = a instanceof float[] fa
                    ? Float.floatToRawIntBits(fa[i]) == Float.floatToRawIntBits(((float[]) b)[i])
                    : ((long[]) a)[i] == ((long[]) b)[i];
            if (!same) {
                return i;
            }
        }
        return -1;
    }

    private static String element(Object array, int i) {
        return array instanceof float[] f ? Float.toString(f[i]) : Long.toString(((long[]) array)[i]);
    }

    /** Writes each target once (tied names share it) and tells float targets they changed. */
    private static void copy(Map<String, StateTarget> byName, Map<String, Object> values) {
        Map<Object, Boolean> written = new IdentityHashMap<>();
        values.forEach((name, v) -> {
            StateTarget t = byName.get(name);
            if (written.put(t.identity(), Boolean.TRUE) != null) {
                return;
            }
            if (t.isFloat()) {
                float[] src = (float[]) v;
                System.arraycopy(src, 0, t.floats().data(), 0, src.length);
                t.floats().markModified();
            } else {
                long[] src = (long[]) v;
                System.arraycopy(src, 0, t.longs().data(), 0, src.length);
            }
        });
    }

    private static String name(Module module) {
        String simple = module.getClass().getSimpleName();
        return simple.isEmpty() ? module.getClass().getName() : simple;
    }
}
