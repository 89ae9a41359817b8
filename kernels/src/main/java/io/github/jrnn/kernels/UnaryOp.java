package io.github.jrnn.kernels;

/**
 * The element-wise function {@link Kernels#unary} applies, with PyTorch's special values:
 * <pre>
 * LOG    ln x          log(0) = -Inf, log(x &lt; 0) = NaN, log(+Inf) = +Inf
 * SQRT   sqrt x        correctly rounded; sqrt(-0) = -0, sqrt(x &lt; 0) = NaN
 * RSQRT  1 / sqrt x    two IEEE operations in this order (PyTorch's CPU kernel); rsqrt(0) = +Inf
 * ABS    |x|           exact
 * NEG    -x            exact
 * SIGN   1, -1 or 0    0 for +-0 and for NaN, as torch.sign
 * </pre>
 */
public enum UnaryOp {
    /** Natural logarithm. */
    LOG,
    /** Square root. */
    SQRT,
    /** Reciprocal square root {@code 1 / sqrt(x)}. */
    RSQRT,
    /** Absolute value. */
    ABS,
    /** Negation. */
    NEG,
    /** Sign: 1 for x &gt; 0, -1 for x &lt; 0, 0 otherwise (also for NaN). */
    SIGN
}
