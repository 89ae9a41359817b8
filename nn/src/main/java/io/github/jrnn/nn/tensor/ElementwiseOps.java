package io.github.jrnn.nn.tensor;

import io.github.jrnn.kernels.BinaryOp;
import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.UnaryOp;
import java.util.Arrays;

/**
 * Element-wise tensor operations with PyTorch's broadcasting and backward formulas (the bodies of
 * {@link Tensor#add}, {@link Tensor#mul}, {@link Tensor#exp}, {@link Tensor#maskedFill}, {@link Torch#where}, ...).
 * Each computes with one broadcast or element-wise kernel; the gradient of a broadcast input is summed back to its
 * shape ({@link Broadcast#sumTo}).
 */
final class ElementwiseOps {

    private static final int[] SCALAR = {};

    private ElementwiseOps() {
    }

    private static Kernels kernels() {
        return KernelProvider.kernels();
    }

    /** {@code op(a, b)} broadcast: a new array of shape {@code out}. */
    static float[] apply(BinaryOp op, float[] a, int[] aShape, float[] b, int[] bShape, int[] out) {
        Broadcast.Plan plan = Broadcast.plan(out, aShape, bShape);
        float[] result = new float[Tensor.checkedNumel(out)];
        Broadcast.Operand pa = plan.operands()[0];
        Broadcast.Operand pb = plan.operands()[1];
        kernels().broadcastBinary(op, plan.rows(), plan.cols(), a, pa.rows(), pa.stride(), b, pb.rows(),
                pb.stride(), result, 0);
        return result;
    }

    /** {@code cond != 0 ? a : b} broadcast to {@code out}. */
    static float[] where(float[] cond, int[] cShape, float[] a, int[] aShape, float[] b, int[] bShape, int[] out) {
        Broadcast.Plan plan = Broadcast.plan(out, cShape, aShape, bShape);
        Broadcast.Operand pc = plan.operands()[0];
        Broadcast.Operand pa = plan.operands()[1];
        Broadcast.Operand pb = plan.operands()[2];
        float[] result = new float[Tensor.checkedNumel(out)];
        kernels().broadcastWhere(plan.rows(), plan.cols(), cond, pc.rows(), pc.stride(), a, pa.rows(), pa.stride(),
                b, pb.rows(), pb.stride(), result, 0);
        return result;
    }

    /** {@code op(x, s)} for a tensor-shaped array and a scalar. */
    static float[] withScalar(BinaryOp op, float[] x, int[] shape, float s) {
        return apply(op, x, shape, new float[] {s}, SCALAR, shape);
    }

    private static boolean needs(Tensor t) {
        return t.requiresGrad();
    }

    /** a op b for ADD, SUB, MUL, DIV with broadcasting and PyTorch's backward. */
    static Tensor arithmetic(BinaryOp op, Tensor a, Tensor b) {
        requireNonNull(op.name().toLowerCase(java.util.Locale.ROOT), a, b);
        int[] as = a.shape();
        int[] bs = b.shape();
        int[] out = Broadcast.shapes(as, bs);
        Tensor result = Tensor.of(apply(op, a.data(), as, b.data(), bs, out), out);
        float[] y = result.data();
        return switch (op) {
            case ADD -> OpBackward.record(result, "AddBackward0", g -> new float[][] {
                needs(a) ? Broadcast.sumTo(g, out, as) : null, needs(b) ? Broadcast.sumTo(g, out, bs) : null}, a, b);
            case SUB -> OpBackward.record(result, "SubBackward0", g -> new float[][] {
                needs(a) ? Broadcast.sumTo(g, out, as) : null,
                needs(b) ? Broadcast.sumTo(negate(g), out, bs) : null}, a, b);
            case MUL -> OpBackward.record(result, "MulBackward0", g -> new float[][] {
                needs(a) ? Broadcast.sumTo(apply(BinaryOp.MUL, g, out, b.data(), bs, out), out, as) : null,
                needs(b) ? Broadcast.sumTo(apply(BinaryOp.MUL, g, out, a.data(), as, out), out, bs) : null}, a, b);
            case DIV -> OpBackward.record(result, "DivBackward0", g -> new float[][] {
                needs(a) ? Broadcast.sumTo(apply(BinaryOp.DIV, g, out, b.data(), bs, out), out, as) : null,
                // d(a/b)/db = -a/b^2 = -(a/b)/b, from the saved output
                needs(b) ? Broadcast.sumTo(apply(BinaryOp.DIV, apply(BinaryOp.MUL, negate(g), out, y, out, out),
                        out, b.data(), bs, out), out, bs) : null}, a, b);
            default -> throw new IllegalArgumentException("not an arithmetic operation: " + op);
        };
    }

    /** a op s for a scalar s (ADD, SUB, MUL, DIV); the gradient of a is g, g, g*s, g/s. */
    static Tensor arithmetic(BinaryOp op, Tensor a, float s) {
        requireNonNull(op.name().toLowerCase(java.util.Locale.ROOT), a, a);
        int[] shape = a.shape();
        Tensor result = Tensor.of(withScalar(op, a.data(), shape, s), shape);
        String name = switch (op) {
            case ADD -> "AddBackward1";
            case SUB -> "SubBackward1";
            case MUL -> "MulBackward1";
            case DIV -> "DivBackward1";
            default -> throw new IllegalArgumentException("not an arithmetic operation: " + op);
        };
        return OpBackward.record(result, name, g -> new float[][] {
            op == BinaryOp.MUL || op == BinaryOp.DIV ? withScalar(op, g, shape, s) : g}, a);
    }

    static float[] negate(float[] g) {
        float[] out = new float[g.length];
        kernels().unary(UnaryOp.NEG, g.length, g, 0, out, 0);
        return out;
    }

    private static float[] unaryArray(UnaryOp op, float[] x) {
        float[] out = new float[x.length];
        kernels().unary(op, x.length, x, 0, out, 0);
        return out;
    }

    /** A unary function of {@link UnaryOp} with its backward (log, sqrt, rsqrt, abs, neg). */
    static Tensor unary(UnaryOp op, Tensor x) {
        requireNonNull(op.name().toLowerCase(java.util.Locale.ROOT), x, x);
        int[] shape = x.shape();
        Tensor result = Tensor.of(unaryArray(op, x.data()), shape);
        float[] y = result.data();
        return switch (op) {
            case LOG -> OpBackward.record(result, "LogBackward0", g -> new float[][] {
                apply(BinaryOp.DIV, g, shape, x.data(), shape, shape)}, x);
            // grad / (2 * result), PyTorch's formula
            case SQRT -> OpBackward.record(result, "SqrtBackward0", g -> new float[][] {
                apply(BinaryOp.DIV, g, shape, withScalar(BinaryOp.MUL, y, shape, 2f), shape, shape)}, x);
            // -0.5 * grad * result^3
            case RSQRT -> OpBackward.record(result, "RsqrtBackward0", g -> new float[][] {
                withScalar(BinaryOp.MUL, apply(BinaryOp.MUL, g, shape, power(y, 3f), shape, shape), shape, -0.5f)},
                x);
            case ABS -> OpBackward.record(result, "AbsBackward0", g -> new float[][] {
                apply(BinaryOp.MUL, g, shape, unaryArray(UnaryOp.SIGN, x.data()), shape, shape)}, x);
            case NEG -> OpBackward.record(result, "NegBackward0", g -> new float[][] {negate(g)}, x);
            case SIGN -> OpBackward.record(result, "SignBackward0", g -> new float[][] {new float[g.length]}, x);
        };
    }

    private static float[] power(float[] x, float p) {
        float[] out = new float[x.length];
        kernels().powScalar(x.length, p, x, 0, out, 0);
        return out;
    }

    /** The activations that have kernels of their own: exp, tanh, sigmoid, relu. */
    enum Activation { EXP, TANH, SIGMOID, RELU }

    static Tensor activation(Activation kind, Tensor x) {
        requireNonNull(kind.name().toLowerCase(java.util.Locale.ROOT), x, x);
        int[] shape = x.shape();
        int n = x.numel();
        float[] y = new float[n];
        Kernels k = kernels();
        switch (kind) {
            case EXP -> k.exp(n, x.data(), 0, y, 0);
            case TANH -> k.tanh(n, x.data(), 0, y, 0);
            case SIGMOID -> k.sigmoid(n, x.data(), 0, y, 0);
            case RELU -> k.relu(n, x.data(), 0, y, 0);
            default -> throw new IllegalStateException(kind.name());
        }
        Tensor result = Tensor.of(y, shape);
        String name = switch (kind) {
            case EXP -> "ExpBackward0";
            case TANH -> "TanhBackward0";
            case SIGMOID -> "SigmoidBackward0";
            case RELU -> "ReluBackward0";
        };
        return OpBackward.record(result, name, g -> {
            float[] dx = new float[n];
            switch (kind) {
                case EXP -> k.mul(n, g, 0, y, 0, dx, 0);
                case TANH -> k.tanhBackward(n, g, 0, y, 0, dx, 0);
                case SIGMOID -> k.sigmoidBackward(n, g, 0, y, 0, dx, 0);
                case RELU -> k.reluBackward(n, g, 0, y, 0, dx, 0);
                default -> throw new IllegalStateException(kind.name());
            }
            return new float[][] {dx};
        }, x);
    }

    /** {@code x^p}; backward {@code grad * p * x^(p-1)}, zero for p = 0 (as PyTorch). */
    static Tensor pow(Tensor x, float p) {
        requireNonNull("pow", x, x);
        int[] shape = x.shape();
        Tensor result = Tensor.of(power(x.data(), p), shape);
        return OpBackward.record(result, "PowBackward0", g -> new float[][] {p == 0f ? new float[g.length]
            : apply(BinaryOp.MUL, g, shape, withScalar(BinaryOp.MUL, power(x.data(), p - 1f), shape, p), shape,
                    shape)}, x);
    }

    /**
     * {@code min(max(x, lo), hi)}; NaN bounds mean "no bound"; when lo > hi every element becomes hi (PyTorch).
     * Backward passes the gradient where {@code lo <= x <= hi}.
     */
    static Tensor clamp(Tensor x, float lo, float hi) {
        requireNonNull("clamp", x, x);
        if (Float.isNaN(lo) && Float.isNaN(hi)) {
            throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None;"
                    + " pass Float.NaN only for the bound you leave open");
        }
        float low = Float.isNaN(lo) ? Float.NEGATIVE_INFINITY : lo;
        float high = Float.isNaN(hi) ? Float.POSITIVE_INFINITY : hi;
        int[] shape = x.shape();
        int n = x.numel();
        float[] y = x.data().clone();
        if (low > high) {
            kernels().fill(n, high, y, 0);
        } else {
            kernels().clamp(n, low, high, y, 0);
        }
        Tensor result = Tensor.of(y, shape);
        return OpBackward.record(result, "ClampBackward1", g -> {
            float[] inRange = apply(BinaryOp.MUL, withScalar(BinaryOp.GE, x.data(), shape, low), shape,
                    withScalar(BinaryOp.LE, x.data(), shape, high), shape, shape);
            return new float[][] {where(inRange, shape, g, shape, new float[] {0f}, SCALAR, shape)};
        }, x);
    }

    /** A comparison ({@code EQ ... LE}) of a and b broadcast, as a mask. */
    static BoolTensor compare(BinaryOp op, Tensor a, Tensor b) {
        requireNonNull(op.name().toLowerCase(java.util.Locale.ROOT), a, b);
        int[] out = Broadcast.shapes(a.shape(), b.shape());
        return new BoolTensor(apply(op, a.data(), a.shape(), b.data(), b.shape(), out), out);
    }

    /** A comparison of a with a scalar, as a mask of a's shape. */
    static BoolTensor compare(BinaryOp op, Tensor a, float s) {
        requireNonNull(op.name().toLowerCase(java.util.Locale.ROOT), a, a);
        return new BoolTensor(withScalar(op, a.data(), a.shape(), s), a.shape());
    }

    /** {@code where(cond, a, b)} with broadcasting of all three; gradients go to the chosen side. */
    static Tensor where(BoolTensor cond, Tensor a, Tensor b) {
        if (cond == null) {
            throw new IllegalArgumentException("where: condition must not be null");
        }
        requireNonNull("where", a, b);
        int[] cs = cond.shape();
        int[] as = a.shape();
        int[] bs = b.shape();
        int[] out = Broadcast.shapes(Broadcast.shapes(cs, as), bs);
        float[] c = cond.mask();
        Tensor result = Tensor.of(where(c, cs, a.data(), as, b.data(), bs, out), out);
        float[] zero = {0f};
        return OpBackward.record(result, "WhereBackward0", g -> new float[][] {
            needs(a) ? Broadcast.sumTo(where(c, cs, g, out, zero, SCALAR, out), out, as) : null,
            needs(b) ? Broadcast.sumTo(where(c, cs, zero, SCALAR, g, out, out), out, bs) : null}, a, b);
    }

    /** x with {@code value} where the mask (broadcast to x's shape) is true; backward zero there. */
    static Tensor maskedFill(Tensor x, BoolTensor mask, float value) {
        if (mask == null) {
            throw new IllegalArgumentException("maskedFill: mask must not be null");
        }
        requireNonNull("maskedFill", x, x);
        int[] shape = x.shape();
        int[] ms = mask.shape();
        if (!Arrays.equals(Broadcast.shapes(ms, shape), shape)) {
            throw new IllegalArgumentException("The size of the mask " + Tensor.shapeString(ms)
                    + " must be broadcastable to the size of the tensor " + Tensor.shapeString(shape)
                    + " it fills");
        }
        float[] m = mask.mask();
        Tensor result = Tensor.of(where(m, ms, new float[] {value}, SCALAR, x.data(), shape, shape), shape);
        return OpBackward.record(result, "MaskedFillBackward0", g -> new float[][] {
            where(m, ms, new float[] {0f}, SCALAR, g, shape, shape)}, x);
    }

    static void requireNonNull(String op, Tensor a, Tensor b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException(op + ": the tensor operands must not be null");
        }
    }
}
