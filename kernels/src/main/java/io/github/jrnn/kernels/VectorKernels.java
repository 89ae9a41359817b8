package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.VectorLanes.L;
import static io.github.jrnn.kernels.VectorLanes.S;
import static io.github.jrnn.kernels.VectorLanes.tailMask;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API implementation of {@link Kernels}: the end of a chain of abstract classes, split into files by
 * family only ({@link VectorGemm} the products, {@link VectorCells} the recurrent cells, {@link VectorLayers} the
 * whole-layer recurrences, {@link VectorOptimizers} the optimizer steps; this class the element-wise, activation and
 * row-wise kernels). The activation
 * approximations are in {@link VectorMath}, the species and lane count in {@link VectorLanes}.
 *
 * <p>The loops here have one shape: full vectors while they fit, then one masked vector for the tail
 * ({@link VectorLanes#tailMask}; masked loads read inactive lanes as zero and masked stores leave them untouched),
 * then any reduction. Only touch this class after {@link KernelProvider} has checked that
 * {@code jdk.incubator.vector} is readable.
 *
 * <p>No mutable state in the instance, so safe to share between threads; the products use per-thread packing
 * buffers ({@link GemmScratch}) and a shared helper pool ({@link GemmThreads}) behind the calls.
 */
final class VectorKernels extends VectorNormAndLossOps implements VectorWidth {

    /** The checked vector kernels; {@link #unchecked()} is their twin without argument checks. */
    VectorKernels() {
        super(VectorKernels::new);
    }

    private VectorKernels(Kernels checkedTwin) {
        super(checkedTwin);
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int vectorBitSize() {
        return S.vectorBitSize();
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    protected final void axpyImpl(int n, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector xv = FloatVector.fromArray(S, x, xOffset + i, mask);
            xv.fma(av, FloatVector.fromArray(S, y, yOffset + i, mask)).intoArray(y, yOffset + i, mask);
        }
    }

    @Override
    protected final void scaleImpl(int n, float alpha, float[] x, int xOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector.fromArray(S, x, xOffset + i, mask).mul(alpha).intoArray(x, xOffset + i, mask);
        }
    }

    @Override
    protected final void fillImpl(int n, float value, float[] x, int xOffset) {
        FloatVector v = FloatVector.broadcast(S, value);
        for (int i = 0; i < n; i += L) {
            // the mask in place, not tailMask: inlined into layerNormBackward, the helper call was judged cold at
            // 128 bits and left a real call, boxing a mask per vector (5 KB per layerNormBackward call, hidden 256)
            v.intoArray(x, xOffset + i, i + L <= n ? S.maskAll(true) : S.indexInRange(i, n));
        }
    }

    @Override
    protected final void addImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector.fromArray(S, a, aOffset + i, mask).add(FloatVector.fromArray(S, b, bOffset + i, mask))
                    .intoArray(out, outOffset + i, mask);
        }
    }

    @Override
    protected final void clampImpl(int n, float lo, float hi, float[] x, int xOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector.fromArray(S, x, xOffset + i, mask).max(lo).min(hi).intoArray(x, xOffset + i, mask);
        }
    }

    @Override
    protected final float maxAbsImpl(int n, float[] x, int xOffset) {
        // Masked-off lanes load as 0, which never exceeds an absolute value.
        FloatVector max = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            max = max.max(FloatVector.fromArray(S, x, xOffset + i, tailMask(i, n)).abs());
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    @Override
    protected final void mulImpl(int n, float[] a, int aOffset, float[] b, int bOffset, float[] out, int outOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector.fromArray(S, a, aOffset + i, mask).mul(FloatVector.fromArray(S, b, bOffset + i, mask))
                    .intoArray(out, outOffset + i, mask);
        }
    }

    @Override
    protected final void broadcastRowsImpl(int rows, int cols, float[] row, int rowOffset, float[] c, int cOffset,
                                           int ldc) {
        // A row copy is what arraycopy is for: the JIT turns it into wide moves already. arraycopy checks its
        // positions even when it copies nothing, and rows of no columns may lie past the array's end.
        if (cols == 0) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            System.arraycopy(row, rowOffset, c, cOffset + i * ldc, cols);
        }
    }

    @Override
    protected final void sumRowsImpl(int rows, int cols, float[] a, int aOffset, int lda, float[] out, int outOffset) {
        // Four column vectors at a time, so that each row is read as one 4-vector run rather than one vector per
        // pass down the whole matrix with stride lda (at lda = 1024 every row's vector falls in the same L1 set;
        // a 1600 x 1024 bias gradient of an LSTM train step took 3 ns per float). Every column is still summed
        // from zero in row order and then added to out: the same bits as one column vector at a time.
        int j = 0;
        for (; j + 4 * L <= cols; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                int row = aOffset + i * lda + j;
                s0 = s0.add(FloatVector.fromArray(S, a, row));
                s1 = s1.add(FloatVector.fromArray(S, a, row + L));
                s2 = s2.add(FloatVector.fromArray(S, a, row + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, a, row + 3 * L));
            }
            int o = outOffset + j;
            s0.add(FloatVector.fromArray(S, out, o)).intoArray(out, o);
            s1.add(FloatVector.fromArray(S, out, o + L)).intoArray(out, o + L);
            s2.add(FloatVector.fromArray(S, out, o + 2 * L)).intoArray(out, o + 2 * L);
            s3.add(FloatVector.fromArray(S, out, o + 3 * L)).intoArray(out, o + 3 * L);
        }
        for (; j < cols; j += L) {
            VectorMask<Float> mask = tailMask(j, cols);
            FloatVector sum = FloatVector.zero(S);
            for (int i = 0; i < rows; i++) {
                sum = sum.add(FloatVector.fromArray(S, a, aOffset + i * lda + j, mask));
            }
            sum.add(FloatVector.fromArray(S, out, outOffset + j, mask)).intoArray(out, outOffset + j, mask);
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    protected final void tanhImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        // Two whole vectors per iteration: C2 does not unroll a loop body this large, and one vector per iteration
        // ran at about 0.7x the speed of this over 256 floats, tanh and sigmoid alike (JMH, the operands moved
        // through the 16 positions in a cache line, Xeon with AVX-512). The rest goes to a method of its own, with
        // the mask: with the ragged vector's mask in this loop, the compiled kernel allocated 240 bytes per call
        // at 250 floats (VectorKernelAllocationTest).
        int pairs = n & -(2 * L); // the whole pairs of vectors (2L is a power of two)
        int i = 0;
        for (; i < pairs; i += 2 * L) {
            FloatVector a = VectorMath.tanh(FloatVector.fromArray(S, x, xOffset + i));
            FloatVector b = VectorMath.tanh(FloatVector.fromArray(S, x, xOffset + i + L));
            a.intoArray(y, yOffset + i);
            b.intoArray(y, yOffset + i + L);
        }
        if (i < n) {
            tanhRest(n - i, x, xOffset + i, y, yOffset + i);
        }
    }

    /** {@link #tanhImpl}'s last fewer than 2L elements, one vector at a time, the ragged last one masked. */
    private static void tanhRest(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i += L) {
            boolean full = i + L <= n;
            FloatVector out = VectorMath.tanh(full ? FloatVector.fromArray(S, x, xOffset + i)
                    : FloatVector.fromArray(S, x, xOffset + i, S.indexInRange(i, n)));
            if (full) {
                out.intoArray(y, yOffset + i);
            } else {
                out.intoArray(y, yOffset + i, S.indexInRange(i, n));
            }
        }
    }

    @Override
    protected final void sigmoidImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        // two whole vectors per iteration, the rest in a method of its own (see tanhImpl)
        int pairs = n & -(2 * L); // the whole pairs of vectors (2L is a power of two)
        int i = 0;
        for (; i < pairs; i += 2 * L) {
            FloatVector a = VectorMath.sigmoid(FloatVector.fromArray(S, x, xOffset + i));
            FloatVector b = VectorMath.sigmoid(FloatVector.fromArray(S, x, xOffset + i + L));
            a.intoArray(y, yOffset + i);
            b.intoArray(y, yOffset + i + L);
        }
        if (i < n) {
            sigmoidRest(n - i, x, xOffset + i, y, yOffset + i);
        }
    }

    /** {@link #sigmoidImpl}'s last fewer than 2L elements, one vector at a time, the ragged last one masked. */
    private static void sigmoidRest(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i += L) {
            boolean full = i + L <= n;
            FloatVector out = VectorMath.sigmoid(full ? FloatVector.fromArray(S, x, xOffset + i)
                    : FloatVector.fromArray(S, x, xOffset + i, S.indexInRange(i, n)));
            if (full) {
                out.intoArray(y, yOffset + i);
            } else {
                out.intoArray(y, yOffset + i, S.indexInRange(i, n));
            }
        }
    }

    @Override
    protected final void reluImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            // max follows Math.max: NaN stays NaN.
            FloatVector.fromArray(S, x, xOffset + i, mask).max(0f).intoArray(y, yOffset + i, mask);
        }
    }

    @Override
    protected final void expImpl(int n, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            VectorMath.exp(FloatVector.fromArray(S, x, xOffset + i, mask)).intoArray(y, yOffset + i, mask);
        }
    }

    @Override
    protected final void tanhBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
                                          int dxOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector yv = FloatVector.fromArray(S, y, yOffset + i, mask);
            FloatVector.fromArray(S, dy, dyOffset + i, mask).mul(yv.mul(yv).neg().add(1f))
                    .intoArray(dx, dxOffset + i, mask);
        }
    }

    @Override
    protected final void sigmoidBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
                                             int dxOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            FloatVector yv = FloatVector.fromArray(S, y, yOffset + i, mask);
            FloatVector.fromArray(S, dy, dyOffset + i, mask).mul(yv).mul(yv.neg().add(1f))
                    .intoArray(dx, dxOffset + i, mask);
        }
    }

    @Override
    protected final void reluBackwardImpl(int n, float[] dy, int dyOffset, float[] y, int yOffset, float[] dx,
                                          int dxOffset) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = tailMask(i, n);
            VectorMask<Float> atMostZero = FloatVector.fromArray(S, y, yOffset + i, mask)
                    .compare(VectorOperators.LE, 0f); // false for NaN, whose gradient passes, as in torch
            FloatVector.fromArray(S, dy, dyOffset + i, mask).blend(0f, atMostZero).intoArray(dx, dxOffset + i, mask);
        }
    }

    // ---------------------------------------------------------------- softmax family
    //
    // Each row runs as passes that are methods of their own, taking and returning no vector: one vectorised exp
    // (VectorMath.exp) uses most of C2's inlining budget for a compilation (NodeCountInliningCutoff, see
    // VectorCells), so a call parsed after it may stay a real call, which boxes every vector it passes (with the
    // passes written in one method, a softmax call of 8 rows of 1024 allocated 124 KB at 512 bits and 279 KB at
    // 128: every vector of the second exp loop boxed). So an exp comes last in its loop body and its method, the
    // exp-sum pass hands its lane sums to the reduction through memory (VectorReductions.sum(float[], int)), and the
    // loops compute their masks in place instead of calling VectorLanes.tailMask.

    /** The largest element of a row (NaN if any is NaN, -Inf for an empty row). */
    private static float rowMax(int cols, float[] x, int start) {
        FloatVector maxV = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> mask = j + L <= cols ? S.maskAll(true) : S.indexInRange(j, cols);
            // Inactive lanes must not win the max: fill them with -Inf instead of the masked load's zero.
            FloatVector v = FloatVector.fromArray(S, x, start + j, mask).blend(Float.NEGATIVE_INFINITY, mask.not());
            maxV = maxV.max(v);
        }
        return maxV.reduceLanes(VectorOperators.MAX);
    }

    /**
     * sum_j exp(x_j - max), accumulated lane-wise in float and reduced in a fixed order; {@code lanes} is the
     * thread's {@link VectorReductions#laneBuffer()}, through which the lane sums reach the reduction.
     */
    private static float rowShiftedExpSum(int cols, float[] x, int start, float max, float[] lanes) {
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> mask = j + L <= cols ? S.maskAll(true) : S.indexInRange(j, cols);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, start + j, mask).sub(max));
            sum = sum.add(e, mask);
        }
        sum.intoArray(lanes, 0);
        return VectorReductions.sum(lanes, 0);
    }

    /** {@code y_j = exp(x_j - max) / sum} over one row. */
    private static void shiftedExpOverSum(int cols, float[] x, int start, float max, float sum, float[] y,
                                          int yStart) {
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> mask = j + L <= cols ? S.maskAll(true) : S.indexInRange(j, cols);
            VectorMath.exp(FloatVector.fromArray(S, x, start + j, mask).sub(max)).div(sum)
                    .intoArray(y, yStart + j, mask);
        }
    }

    @Override
    protected final void logSumExpImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] out,
                                       int outOffset) {
        float[] lanes = VectorReductions.laneBuffer();
        for (int i = 0; i < rows; i++) {
            int start = xOffset + i * ldx;
            float max = rowMax(cols, x, start);
            // All -Inf (or empty), any +Inf, or NaN: the result is the maximum itself, as torch.logsumexp.
            boolean special = Float.isInfinite(max) || Float.isNaN(max);
            out[outOffset + i] = special ? max
                    : max + (float) Math.log(rowShiftedExpSum(cols, x, start, max, lanes));
        }
    }

    /**
     * {@code exp(x - max) / S} with {@code S = sum exp(x - max)}, PyTorch's order: dividing by S instead of
     * subtracting a rounded log-sum-exp keeps large logits (|x| ~ 1e30) exact, and a row with +Inf becomes NaN
     * throughout, as in PyTorch.
     */
    @Override
    protected final void softmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset,
                                     int ldy) {
        float[] lanes = VectorReductions.laneBuffer();
        for (int i = 0; i < rows; i++) {
            int xs = xOffset + i * ldx;
            float max = rowMax(cols, x, xs);
            float sum = rowShiftedExpSum(cols, x, xs, max, lanes);
            shiftedExpOverSum(cols, x, xs, max, sum, y, yOffset + i * ldy);
        }
    }

    /** {@code (x - max) - log S}, PyTorch's order (see {@link #softmax}). */
    @Override
    protected final void logSoftmaxImpl(int rows, int cols, float[] x, int xOffset, int ldx, float[] y, int yOffset,
                                        int ldy) {
        float[] lanes = VectorReductions.laneBuffer();
        for (int i = 0; i < rows; i++) {
            int xs = xOffset + i * ldx;
            int ys = yOffset + i * ldy;
            float max = rowMax(cols, x, xs);
            float logSum = (float) Math.log(rowShiftedExpSum(cols, x, xs, max, lanes));
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = j + L <= cols ? S.maskAll(true) : S.indexInRange(j, cols);
                FloatVector.fromArray(S, x, xs + j, mask).sub(max).sub(logSum).intoArray(y, ys + j, mask);
            }
        }
    }

    @Override
    protected final void logSoftmaxBackwardImpl(int rows, int cols, float[] dy, int dyOffset, int lddy, float[] y,
                                                int yOffset, int ldy, float[] dx, int dxOffset, int lddx) {
        for (int i = 0; i < rows; i++) {
            int dys = dyOffset + i * lddy;
            int ys = yOffset + i * ldy;
            int dxs = dxOffset + i * lddx;
            FloatVector sumV = FloatVector.zero(S);
            for (int j = 0; j < cols; j += L) {
                sumV = sumV.add(FloatVector.fromArray(S, dy, dys + j, tailMask(j, cols)));
            }
            float sum = VectorReductions.sum(sumV);
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> mask = tailMask(j, cols);
                FloatVector softmax = VectorMath.exp(FloatVector.fromArray(S, y, ys + j, mask));
                FloatVector.fromArray(S, dy, dys + j, mask).sub(softmax.mul(sum)).intoArray(dx, dxs + j, mask);
            }
        }
    }

}
