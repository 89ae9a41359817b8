package io.github.jrnn.properties.fuzz;

import io.github.jrnn.nn.checkpoint.DType;
import io.github.jrnn.properties.fuzz.Loads.Outcome;
import io.github.jrnn.properties.fuzz.ValidCheckpoint.HeaderEntry;
import io.github.jrnn.properties.fuzz.ValidCheckpoint.TensorSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing the safetensors reader: valid files (every dtype, empty and 0-dim tensors, shuffled data order, odd names
 * and metadata) are mutated at the byte level (bit flips, truncation, appended bytes, length-field edits, splices)
 * and at the JSON level ({@link HeaderEdit}: changed dtypes, shapes and offsets, huge and invalid numbers,
 * duplicate and renamed keys, deep nesting, non-string metadata). Every outcome must be a load in which the
 * tensors the mutation did not touch read back as written, or a {@code CheckpointFormatException}; never another
 * exception, never a hang (each read is bounded, see {@link Loads}). Both {@code SafeTensors.read} and
 * {@code SafeTensors.open} are checked and must agree.
 *
 * <p>Tries come from {@code jqwik.tries.default} (property-tests' {@code junit-platform.properties} sets the CI
 * value); a long run is {@code ./jrnn test -pl property-tests -am -Dtest=SafeTensorsFuzzProperties
 * -Djqwik.tries.default=100000 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SafeTensorsFuzzProperties {

    /** The hand-made hostile files of nn's tests, plus the torch-written fixture, as seeds. */
    private static final Path RESOURCES = Path.of("../nn/src/test/resources/checkpoint");

    @Provide
    Arbitrary<ValidCheckpoint> checkpoints() {
        return CheckpointArbitraries.checkpoints();
    }

    @Provide
    Arbitrary<HeaderEdit> edits() {
        return CheckpointArbitraries.headerEdits();
    }

    @Property
    void unmutatedFilesLoadExactlyAsWritten(@ForAll("checkpoints") ValidCheckpoint c) {
        Outcome got = Loads.load(c.bytes());
        assertTrue(got.loaded(), () -> "a valid file was refused: " + got.refused().getMessage());
        assertTrue(got.tensors().keySet().equals(names(c)), "names " + got.tensors().keySet());
        Fuzz.assertUntouchedAsWritten(c, got, Set.of(), true, true);
    }

    @Property
    void bitFlipsInTheDataChangeOnlyTheTensorsTheyHit(
            @ForAll("checkpoints") ValidCheckpoint c,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0) Integer> at,
            @ForAll @IntRange(min = 0, max = 7) int bit) {
        if (c.data().length == 0) {
            return;
        }
        byte[] bytes = c.bytes();
        long dataStart = bytes.length - (long) c.data().length;
        Set<String> hit = new HashSet<>();
        for (int p : at) {
            int offset = Math.floorMod(p, c.data().length);
            bytes[(int) dataStart + offset] ^= (byte) (1 << bit);
            hit.addAll(tensorsAt(c, offset));
        }
        boolean hitBool = c.tensors().stream().anyMatch(t -> hit.contains(t.name()) && t.dtype() == DType.BOOL);
        Outcome got = Loads.load(bytes);
        if (!got.loaded()) {
            assertTrue(hitBool && got.refused().getMessage().contains("BOOL element"),
                    () -> "only a BOOL byte set to 2..255 may be refused, got " + got.refused().getMessage());
            return;
        }
        Fuzz.assertUntouchedAsWritten(c, got, hit, true, true);
    }

    @Property
    void bitFlipsAnywhereGiveALoadOrARefusal(
            @ForAll("checkpoints") ValidCheckpoint c,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0) Integer> at,
            @ForAll @Size(min = 4, max = 4) List<@IntRange(min = 0, max = 7) Integer> bits,
            @ForAll boolean inHeader) {
        byte[] bytes = c.bytes();
        int headerEnd = bytes.length - c.data().length;
        Set<String> hit = new HashSet<>();
        for (int i = 0; i < at.size(); i++) {
            // Half the tries aim at the header, where a flip changes structure rather than a value.
            int p = inHeader ? Math.floorMod(at.get(i), headerEnd) : Math.floorMod(at.get(i), bytes.length);
            bytes[p] ^= (byte) (1 << bits.get(i));
            hit.addAll(tensorsAt(c, p - headerEnd));
        }
        Outcome got = Loads.load(bytes);
        if (got.loaded()) {
            Fuzz.assertUntouchedAsWritten(c, got, hit, false, false);
        }
    }

    @Property
    void everyTruncationIsRefused(@ForAll("checkpoints") ValidCheckpoint c, @ForAll @IntRange(min = 0) int cut) {
        byte[] bytes = c.bytes();
        int length = Math.floorMod(cut, bytes.length);
        assertFalse(Loads.load(Arrays.copyOf(bytes, length)).loaded(), "a prefix of " + length + " bytes loaded");
    }

    @Property
    void appendedBytesAreRefused(@ForAll("checkpoints") ValidCheckpoint c,
                                 @ForAll @Size(min = 1, max = 16) byte[] garbage) {
        byte[] bytes = c.bytes();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + garbage.length);
        System.arraycopy(garbage, 0, longer, bytes.length, garbage.length);
        assertFalse(Loads.load(longer).loaded(), "trailing garbage was accepted");
    }

    @Provide
    Arbitrary<Long> headerLengths() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-64, 64),
                Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 100_000_000L, 100_000_001L,
                        Integer.MAX_VALUE + 1L, 1L << 32));
    }

    /** Any other value in the length field, absolute or relative to the right one (a small delta), is refused. */
    @Property
    void editedHeaderLengthsAreRefused(@ForAll("checkpoints") ValidCheckpoint c,
                                       @ForAll("headerLengths") long value, @ForAll boolean relative) {
        byte[] bytes = c.bytes();
        ByteBuffer field = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long right = field.getLong(0);
        long edited = relative ? right + value : value;
        if (edited == right) {
            return;
        }
        field.putLong(0, edited);
        assertFalse(Loads.load(bytes).loaded(), "header length " + edited + " instead of " + right + " was accepted");
    }

    @Property
    void headerEditsChangeOnlyTheTensorsTheyEdit(@ForAll("checkpoints") ValidCheckpoint c,
                                                 @ForAll("edits") HeaderEdit edit) {
        List<HeaderEntry> header = HeaderEdit.copy(c.header());
        Set<String> touched = edit.apply(header);
        Outcome got = Loads.load(ValidCheckpoint.file(header, c.padding(), c.data()));
        if (got.loaded()) {
            boolean metadataIntact = !touched.contains("__metadata__");
            Fuzz.assertUntouchedAsWritten(c, got, touched, true, metadataIntact);
        }
    }

    /** Bytes inserted into, removed from or overwritten in the header, with the length field kept consistent. */
    @Property
    void headerSplicesGiveALoadOrARefusal(@ForAll("checkpoints") ValidCheckpoint c, @ForAll @IntRange(min = 0) int at,
                                          @ForAll @IntRange(min = 0, max = 8) int remove,
                                          @ForAll @Size(max = 8) byte[] insert) {
        byte[] bytes = c.bytes();
        int headerStart = 8;
        int headerEnd = bytes.length - c.data().length;
        int from = headerStart + Math.floorMod(at, headerEnd - headerStart + 1);
        int to = Math.min(headerEnd, from + remove);
        byte[] spliced = new byte[bytes.length - (to - from) + insert.length];
        System.arraycopy(bytes, 0, spliced, 0, from);
        System.arraycopy(insert, 0, spliced, from, insert.length);
        System.arraycopy(bytes, to, spliced, from + insert.length, bytes.length - to);
        long headerLength = headerEnd - headerStart - (to - from) + insert.length;
        ByteBuffer.wrap(spliced).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
        Outcome got = Loads.load(spliced);
        if (got.loaded()) {
            Fuzz.assertUntouchedAsWritten(c, got, Set.of(), false, false);
        }
    }

    @Provide
    Arbitrary<byte[]> seeds() {
        List<byte[]> files;
        try (Stream<Path> hostile = Files.list(RESOURCES.resolve("hostile"))) {
            files = Stream.concat(hostile.sorted(), Stream.of(RESOURCES.resolve("torch_dtypes.safetensors")))
                    .map(SafeTensorsFuzzProperties::readAll).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the seed corpus " + RESOURCES.toAbsolutePath() + " is missing", e);
        }
        assertTrue(files.size() > 40, "seed corpus has " + files.size() + " files");
        return Arbitraries.of(files);
    }

    /** Mutations of the committed hostile corpus and the torch fixture never escape as another exception. */
    @Property
    void mutatedSeedFilesGiveALoadOrARefusal(@ForAll("seeds") byte[] seed,
                                             @ForAll @Size(max = 4) List<@IntRange(min = 0) Integer> flips,
                                             @ForAll @IntRange(min = 0) int cut, @ForAll boolean truncate) {
        byte[] bytes = truncate && seed.length > 0 ? Arrays.copyOf(seed, Math.floorMod(cut, seed.length))
                : seed.clone();
        for (int p : flips) {
            if (bytes.length > 0) {
                bytes[Math.floorMod(p, bytes.length)] ^= (byte) (1 << Math.floorMod(p >>> 8, 8));
            }
        }
        Loads.load(bytes); // asserts the outcome is a load or a CheckpointFormatException, within the time bound
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the tensors whose bytes include {@code offset} of the data section (none for other offsets). */
    private static Set<String> tensorsAt(ValidCheckpoint c, long offset) {
        Set<String> out = new HashSet<>();
        for (TensorSpec t : c.tensors()) {
            if (offset >= t.begin() && offset < t.end()) {
                out.add(t.name());
            }
        }
        return out;
    }

    private static Set<String> names(ValidCheckpoint c) {
        Set<String> names = new LinkedHashSet<>();
        c.tensors().forEach(t -> names.add(t.name()));
        return names;
    }
}
