package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.tensor.Tensor;

/**
 * Streaming inference: one time step at a time, batch 1, for a unidirectional {@link RNN}, {@link GRU} or
 * {@link LSTM}, with the recurrent state kept between calls and nothing allocated per step.
 *
 * <p>{@link #step(float[], int, float[], int)} computes, for each layer k (layer 0 reads x, layer k reads layer
 * k-1's new h), exactly what the module's forward computes at one time step: {@code ig = x W_ih^T + b_ih},
 * {@code hg = h W_hh^T + b_hh}, the mode's fused gate update, and for LSTM with proj_size {@code h = h W_hr^T}.
 * Feeding a sequence step by step therefore gives the same outputs as {@code forward} on the whole sequence (in
 * eval mode). Streams are for inference: no dropout is applied and no gradient is recorded.
 *
 * <p>State: h is (num_layers, H_out) and, for LSTM, c is (num_layers, H), the unbatched layout of PyTorch's
 * h_0/c_0. Every step multiplies by the module's packed weights ({@link PackedWeights}), which all its streams
 * share and which are packed again after the parameters change (loading, training), so a stream follows them.
 *
 * <p>Many sequences, one stream: a service or stream processor that keeps one state per key (user, device,
 * session) saves a key's state with {@link #storeState} after its event and restores it with {@link #loadState}
 * before the next one, so one stream (and its packed weights) serves every key. Both copy {@link #stateSize()}
 * floats and allocate nothing. The layout is h then c: h as (num_layers, H_out) row-major, then for an LSTM c
 * as (num_layers, H); a stored state loaded into any stream of the same module continues bit for bit.
 *
 * <p>Thread safety: a stream holds mutable state and scratch buffers: use one stream per thread (or per session).
 * Any number of streams may share one module.
 */
public final class RecurrentStream {

    private final RecurrentOptions options;
    private final Kernels kernels;     // unchecked: step() checks its arguments, the shapes are the module's
    private final CellStep[] layers;   // per layer, over the module's packed weights
    private final int hidden;
    private final int hOut;
    private final float[] h;      // (layers, H_out)
    private final float[] c;      // (layers, H), LSTM only
    private final float[] ig;     // (G * H) scratch
    private final float[] hg;     // (G * H) scratch
    private final float[] hNext;  // (H_out): the gate kernels may not write over the h they read
    private final float[] hCell;  // (H): o * tanh(c) before the projection, LSTM with proj_size only
    private final CellStep.Operands operands = new CellStep.Operands(); // reused by every step
    /** Whether the next step multiplies by W_hh before W_ih (every other step: see {@link #step}). */
    private boolean hiddenFirst;

    RecurrentStream(RecurrentOptions options, Kernels kernels, PackedWeights[] layers, Tensor h0, Tensor c0) {
        if (options.bidirectional()) {
            throw new IllegalArgumentException("stream() needs a unidirectional module: the reverse direction of a"
                    + " bidirectional one reads the sequence from its end; run forward on the whole sequence instead");
        }
        this.options = options;
        this.kernels = kernels.unchecked();
        this.hidden = options.hiddenSize();
        this.hOut = options.hiddenOutSize();
        this.layers = new CellStep[layers.length];
        for (int i = 0; i < layers.length; i++) {
            this.layers[i] = new CellStep(kernels, options.mode(), hidden, layers[i]);
        }
        int numLayers = options.numLayers();
        int gh = options.mode().gates() * hidden;
        boolean lstm = options.mode() == RecurrentMode.LSTM;
        this.h = initialState("h_0", h0, numLayers, hOut);
        if (!lstm && c0 != null) {
            throw new IllegalArgumentException("c_0 is only for LSTM, but this module is " + options.mode());
        }
        this.c = lstm ? initialState("c_0", c0, numLayers, hidden) : null;
        this.ig = new float[gh];
        this.hg = new float[gh];
        this.hNext = new float[hOut];
        this.hCell = options.projSize() > 0 ? new float[hidden] : null;
    }

    private static float[] initialState(String name, Tensor state, int numLayers, int width) {
        if (state == null) {
            return new float[numLayers * width];
        }
        int[] shape = state.shape();
        boolean unbatched = shape.length == 2 && shape[0] == numLayers && shape[1] == width;
        boolean batchOfOne = shape.length == 3 && shape[0] == numLayers && shape[1] == 1 && shape[2] == width;
        if (!unbatched && !batchOfOne) {
            throw new IllegalArgumentException("Expected " + name + " size " + Tensor.shapeTuple(numLayers, width)
                    + " (or " + Tensor.shapeTuple(numLayers, 1, width) + "), got " + Tensor.shapeString(shape)
                    + "; a stream has batch 1");
        }
        return state.data().clone();
    }

    /**
     * Advances one time step: reads {@code input_size} floats of x at {@code xOffset} and writes the last layer's
     * new h ({@code H_out} floats) to {@code out} at {@code outOffset}. Allocates nothing.
     *
     * @param x the input frame's array
     * @param xOffset where the frame's input_size floats start
     * @param out where the new h goes
     * @param outOffset where its H_out floats start
     */
    public void step(float[] x, int xOffset, float[] out, int outOffset) {
        int in = options.inputSize();
        if (x == null || xOffset < 0 || x.length - xOffset < in) {
            throw new IllegalArgumentException("step: x must hold input_size = " + in + " floats from offset "
                    + xOffset + ", got " + (x == null ? "null" : x.length + " floats"));
        }
        if (out == null || outOffset < 0 || out.length - outOffset < hOut) {
            throw new IllegalArgumentException("step: out must have room for " + hOut + " floats from offset "
                    + outOffset + ", got " + (out == null ? "null" : out.length + " floats"));
        }
        float[] layerInput = x;
        int layerInputOffset = xOffset;
        int layerInputSize = in;
        // Every other step multiplies in the other order, and each product passes over its packed matrix in the
        // other direction from the one before (VectorPackedMatrix#nextRowOrder): weights that outgrow the cache
        // are then read back starting with the part the last step left there. The products are independent.
        boolean hiddenFirstNow = hiddenFirst;
        hiddenFirst = !hiddenFirst;
        for (int layer = 0; layer < layers.length; layer++) {
            CellStep cell = layers[layer];
            operands.gates(ig, 0, hg, 0).previous(h, layer * hOut, hOut).cells(c, layer * hidden, c, layer * hidden)
                    .projection(hCell, 0).next(hNext, 0, hOut);
            if (hiddenFirstNow) {
                cell.hiddenGates(1, operands);
            }
            cell.inputGates(1, layerInputSize, layerInput, layerInputOffset, ig, 0);
            if (!hiddenFirstNow) {
                cell.hiddenGates(1, operands);
            }
            cell.update(1, operands);
            System.arraycopy(hNext, 0, h, layer * hOut, hOut);
            layerInput = h;
            layerInputOffset = layer * hOut;
            layerInputSize = hOut;
        }
        System.arraycopy(h, (layers.length - 1) * hOut, out, outOffset, hOut);
    }

    /**
     * One step on a tensor of shape (input_size) or (1, input_size); returns the new h, shape (H_out).
     *
     * @param x the frame, (input_size) or (1, input_size)
     * @return a new tensor of shape (H_out)
     */
    public Tensor step(Tensor x) {
        if (x == null || x.numel() != options.inputSize() || x.dim() > 2) {
            throw new IllegalArgumentException("step: x must have shape (" + options.inputSize() + ") or (1, "
                    + options.inputSize() + "), got " + (x == null ? "null" : Tensor.shapeString(x.shape())));
        }
        float[] out = new float[hOut];
        step(x.data(), 0, out, 0);
        return Tensor.of(out, hOut);
    }

    /**
     * A copy of the hidden state, shape (num_layers, H_out).
     *
     * @return (num_layers, H_out)
     */
    public Tensor hidden() {
        return Tensor.of(h.clone(), options.numLayers(), hOut);
    }

    /**
     * A copy of the LSTM cell state, shape (num_layers, H); null for RNN and GRU.
     *
     * @return (num_layers, H), or null
     */
    public Tensor cell() {
        return c == null ? null : Tensor.of(c.clone(), options.numLayers(), hidden);
    }

    /**
     * The number of floats {@link #storeState} writes and {@link #loadState} reads: {@code num_layers * H_out},
     * plus {@code num_layers * H} for an LSTM's cell state.
     *
     * @return the floats in the stored state
     */
    public int stateSize() {
        return h.length + (c == null ? 0 : c.length);
    }

    /**
     * Copies the state into {@code dst} from {@code offset}: h ((num_layers, H_out), row-major), then for an LSTM
     * c ((num_layers, H)); {@link #stateSize()} floats in all. Allocates nothing.
     *
     * @param dst where the state goes
     * @param offset the index of its first float in dst
     * @throws IllegalArgumentException when {@code dst} has fewer than {@code stateSize()} floats from offset
     */
    public void storeState(float[] dst, int offset) {
        checkStateSlice("storeState", "dst", dst, offset);
        System.arraycopy(h, 0, dst, offset, h.length);
        if (c != null) {
            System.arraycopy(c, 0, dst, offset + h.length, c.length);
        }
    }

    /**
     * Replaces the state with {@link #stateSize()} floats of {@code src} from {@code offset}, in the layout of
     * {@link #storeState}: the next {@link #step} continues the sequence whose state was stored. Allocates nothing.
     *
     * @param src the stored state
     * @param offset the index of its first float in src
     * @throws IllegalArgumentException when {@code src} has fewer than {@code stateSize()} floats from offset
     */
    public void loadState(float[] src, int offset) {
        checkStateSlice("loadState", "src", src, offset);
        System.arraycopy(src, offset, h, 0, h.length);
        if (c != null) {
            System.arraycopy(src, offset + h.length, c, 0, c.length);
        }
    }

    private void checkStateSlice(String method, String name, float[] array, int offset) {
        int size = stateSize();
        if (array == null || offset < 0 || array.length - offset < size) {
            throw new IllegalArgumentException(method + ": " + name + " must hold stateSize() = " + size
                    + " floats from offset " + offset + ", got " + (array == null ? "null" : array.length
                    + " floats") + (c == null ? "" : "; an LSTM's state is h then c"));
        }
    }

    /** Sets the state back to zeros (a new sequence). */
    public void reset() {
        kernels.fill(h.length, 0f, h, 0);
        if (c != null) {
            kernels.fill(c.length, 0f, c, 0);
        }
    }
}
