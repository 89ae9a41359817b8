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
 * <p>Training changes the weights at every step, so packing then happens once per step: it reuses the storage of
 * the snapshot replaced one packing earlier ({@link Kernels#repackB}) instead of allocating and zeroing new native
 * memory each time (with the backward's own packing of W_hh, {@link #hiddenForBackward}, that churn took about 4%
 * of a two-thread LSTM train step, hidden 256, batch 32, on the Xeon, page faults included). The snapshot just
 * replaced is left alone, so a forward that read it before the change still reads what it read.
 *
 * <p>Thread safety: any number of inference threads may call {@link #current()} at once. A snapshot is published
 * through a volatile field; packing happens under this object's lock, once per weight version, and writes only
 * storage no current snapshot uses. Changing parameters while forward or backward calls run is not supported (as
 * for every module): a call that spans two weight changes may see its packed copy rewritten.
 */
final class PackedWeights {

    /** Packed matrices made from one set of weight versions; {@code hr} is null without a projection. */
    record Snapshot(PackedMatrix ih, PackedMatrix hh, PackedMatrix hr, long ihVersion, long hhVersion,
                    long hrVersion) {
    }

    private final DirectionWeights weights;
    private final Kernels kernels;
    private volatile Snapshot snapshot;
    private Snapshot spare;              // under the lock: the snapshot replaced last, whose storage packing reuses
    private PackedMatrix hhForBackward;  // under the lock: W_hh as it is, or null before the first backward
    private long hhForBackwardVersion;

    /** Packs for {@code kernels} (any twin: packing has no argument to check beyond the weights' own shapes). */
    PackedWeights(DirectionWeights weights, Kernels kernels) {
        this.weights = weights;
        this.kernels = kernels.unchecked();
    }

    /** The parameters these copies are packed from. */
    DirectionWeights weights() {
        return weights;
    }

    /** Copies packed from the parameters' current values; packs only when a weight changed since. */
    Snapshot current() {
        Snapshot s = snapshot;
        return s != null && fresh(s) ? s : pack();
    }

    private boolean fresh(Snapshot s) {
        Parameter hr = weights.weightHr();
        return s.ihVersion == weights.weightIh().version() && s.hhVersion == weights.weightHh().version()
                && (hr == null || s.hrVersion == hr.version());
    }

    private synchronized Snapshot pack() {
        Snapshot s = snapshot;
        if (s != null && fresh(s)) {
            return s; // another thread packed this version meanwhile
        }
        Parameter ih = weights.weightIh();
        Parameter hh = weights.weightHh();
        Parameter hr = weights.weightHr();
        // Read the versions before the values: a change racing with the packing then shows as a stale version.
        long ihVersion = ih.version();
        long hhVersion = hh.version();
        long hrVersion = hr == null ? 0 : hr.version();
        Snapshot reuse = spare;
        Snapshot packed = new Snapshot(packTransposed(reuse == null ? null : reuse.ih(), ih),
                packTransposed(reuse == null ? null : reuse.hh(), hh),
                hr == null ? null : packTransposed(reuse == null ? null : reuse.hr(), hr), ihVersion, hhVersion,
                hrVersion);
        spare = s;
        snapshot = packed;
        return packed;
    }

    /**
     * {@code W^T} packed into {@code reuse}'s storage (or new storage when null), for a PyTorch weight W of shape
     * (out, in): the right operand of {@code x W^T}.
     */
    private PackedMatrix packTransposed(PackedMatrix reuse, Parameter w) {
        int[] shape = w.shape();
        return kernels.repackB(reuse, true, shape[1], shape[0], w.data(), 0, shape[1]);
    }

    /**
     * W_hh itself packed (G*H x H_out, no transpose): the right operand of the backward's per-step
     * {@code dhPrev += dHg W_hh}, packed from the current values once per W_hh version into storage kept for it.
     */
    synchronized PackedMatrix hiddenForBackward() {
        Parameter hh = weights.weightHh();
        long version = hh.version();
        if (hhForBackward == null || hhForBackwardVersion != version) {
            int[] shape = hh.shape();
            hhForBackward = kernels.repackB(hhForBackward, false, shape[0], shape[1], hh.data(), 0, shape[1]);
            hhForBackwardVersion = version;
        }
        return hhForBackward;
    }
}
