package io.github.jrnn.nn.tensor;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an operation written as {@code tools/make_tensor_shape_golden.py} writes it ({@code "slice 1 -5 100 2"},
 * {@code "cat 0"}, {@code "expand 3,-1,4"}, ...) with jrnn's API, so the golden tests replay torch's cases.
 */
final class ShapeOpSpec {

    private ShapeOpSpec() {
    }

    static SafeTensorsFile fixture(String name) throws Exception {
        return SafeTensors.read(Path.of(ShapeOpSpec.class.getResource("/golden/shape/" + name).toURI()));
    }

    static int[] ints(String text) {
        return text.isEmpty() ? new int[0] : Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** A float tensor of exact small integers as an int64 tensor (the fixtures store indices as F32). */
    static LongTensor longs(Tensor t) {
        long[] v = new long[t.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) t.data()[i];
        }
        return LongTensor.of(v, t.shape());
    }

    /** The outputs of {@code spec} on {@code xs} (and {@code index} where the op takes one). */
    static List<Tensor> run(String spec, List<Tensor> xs, LongTensor index) {
        String[] a = spec.split(" ");
        Tensor x = xs.get(0);
        return switch (a[0]) {
            case "slice" -> List.of(x.slice(Integer.parseInt(a[1]), Long.parseLong(a[2]), Long.parseLong(a[3]),
                    Long.parseLong(a[4])));
            case "narrow" -> List.of(x.narrow(Integer.parseInt(a[1]), Integer.parseInt(a[2]),
                    Integer.parseInt(a[3])));
            case "select" -> List.of(x.select(Integer.parseInt(a[1]), Integer.parseInt(a[2])));
            case "index_select" -> List.of(x.indexSelect(Integer.parseInt(a[1]), index));
            case "gather" -> List.of(x.gather(Integer.parseInt(a[1]), index));
            case "cat" -> List.of(Tensors.cat(xs, Integer.parseInt(a[1])));
            case "stack" -> List.of(Tensors.stack(xs, Integer.parseInt(a[1])));
            case "split" -> x.split(Integer.parseInt(a[1]), Integer.parseInt(a[2]));
            case "split_sizes" -> x.split(ints(a[1]), Integer.parseInt(a[2]));
            case "chunk" -> x.chunk(Integer.parseInt(a[1]), Integer.parseInt(a[2]));
            case "expand" -> List.of(x.expand(ints(a[1])));
            case "repeat" -> List.of(x.repeat(ints(a[1])));
            case "permute" -> List.of(x.permute(ints(a[1])));
            case "flatten" -> List.of(x.flatten(Integer.parseInt(a[1]), Integer.parseInt(a[2])));
            case "contiguous" -> List.of(x.permute(1, 0).contiguous());
            default -> throw new IllegalArgumentException("unknown op in fixture: " + spec);
        };
    }

    /** The dimension a split-like spec splits along (its last argument). */
    static int splitDim(String spec) {
        String[] a = spec.split(" ");
        return Integer.parseInt(a[a.length - 1]);
    }
}
