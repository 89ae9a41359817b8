package io.github.jrnn.properties.fuzz;

import io.github.jrnn.nn.checkpoint.DType;
import io.github.jrnn.properties.fuzz.ValidCheckpoint.TensorSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Valid safetensors files and structural header edits, for the fuzz properties. */
final class CheckpointArbitraries {
    private CheckpointArbitraries() {
    }

    /** A tensor before layout: name, dtype, shape. */
    private record Draft(String name, DType dtype, int[] shape) {
    }

    /** Names that stress the JSON encoding and the reader's bookkeeping, and arbitrary short ones. */
    static Arbitrary<String> names() {
        return Arbitraries.oneOf(
                Arbitraries.of("w", "weight_ih_l0", "bias_hh_l1_reverse", "a.b", "", "ü", "\uD83D\uDE00", "q\"d",
                        "b\\s", "t\tb", "__metadata", "nul\u0000"),
                Arbitraries.strings().withCharRange(' ', '\u2fff').ofMinLength(1).ofMaxLength(6))
                .filter(n -> !n.equals("__metadata__"));
    }

    /** Shapes of rank 0 to 3 with dimensions 0 to 5 (0-dim scalars and empty tensors included). */
    static Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(0, 5).list().ofMaxSize(3)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Zero to five tensors of every dtype, metadata, the data laid out in header order or shuffled, padding. */
    static Arbitrary<ValidCheckpoint> checkpoints() {
        Arbitrary<List<Draft>> drafts = Combinators.combine(names(), Arbitraries.of(DType.class), shapes())
                .as(Draft::new).list().ofMaxSize(5).uniqueElements(Draft::name);
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(
                Arbitraries.strings().withCharRange(' ', '\u2fff').ofMaxLength(8),
                Arbitraries.strings().withCharRange('\u0000', '\u2fff').ofMaxLength(12)).ofMaxSize(3);
        return Combinators.combine(drafts, metadata, Arbitraries.longs(), Arbitraries.integers().between(0, 8),
                Arbitraries.of(true, false)).as(CheckpointArbitraries::layOut);
    }

    /** Assigns byte ranges (in header order, or in a seeded shuffled order) and fills the data from the seed. */
    private static ValidCheckpoint layOut(List<Draft> drafts, Map<String, String> metadata, long seed, int padding,
                                          boolean shuffle) {
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            order.add(i);
        }
        if (shuffle) {
            Collections.shuffle(order, random);
        }
        long[][] ranges = new long[drafts.size()][];
        long offset = 0;
        for (int i : order) {
            Draft d = drafts.get(i);
            long bytes = (long) numel(d.shape()) * d.dtype().byteSize();
            ranges[i] = new long[] {offset, offset + bytes};
            offset += bytes;
        }
        byte[] data = new byte[(int) offset];
        random.nextBytes(data);
        List<TensorSpec> tensors = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            if (d.dtype() == DType.BOOL) {
                for (long b = ranges[i][0]; b < ranges[i][1]; b++) {
                    data[(int) b] &= 1;
                }
            }
            tensors.add(new TensorSpec(d.name(), d.dtype(), d.shape(), ranges[i][0], ranges[i][1]));
        }
        return new ValidCheckpoint(tensors, metadata, data, padding);
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Replacement JSON tokens: edge numbers, invalid numbers, wrong types, dtypes, small arrays of any longs. */
    static Arbitrary<String> tokens() {
        Arbitrary<String> fixed = Arbitraries.of("0", "1", "-1", "4", "16", "2147483647", "2147483648",
                "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                "99999999999999999999", "1" + "0".repeat(30), "1e400", "1.0", "-0", "0x10", "NaN", "Infinity", "null",
                "true", "\"3\"", "[]", "{}", "[1,[2]]", "[0,0]", "[0,4]", "[4,0]", "[2,2]", "[1]", "[0]", "[-1]",
                "[2147483647,2147483647,2147483647]", "[9223372036854775807,9223372036854775807]",
                "\"F32\"", "\"F64\"", "\"F16\"", "\"BF16\"", "\"I64\"", "\"I32\"", "\"I16\"", "\"I8\"", "\"U8\"",
                "\"BOOL\"",
                "\"F8_E4M3\"", "\"\"", "\"f32\"", "\"U16\"", "[1,2", "\"unterminated");
        Arbitrary<String> arrays = Arbitraries.oneOf(Arbitraries.longs().between(-2, 64),
                        Arbitraries.of(Long.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 40))
                .list().ofMaxSize(4).map(l -> l.toString().replace(" ", ""));
        return Arbitraries.frequencyOf(
                Tuple.of(3, fixed),
                Tuple.of(2, arrays));
    }

    /** One to three structural edits of a header. */
    static Arbitrary<HeaderEdit> headerEdits() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 16);
        Arbitrary<String> field = Arbitraries.of("dtype", "shape", "data_offsets");
        Arbitrary<HeaderEdit> one = Arbitraries.oneOf(
                Combinators.combine(index, field, tokens()).as(HeaderEdit.ReplaceField::new),
                Combinators.combine(index, Arbitraries.of("dtype", "shape", "data_offsets", "strides", ""), tokens())
                        .as(HeaderEdit.RemoveOrAddField::new),
                Combinators.combine(index, index).as(HeaderEdit.Duplicate::new),
                Combinators.combine(index, index).as(HeaderEdit.Rename::new),
                Combinators.combine(index, Arbitraries.of("dtype", "shape", "data_offsets", "*"),
                        Arbitraries.oneOf(Arbitraries.integers().between(1, 5),
                                Arbitraries.integers().between(6, 5000)), Arbitraries.of(true, false))
                        .as((i, f, depth, objects) -> new HeaderEdit.Nest(i, f.equals("*") ? null : f, depth,
                                objects)),
                Combinators.combine(Arbitraries.strings().ofMaxLength(4), tokens()).as(HeaderEdit.MetadataValue::new));
        return one.list().ofMinSize(1).ofMaxSize(3).map(HeaderEdit.Sequence::new);
    }
}
