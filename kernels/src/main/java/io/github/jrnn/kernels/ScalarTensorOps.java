package io.github.jrnn.kernels;

import java.util.function.Function;

/**
 * The scalar reference of the tensor-operation kernels (broadcast element-wise, unary functions, reductions and
 * softmax along a dimension): plain loops in the order of each formula, as the rest of {@link ScalarKernels}. Split
 * from that class by family only, so each file stays readable.
 */
abstract class ScalarTensorOps extends ScalarMovement {

    /** See {@link Kernels#Kernels(Function)}. */
    ScalarTensorOps(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    ScalarTensorOps(Kernels checkedTwin) {
        super(checkedTwin);
    }

    @Override
    protected final void broadcastBinaryImpl(BinaryOp op, int rows, int cols, float[] a, int[] aRows, int aStride,
                                             float[] b, int[] bRows, int bStride, float[] out, int outOffset) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                out[outOffset + r * cols + j] = op.apply(a[aRows[r] + j * aStride], b[bRows[r] + j * bStride]);
            }
        }
    }

    @Override
    protected final void broadcastWhereImpl(int rows, int cols, float[] cond, int[] cRows, int cStride, float[] a,
                                            int[] aRows, int aStride, float[] b, int[] bRows, int bStride,
                                            float[] out, int outOffset) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                boolean take = cond[cRows[r] + j * cStride] != 0f;
                out[outOffset + r * cols + j] = take ? a[aRows[r] + j * aStride] : b[bRows[r] + j * bStride];
            }
        }
    }

    /** One element of {@link UnaryOp}, as its Javadoc states it. */
    static float unary(UnaryOp op, float x) {
        return switch (op) {
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> 1f / (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case NEG -> -x;
            case SIGN -> x > 0f ? 1f : x < 0f ? -1f : 0f;
        };
    }

    @Override
    protected final void unaryImpl(UnaryOp op, int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] = unary(op, x[xOffset + i]);
        }
    }

    /** One element of {@link Kernels#powScalar}, with PyTorch's special exponents. */
    static float pow(float x, float p) {
        if (p == 2f) {
            return x * x;
        } else if (p == 3f) {
            return x * x * x;
        } else if (p == 0.5f) {
            return (float) Math.sqrt(x);
        } else if (p == -0.5f) {
            return 1f / (float) Math.sqrt(x);
        } else if (p == -1f) {
            return 1f / x;
        } else if (p == -2f) {
            return 1f / (x * x);
        }
        return (float) StrictMath.pow(x, p);
    }

    @Override
    protected final void powScalarImpl(int n, float p, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] = pow(x[xOffset + i], p);
        }
    }

    @Override
    protected final void sumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out,
                                      int outOffset) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                float sum = 0f;
                for (int k = 0; k < size; k++) {
                    sum += x[xOffset + (o * size + k) * inner + i];
                }
                out[outOffset + o * inner + i] = sum;
            }
        }
    }

    @Override
    protected final void maxAlongImpl(boolean largest, int outer, int size, int inner, float[] x, int xOffset,
                                      float[] values, int valuesOffset, int[] indices, int indicesOffset) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = xOffset + o * size * inner + i;
                float best = x[base];
                int at = 0;
                for (int k = 1; k < size && !Float.isNaN(best); k++) {
                    float v = x[base + k * inner];
                    if (Float.isNaN(v) || (largest ? v > best : v < best)) {
                        best = v;
                        at = k;
                    }
                }
                values[valuesOffset + o * inner + i] = best;
                indices[indicesOffset + o * inner + i] = at;
            }
        }
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
        scatterAdd(outer, k, size, inner, src, srcOffset, index, indexOffset, out, outOffset);
    }

    /** {@link Kernels#scatterAddAlong}'s loop, shared with the vector implementation (see there why). */
    static void scatterAdd(int outer, int k, int size, int inner, float[] src, int srcOffset, int[] index,
                           int indexOffset, float[] out, int outOffset) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < inner; i++) {
                    int e = (o * k + j) * inner + i;
                    out[outOffset + (o * size + index[indexOffset + e]) * inner + i] += src[srcOffset + e];
                }
            }
        }
    }

    /** The largest of the size elements from start, stride apart (NaN if any is NaN, -Inf when empty). */
    private static float max(int size, int stride, float[] x, int start) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < size; k++) {
            max = Math.max(max, x[start + k * stride]);
        }
        return max;
    }

    /** sum_k exp(x_k - max) in double. */
    private static double shiftedExpSum(int size, int stride, float[] x, int start, float max) {
        double sum = 0;
        for (int k = 0; k < size; k++) {
            sum += Math.exp((double) x[start + k * stride] - max);
        }
        return sum;
    }

    @Override
    protected final void logSumExpAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] out,
                                            int outOffset) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int start = xOffset + o * size * inner + i;
                float max = max(size, inner, x, start);
                // All -Inf (or empty), any +Inf, or NaN: the result is the maximum itself, as torch.logsumexp.
                boolean special = Float.isInfinite(max) || Float.isNaN(max);
                out[outOffset + o * inner + i] = special ? max
                        : (float) (max + Math.log(shiftedExpSum(size, inner, x, start, max)));
            }
        }
    }

    @Override
    protected final void softmaxAlongImpl(boolean log, int outer, int size, int inner, float[] x, int xOffset,
                                          float[] y, int yOffset) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i;
                float max = max(size, inner, x, xOffset + base);
                double sum = shiftedExpSum(size, inner, x, xOffset + base, max);
                double logSum = Math.log(sum);
                for (int k = 0; k < size; k++) {
                    double shifted = (double) x[xOffset + base + k * inner] - max;
                    y[yOffset + base + k * inner] = (float) (log ? shifted - logSum : Math.exp(shifted) / sum);
                }
            }
        }
    }

    @Override
    protected final void softmaxBackwardAlongImpl(boolean log, int outer, int size, int inner, float[] dy,
                                                  int dyOffset, float[] y, int yOffset, float[] dx, int dxOffset) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i;
                float sum = 0f;
                for (int k = 0; k < size; k++) {
                    float g = dy[dyOffset + base + k * inner];
                    sum += log ? g : g * y[yOffset + base + k * inner];
                }
                for (int k = 0; k < size; k++) {
                    int e = base + k * inner;
                    float yk = y[yOffset + e];
                    dx[dxOffset + e] = log ? dy[dyOffset + e] - (float) Math.exp(yk) * sum
                            : yk * (dy[dyOffset + e] - sum);
                }
            }
        }
    }

    @Override
    protected final void cumsumAlongImpl(int outer, int size, int inner, float[] x, int xOffset, float[] y,
                                         int yOffset) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                float sum = 0f;
                for (int k = 0; k < size; k++) {
                    int e = (o * size + k) * inner + i;
                    sum += x[xOffset + e];
                    y[yOffset + e] = sum;
                }
            }
        }
    }
}
