package io.github.jrnn.kernels;

/**
 * The element-wise operation {@link Kernels#broadcastBinary} applies to each pair {@code (a, b)}. Arithmetic is one
 * IEEE float operation (exact rounding, NaN propagates); a comparison gives {@code 1f} when it holds and {@code 0f}
 * otherwise, with IEEE semantics (every comparison with NaN is false except {@code NE}), like PyTorch's boolean
 * results of {@code eq, ne, gt, ge, lt, le}.
 */
public enum BinaryOp {
    /** {@code a + b}. */
    ADD,
    /** {@code a - b}. */
    SUB,
    /** {@code a * b}. */
    MUL,
    /** {@code a / b}. */
    DIV,
    /** {@code a == b ? 1 : 0}. */
    EQ,
    /** {@code a != b ? 1 : 0}. */
    NE,
    /** {@code a > b ? 1 : 0}. */
    GT,
    /** {@code a >= b ? 1 : 0}. */
    GE,
    /** {@code a < b ? 1 : 0}. */
    LT,
    /** {@code a <= b ? 1 : 0}. */
    LE;

    /** The result for one pair in Java float arithmetic: what the scalar reference computes. */
    float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
        };
    }
}
