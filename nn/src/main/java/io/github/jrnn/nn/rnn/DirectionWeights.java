package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.PackedMatrix;
import io.github.jrnn.nn.layers.Parameter;

/**
 * The parameters of one (layer, direction) of a sequence module, or of a cell. G = gates, H = hidden_size,
 * H_out = proj_size or H, in = the layer's input features.
 *
 * <p>The packed fields hold {@link Kernels#packB packed} copies of the transposed weights for a pass that reuses
 * them many times (the hidden product of every time step, a stream's every step); they are null in the module's
 * own record, and a pass makes its packed copy with {@link #packed} from the current parameter values, so a
 * packed copy never outlives the call (or stream) that made it.
 */
record DirectionWeights(
        Parameter weightIh,       // (G * H, in)
        Parameter weightHh,       // (G * H, H_out)
        Parameter biasIh,         // (G * H), null without bias
        Parameter biasHh,         // (G * H), null without bias
        Parameter weightHr,       // (H_out, H), LSTM with proj_size only, else null
        PackedMatrix packedIh,    // W_ih^T (in x G * H) packed, or null
        PackedMatrix packedHh,    // W_hh^T (H_out x G * H) packed, or null
        PackedMatrix packedHr) {  // W_hr^T (H x H_out) packed, or null

    DirectionWeights(Parameter weightIh, Parameter weightHh, Parameter biasIh, Parameter biasHh,
                     Parameter weightHr) {
        this(weightIh, weightHh, biasIh, biasHh, weightHr, null, null, null);
    }

    /**
     * A copy whose recurrent weights (W_hh, and W_hr with a projection) are packed for {@code kernels}, and W_ih
     * as well when {@code inputToo} (worth it only when the input product runs many times, as in a stream).
     */
    DirectionWeights packed(Kernels kernels, boolean inputToo) {
        DirectionWeights recurrent = repacked(kernels, null, null); // repackB with nothing to reuse packs afresh
        if (!inputToo) {
            return recurrent;
        }
        int gh = weightIh.shape()[0];
        int in = weightIh.shape()[1];
        PackedMatrix ih = kernels.packB(true, in, gh, weightIh.data(), 0, in);
        return new DirectionWeights(weightIh, weightHh, biasIh, biasHh, weightHr, ih, recurrent.packedHh(),
                recurrent.packedHr());
    }

    /**
     * Like {@link #packed packed(kernels, false)}, but packing into {@code reuseHh} / {@code reuseHr} (from earlier
     * calls, or null the first time) with {@link Kernels#repackB}, so a steady state allocates no packed storage.
     */
    DirectionWeights repacked(Kernels kernels, PackedMatrix reuseHh, PackedMatrix reuseHr) {
        int gh = weightHh.shape()[0];
        int hOut = weightHh.shape()[1];
        PackedMatrix hh = kernels.repackB(reuseHh, true, hOut, gh, weightHh.data(), 0, hOut);
        PackedMatrix hr = null;
        if (weightHr != null) {
            int hidden = weightHr.shape()[1];
            hr = kernels.repackB(reuseHr, true, hidden, hOut, weightHr.data(), 0, hidden);
        }
        return new DirectionWeights(weightIh, weightHh, biasIh, biasHh, weightHr, null, hh, hr);
    }
}
