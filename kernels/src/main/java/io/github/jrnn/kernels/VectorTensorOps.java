package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.INT_S;
import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;
import static io.github.jrnn.kernels.VectorLanes.tailMask;

import java.util.function.Function;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The tensor-operation kernels of the vector implementation: broadcast element-wise operations, unary functions and
 * reductions and softmax along a dimension; one link of the chain that makes up {@link VectorKernels}.
 *
 * <p>Broadcast rows run one masked loop per row, each operand loaded as a vector (a contiguous run) or broadcast
 * (a repeated value). Along a dimension of an (outer, size, inner) view, the lanes run over {@code inner}, where
 * consecutive elements are contiguous, so the k loop adds or compares whole vectors in the scalar order; when
 * {@code inner == 1} the reduced elements themselves are contiguous and the lanes run over them instead (the
 * row-wise softmax family is reused as it is).
 */
abstract class VectorTensorOps extends VectorOptimizers {

    VectorTensorOps(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    VectorTensorOps(Kernels checkedTwin) {
        super(checkedTwin);
    }

    /** A row's operand: the run at start (stride 1) or the value there repeated (stride 0). */
    private static FloatVector operand(float[] x, int start, int stride, int j, VectorMask<Float> mask) {
        return stride == 0 ? FloatVector.broadcast(S, x[start]) : FloatVector.fromArray(S, x, start + j, mask);
    }

    private static FloatVector indicator(VectorMask<Float> holds) {
        return FloatVector.zero(S).blend(1f, holds);
    }

    private static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case EQ -> indicator(a.compare(VectorOperators.EQ, b));
            case NE -> indicator(a.compare(VectorOperators.NE, b));
            case GT -> indicator(a.compare(VectorOperators.GT, b));
            case GE -> indicator(a.compare(VectorOperators.GE, b));
            case LT -> indicator(a.compare(VectorOperators.LT, b));
            case LE -> indicator(a.compare(VectorOperators.LE, b));
        };
    }

    @Override
    protected final void broadcastBinaryImpl(BinaryOp op, int rows, int cols, float[] a, int[] aRows, int aStride,
                                             float[] b, int[] bRows, int bStride, float[] out, int outOffset) {
        for (int r = 0; r < rows; r++) {
            int outStart = outOffset + r * cols;
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = tailMask(j, cols);
                apply(op, operand(a, aRows[r], aStride, j, mask), operand(b, bRows[r], bStride, j, mask))
                        .intoArray(out, outStart + j, mask);
            }
        }
    }

    @Override
    protected final void broadcastWhereImpl(int rows, int cols, float[] cond, int[] cRows, int cStride, float[] a,
                                            int[] aRows, int aStride, float[] b, int[] bRows, int bStride,
                                            float[] out, int outOffset) {
        for (int r = 0; r < rows; r++) {
            int outStart = outOffset + r * cols;
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = tailMask(j, cols);
                VectorMask<Float> take = operand(cond, cRows[r], cStride, j, mask).compare(VectorOperators.NE, 0f);
                operand(b, bRows[r], bStride, j, mask).blend(operand(a, aRows[r], aStride, j, mask), take)
                        .intoArray(out, outStart + j, mask);
            }
        }
    }

    private static FloatVector apply(UnaryOp op, FloatVector x) {
        return switch (op) {
            case LOG -> VectorMath.log(x);
            case SQRT -> x.sqrt();
            case RSQRT -> x.broadcast(1f).div(x.sqrt());
            case ABS -> x.abs();
            case NEG -> x.neg();
            case SIGN -> FloatVector.zero(S).blend(1f, x.compare(VectorOperators.GT, 0f))
                    .blend(-1f, x.compare(VectorOperators.LT, 0f));
        };
    }

    @Override
    protected final void unaryImpl(UnaryOp op, int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            apply(op, FloatVector.fromArray(S, x, xOffset + i, mask)).intoArray(y, yOffset + i, mask);
        }
    }

    /** PyTorch's special exponents as vector operations; null for an exponent computed with pow itself. */
    private static FloatVector specialPower(float p, FloatVector x) {
        if (p == 2f) {
            return x.mul(x);
        } else if (p == 3f) {
            return x.mul(x).mul(x);
        } else if (p == 0.5f) {
            return x.sqrt();
        } else if (p == -0.5f) {
            return x.broadcast(1f).div(x.sqrt());
        } else if (p == -1f) {
            return x.broadcast(1f).div(x);
        } else if (p == -2f) {
            return x.broadcast(1f).div(x.mul(x));
        }
        return null;
    }

    @Override
    protected final void powScalarImpl(int n, float p, float[] x, int xOffset, float[] y, int yOffset) {
        if (specialPower(p, FloatVector.zero(S)) == null) {
            // A general power has no vector form with a deterministic bound (exp(p log x) loses |p log x| ulps);
            // StrictMath.pow per element gives the same bits in every execution mode.
            for (int i = 0; i < n; i++) {
                y[yOffset + i] = ScalarTensorOps.pow(x[xOffset + i], p);
            }
            return;
        }
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            specialPower(p, FloatVector.fromArray(S, x, xOffset + i, mask)).intoArray(y, yOffset + i, mask);
        }
    }

    @Override
    protected final void sumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out,
                                      int outOffset) {
        for (int o = 0; o < outer; o++) {
            int base = xOffset + o * size * inner;
            if (inner == 1) {
                FloatVector sum = FloatVector.zero(S);
                for (int k = 0; k < size; k += L) {
                    sum = sum.add(FloatVector.fromArray(S, x, base + k, tailMask(k, size)));
                }
                out[outOffset + o] = VectorReductions.sum(sum);
                continue;
            }
            for (int i = 0; i < inner; i += L) {
                VectorMask<Float> mask = tailMask(i, inner);
                FloatVector sum = FloatVector.zero(S);
                for (int k = 0; k < size; k++) {
                    sum = sum.add(FloatVector.fromArray(S, x, base + k * inner + i, mask));
                }
                sum.intoArray(out, outOffset + o * inner + i, mask);
            }
        }
    }

    @Override
    protected final void maxAlongImpl(boolean largest, int outer, int size, int inner, float[] x, int xOffset,
                                      float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        VectorOperators.Comparison better = largest ? VectorOperators.GT : VectorOperators.LT;
        for (int o = 0; o < outer; o++) {
            int base = xOffset + o * size * inner;
            if (inner == 1) {
                int at = firstExtreme(largest, size, x, base);
                values[valuesOffset + o] = x[base + at];
                indices[indicesOffset + o] = at;
                continue;
            }
            for (int i = 0; i < inner; i += L) {
                VectorMask<Float> mask = tailMask(i, inner);
                FloatVector best = FloatVector.fromArray(S, x, base + i, mask);
                IntVector at = IntVector.zero(INT_S);
                for (int k = 1; k < size; k++) {
                    FloatVector v = FloatVector.fromArray(S, x, base + k * inner + i, mask);
                    // a NaN wins once and then stays (nothing compares better than NaN), as the scalar loop stops
                    VectorMask<Float> bestIsNaN = best.test(VectorOperators.IS_NAN);
                    VectorMask<Float> take = v.compare(better, best).or(v.test(VectorOperators.IS_NAN))
                            .andNot(bestIsNaN);
                    best = best.blend(v, take);
                    at = at.blend(k, take.cast(INT_S));
                }
                best.intoArray(values, valuesOffset + o * inner + i, mask);
                at.intoArray(indices, indicesOffset + o * inner + i, mask.cast(INT_S));
            }
        }
    }

    /** The position of the first largest (smallest) of size contiguous elements, or of the first NaN. */
    private static int firstExtreme(boolean largest, int size, float[] x, int start) {
        FloatVector extreme = FloatVector.broadcast(S, largest ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
        for (int k = 0; k < size; k += L) {
            VectorMask<Float> mask = tailMask(k, size);
            FloatVector v = FloatVector.fromArray(S, x, start + k, mask);
            // max and min propagate NaN, so a NaN anywhere makes the extreme NaN
            extreme = largest ? extreme.max(v.blend(Float.NEGATIVE_INFINITY, mask.not()))
                    : extreme.min(v.blend(Float.POSITIVE_INFINITY, mask.not()));
        }
        float target = largest ? extreme.reduceLanes(VectorOperators.MAX) : extreme.reduceLanes(VectorOperators.MIN);
        boolean nan = Float.isNaN(target);
        for (int k = 0; k < size; k += L) {
            VectorMask<Float> mask = tailMask(k, size);
            FloatVector v = FloatVector.fromArray(S, x, start + k, mask);
            VectorMask<Float> hit = (nan ? v.test(VectorOperators.IS_NAN) : v.compare(VectorOperators.EQ, target))
                    .and(mask);
            if (hit.anyTrue()) {
                return k + hit.firstTrue();
            }
        }
        throw new IllegalStateException("unreachable: the extreme is one of the elements");
    }

    @Override
    protected final void topkAlongImpl(boolean largest, int outer, int size, int inner, int k, float[] x,
                                       int xOffset, float[] values, int valuesOffset, int[] indices,
                                       int indicesOffset) {
        TopK.along(largest, outer, size, inner, k, x, xOffset, values, valuesOffset, indices, indicesOffset);
    }

    @Override
    protected final void scatterAddAlongImpl(int outer, int k, int size, int inner, float[] src, int srcOffset,
                                             int[] index, int indexOffset, float[] out, int outOffset) {
        // Positions may repeat, and a vector scatter would lose all but one of the colliding additions; this is
        // the reference loop.
        ScalarTensorOps.scatterAdd(outer, k, size, inner, src, srcOffset, index, indexOffset, out, outOffset);
    }

    /** Lane-wise largest over k of an inner-strided run of size vectors (NaN propagates, -Inf when empty). */
    private static FloatVector maxOver(int size, int inner, float[] x, int start, VectorMask<Float> mask) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int k = 0; k < size; k++) {
            max = max.max(FloatVector.fromArray(S, x, start + k * inner, mask));
        }
        return max;
    }

    /** Lane-wise sum over k of exp(x - max). */
    private static FloatVector shiftedExpSum(int size, int inner, float[] x, int start, FloatVector max,
                                             VectorMask<Float> mask) {
        FloatVector sum = FloatVector.zero(S);
        for (int k = 0; k < size; k++) {
            sum = sum.add(VectorMath.exp(FloatVector.fromArray(S, x, start + k * inner, mask).sub(max)));
        }
        return sum;
    }

    @Override
    protected final void logSumExpAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out,
                                            int outOffset) {
        if (inner == 1) {
            logSumExpImpl(outer, size, x, xOffset, size, out, outOffset);
            return;
        }
        for (int o = 0; o < outer; o++) {
            int base = xOffset + o * size * inner;
            for (int i = 0; i < inner; i += L) {
                VectorMask<Float> mask = tailMask(i, inner);
                FloatVector max = maxOver(size, inner, x, base + i, mask);
                FloatVector result = max.add(VectorMath.log(shiftedExpSum(size, inner, x, base + i, max, mask)));
                // all -Inf (or empty), any +Inf, or NaN: the maximum itself, as torch.logsumexp
                VectorMask<Float> special = max.test(VectorOperators.IS_INFINITE).or(max.test(VectorOperators.IS_NAN));
                result.blend(max, special).intoArray(out, outOffset + o * inner + i, mask);
            }
        }
    }

    @Override
    protected final void softmaxAlongImpl(boolean log, int outer, int size, int inner, float[] x, int xOffset,
                                          float[] y, int yOffset) {
        if (inner == 1) {
            if (log) {
                logSoftmaxImpl(outer, size, x, xOffset, size, y, yOffset, size);
            } else {
                softmaxImpl(outer, size, x, xOffset, size, y, yOffset, size);
            }
            return;
        }
        for (int o = 0; o < outer; o++) {
            int base = o * size * inner;
            for (int i = 0; i < inner; i += L) {
                VectorMask<Float> mask = tailMask(i, inner);
                FloatVector max = maxOver(size, inner, x, xOffset + base + i, mask);
                FloatVector sum = shiftedExpSum(size, inner, x, xOffset + base + i, max, mask);
                FloatVector logSum = log ? VectorMath.log(sum) : sum;
                for (int k = 0; k < size; k++) {
                    int e = base + k * inner + i;
                    FloatVector shifted = FloatVector.fromArray(S, x, xOffset + e, mask).sub(max);
                    (log ? shifted.sub(logSum) : VectorMath.exp(shifted).div(sum)).intoArray(y, yOffset + e, mask);
                }
            }
        }
    }

    @Override
    protected final void softmaxBackwardAlongImpl(boolean log, int outer, int size, int inner, float[] dy,
                                                  int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        if (inner == 1 && log) {
            logSoftmaxBackwardImpl(outer, size, dy, dyOffset, size, y, yOffset, size, dx, dxOffset, size);
            return;
        }
        for (int o = 0; o < outer; o++) {
            int base = o * size * inner;
            if (inner == 1) {
                float sum = dotImpl(size, dy, dyOffset + base, y, yOffset + base);
                for (int k = 0; k < size; k += L) {
                    VectorMask<Float> mask = tailMask(k, size);
                    FloatVector yv = FloatVector.fromArray(S, y, yOffset + base + k, mask);
                    yv.mul(FloatVector.fromArray(S, dy, dyOffset + base + k, mask).sub(sum))
                            .intoArray(dx, dxOffset + base + k, mask);
                }
                continue;
            }
            for (int i = 0; i < inner; i += L) {
                VectorMask<Float> mask = tailMask(i, inner);
                FloatVector sum = FloatVector.zero(S);
                for (int k = 0; k < size; k++) {
                    int e = base + k * inner + i;
                    FloatVector g = FloatVector.fromArray(S, dy, dyOffset + e, mask);
                    sum = sum.add(log ? g : g.mul(FloatVector.fromArray(S, y, yOffset + e, mask)));
                }
                for (int k = 0; k < size; k++) {
                    int e = base + k * inner + i;
                    FloatVector yv = FloatVector.fromArray(S, y, yOffset + e, mask);
                    FloatVector g = FloatVector.fromArray(S, dy, dyOffset + e, mask);
                    (log ? g.sub(VectorMath.exp(yv).mul(sum)) : yv.mul(g.sub(sum))).intoArray(dx, dxOffset + e, mask);
                }
            }
        }
    }

    @Override
    protected final void cumsumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] y,
                                         int yOffset) {
        for (int o = 0; o < outer; o++) {
            int base = o * size * inner;
            if (inner == 1) {
                // one running sum along contiguous elements: a sequential dependence the lanes cannot share (a
                // lane-parallel scan would add in another order and round differently)
                float sum = 0f;
                for (int k = 0; k < size; k++) {
                    sum += x[xOffset + base + k];
                    y[yOffset + base + k] = sum;
                }
                continue;
            }
            // lanes run over inner: each lane is one column's running sum, added in the scalar order
            for (int i = 0; i < inner; i += L) {
                VectorMask<Float> mask = tailMask(i, inner);
                FloatVector sum = FloatVector.zero(S);
                for (int k = 0; k < size; k++) {
                    int e = base + k * inner + i;
                    sum = sum.add(FloatVector.fromArray(S, x, xOffset + e, mask));
                    sum.intoArray(y, yOffset + e, mask);
                }
            }
        }
    }
}
