package io.github.jrnn.properties.fuzz;

import io.github.jrnn.properties.fuzz.Loads.Loaded;
import io.github.jrnn.properties.fuzz.Loads.Outcome;
import io.github.jrnn.properties.fuzz.ValidCheckpoint.TensorSpec;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/** The oracles of the fuzz properties: what a load of a mutated valid file may and may not give. */
final class Fuzz {
    private Fuzz() {
    }

    /**
     * Every tensor of {@code original} not named in {@code touched} reads back as written. With
     * {@code descriptionsIntact} (the mutation changed no other tensor's header entry) it must be there with its
     * dtype and shape; otherwise (a byte-level mutation that may have renamed or retyped it) the check applies when a
     * tensor of that name, dtype and shape was loaded. With {@code metadataIntact} the metadata must be as written.
     */
    static void assertUntouchedAsWritten(ValidCheckpoint original, Outcome got, Set<String> touched,
                                         boolean descriptionsIntact, boolean metadataIntact) {
        for (TensorSpec t : original.tensors()) {
            if (touched.contains(t.name())) {
                continue;
            }
            Loaded l = got.tensors().get(t.name());
            boolean same = l != null && l.dtype() == t.dtype() && Arrays.equals(l.shape(), t.shape());
            if (!same) {
                if (descriptionsIntact) {
                    throw new AssertionError("tensor '" + t.name() + "' " + t.dtype() + " " + Arrays.toString(
                            t.shape()) + " was loaded as " + (l == null ? "nothing" : l.dtype() + " "
                            + Arrays.toString(l.shape())));
                }
                continue;
            }
            assertSameValues(t.name(), original.expectedValues(t), l.values());
        }
        if (metadataIntact && !original.metadata().equals(got.metadata())) {
            throw new AssertionError("metadata " + original.metadata() + " was loaded as " + got.metadata());
        }
    }

    /** Same names, dtypes, shapes and values. */
    static void assertSameTensors(Map<String, Loaded> expected, Map<String, Loaded> actual, String what) {
        if (!expected.keySet().equals(actual.keySet())) {
            throw new AssertionError(what + ": names " + expected.keySet() + " vs " + actual.keySet());
        }
        expected.forEach((name, e) -> {
            Loaded a = actual.get(name);
            if (e.dtype() != a.dtype() || !Arrays.equals(e.shape(), a.shape())) {
                throw new AssertionError(what + ": tensor '" + name + "' differs in dtype or shape");
            }
            assertSameValues(name, e.values(), a.values());
        });
    }

    /** Bit-identical values; every NaN equals every NaN (the payload of a converted NaN is not part of the format). */
    static void assertSameValues(String name, Object expected, Object actual) {
        boolean equal = expected instanceof float[] f
                ? actual instanceof float[] g && Arrays.equals(f, g)
                : actual instanceof long[] h && Arrays.equals((long[]) expected, h);
        if (!equal) {
            throw new AssertionError("tensor '" + name + "' read back " + toString(actual) + ", written "
                    + toString(expected));
        }
    }

    private static String toString(Object values) {
        return values instanceof float[] f ? Arrays.toString(f) : Arrays.toString((long[]) values);
    }
}
