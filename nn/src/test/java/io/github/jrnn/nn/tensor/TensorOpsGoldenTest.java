package io.github.jrnn.nn.tensor;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.GRADIENT;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case written by tools/make_tensor_ops_golden.py: the operation's result (values, masks and indices) and,
 * for differentiable results, the gradients of {@code out.backward(gout)} against torch's. Indices must be equal
 * (ties broken as torch breaks them); values within {@code TorchTolerance}.
 */
class TensorOpsGoldenTest {

    static List<Path> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(TensorOpsGoldenTest.class.getResource("/golden/tensor_ops").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
            assertFalse(all.isEmpty(), "no tensor_ops fixtures under " + dir);
            return all;
        }
    }

    /** What one case computes: a float result, or a mask, or indices (or values and indices). */
    private record Result(Tensor out, BoolTensor mask, LongTensor indices) {
        static Result of(Tensor out) {
            return new Result(out, null, null);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resultAndGradientsMatchTorch(Path file) throws IOException {
        SafeTensorsFile golden = SafeTensors.read(file);
        Map<String, String> meta = golden.metadata();
        String name = file.getFileName().toString();
        Tensor a = golden.tensor("a").requiresGrad(true);
        Tensor b = golden.contains("b") ? golden.tensor("b").requiresGrad(true) : null;
        BoolTensor cond = golden.contains("cond") ? mask(golden) : null;
        Result result = compute(meta, a, b, cond);
        if (result.indices != null) {
            LongTensor expected = LongTensor.of(golden.entry("indices").toLongs(), golden.entry("indices").shape());
            assertEquals(expected, result.indices, name + " indices");
        }
        if (result.mask != null) {
            Tensor expected = golden.tensor("out");
            assertArrayEquals(expected.shape(), result.mask.shape(), name + " mask shape");
            for (int i = 0; i < expected.numel(); i++) {
                assertEquals(expected.data()[i] != 0f, result.mask.get(i), name + " mask element " + i);
            }
        }
        if (result.out != null) {
            assertClose(name + " out", golden.tensor("out"), result.out, FORWARD);
            result.out.backward(golden.tensor("gout"));
            assertNotNull(a.grad(), name + ": no gradient reached a");
            assertClose(name + " grad_a", golden.tensor("grad_a"), a.grad(), GRADIENT);
            if (b != null) {
                assertClose(name + " grad_b", golden.tensor("grad_b"), b.grad(), GRADIENT);
            }
        }
    }

    private static BoolTensor mask(SafeTensorsFile golden) throws IOException {
        long[] stored = golden.entry("cond").toLongs();
        boolean[] values = new boolean[stored.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = stored[i] != 0;
        }
        return BoolTensor.of(values, golden.entry("cond").shape());
    }

    private static int integer(Map<String, String> meta, String key) {
        return Integer.parseInt(meta.get(key));
    }

    /** A comma-separated dim list ("0,2", "" for none). */
    private static int[] dims(Map<String, String> meta) {
        String spelled = meta.get("dims");
        return spelled.isEmpty() ? new int[0]
                : java.util.Arrays.stream(spelled.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static boolean flag(Map<String, String> meta, String key) {
        return integer(meta, key) != 0;
    }

    private static float number(Map<String, String> meta, String key) {
        return Float.parseFloat(meta.get(key).replace("inf", "Infinity").replace("nan", "NaN"));
    }

    private static Result compute(Map<String, String> meta, Tensor a, Tensor b, BoolTensor cond) {
        String op = meta.get("op");
        return switch (op) {
            case "add" -> Result.of(a.add(b));
            case "sub" -> Result.of(a.sub(b));
            case "mul" -> Result.of(a.mul(b));
            case "div" -> Result.of(a.div(b));
            case "add_scalar" -> Result.of(a.add(number(meta, "scalar")));
            case "sub_scalar" -> Result.of(a.sub(number(meta, "scalar")));
            case "mul_scalar" -> Result.of(a.mul(number(meta, "scalar")));
            case "div_scalar" -> Result.of(a.div(number(meta, "scalar")));
            case "neg" -> Result.of(a.neg());
            case "exp" -> Result.of(a.exp());
            case "log" -> Result.of(a.log());
            case "tanh" -> Result.of(a.tanh());
            case "sigmoid" -> Result.of(a.sigmoid());
            case "relu" -> Result.of(a.relu());
            case "sqrt" -> Result.of(a.sqrt());
            case "rsqrt" -> Result.of(a.rsqrt());
            case "abs" -> Result.of(a.abs());
            case "pow" -> Result.of(a.pow(number(meta, "p")));
            case "clamp" -> Result.of(a.clamp(number(meta, "min"), number(meta, "max")));
            case "eq" -> new Result(null, a.eq(b), null);
            case "ne" -> new Result(null, a.ne(b), null);
            case "gt" -> new Result(null, a.gt(b), null);
            case "ge" -> new Result(null, a.ge(b), null);
            case "lt" -> new Result(null, a.lt(b), null);
            case "le" -> new Result(null, a.le(b), null);
            case "where" -> Result.of(Torch.where(cond, a, b));
            case "masked_fill" -> Result.of(a.maskedFill(cond, number(meta, "value")));
            case "sum" -> Result.of(meta.containsKey("dim") ? a.sum(integer(meta, "dim"), flag(meta, "keepdim"))
                    : a.sum());
            case "mean" -> Result.of(meta.containsKey("dim") ? a.mean(integer(meta, "dim"), flag(meta, "keepdim"))
                    : a.mean());
            case "sum_dims" -> Result.of(a.sum(dims(meta), flag(meta, "keepdim")));
            case "mean_dims" -> Result.of(a.mean(dims(meta), flag(meta, "keepdim")));
            case "logsumexp" -> Result.of(a.logsumexp(integer(meta, "dim"), flag(meta, "keepdim")));
            case "norm" -> Result.of(a.norm(number(meta, "p"), integer(meta, "dim"), flag(meta, "keepdim")));
            case "norm_all" -> Result.of(a.norm());
            case "max", "min" -> Result.of(op.equals("max") ? a.max() : a.min());
            case "max_dim", "min_dim" -> {
                ValuesAndIndices v = op.equals("max_dim") ? a.max(integer(meta, "dim"), flag(meta, "keepdim"))
                        : a.min(integer(meta, "dim"), flag(meta, "keepdim"));
                yield new Result(v.values(), null, v.indices());
            }
            case "argmax" -> new Result(null, null, a.argmax(integer(meta, "dim"), flag(meta, "keepdim")));
            case "argmin" -> new Result(null, null, a.argmin(integer(meta, "dim"), flag(meta, "keepdim")));
            case "argmax_all" -> new Result(null, null, a.argmax());
            case "argmin_all" -> new Result(null, null, a.argmin());
            case "topk" -> {
                ValuesAndIndices v = a.topk(integer(meta, "k"), integer(meta, "dim"), flag(meta, "largest"));
                yield new Result(v.values(), null, v.indices());
            }
            case "softmax" -> Result.of(a.softmax(integer(meta, "dim")));
            case "log_softmax" -> Result.of(a.logSoftmax(integer(meta, "dim")));
            case "matmul" -> Result.of(Torch.matmul(a, b));
            case "bmm" -> Result.of(a.bmm(b));
            case "t" -> Result.of(a.t());
            default -> throw new IllegalStateException("unknown op " + op);
        };
    }
}
