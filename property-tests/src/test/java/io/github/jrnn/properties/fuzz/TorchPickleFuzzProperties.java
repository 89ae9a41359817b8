package io.github.jrnn.properties.fuzz;

import io.github.jrnn.properties.fuzz.StateDictLoads.Outcome;
import io.github.jrnn.properties.fuzz.StateDictLoads.Read;
import io.github.jrnn.properties.fuzz.TorchZips.TorchZip;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing the torch.save reader ({@code StateDicts.read}) from the torch-written fixtures: the pickle
 * ({@code data.pkl}) is mutated inside an otherwise valid zip (bit flips, spliced opcodes with random operands,
 * deletions, truncation), storages are mutated inside a valid file, and the zip container itself is mutated (bit
 * flips aimed at the central directory and end record, little-endian fields overwritten with edge values,
 * truncation). The seeds also include the legacy file, the refused and the hostile files. Every outcome must be a
 * load or a {@code CheckpointFormatException}, read the same from bytes and from a stream, within the time bound of
 * {@link Bounded} and the allocation bound of {@link StateDictLoads}; never another exception, an error or a hang.
 *
 * <p>A long run: {@code ./jrnn test -pl property-tests -am -Dtest=TorchPickleFuzzProperties
 * -Djqwik.tries.default=100000 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TorchPickleFuzzProperties {

    /** Every opcode byte the pickle format defines (protocols 0 to 5), and a few it does not. */
    private static final byte[] OPCODES = "(.012FIJKLMNPQRSTUVXabcd}eghijl]opqrst)uGBC".getBytes();

    @Provide
    Arbitrary<TorchZip> zips() {
        return Arbitraries.of(TorchZips.validZips());
    }

    @Provide
    Arbitrary<byte[]> seeds() {
        return Arbitraries.of(TorchZips.allFiles());
    }

    @Property
    void unmutatedFixturesLoadTheSameFromBytesAndStream(@ForAll("zips") TorchZip zip) {
        Outcome got = StateDictLoads.load(zip.bytes());
        assertTrue(got.loaded(), () -> zip + " was refused: " + got.refused().getMessage());
    }

    @Property
    void bitFlipsInThePickleGiveALoadOrARefusal(@ForAll("zips") TorchZip zip,
                                                @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0) Integer> at,
                                                @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] pickle = zip.entries().get(zip.pickleName()).clone();
        for (int p : at) {
            pickle[Math.floorMod(p, pickle.length)] ^= (byte) (1 << bit);
        }
        StateDictLoads.load(zip.with(zip.pickleName(), pickle).bytes());
    }

    /** An opcode with random operand bytes spliced in, and bytes removed, anywhere in the pickle. */
    @Property
    void splicedOpcodesGiveALoadOrARefusal(@ForAll("zips") TorchZip zip, @ForAll @IntRange(min = 0) int at,
                                           @ForAll @IntRange(min = 0, max = 255) int opcode,
                                           @ForAll boolean knownOpcode,
                                           @ForAll @Size(max = 9) byte[] operand,
                                           @ForAll @IntRange(min = 0, max = 6) int remove) {
        byte[] pickle = zip.entries().get(zip.pickleName());
        int from = Math.floorMod(at, pickle.length + 1);
        int to = Math.min(pickle.length, from + remove);
        byte op = knownOpcode ? OPCODES[opcode % OPCODES.length] : (byte) opcode;
        byte[] spliced = new byte[pickle.length - (to - from) + 1 + operand.length];
        System.arraycopy(pickle, 0, spliced, 0, from);
        spliced[from] = op;
        System.arraycopy(operand, 0, spliced, from + 1, operand.length);
        System.arraycopy(pickle, to, spliced, from + 1 + operand.length, pickle.length - to);
        StateDictLoads.load(zip.with(zip.pickleName(), spliced).bytes());
    }

    @Property
    void everyTruncatedPickleIsRefused(@ForAll("zips") TorchZip zip, @ForAll @IntRange(min = 0) int cut) {
        byte[] pickle = zip.entries().get(zip.pickleName());
        byte[] prefix = Arrays.copyOf(pickle, Math.floorMod(cut, pickle.length));
        assertFalse(StateDictLoads.load(zip.with(zip.pickleName(), prefix).bytes()).loaded(),
                "a pickle cut at " + prefix.length + " of " + pickle.length + " bytes loaded");
    }

    /** Flipped storage bytes change only the tensors on that storage (or are refused as a BOOL other than 0/1). */
    @Property
    void storageFlipsChangeOnlyTheTensorsOnThatStorage(@ForAll("zips") TorchZip zip,
                                                       @ForAll @IntRange(min = 0) int pick,
                                                       @ForAll @IntRange(min = 0) int at,
                                                       @ForAll @IntRange(min = 0, max = 7) int bit) {
        List<String> storages = zip.storageNames().stream().filter(n -> zip.entries().get(n).length > 0).toList();
        if (storages.isEmpty()) {
            return;
        }
        String name = storages.get(Math.floorMod(pick, storages.size()));
        byte[] storage = zip.entries().get(name).clone();
        storage[Math.floorMod(at, storage.length)] ^= (byte) (1 << bit);
        Outcome original = StateDictLoads.load(zip.bytes());
        Outcome got = StateDictLoads.load(zip.with(name, storage).bytes());
        if (!got.loaded()) {
            assertTrue(got.refused().problem().startsWith("BOOL element"), got.refused().getMessage());
            return;
        }
        assertTrue(got.tensors().keySet().equals(original.tensors().keySet()), "names changed");
        String key = name.substring(name.indexOf("/data/") + "/data/".length());
        for (Map.Entry<String, Read> e : original.tensors().entrySet()) {
            Read before = e.getValue();
            Read after = got.tensors().get(e.getKey());
            assertTrue(after.dtype() == before.dtype() && Arrays.equals(after.shape(), before.shape())
                    && after.storage().equals(before.storage()), e.getKey() + " changed dtype, shape or storage");
            if (!before.storage().equals(key)) {
                assertTrue(after.sameAs(before), e.getKey() + " changed though storage '" + key + "' was flipped");
            }
        }
    }

    @Provide
    Arbitrary<Long> edgeValues() {
        return Arbitraries.of(0L, 1L, -1L, 0xFFFFL, 0x10000L, 0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 1L << 32,
                Long.MAX_VALUE, Long.MIN_VALUE, 46L, 22L, 56L, 20L);
    }

    /** Little-endian fields of 2, 4 or 8 bytes overwritten with edge values, mostly in the central directory. */
    @Property
    void containerFieldEditsGiveALoadOrARefusal(@ForAll("zips") TorchZip zip, @ForAll @IntRange(min = 0) int at,
                                                @ForAll("edgeValues") long value,
                                                @ForAll @IntRange(min = 0, max = 2) int width,
                                                @ForAll boolean nearTheEnd) {
        byte[] bytes = zip.bytes();
        int size = 2 << width;
        int tail = Math.min(bytes.length, 400);
        int p = nearTheEnd ? bytes.length - tail + Math.floorMod(at, tail) : Math.floorMod(at, bytes.length);
        p = Math.min(p, bytes.length - size);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (size) {
            case 2 -> b.putShort(p, (short) value);
            case 4 -> b.putInt(p, (int) value);
            default -> b.putLong(p, value);
        }
        StateDictLoads.load(bytes);
    }

    @Property
    void everyTruncatedZipIsRefused(@ForAll("zips") TorchZip zip, @ForAll @IntRange(min = 0) int cut) {
        byte[] bytes = zip.bytes();
        int length = Math.floorMod(cut, bytes.length);
        assertFalse(StateDictLoads.load(Arrays.copyOf(bytes, length)).loaded(), "a prefix of " + length + " loaded");
    }

    /** Mutations of every fixture (legacy, refused and hostile ones included) never escape as anything else. */
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
        StateDictLoads.load(bytes);
    }
}
