package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * The backward node of one call of a sequence module ({@link RNN}, {@link GRU}, {@link LSTM}; PyTorch's
 * {@code CudnnRnnBackward}-like single node for the whole stack of layers and directions).
 *
 * <p>Outputs: 0 the output rows (time-major (L, N, D * H_out), unbatched (L, D * H_out), or the packed data),
 * 1 h_n (D * num_layers, N, H_out), 2 c_n (LSTM). Inputs, in the order of the returned gradients: the input rows
 * (the time-major input tensor or the packed data), h_0, c_0 (null unless an LSTM got it) and every parameter in
 * registration order ({@code weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_hr_l0,} then
 * {@code _reverse}, then the next layer). batch_first layouts are handled by the {@code transpose} nodes the
 * forward records around this one.
 *
 * <p>Backward runs the layers from the top down. Each layer's output gradient (the node's output gradient for
 * the top layer, else the input gradient of the layer above multiplied by the saved dropout mask) is split into
 * its directions, and each direction runs one fused pass ({@link DirectionBackward}); the directions' input
 * gradients add up to the layer input gradient. States and their gradients are permuted between the caller's
 * batch order and the sorted order with the packed input's {@code sorted_indices}.
 *
 * <p>The node reads the parameters' current values, so an optimizer step between forward and backward changes
 * the gradient (PyTorch refuses that case by version counting; jrnn does not track versions).
 */
final class RecurrentBackward extends GradNode {

    private static final int INPUT = 0;
    private static final int H0 = 1;
    private static final int C0 = 2;
    private static final int FIRST_PARAMETER = 3;

    private final Kernels k;
    private final RecurrentOptions o;
    private final DirectionWeights[] weights;
    private final PackedWeights[] packed;    // the module's, index as weights: W_hh packed for the backward
    private final BatchPermutation order;
    private final boolean[] needsGrad; // per input: whether it requires a gradient
    private final ScratchPool<BackwardScratch> scratchPool; // the module's
    private RecurrentTape tape;        // null after release

    /**
     * @param inputs the input rows, h_0, c_0 (either may be null) and the parameters in registration order, as
     *               {@link #inputsOf} lays them out
     */
    RecurrentBackward(Kernels kernels, RecurrentOptions options, DirectionWeights[] weights, PackedWeights[] packed,
                      RecurrentTape tape, BatchPermutation order, Tensor[] inputs,
                      ScratchPool<BackwardScratch> scratchPool) {
        super(options.mode() == RecurrentMode.LSTM ? 3 : 2, inputs);
        this.k = kernels.unchecked(); // the forward checked every shape the backward reuses
        this.o = options;
        this.weights = weights;
        this.packed = packed;
        this.tape = tape;
        this.order = order;
        this.scratchPool = scratchPool;
        this.needsGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            needsGrad[i] = inputs[i] != null && inputs[i].requiresGrad();
        }
    }

    /** The node's inputs: the input rows, h_0, c_0 and every parameter value in registration order. */
    static Tensor[] inputsOf(Tensor inputRows, Tensor h0, Tensor c0, DirectionWeights[] weights) {
        int count = FIRST_PARAMETER;
        for (DirectionWeights w : weights) {
            count += parameterCount(w);
        }
        Tensor[] inputs = new Tensor[count];
        inputs[INPUT] = inputRows;
        inputs[H0] = h0;
        inputs[C0] = c0;
        int i = FIRST_PARAMETER;
        for (DirectionWeights w : weights) {
            inputs[i++] = w.weightIh().value();
            inputs[i++] = w.weightHh().value();
            if (w.biasIh() != null) {
                inputs[i++] = w.biasIh().value();
                inputs[i++] = w.biasHh().value();
            }
            if (w.weightHr() != null) {
                inputs[i++] = w.weightHr().value();
            }
        }
        return inputs;
    }

    private static int parameterCount(DirectionWeights w) {
        return 2 + (w.biasIh() != null ? 2 : 0) + (w.weightHr() != null ? 1 : 0);
    }

    @Override
    public String name() {
        return switch (o.mode()) {
            case RNN_TANH -> "RnnTanhBackward";
            case RNN_RELU -> "RnnReluBackward";
            case GRU -> "GruBackward";
            case LSTM -> "LstmBackward";
        };
    }

    @Override
    protected float[][] backward(float[][] outputGrads) {
        int layers = o.numLayers();
        int directions = o.numDirections();
        int states = layers * directions;
        int batch = tape.rows.batch();
        int hidden = o.hiddenSize();
        int hOut = o.hiddenOutSize();
        boolean lstm = o.mode() == RecurrentMode.LSTM;
        float[] dhN = order.toSorted(outputGrads[1], states, batch, hOut);
        float[] dcN = lstm ? order.toSorted(outputGrads[2], states, batch, hidden) : null;
        float[] dh0 = new float[states * batch * hOut];
        float[] dc0 = lstm ? new float[states * batch * hidden] : null;
        float[][] grads = new float[needsGrad.length][];
        DirectionBackward.Grads[] paramGrads = allocateParameterGrads(grads);
        BackwardScratch scratch = scratchPool.acquire();
        float[] dOut = outputGrads[0];
        try {
            DirectionBackward pass = new DirectionBackward(k, o, tape, scratch);
            for (int layer = layers - 1; layer >= 0; layer--) {
                float[] dIn = layer > 0 || needsGrad[INPUT]
                        ? new float[Math.multiplyExact(tape.rows.totalRows(), o.layerInputSize(layer))] : null;
                for (int dir = 0; dir < directions; dir++) {
                    int state = layer * directions + dir;
                    pass.run(layer, dir, packed[state], dOut, dhN, dcN, dh0, dc0, dIn, dir > 0, paramGrads[state]);
                }
                float[] mask = layer > 0 ? tape.dropoutMasks[layer - 1] : null;
                if (mask != null) {
                    k.mul(dIn.length, dIn, 0, mask, 0, dIn, 0); // y = h * mask, so dh = dy * mask
                }
                dOut = dIn;
            }
        } finally {
            scratchPool.release(scratch);
        }
        grads[INPUT] = dOut;
        grads[H0] = needsGrad[H0] ? order.toCaller(dh0, states, batch, hOut) : null;
        grads[C0] = needsGrad[C0] ? order.toCaller(dc0, states, batch, hidden) : null;
        return grads;
    }

    /**
     * Fresh gradient arrays for the parameters that require one, placed into {@code grads} at their input index
     * and returned per state for {@link DirectionBackward}.
     */
    private DirectionBackward.Grads[] allocateParameterGrads(float[][] grads) {
        DirectionBackward.Grads[] perState = new DirectionBackward.Grads[weights.length];
        int i = FIRST_PARAMETER;
        for (int s = 0; s < weights.length; s++) {
            DirectionWeights w = weights[s];
            float[] wIh = allocate(grads, i++, w.weightIh().numel());
            float[] wHh = allocate(grads, i++, w.weightHh().numel());
            float[] bIh = null;
            float[] bHh = null;
            if (w.biasIh() != null) {
                bIh = allocate(grads, i++, w.biasIh().numel());
                bHh = allocate(grads, i++, w.biasHh().numel());
            }
            float[] wHr = w.weightHr() != null ? allocate(grads, i++, w.weightHr().numel()) : null;
            perState[s] = new DirectionBackward.Grads(wIh, wHh, bIh, bHh, wHr);
        }
        return perState;
    }

    private float[] allocate(float[][] grads, int input, int numel) {
        if (needsGrad[input]) {
            grads[input] = new float[numel];
        }
        return grads[input];
    }

    @Override
    protected void release() {
        tape = null;
    }
}
