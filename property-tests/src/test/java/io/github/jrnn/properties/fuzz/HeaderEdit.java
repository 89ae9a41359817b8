package io.github.jrnn.properties.fuzz;

import io.github.jrnn.properties.fuzz.ValidCheckpoint.HeaderEntry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One structural edit of a valid header, at the JSON level: a field's value replaced by another token (which need
 * not be valid JSON, e.g. {@code 1e400} or {@code 0x10}), an entry duplicated or renamed, a field added or removed, a
 * value wrapped in deep nesting. {@link #apply} edits the entries in place and returns the names of the tensors
 * whose description changed: every other tensor must still read as written if the file loads.
 *
 * <p>Indices are taken modulo the number of entries, so any int picks an entry.
 */
sealed interface HeaderEdit {

    Set<String> apply(List<HeaderEntry> header);

    /** Replaces field {@code field} ({@code dtype}, {@code shape} or {@code data_offsets}) of a tensor. */
    record ReplaceField(int index, String field, String token) implements HeaderEdit {
        @Override
        public Set<String> apply(List<HeaderEntry> header) {
            HeaderEntry e = tensor(header, index);
            if (e == null) {
                return Set.of();
            }
            e.fields().put(field, token);
            return Set.of(e.name());
        }
    }

    /** Removes a field of a tensor, or adds an unknown one. */
    record RemoveOrAddField(int index, String field, String token) implements HeaderEdit {
        @Override
        public Set<String> apply(List<HeaderEntry> header) {
            HeaderEntry e = tensor(header, index);
            if (e == null) {
                return Set.of();
            }
            if (e.fields().remove(field) == null) {
                e.fields().put(field, token);
            }
            return Set.of(e.name());
        }
    }

    /** Inserts a copy of an entry (a duplicate key) at another position. */
    record Duplicate(int index, int at) implements HeaderEdit {
        @Override
        public Set<String> apply(List<HeaderEntry> header) {
            if (header.isEmpty()) {
                return Set.of();
            }
            HeaderEntry e = header.get(Math.floorMod(index, header.size()));
            header.add(Math.floorMod(at, header.size() + 1), e.copy());
            return Set.of(e.name());
        }
    }

    /** Gives an entry another entry's name, or the metadata key. */
    record Rename(int index, int other) implements HeaderEdit {
        @Override
        public Set<String> apply(List<HeaderEntry> header) {
            if (header.isEmpty()) {
                return Set.of();
            }
            int i = Math.floorMod(index, header.size());
            int j = Math.floorMod(other, header.size());
            HeaderEntry e = header.get(i);
            String newName = i == j ? "__metadata__" : header.get(j).name();
            header.set(i, new HeaderEntry(newName, e.fields(), e.raw()));
            return Set.copyOf(List.of(e.name(), newName));
        }
    }

    /** Wraps a tensor's field value (or, with {@code field == null}, the whole entry) in {@code depth} levels. */
    record Nest(int index, String field, int depth, boolean objects) implements HeaderEdit {
        @Override
        public Set<String> apply(List<HeaderEntry> header) {
            if (header.isEmpty()) {
                return Set.of();
            }
            int i = Math.floorMod(index, header.size());
            HeaderEntry e = header.get(i);
            String open = objects ? "{\"k\":" : "[";
            String close = objects ? "}" : "]";
            if (field == null || e.fields() == null) {
                String value = open.repeat(depth) + e.valueJson() + close.repeat(depth);
                header.set(i, new HeaderEntry(e.name(), null, value));
            } else {
                String value = e.fields().getOrDefault(field, "0");
                e.fields().put(field, open.repeat(depth) + value + close.repeat(depth));
            }
            return Set.of(e.name());
        }
    }

    /** Replaces the metadata by an object whose one value is {@code token} (a non-string, or a string). */
    record MetadataValue(String key, String token) implements HeaderEdit {
        @Override
        public Set<String> apply(List<HeaderEntry> header) {
            header.removeIf(e -> e.name().equals("__metadata__"));
            header.add(0, new HeaderEntry("__metadata__", null, "{" + ValidCheckpoint.quote(key) + ":" + token + "}"));
            return Set.of("__metadata__");
        }
    }

    /** Several edits one after the other. */
    record Sequence(List<HeaderEdit> edits) implements HeaderEdit {
        @Override
        public Set<String> apply(List<HeaderEntry> header) {
            Set<String> touched = new LinkedHashSet<>();
            for (HeaderEdit e : edits) {
                touched.addAll(e.apply(header));
            }
            return touched;
        }
    }

    /** The tensor entry (one with fields) at {@code index} among the tensor entries, or null when there is none. */
    private static HeaderEntry tensor(List<HeaderEntry> header, int index) {
        List<HeaderEntry> tensors = header.stream().filter(e -> e.fields() != null).toList();
        return tensors.isEmpty() ? null : tensors.get(Math.floorMod(index, tensors.size()));
    }

    /** Deep copies of the entries, for editing. */
    static List<HeaderEntry> copy(List<HeaderEntry> header) {
        List<HeaderEntry> out = new ArrayList<>();
        for (HeaderEntry e : header) {
            out.add(e.copy());
        }
        return out;
    }
}
