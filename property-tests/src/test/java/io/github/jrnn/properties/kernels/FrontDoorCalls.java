package io.github.jrnn.properties.kernels;

import io.github.jrnn.kernels.BinaryOp;
import io.github.jrnn.kernels.CellKind;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.PackedMatrix;
import io.github.jrnn.kernels.UnaryOp;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A valid call of every kernel, for {@link FrontDoorProperties}: each entry lists the kernel's arguments in its
 * parameter order with the names its messages use. Sizes come from {@link Dims} (each at least 2, so every matrix
 * has two rows and a leading dimension that matters); a scale is never 0 and optional operands are present, so
 * that every operand is one the checks look at. {@link KernelCompletenessTest} fails when a kernel has no entry.
 */
final class FrontDoorCalls {

    /** The sizes of one draw, each >= 2, and the source of layouts, flags and contents. */
    record Dims(int d1, int d2, int d3, Random random) {
    }

    /** Builds the valid call of one kernel on the implementation {@code impl} (which packs its own operands). */
    interface Maker {
        KernelCall make(Kernels impl, Dims d);
    }

    private static final Map<String, Maker> CALLS = new TreeMap<>();

    private FrontDoorCalls() {
    }

    /** The kernels with an entry. */
    static Set<String> kernels() {
        return CALLS.keySet();
    }

    /** The valid call of {@code kernel} for the draw {@code d}, or null when the kernel has no entry. */
    static KernelCall of(String kernel, Kernels impl, Dims d) {
        Maker maker = CALLS.get(kernel);
        return maker == null ? null : maker.make(impl, d);
    }

    private static KernelCall call(String kernel, Dims d) {
        return KernelCall.of(kernel, d.random());
    }

    /** A packed k x n operand of {@code impl}. */
    private static PackedMatrix packed(Kernels impl, int k, int n) {
        return impl.packB(false, k, n, new float[k * n], 0, n);
    }

    /** The same packed operand made by the other implementation (for "packed by another implementation"). */
    private static PackedMatrix packedByTheOther(Kernels impl, int k, int n) {
        Kernels other = impl.name().equals(Implementations.SCALAR.name()) ? Implementations.VECTOR
                : Implementations.SCALAR;
        return packed(other, k, n);
    }

    static {
        // ---------------------------------------------------------------- products
        CALLS.put("sgemm", (impl, d) -> {
            boolean transA = d.random().nextBoolean();
            boolean transB = d.random().nextBoolean();
            int m = d.d1();
            int n = d.d2();
            int k = d.d3();
            return call("sgemm", d).value(transA).value(transB).size("m", m).size("n", n).size("k", k).value(1.5f)
                    .matrix(transA ? "a (stored k x m, transA)" : "a (m x k)", transA ? k : m, transA ? m : k)
                    .matrix(transB ? "b (stored n x k, transB)" : "b (k x n)", transB ? n : k, transB ? k : n)
                    .value(0.5f).matrix("c (m x n)", m, n);
        });
        CALLS.put("sgemv", (impl, d) -> {
            boolean transA = d.random().nextBoolean();
            int m = d.d1();
            int n = d.d2();
            return call("sgemv", d).value(transA).size("m", m).size("n", n).value(1.5f).matrix("a (m x n)", m, n)
                    .vector("x", transA ? m : n).value(0.5f).vector("y", transA ? n : m);
        });
        CALLS.put("packB", (impl, d) -> packing(call("packB", d), d));
        CALLS.put("repackB", (impl, d) -> packing(call("repackB", d).value(packed(impl, d.d2(), d.d1()))
                .orBad("reuse", packedByTheOther(impl, d.d2(), d.d1()), "was packed by another"), d));
        CALLS.put("sgemmPacked", (impl, d) -> packedProduct(call("sgemmPacked", d), impl, d, false));
        CALLS.put("sgemmPackedBias", (impl, d) -> packedProduct(call("sgemmPackedBias", d), impl, d, true));

        // ---------------------------------------------------------------- element-wise
        CALLS.put("dot", (impl, d) -> twoVectors("dot", d));
        CALLS.put("axpy", (impl, d) -> call("axpy", d).size("n", d.d1()).value(0.5f).vector("x", d.d1())
                .vector("y", d.d1()));
        CALLS.put("scale", (impl, d) -> call("scale", d).size("n", d.d1()).value(0.5f).vector("x", d.d1()));
        CALLS.put("fill", (impl, d) -> call("fill", d).size("n", d.d1()).value(0.5f).vector("x", d.d1()));
        CALLS.put("add", (impl, d) -> binary("add", d));
        CALLS.put("mul", (impl, d) -> binary("mul", d));
        CALLS.put("clamp", (impl, d) -> call("clamp", d).size("n", d.d1()).value(-1f).orBad("lo", 2f, "must be <= hi")
                .value(1f).vector("x", d.d1()));
        CALLS.put("maxAbs", (impl, d) -> call("maxAbs", d).size("n", d.d1()).vector("x", d.d1()));
        CALLS.put("broadcastRows", (impl, d) -> call("broadcastRows", d).size("rows", d.d1()).size("cols", d.d2())
                .vector("row", d.d2()).matrix("c", d.d1(), d.d2()));
        CALLS.put("sumRows", (impl, d) -> call("sumRows", d).size("rows", d.d1()).size("cols", d.d2())
                .matrix("a", d.d1(), d.d2()).vector("out", d.d2()));
        for (String activation : new String[] {"tanh", "sigmoid", "relu", "exp"}) {
            CALLS.put(activation, (impl, d) -> twoVectors(activation, d));
        }
        for (String backward : new String[] {"tanhBackward", "sigmoidBackward", "reluBackward"}) {
            CALLS.put(backward, (impl, d) -> call(backward, d).size("n", d.d1()).vector("dy", d.d1())
                    .vector("y", d.d1()).vector("dx", d.d1()));
        }

        // ---------------------------------------------------------------- recurrent cells
        for (String rnn : new String[] {"rnnTanhCell", "rnnReluCell"}) {
            CALLS.put(rnn, (impl, d) -> call(rnn, d).size("batch", d.d1()).size("hidden", d.d2())
                    .contiguous("ig (batch x hidden)", d.d1(), d.d2()).contiguous("hg (batch x hidden)", d.d1(), d.d2())
                    .matrix("h (batch x hidden)", d.d1(), d.d2()));
            CALLS.put(rnn + "Backward", (impl, d) -> call(rnn + "Backward", d).size("batch", d.d1())
                    .size("hidden", d.d2()).slice("dh (batch x hidden)", d.d1(), d.d2())
                    .slice("h (batch x hidden)", d.d1(), d.d2()).slice("dGates (batch x hidden)", d.d1(), d.d2()));
        }
        CALLS.put("gruCell", (impl, d) -> {
            int batch = d.d1();
            int hidden = d.d2();
            return call("gruCell", d).size("batch", batch).size("hidden", hidden)
                    .contiguous("ig (batch x 3*hidden)", batch, 3 * hidden)
                    .contiguous("hg (batch x 3*hidden)", batch, 3 * hidden)
                    .matrix("hPrev (batch x hidden)", batch, hidden).matrix("h (batch x hidden)", batch, hidden)
                    .contiguous("workspace (batch x 4*hidden)", batch, 4 * hidden).nullable();
        });
        CALLS.put("gruCellBackward", (impl, d) -> {
            int batch = d.d1();
            int hidden = d.d2();
            return call("gruCellBackward", d).size("batch", batch).size("hidden", hidden)
                    .slice("dh (batch x hidden)", batch, hidden).slice("hPrev (batch x hidden)", batch, hidden)
                    .slice("workspace (batch x 4*hidden)", batch, 4 * hidden)
                    .slice("dIg (batch x 3*hidden)", batch, 3 * hidden)
                    .slice("dHg (batch x 3*hidden)", batch, 3 * hidden)
                    .slice("dhPrev (batch x hidden)", batch, hidden);
        });
        CALLS.put("lstmCell", (impl, d) -> {
            int batch = d.d1();
            int hidden = d.d2();
            return call("lstmCell", d).size("batch", batch).size("hidden", hidden)
                    .contiguous("ig (batch x 4*hidden)", batch, 4 * hidden)
                    .contiguous("hg (batch x 4*hidden)", batch, 4 * hidden)
                    .contiguous("cPrev (batch x hidden)", batch, hidden).contiguous("c (batch x hidden)", batch, hidden)
                    .matrix("h (batch x hidden)", batch, hidden)
                    .contiguous("workspace (batch x 4*hidden)", batch, 4 * hidden).nullable();
        });
        CALLS.put("lstmCellBackward", (impl, d) -> {
            int batch = d.d1();
            int hidden = d.d2();
            return call("lstmCellBackward", d).size("batch", batch).size("hidden", hidden)
                    .slice("dh (batch x hidden)", batch, hidden).slice("dc (batch x hidden)", batch, hidden)
                    .slice("cPrev (batch x hidden)", batch, hidden).slice("c (batch x hidden)", batch, hidden)
                    .slice("workspace (batch x 4*hidden)", batch, 4 * hidden)
                    .slice("dGates (batch x 4*hidden)", batch, 4 * hidden);
        });
        CALLS.put("recurrentSequence", FrontDoorCalls::recurrentSequence);
        CALLS.put("recurrentLayer", FrontDoorCalls::recurrentLayer);
        CALLS.put("recurrentLayerBackward", FrontDoorCalls::recurrentLayerBackward);

        // ---------------------------------------------------------------- row-wise
        CALLS.put("logSumExp", (impl, d) -> call("logSumExp", d).size("rows", d.d1()).size("cols", d.d2())
                .matrix("x", d.d1(), d.d2()).vector("out", d.d1()));
        for (String rowwise : new String[] {"softmax", "logSoftmax"}) {
            CALLS.put(rowwise, (impl, d) -> call(rowwise, d).size("rows", d.d1()).size("cols", d.d2())
                    .matrix("x", d.d1(), d.d2()).matrix("y", d.d1(), d.d2()));
        }
        CALLS.put("logSoftmaxBackward", (impl, d) -> call("logSoftmaxBackward", d).size("rows", d.d1())
                .size("cols", d.d2()).matrix("dy", d.d1(), d.d2()).matrix("y", d.d1(), d.d2())
                .matrix("dx", d.d1(), d.d2()));

        // ---------------------------------------------------------------- layer norm and losses
        CALLS.put("layerNorm", (impl, d) -> {
            int rows = d.d1();
            int cols = d.d2();
            return call("layerNorm", d).size("rows", rows).size("cols", cols).value(1e-5f)
                    .orBad("eps", -1e-5f, "must be >= 0 and finite")
                    .orBad("eps", Float.POSITIVE_INFINITY, "must be >= 0 and finite")
                    .contiguous("x", rows, cols).vector("gamma", cols).nullable().vector("beta", cols).nullable()
                    .contiguous("y", rows, cols).vector("mean", rows).vector("rstd", rows);
        });
        CALLS.put("layerNormBackward", (impl, d) -> {
            int rows = d.d1();
            int cols = d.d2();
            return call("layerNormBackward", d).size("rows", rows).size("cols", cols).contiguous("dy", rows, cols)
                    .contiguous("x", rows, cols).vector("mean", rows).vector("rstd", rows)
                    .vector("gamma", cols).nullable().contiguous("dx", rows, cols).nullable()
                    .vector("dgamma", cols).nullable().vector("dbeta", cols).nullable();
        });
        CALLS.put("bceWithLogits", (impl, d) -> call("bceWithLogits", d).size("n", d.d1()).vector("x", d.d1())
                .vector("t", d.d1()).vector("weight", d.d1()).nullable().vector("posWeight", d.d1()).nullable()
                .vector("out", d.d1()));
        CALLS.put("bceWithLogitsBackward", (impl, d) -> call("bceWithLogitsBackward", d).size("n", d.d1())
                .vector("dy", d.d1()).vector("x", d.d1()).vector("t", d.d1()).vector("weight", d.d1()).nullable()
                .vector("posWeight", d.d1()).nullable().vector("dx", d.d1()));
        CALLS.put("smoothL1", (impl, d) -> smoothL1Beta(call("smoothL1", d).size("n", d.d1()))
                .vector("x", d.d1()).vector("t", d.d1()).vector("out", d.d1()));
        CALLS.put("smoothL1Backward", (impl, d) -> smoothL1Beta(call("smoothL1Backward", d).size("n", d.d1()))
                .vector("dy", d.d1()).vector("x", d.d1()).vector("t", d.d1()).vector("dx", d.d1()));

        // ---------------------------------------------------------------- strided data movement
        for (String pair : new String[] {"copyStrided", "addStrided"}) {
            CALLS.put(pair, (impl, d) -> {
                int[] sizes = sizes(d);
                return call(pair, d).sizes(sizes).strided("src", sizes, -1, 0).strided("dst", sizes, -1, 0);
            });
        }
        CALLS.put("gather", (impl, d) -> {
            int[] sizes = sizes(d);
            int dim = d.random().nextInt(sizes.length);
            int srcDimSize = 1 + d.random().nextInt(4);
            return dimAndIndex(call("gather", d).sizes(sizes), sizes, dim, srcDimSize).size("srcDimSize", srcDimSize)
                    .strided("src", sizes, dim, srcDimSize).strided("dst", sizes, -1, 0);
        });
        CALLS.put("scatterAdd", (impl, d) -> {
            int[] sizes = sizes(d);
            int dim = d.random().nextInt(sizes.length);
            int dstDimSize = 1 + d.random().nextInt(4);
            return dimAndIndex(call("scatterAdd", d).sizes(sizes), sizes, dim, dstDimSize)
                    .size("dstDimSize", dstDimSize).strided("src", sizes, -1, 0).strided("dst", sizes, dim, dstDimSize);
        });

        // ---------------------------------------------------------------- tensor operations
        CALLS.put("allClose", (impl, d) -> call("allClose", d).size("n", d.d1()).vector("a", d.d1())
                .vector("b", d.d1()).value(1e-5f).value(1e-8f));
        CALLS.put("arange", (impl, d) -> call("arange", d).size("n", d.d1()).value(-1.0).value(0.25)
                .vector("x", d.d1()));
        CALLS.put("broadcastBinary", (impl, d) -> call("broadcastBinary", d)
                .object("op", BinaryOp.values()[d.random().nextInt(BinaryOp.values().length)])
                .size("rows", d.d1()).size("cols", d.d2()).broadcastOperand("a", d.d1(), d.d2())
                .broadcastOperand("b", d.d1(), d.d2()).contiguous("out", d.d1(), d.d2()));
        CALLS.put("broadcastWhere", (impl, d) -> call("broadcastWhere", d).size("rows", d.d1()).size("cols", d.d2())
                .broadcastOperand("cond", d.d1(), d.d2()).broadcastOperand("a", d.d1(), d.d2())
                .broadcastOperand("b", d.d1(), d.d2()).contiguous("out", d.d1(), d.d2()));
        CALLS.put("unary", (impl, d) -> call("unary", d)
                .object("op", UnaryOp.values()[d.random().nextInt(UnaryOp.values().length)])
                .size("n", d.d1()).vector("x", d.d1()).vector("y", d.d1()));
        CALLS.put("powScalar", (impl, d) -> call("powScalar", d).size("n", d.d1()).value(1.5f).vector("x", d.d1())
                .vector("y", d.d1()));

        // ---------------------------------------------------------------- along a dimension: (outer, size, inner)
        for (String reduction : new String[] {"sumAlong", "logSumExpAlong"}) {
            CALLS.put(reduction, (impl, d) -> along(call(reduction, d), d).vector("x", d.d1() * d.d2() * d.d3())
                    .vector("out", d.d1() * d.d3()));
        }
        CALLS.put("maxAlong", (impl, d) -> call("maxAlong", d).value(d.random().nextBoolean())
                .size("outer", d.d1()).size("size", d.d2()).orBad("size", 0, "must be >= 1 for a non-empty result")
                .size("inner", d.d3()).vector("x", d.d1() * d.d2() * d.d3()).vector("values", d.d1() * d.d3())
                .indices("indices", d.d1() * d.d3()));
        CALLS.put("topkAlong", (impl, d) -> {
            int k = 1 + d.random().nextInt(d.d2());
            int results = d.d1() * k * d.d3();
            return along(call("topkAlong", d).value(d.random().nextBoolean()), d).value(k)
                    .orBad("k", -1, "must be in [0, size = " + d.d2() + "]")
                    .orBad("k", d.d2() + 1, "must be in [0, size = " + d.d2() + "]")
                    .vector("x", d.d1() * d.d2() * d.d3()).vector("values", results).indices("indices", results);
        });
        CALLS.put("scatterAddAlong", (impl, d) -> {
            int k = d.d2();
            int size = d.d3();
            int inner = 2;
            return call("scatterAddAlong", d).size("outer", d.d1()).size("k", k).size("size", size)
                    .size("inner", inner).vector("src", d.d1() * k * inner)
                    .indexValues("index", d.d1() * k * inner, size).vector("out", d.d1() * size * inner);
        });
        CALLS.put("softmaxAlong", (impl, d) -> along(call("softmaxAlong", d).value(d.random().nextBoolean()), d)
                .vector("x", d.d1() * d.d2() * d.d3()).vector("y", d.d1() * d.d2() * d.d3()));
        CALLS.put("softmaxBackwardAlong", (impl, d) -> {
            int n = d.d1() * d.d2() * d.d3();
            return along(call("softmaxBackwardAlong", d).value(d.random().nextBoolean()), d).vector("dy", n)
                    .vector("y", n).vector("dx", n);
        });
        CALLS.put("cumsumAlong", (impl, d) -> along(call("cumsumAlong", d), d).vector("x", d.d1() * d.d2() * d.d3())
                .vector("y", d.d1() * d.d2() * d.d3()));

        // ---------------------------------------------------------------- optimizers
        CALLS.put("sgdStep", (impl, d) -> call("sgdStep", d).size("n", d.d1()).vector("param", d.d1())
                .vector("grad", d.d1()).vector("momentumBuffer (needed when momentum != 0)", d.d1())
                .value(0.1f).value(0.9f).value(0f).value(0.01f).value(false).value(false));
        CALLS.put("adamStep", (impl, d) -> call("adamStep", d).size("n", d.d1()).vector("param", d.d1())
                .vector("grad", d.d1()).vector("expAvg", d.d1()).vector("expAvgSq", d.d1())
                .vector("maxExpAvgSq", d.d1()).nullable()
                .value(0.9f).value(0.999f).value(1e-8f).value(1f).value(0f).value(0.001f).value(1f));
    }

    private static KernelCall twoVectors(String kernel, Dims d) {
        return call(kernel, d).size("n", d.d1()).vector("x", d.d1()).vector("y", d.d1());
    }

    private static KernelCall binary(String kernel, Dims d) {
        return call(kernel, d).size("n", d.d1()).vector("a", d.d1()).vector("b", d.d1()).vector("out", d.d1());
    }

    /** beta of smoothL1 and its backward, also made bad by a negative and an infinite value. */
    private static KernelCall smoothL1Beta(KernelCall call) {
        return call.value(1f).orBad("beta", -1f, "must be >= 0 and finite")
                .orBad("beta", Float.POSITIVE_INFINITY, "must be >= 0 and finite");
    }

    /** An index space of rank 1 to 3 from the draw's sizes. */
    private static int[] sizes(Dims d) {
        int[] all = {d.d1(), d.d2(), d.d3()};
        return Arrays.copyOf(all, 1 + d.random().nextInt(3));
    }

    /** dim (also made bad below 0 and at the rank) and the index view of gather and scatterAdd. */
    private static KernelCall dimAndIndex(KernelCall call, int[] sizes, int dim, int dimSize) {
        return call.value(dim).orBad("dim", -1, "must be in [0, " + sizes.length + ")")
                .orBad("dim", sizes.length, "must be in [0, " + sizes.length + ")")
                .stridedIndex("index", sizes, dimSize);
    }

    /** outer, size and inner of the kernels along a dimension. */
    private static KernelCall along(KernelCall call, Dims d) {
        return call.size("outer", d.d1()).size("size", d.d2()).size("inner", d.d3());
    }

    /**
     * sgemmPacked's arguments (transA, m, alpha, a, b, beta, c), or with {@code bias} sgemmPackedBias's (the bias
     * row in beta's place).
     */
    private static KernelCall packedProduct(KernelCall call, Kernels impl, Dims d, boolean bias) {
        boolean transA = d.random().nextBoolean();
        int m = d.d1();
        int k = d.d2();
        int n = d.d3();
        call.value(transA).size("m", m).value(1.5f)
                .matrix(transA ? "a (stored k x m, transA, k = b.rows())" : "a (m x k, k = b.rows())",
                        transA ? k : m, transA ? m : k)
                .object("b", packed(impl, k, n)).orBad("b", packedByTheOther(impl, k, n), "was packed by another");
        return (bias ? call.vector("bias (n = b.cols())", n) : call.value(0.5f)).matrix("c (m x n, n = b.cols())", m,
                n);
    }

    /** The arguments of packB and repackB after repackB's reuse: a k x n op(B). */
    private static KernelCall packing(KernelCall call, Dims d) {
        boolean transB = d.random().nextBoolean();
        int k = d.d2();
        int n = d.d1();
        return call.value(transB).size("k", k).size("n", n)
                .matrix(transB ? "b (stored n x k, transB)" : "b (k x n)", transB ? n : k, transB ? k : n);
    }

    /** The sizes of a whole-sequence kernel's call: a cell kind drawn at random, steps, hidden and batch from d. */
    private record Recurrence(CellKind cell, int steps, int hidden, int batch) {
        static Recurrence draw(Dims d) {
            return new Recurrence(CellKind.values()[d.random().nextInt(CellKind.values().length)], d.d1(), d.d2(),
                    d.d3());
        }
    }

    private static KernelCall recurrentSequence(Kernels impl, Dims d) {
        Recurrence r = Recurrence.draw(d);
        CellKind cell = r.cell();
        int steps = r.steps();
        int hidden = r.hidden();
        int batch = r.batch();
        int rows = steps * batch;
        int gh = cell.gates() * hidden;
        // W_hh (gh x hidden) packed as W_hh^T; matrices of the wrong shape have one row or one column too many
        PackedMatrix whh = impl.packB(true, hidden, gh, new float[gh * hidden], 0, hidden);
        KernelCall call = call("recurrentSequence", d).object("cell", cell).value(d.random().nextBoolean())
                .size("steps", steps).size("batch", batch).size("hidden", hidden)
                .contiguous("ig (steps*batch x G*hidden)", rows, gh)
                .object("whh", whh).orBad("whh", packed(impl, hidden + 1, gh), "must be W_hh^T")
                .orBad("whh", packed(impl, hidden, gh + 1), "must be W_hh^T")
                .orBad("whh", packedByTheOther(impl, hidden, gh), "was packed by another")
                .vector("bhh (G*hidden)", gh).nullable().contiguous("h0 (batch x hidden)", batch, hidden);
        if (cell == CellKind.LSTM) {
            call.contiguous("c (batch x hidden, LSTM)", batch, hidden);
        } else {
            call.value(null).value(0); // c: ignored by the other cells
        }
        return call.matrix("h (steps*batch x hidden)", rows, hidden).contiguous("hg (batch x G*hidden)", batch, gh);
    }
    private static KernelCall recurrentLayer(Kernels impl, Dims d) {
        Recurrence r = Recurrence.draw(d);
        CellKind cell = r.cell();
        int steps = r.steps();
        int hidden = r.hidden();
        int batch = r.batch();
        int input = d.d1() + 1;
        int chunkSteps = 1 + d.random().nextInt(steps);
        int rows = steps * batch;
        int gh = cell.gates() * hidden;
        PackedMatrix wih = impl.packB(true, input, gh, new float[gh * input], 0, input);
        PackedMatrix whh = impl.packB(true, hidden, gh, new float[gh * hidden], 0, hidden);
        KernelCall call = call("recurrentLayer", d).object("cell", cell).value(d.random().nextBoolean())
                .size("steps", steps).size("batch", batch).size("hidden", hidden).size("inputSize", input)
                .contiguous("x (steps*batch x inputSize)", rows, input)
                .object("wih", wih).orBad("wih", packed(impl, input + 1, gh), "must be W_ih^T")
                .orBad("wih", packedByTheOther(impl, input, gh), "was packed by another")
                .vector("bih (G*hidden)", gh).nullable()
                .object("whh", whh).orBad("whh", packed(impl, hidden, gh + 1), "must be W_hh^T")
                .orBad("whh", packedByTheOther(impl, hidden, gh), "was packed by another")
                .vector("bhh (G*hidden)", gh).nullable().contiguous("h0 (batch x hidden)", batch, hidden);
        if (cell == CellKind.LSTM) {
            call.contiguous("c (batch x hidden, LSTM)", batch, hidden);
        } else {
            call.value(null).value(0); // c: ignored by the other cells
        }
        call.matrix("h (steps*batch x hidden)", rows, hidden);
        // recording (the checks look at the workspace only for GRU and LSTM, at cells only for LSTM)
        if (cell == CellKind.GRU || cell == CellKind.LSTM) {
            call.contiguous("workspace (steps*batch x 4*hidden)", rows, 4 * hidden).nullable();
        } else {
            call.value(null).value(0);
        }
        if (cell == CellKind.LSTM) {
            call.contiguous("cells (steps*batch x hidden)", rows, hidden);
        } else {
            call.value(null).value(0);
        }
        return call.value(chunkSteps).vector("work (recurrentLayerWorkFloats)",
                Kernels.recurrentLayerWorkFloats(cell, steps, batch, hidden, input, chunkSteps));
    }

    private static KernelCall recurrentLayerBackward(Kernels impl, Dims d) {
        Recurrence r = Recurrence.draw(d);
        CellKind cell = r.cell();
        int steps = r.steps();
        int hidden = r.hidden();
        int batch = r.batch();
        int rows = steps * batch;
        int gh = cell.gates() * hidden;
        boolean gated = cell == CellKind.GRU || cell == CellKind.LSTM;
        boolean lstm = cell == CellKind.LSTM;
        boolean gru = cell == CellKind.GRU;
        KernelCall call = call("recurrentLayerBackward", d).object("cell", cell).value(d.random().nextBoolean())
                .size("steps", steps).size("batch", batch).size("hidden", hidden)
                .contiguous("dh (steps*batch x hidden)", rows, hidden).matrix("h (steps*batch x hidden)", rows, hidden)
                .contiguous("h0 (batch x hidden)", batch, hidden);
        // operands a cell kind does not read are passed as null (its checks do not look at them)
        absentUnless(gated, call, c -> c.contiguous("workspace (steps*batch x 4*hidden)", rows, 4 * hidden));
        absentUnless(lstm, call, c -> c.contiguous("cells (steps*batch x hidden)", rows, hidden));
        absentUnless(lstm, call, c -> c.contiguous("c0 (batch x hidden)", batch, hidden));
        absentUnless(lstm, call, c -> c.contiguous("dc (batch x hidden)", batch, hidden));
        call.object("whh", impl.packB(false, gh, hidden, new float[gh * hidden], 0, hidden))
                .orBad("whh", packed(impl, gh + 1, hidden), "must be W_hh")
                .orBad("whh", packedByTheOther(impl, gh, hidden), "was packed by another")
                .contiguous("dIg (steps*batch x G*hidden)", rows, gh);
        absentUnless(gru, call, c -> c.contiguous("dHg (steps*batch x G*hidden)", rows, gh));
        call.contiguous("dh0 (batch x hidden)", batch, hidden);
        absentUnless(gru, call, c -> c.contiguous("scratch (batch x hidden)", batch, hidden));
        return call;
    }

    /** The operand {@code add} adds when {@code present}, else an absent array and offset (null, 0). */
    private static void absentUnless(boolean present, KernelCall call, java.util.function.Consumer<KernelCall> add) {
        if (present) {
            add.accept(call);
        } else {
            call.value(null).value(0);
        }
    }
}
