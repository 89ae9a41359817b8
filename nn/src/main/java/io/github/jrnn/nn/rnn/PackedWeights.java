package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.kernels.PackedMatrix;
import io.github.jrnn.nn.layers.Parameter;

/**
 * The packed copies ({@link Kernels#packB}) of one (layer, direction)'s weights, for the products that reuse them
 * at every time step: {@code W_ih^T} (in x G*H, the input projection), {@code W_hh^T} (H_out x G*H) and, for an
 * LSTM with a projection, {@code W_hr^T} (H x H_out).
 *
 * <p>Owned by the module and kept between calls: {@link #current()} returns copies packed from the current
 * parameter values and packs again only when a weight's {@link Parameter#version()} moved on (loading a state
 * dict, an optimizer step, {@code resetParameters}, {@code markModified} after a direct write). Packing a 768 x 256
 * W_hh costs about as much as 3-4 batch-1 steps, so packing once per weight version instead of once per call takes
 * that cost off every inference call, and every stream of the module shares one packed copy.
 *
 * <p>Thread safety: any number of inference threads may call {@link #current()} at once. A snapshot is immutable
 * and published through a volatile field; when the weights changed, two threads may both pack, and either result
 * is correct. Changing parameters while forward calls run is not supported (as for every module).
 */
final class PackedWeights {

    /** Packed matrices made from one set of weight versions; {@code hr} is null without a projection. */
    record Snapshot(PackedMatrix ih, PackedMatrix hh, PackedMatrix hr, long ihVersion, long hhVersion,
                    long hrVersion) {
    }

    private final DirectionWeights weights;
    private final Kernels kernels;
    private volatile Snapshot snapshot;

    /** Packs for {@code kernels} (any twin: packing has no argument to check beyond the weights' own shapes). */
    PackedWeights(DirectionWeights weights, Kernels kernels) {
        this.weights = weights;
        this.kernels = kernels.unchecked();
    }

    /** The parameters these copies are packed from. */
    DirectionWeights weights() {
        return weights;
    }

    /** Copies packed from the parameters' current values; allocates only when a weight changed since. */
    Snapshot current() {
        Snapshot s = snapshot;
        Parameter hr = weights.weightHr();
        if (s == null || s.ihVersion != weights.weightIh().version() || s.hhVersion != weights.weightHh().version()
                || (hr != null && s.hrVersion != hr.version())) {
            s = pack();
            snapshot = s;
        }
        return s;
    }

    private Snapshot pack() {
        Parameter ih = weights.weightIh();
        Parameter hh = weights.weightHh();
        Parameter hr = weights.weightHr();
        // Read the versions before the values: a change racing with the packing then shows as a stale version.
        long ihVersion = ih.version();
        long hhVersion = hh.version();
        long hrVersion = hr == null ? 0 : hr.version();
        return new Snapshot(packTransposed(ih), packTransposed(hh), hr == null ? null : packTransposed(hr),
                ihVersion, hhVersion, hrVersion);
    }

    /** {@code W^T} packed, for a PyTorch weight W of shape (out, in): the right operand of {@code x W^T}. */
    private PackedMatrix packTransposed(Parameter w) {
        int[] shape = w.shape();
        return kernels.packB(true, shape[1], shape[0], w.data(), 0, shape[1]);
    }
}
