package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.MatrixSlice;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * The backward of one {@link RecurrentCellBase} step, B = batch rows (1 unbatched), H = hidden_size, G = gates:
 * <pre>
 * dIg, dHg   (B, G·H)  pre-activation gradients from the mode's cell backward kernel (equal for RNN and LSTM;
 *                      GRU's hidden-side n-gate gradient carries the reset gate, dHg_n = dIg_n * r)
 * dx       = dIg W_ih                        (B, input_size)
 * dhx      = dHg W_hh (+ dh * z for GRU)     (B, H)
 * dcx      = (dc + dh * o * (1 - tanh(c')^2)) * f      (LSTM)
 * dW_ih    = dIg^T x      dW_hh = dHg^T hx   (G·H, in) and (G·H, H)
 * db_ih    = sum over rows of dIg            db_hh = sum over rows of dHg
 * </pre>
 * Inputs, in the order {@link #backward} returns their gradients: input, hx, cx, weight_ih, weight_hh, bias_ih,
 * bias_hh (null where not given). Outputs: h', and c' for LSTM; an output whose gradient is null contributes zero.
 * Gradients are computed only for inputs that require them.
 */
final class CellBackward extends GradNode {

    private final Kernels k;
    private final RecurrentMode mode;
    private final int batch;
    private final int inputSize;
    private final int hidden;
    private final Tensor input;
    private final Tensor hx;
    private final Tensor cx;
    private final DirectionWeights w;
    // Saved by the forward (besides the input's data): the step's operands and results, row-major.
    private float[] hPrev;     // (B, H), zeros when hx was omitted
    private float[] h;         // (B, H), the output h'
    private float[] cPrev;     // (B, H), LSTM only, zeros when cx was omitted
    private float[] c;         // (B, H), LSTM only, the output c'
    private float[] workspace; // (B, 4·H), GRU r|z|n|hg_n or LSTM i|f|g|o; null for the RNN modes

    /** Saved arrays are not copied: they are the step's own buffers and the caller's (unmodified) inputs. */
    CellBackward(Kernels k, RecurrentMode mode, int batch, int inputSize, int hidden, DirectionWeights w,
                 Tensor input, Tensor hx, Tensor cx, float[] hPrev, float[] h, float[] cPrev, float[] c,
                 float[] workspace) {
        super(mode == RecurrentMode.LSTM ? 2 : 1, input, hx, cx, w.weightIh().value(), w.weightHh().value(),
                value(w.biasIh()), value(w.biasHh()));
        this.k = k.unchecked(); // the forward checked every shape the backward reuses
        this.mode = mode;
        this.batch = batch;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.input = input;
        this.hx = hx;
        this.cx = cx;
        this.w = w;
        this.hPrev = hPrev;
        this.h = h;
        this.cPrev = cPrev;
        this.c = c;
        this.workspace = workspace;
    }

    private static Tensor value(Parameter p) {
        return p == null ? null : p.value();
    }

    @Override
    public String name() {
        return switch (mode) {
            case RNN_TANH, RNN_RELU -> "RNNCellBackward";
            case GRU -> "GRUCellBackward";
            case LSTM -> "LSTMCellBackward";
        };
    }

    @Override
    protected float[][] backward(float[][] outputGrads) {
        int gh = mode.gates() * hidden;
        int n = batch * hidden;
        float[] dIg = new float[batch * gh];
        float[] dHg = dIg;
        float[] dhx = null;
        float[] dcx = null;
        // One backward per cell step, which allocates its gradients anyway: the slices are made here, not reused.
        MatrixSlice dIgRows = rows(dIg, gh);
        switch (mode) {
            case RNN_TANH -> k.rnnTanhCellBackward(batch, hidden, rows(outputGrads[0], hidden), rows(h, hidden),
                    dIgRows);
            case RNN_RELU -> k.rnnReluCellBackward(batch, hidden, rows(outputGrads[0], hidden), rows(h, hidden),
                    dIgRows);
            case GRU -> {
                dHg = new float[batch * gh];
                dhx = new float[n];
                k.gruCellBackward(batch, hidden, rows(outputGrads[0], hidden), rows(hPrev, hidden),
                        rows(workspace, 4 * hidden), dIgRows, rows(dHg, gh), rows(dhx, hidden));
            }
            case LSTM -> {
                float[] dh = outputGrads[0] != null ? outputGrads[0] : new float[n];
                dcx = outputGrads[1] != null ? outputGrads[1].clone() : new float[n];
                k.lstmCellBackward(batch, hidden, rows(dh, hidden), rows(dcx, hidden), rows(cPrev, hidden),
                        rows(c, hidden), rows(workspace, 4 * hidden), dIgRows);
            }
        }
        float[] dx = null;
        if (input.requiresGrad()) {
            dx = new float[batch * inputSize];
            k.sgemm(false, false, batch, inputSize, gh, 1f, dIg, 0, gh, w.weightIh().data(), 0, inputSize,
                    0f, dx, 0, inputSize);
        }
        float[] dhxOut = null;
        if (requiresGrad(hx)) {
            // GRU's kernel already wrote the direct part dh * z into dhx; the other modes start from zero.
            float beta = dhx != null ? 1f : 0f;
            dhxOut = dhx != null ? dhx : new float[n];
            k.sgemm(false, false, batch, hidden, gh, 1f, dHg, 0, gh, w.weightHh().data(), 0, hidden,
                    beta, dhxOut, 0, hidden);
        }
        return new float[][] {
                dx, dhxOut, requiresGrad(cx) ? dcx : null,
                weightGrad(w.weightIh(), gh, inputSize, dIg, input.data()),
                weightGrad(w.weightHh(), gh, hidden, dHg, hPrev),
                biasGrad(w.biasIh(), gh, dIg),
                biasGrad(w.biasHh(), gh, dHg)};
    }

    /** A (B, width) matrix with contiguous rows. */
    private static MatrixSlice rows(float[] matrix, int width) {
        return new MatrixSlice(matrix, 0, width);
    }

    private static boolean requiresGrad(Tensor t) {
        return t != null && t.requiresGrad();
    }

    /** {@code dW = dGates^T operand}: (G·H, cols) from dGates (B, G·H) and the operand (B, cols). */
    private float[] weightGrad(Parameter weight, int gh, int cols, float[] dGates, float[] operand) {
        if (!weight.value().requiresGrad()) {
            return null;
        }
        float[] dW = new float[gh * cols];
        k.sgemm(true, false, gh, cols, batch, 1f, dGates, 0, gh, operand, 0, cols, 0f, dW, 0, cols);
        return dW;
    }

    /** {@code db = sum over the B rows of dGates}. */
    private float[] biasGrad(Parameter bias, int gh, float[] dGates) {
        if (bias == null || !bias.value().requiresGrad()) {
            return null;
        }
        float[] db = new float[gh];
        k.sumRows(batch, gh, dGates, 0, gh, db, 0);
        return db;
    }

    @Override
    protected void release() {
        hPrev = null;
        h = null;
        cPrev = null;
        c = null;
        workspace = null;
    }
}
