package io.github.jrnn.kernels;

import static io.github.jrnn.kernels.ArgumentChecks.*; // the check* methods of the front door

import java.util.function.Function;

/**
 * The fused recurrent kernels of {@link Kernels}: one step of an RNN (tanh or relu), GRU or LSTM cell from its
 * gate inputs, each step's backward, and {@code recurrentSequence}, a whole inference recurrence of one layer and
 * direction. One family of the chain that {@link KernelBase} describes; what every kernel promises is in
 * {@link Kernels}' class comment.
 *
 * <p>Public with package-private constructors, for the reasons in {@link KernelBase}: only {@link Kernels}
 * extends it, and {@code Kernels} is the type to hold an instance by.
 */
public abstract class CellKernels extends ProductKernels {

    /** See {@link Kernels#Kernels(Function)}. */
    CellKernels(Function<Kernels, ? extends Kernels> makeUncheckedTwin) {
        super(makeUncheckedTwin);
    }

    /** See {@link Kernels#Kernels(Kernels)}. */
    CellKernels(Kernels checkedTwin) {
        super(checkedTwin);
    }

    // ---------------------------------------------------------------- fused recurrent cells
    // Shapes: the gate inputs ig = x W_ih^T + b_ih and hg = h W_hh^T + b_hh are batch x (G * hidden) matrices with
    // contiguous rows (row stride G * hidden, G = 1 RNN, 3 GRU, 4 LSTM). Hidden states are batch x hidden matrices
    // with an explicit leading dimension (they may be a slice of a sequence output of width D * hidden). In the
    // forward kernels cell states and workspaces are contiguous (row stride hidden, resp. 4 * hidden). The backward
    // kernels take every operand as a MatrixSlice (array, offset, leading dimension): one argument per operand.

    /**
     * RNN cell with tanh: {@code h[b][j] = tanh(ig[b][j] + hg[b][j])}.
     * ig, hg: batch x hidden (contiguous rows); h: batch x hidden with leading dimension ldh.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of a hidden-state matrix, >= 0
     * @param ig the input gates x W_ih^T + b_ih, batch x hidden, contiguous rows
     * @param igOffset index in {@code ig} of its element (0, 0)
     * @param hg the hidden gates h W_hh^T + b_hh, batch x hidden, contiguous rows
     * @param hgOffset index in {@code hg} of its element (0, 0)
     * @param h the new hidden state, the output, batch x hidden
     * @param hOffset index in {@code h} of its element (0, 0)
     * @param ldh leading dimension of h: distance between the starts of two rows, >= hidden
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void rnnTanhCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                  float[] h, int hOffset, int ldh) {
        if (checked) checkRnnCell("rnnTanhCell", batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
        rnnTanhCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    /** {@link #rnnTanhCell} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void rnnTanhCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] h, int hOffset, int ldh);

    /**
     * RNN cell with relu: {@code h[b][j] = relu(ig[b][j] + hg[b][j])}; shapes as {@link #rnnTanhCell}.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of a hidden-state matrix, >= 0
     * @param ig the input gates x W_ih^T + b_ih, batch x hidden, contiguous rows
     * @param igOffset index in {@code ig} of its element (0, 0)
     * @param hg the hidden gates h W_hh^T + b_hh, batch x hidden, contiguous rows
     * @param hgOffset index in {@code hg} of its element (0, 0)
     * @param h the new hidden state, the output, batch x hidden
     * @param hOffset index in {@code h} of its element (0, 0)
     * @param ldh leading dimension of h: distance between the starts of two rows, >= hidden
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void rnnReluCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                                  float[] h, int hOffset, int ldh) {
        if (checked) checkRnnCell("rnnReluCell", batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
        rnnReluCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, h, hOffset, ldh);
    }

    /** {@link #rnnReluCell} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void rnnReluCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] h, int hOffset, int ldh);

    /**
     * Backward of {@link #rnnTanhCell}: {@code dGates[b][j] = dh[b][j] * (1 - h[b][j]^2)}, the gradient of the
     * pre-activation (equal for ig and hg). Every operand is a batch x hidden {@link MatrixSlice} with its own
     * leading dimension.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of every matrix, >= 0
     * @param dh the gradient of the cell's output
     * @param h the cell's output
     * @param dGates the gradient of the pre-activation, the output
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a slice or its array
     *         is null or too short, a leading dimension is below its row length, or one slice object is passed
     *         for two operands
     */
    public final void rnnTanhCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice h, MatrixSlice dGates) {
        if (checked) checkRnnCellBackward("rnnTanhCellBackward", batch, hidden, dh, h, dGates);
        rnnTanhCellBackwardImpl(batch, hidden, dh, h, dGates);
    }

    /** {@link #rnnTanhCellBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void rnnTanhCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h,
            MatrixSlice dGates);

    /**
     * Backward of {@link #rnnReluCell}: {@code dGates[b][j] = h[b][j] > 0 ? dh[b][j] : 0}; operands as
     * {@link #rnnTanhCellBackward}.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of every matrix, >= 0
     * @param dh the gradient of the cell's output
     * @param h the cell's output
     * @param dGates the gradient of the pre-activation, the output
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a slice or its array
     *         is null or too short, a leading dimension is below its row length, or one slice object is passed
     *         for two operands
     */
    public final void rnnReluCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice h, MatrixSlice dGates) {
        if (checked) checkRnnCellBackward("rnnReluCellBackward", batch, hidden, dh, h, dGates);
        rnnReluCellBackwardImpl(batch, hidden, dh, h, dGates);
    }

    /** {@link #rnnReluCellBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void rnnReluCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice h,
            MatrixSlice dGates);

    /**
     * GRU cell in PyTorch's order, gate rows r | z | n:
     * <pre>
     * r  = sigmoid(ig_r + hg_r)
     * z  = sigmoid(ig_z + hg_z)
     * n  = tanh(ig_n + r * hg_n)          (hg_n already holds b_hn)
     * h' = (h - n) * z + n                (= (1 - z) * n + z * h)
     * </pre>
     * ig, hg: batch x 3·hidden (contiguous rows); hPrev: batch x hidden, leading dimension ldhPrev; h: output,
     * leading dimension ldh (may not overlap hPrev). When {@code workspace} is not null, row b of the
     * batch x 4·hidden workspace receives r | z | n | hg_n for {@link #gruCellBackward}. When it is null, ig is
     * consumed: its r | z columns receive the activated r | z (so the kernel needs no scratch memory); ig is left
     * unchanged when a workspace is given.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of a hidden-state matrix, >= 0
     * @param ig the input gates x W_ih^T + b_ih (consumed when workspace is null), batch x 3·hidden, contiguous rows
     * @param igOffset index in {@code ig} of its element (0, 0)
     * @param hg the hidden gates h W_hh^T + b_hh, batch x 3·hidden, contiguous rows
     * @param hgOffset index in {@code hg} of its element (0, 0)
     * @param hPrev the previous hidden state, batch x hidden
     * @param hPrevOffset index in {@code hPrev} of its element (0, 0)
     * @param ldhPrev leading dimension of hPrev: distance between the starts of two rows, >= hidden
     * @param h the new hidden state, the output; may not overlap hPrev, batch x hidden
     * @param hOffset index in {@code h} of its element (0, 0)
     * @param ldh leading dimension of h: distance between the starts of two rows, >= hidden
     * @param workspace batch x 4·hidden, contiguous, receiving what the backward needs; or null (ig is consumed)
     * @param workspaceOffset index in {@code workspace} of its element (0, 0); unused when it is null
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void gruCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                              float[] hPrev, int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh,
                              float[] workspace, int workspaceOffset) {
        if (checked) {
            checkGruCell(batch, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hOffset,
                    ldh, workspace, workspaceOffset);
        }
        gruCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, hPrev, hPrevOffset, ldhPrev, h, hOffset, ldh,
                workspace, workspaceOffset);
    }

    /** {@link #gruCell} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void gruCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] hPrev, int hPrevOffset, int ldhPrev, float[] h, int hOffset, int ldh, float[] workspace,
            int workspaceOffset);

    /**
     * Backward of {@link #gruCell}. Given dh (the gradient of h'), hPrev and the workspace the forward wrote,
     * writes the pre-activation gradients:
     * <pre>
     * dn~ = dh * (1 - z) * (1 - n^2)           dIg_n = dn~          dHg_n = dn~ * r
     * dr~ = dn~ * hg_n * r * (1 - r)           dIg_r = dHg_r = dr~
     * dz~ = dh * (h - n) * z * (1 - z)         dIg_z = dHg_z = dz~
     * </pre>
     * and the direct part of the previous hidden state's gradient {@code dhPrev = dh * z} (overwritten); the caller
     * adds {@code dHg W_hh} to it. Every operand is a {@link MatrixSlice} with its own leading dimension. No output
     * may overlap another operand (an implementation may write dn~ first and read it back).
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size, >= 0
     * @param dh the gradient of h', batch x hidden
     * @param hPrev the previous hidden state the forward read, batch x hidden
     * @param workspace what the forward saved, batch x 4·hidden: r | z | n | hg_n
     * @param dIg the gradient of ig, the output, batch x 3·hidden
     * @param dHg the gradient of hg, the output, batch x 3·hidden
     * @param dhPrev the direct part of the gradient of hPrev, the output, batch x hidden
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a slice or its array
     *         is null or too short, a leading dimension is below its row length, or one slice object is passed
     *         for two operands
     */
    public final void gruCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice hPrev, MatrixSlice workspace,
                                      MatrixSlice dIg, MatrixSlice dHg, MatrixSlice dhPrev) {
        if (checked) checkGruCellBackward(batch, hidden, dh, hPrev, workspace, dIg, dHg, dhPrev);
        gruCellBackwardImpl(batch, hidden, dh, hPrev, workspace, dIg, dHg, dhPrev);
    }

    /** {@link #gruCellBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void gruCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice hPrev,
            MatrixSlice workspace, MatrixSlice dIg, MatrixSlice dHg, MatrixSlice dhPrev);

    /**
     * LSTM cell in PyTorch's order, gate rows i | f | g | o:
     * <pre>
     * i = sigmoid(ig_i + hg_i)   f = sigmoid(ig_f + hg_f)   g = tanh(ig_g + hg_g)   o = sigmoid(ig_o + hg_o)
     * c' = f * c + i * g
     * h' = o * tanh(c')
     * </pre>
     * ig, hg: batch x 4·hidden (contiguous rows); cPrev, c: batch x hidden, contiguous (c may be cPrev's slice);
     * h: batch x hidden, leading dimension ldh. When {@code workspace} is not null, row b of the batch x 4·hidden
     * workspace receives the activated gates i | f | g | o for {@link #lstmCellBackward}. When it is null, ig is
     * consumed: it receives the activated gates i | f | g | o instead (so the kernel needs no scratch memory); ig
     * is left unchanged when a workspace is given.
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size: columns of a hidden-state matrix, >= 0
     * @param ig the input gates x W_ih^T + b_ih (consumed when workspace is null), batch x 4·hidden, contiguous rows
     * @param igOffset index in {@code ig} of its element (0, 0)
     * @param hg the hidden gates h W_hh^T + b_hh, batch x 4·hidden, contiguous rows
     * @param hgOffset index in {@code hg} of its element (0, 0)
     * @param cPrev the previous cell state, batch x hidden, contiguous
     * @param cPrevOffset index in {@code cPrev} of its element (0, 0)
     * @param c the new cell state, the output; may be cPrev's slice, batch x hidden, contiguous
     * @param cOffset index in {@code c} of its element (0, 0)
     * @param h the new hidden state, the output, batch x hidden
     * @param hOffset index in {@code h} of its element (0, 0)
     * @param ldh leading dimension of h: distance between the starts of two rows, >= hidden
     * @param workspace batch x 4·hidden, contiguous, receiving what the backward needs; or null (ig is consumed)
     * @param workspaceOffset index in {@code workspace} of its element (0, 0); unused when it is null
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, or a leading dimension is below its row length
     */
    public final void lstmCell(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
                               float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset,
                               int ldh, float[] workspace, int workspaceOffset) {
        if (checked) {
            checkLstmCell(batch, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset, h,
                    hOffset, ldh, workspace, workspaceOffset);
        }
        lstmCellImpl(batch, hidden, ig, igOffset, hg, hgOffset, cPrev, cPrevOffset, c, cOffset, h, hOffset, ldh,
                workspace, workspaceOffset);
    }

    /** {@link #lstmCell} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void lstmCellImpl(int batch, int hidden, float[] ig, int igOffset, float[] hg, int hgOffset,
            float[] cPrev, int cPrevOffset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
            float[] workspace, int workspaceOffset);

    /**
     * Backward of {@link #lstmCell}. Given dh (the gradient of h'), dc (the gradient of c' from later steps),
     * cPrev, c' and the workspace the forward wrote, writes the pre-activation gradients dGates (equal for ig and
     * hg) and replaces dc by the gradient of cPrev:
     * <pre>
     * t = tanh(c')                 dc~ = dc + dh * o * (1 - t^2)
     * dI = dc~ * g * i (1 - i)     dF = dc~ * cPrev * f (1 - f)
     * dG = dc~ * i * (1 - g^2)     dO = dh * t * o (1 - o)
     * dc := dc~ * f
     * </pre>
     * Every operand is a {@link MatrixSlice} with its own leading dimension. dGates may not overlap another
     * operand, nor dc one of the inputs (an implementation may write dc~ into dc first and read it back).
     *
     * @param batch rows of every matrix, >= 0
     * @param hidden hidden size, >= 0
     * @param dh the gradient of h', batch x hidden
     * @param dc the gradient of c' from later steps, replaced by that of cPrev, batch x hidden
     * @param cPrev the previous cell state the forward read, batch x hidden
     * @param c the cell state c' the forward wrote, batch x hidden
     * @param workspace what the forward saved, batch x 4·hidden: the activated gates i | f | g | o
     * @param dGates the gradient of the pre-activation gates, the output, batch x 4·hidden
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, a slice or its array
     *         is null or too short, a leading dimension is below its row length, or one slice object is passed
     *         for two operands
     */
    public final void lstmCellBackward(int batch, int hidden, MatrixSlice dh, MatrixSlice dc, MatrixSlice cPrev,
                                       MatrixSlice c, MatrixSlice workspace, MatrixSlice dGates) {
        if (checked) checkLstmCellBackward(batch, hidden, dh, dc, cPrev, c, workspace, dGates);
        lstmCellBackwardImpl(batch, hidden, dh, dc, cPrev, c, workspace, dGates);
    }

    /** {@link #lstmCellBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void lstmCellBackwardImpl(int batch, int hidden, MatrixSlice dh, MatrixSlice dc,
            MatrixSlice cPrev, MatrixSlice c, MatrixSlice workspace, MatrixSlice dGates);

    /**
     * A whole recurrence of one layer and direction over {@code batch} sequences of equal length, for inference (no
     * workspace, nothing kept for a backward): for {@code s = 0 .. steps - 1} and step
     * {@code t = reverse ? steps - 1 - s : s},
     * <pre>
     * hg  = hPrev W_hh^T + b_hh             ({@link #broadcastRows} of b_hh, then {@link #sgemmPacked} with m = batch)
     * h_t = cell(ig_t, hg, hPrev [, c])     the cell kernel of {@code cell} with {@code batch} rows, no workspace
     * </pre>
     * where hPrev is h0 at the first step and the previous step's rows of h after it: the same operations as those
     * calls made step by step, with the same bits. G = {@code cell.gates()}. Row b of step t is sequence b's; the
     * sequences never mix. h may not overlap ig, h0, c or hg. An implementation may use two threads
     * ({@link KernelThreads}): at batch 1 splitting each step's hidden units, from batch 2 on giving each thread its
     * own sequences for the whole time loop; the bits stay the same.
     *
     * @param cell which cell kernel each step runs (and so G and the gate order)
     * @param reverse whether the steps run from the last to the first (the reverse direction of a layer)
     * @param steps number of time steps, >= 0
     * @param batch number of sequences, >= 0
     * @param hidden hidden size H, >= 0
     * @param ig the input gates, (steps * batch) x G*H contiguous: row {@code t * batch + b} =
     *           {@code x_t[b] W_ih^T + b_ih}
     * @param igOffset index in {@code ig} of row 0
     * @param whh W_hh^T packed by {@link #packB} of this implementation (H x G*H)
     * @param bhh b_hh (G*H), or null for no bias
     * @param bhhOffset index in {@code bhh} of its first element
     * @param h0 the initial hidden states, batch x H contiguous
     * @param h0Offset index in {@code h0} of row 0
     * @param c LSTM only (ignored otherwise, may be null): c_0 (batch x H contiguous) on entry, the last step's c on
     *          return
     * @param cOffset index in {@code c} of row 0
     * @param h receives every step's h_t, (steps * batch) x H with leading dimension ldh, row
     *          {@code t * batch + b} for sequence b at step t
     * @param hOffset index in {@code h} of row 0
     * @param ldh distance between the starts of two rows of h, >= H
     * @param hg scratch of batch x G*H floats for the hidden gates
     * @param hgOffset index in {@code hg} of the scratch's first element
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, {@code whh} has the wrong shape or comes from the other implementation, or a
     *         leading dimension is below its row length
     */
    public final void recurrentSequence(CellKind cell, boolean reverse, int steps, int batch, int hidden, float[] ig,
                                        int igOffset, PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0,
                                        int h0Offset, float[] c, int cOffset, float[] h, int hOffset, int ldh,
                                        float[] hg, int hgOffset) {
        if (checked) {
            RecurrenceChecks.checkRecurrentSequence(cell, steps, batch, hidden, ig, igOffset, whh, bhh, bhhOffset, h0,
                    h0Offset, c, cOffset, h, hOffset, ldh, hg, hgOffset);
        }
        recurrentSequenceImpl(cell, reverse, steps, batch, hidden, ig, igOffset, whh, bhh, bhhOffset, h0, h0Offset,
                c, cOffset, h, hOffset, ldh, hg, hgOffset);
    }

    /** {@link #recurrentSequence} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void recurrentSequenceImpl(CellKind cell, boolean reverse, int steps, int batch, int hidden,
            float[] ig, int igOffset, PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset,
            float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] hg, int hgOffset);

    /**
     * Floats of the {@code work} scratch that {@link #recurrentLayer} needs for these sizes: per chunk of
     * {@code C = min(steps, chunkSteps)} steps (at least 1) the input gates (C * batch rows of G*H), from batch 2 on
     * room for the chunk's input rows regrouped by sequence (C * batch rows of inputSize; a thread that computes only
     * some of the sequences projects only their rows), the hidden gates of one step (batch x G*H) and the state a
     * chunk starts from (batch x H).
     *
     * @param cell the cell kind (its gates G)
     * @param steps number of time steps, >= 0
     * @param batch number of sequences, >= 0
     * @param hidden hidden size H, >= 0
     * @param inputSize input features I, >= 0
     * @param chunkSteps the most steps per run, >= 1
     * @return the floats {@code work} must hold
     * @throws IllegalArgumentException when a size is negative, chunkSteps is below 1 or the sum exceeds an array
     */
    public static int recurrentLayerWorkFloats(CellKind cell, int steps, int batch, int hidden, int inputSize,
                                               int chunkSteps) {
        RecurrenceChecks.checkRecurrentLayerSizes(cell, steps, batch, hidden, inputSize, chunkSteps);
        long chunkRows = (long) Math.max(1, Math.min(steps, chunkSteps)) * batch;
        long gh = (long) cell.gates() * hidden;
        long floats = chunkRows * gh + (batch >= 2 ? chunkRows * inputSize : 0) + batch * gh + (long) batch * hidden;
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("recurrentLayer: the work scratch would need " + floats
                    + " floats, more than an array holds; hint: pass a smaller chunkSteps");
        }
        return (int) floats;
    }

    /**
     * The group of sequences by which this implementation may run {@link #recurrentLayer} in another layout: batches
     * of whole groups take a path of their own (the vector kernels: gate-major, groups of their micro-panel width,
     * 32 sequences at 512 bits), with the same bits. A warm-up that is to compile the code real batches run should
     * include such a batch. 1 where no batch size is special.
     *
     * @return the sequences per group, at least 1
     */
    public int recurrentLayerGroup() {
        return 1;
    }

    /**
     * A whole layer and direction over {@code batch} sequences of equal length, for inference: the input
     * projection and the recurrence, in chunks of steps. The steps are cut into {@code K = ceil(steps / chunkSteps)}
     * near-equal runs (run i starts at step {@code i * steps / K}), taken in the direction's order; for each run
     * <pre>
     * ig = x_run W_ih^T + b_ih       {@link #sgemmPackedBias} ({@link #sgemmPacked} without b_ih), rows t * batch + b
     * recurrentSequence over the run from h0 for the first run, else from the h of the step next to it
     * </pre>
     * with the same bits as those calls; so a chunk's input gates are computed right before its steps read them (from
     * cache, not memory). h, c, h0 as in {@link #recurrentSequence}; x may not overlap h, work or c.
     *
     * <p>Recording for a backward ({@code workspace} not null; GRU and LSTM, ignored by the RNN cells): each step's
     * cell kernel gets its rows of {@code workspace} as its own workspace (what {@link #gruCellBackward} and
     * {@link #lstmCellBackward} read), and an LSTM writes every c_t into its rows of {@code cells} instead of
     * updating c in place: c then holds c_0 and is only read, and the step after t reads c_t from cells. Those are
     * the cell kernels' calls with a workspace in place of {@code recurrentSequence}'s, with the same bits. An
     * implementation may use several threads; from batch 2 on each thread may take its own sequences for the whole
     * layer, projecting only their input rows, so that nothing passes between the threads until the end, or (a large
     * W_hh over few sequences, not recording) two threads may each take half of the hidden units, projecting only
     * their gate columns and meeting after every step. Without recording, a batch of whole groups of
     * {@link #recurrentLayerGroup} sequences may compute every product transposed ({@code ig^T = W_ih x^T + b_ih},
     * {@code hg^T = W_hh h^T + b_hh}) and the cells over that layout, each element with the operations of the calls
     * above. The bits do not depend on the threads or the layout.
     *
     * @param cell which cell kernel each step runs
     * @param reverse whether the steps run from the last to the first
     * @param steps number of time steps, >= 0
     * @param batch number of sequences, >= 0
     * @param hidden hidden size H, >= 0
     * @param inputSize input features I, >= 0
     * @param x the layer input, (steps * batch) x I contiguous, row {@code t * batch + b}
     * @param xOffset index in {@code x} of row 0
     * @param wih W_ih^T packed by {@link #packB} of this implementation (I x G*H)
     * @param bih b_ih (G*H), or null for no bias
     * @param bihOffset index in {@code bih} of its first element
     * @param whh W_hh^T packed by {@link #packB} of this implementation (H x G*H)
     * @param bhh b_hh (G*H), or null for no bias
     * @param bhhOffset index in {@code bhh} of its first element
     * @param h0 the initial hidden states, batch x H contiguous
     * @param h0Offset index in {@code h0} of row 0
     * @param c LSTM only (ignored otherwise, may be null): c_0 on entry, the last step's c on return, batch x H
     * @param cOffset index in {@code c} of row 0
     * @param h receives every step's h_t, (steps * batch) x H with leading dimension ldh
     * @param hOffset index in {@code h} of row 0
     * @param ldh distance between the starts of two rows of h, >= H
     * @param workspace null for inference; else (GRU, LSTM) receives every step's gate workspace, (steps * batch) x
     *              4*H contiguous, row {@code t * batch + b}
     * @param workspaceOffset index in {@code workspace} of row 0
     * @param cells LSTM recording (workspace not null): receives every c_t, (steps * batch) x H contiguous; else
     *              ignored (may be null)
     * @param cellsOffset index in {@code cells} of row 0
     * @param chunkSteps the most steps per run, >= 1
     * @param work scratch of at least {@link #recurrentLayerWorkFloats} floats
     * @param workOffset index in {@code work} of the scratch's first element
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, chunkSteps is below 1,
     *         an array is null or too short for its slice, a packed matrix has the wrong shape or comes from the
     *         other implementation, or a leading dimension is below its row length
     */
    public final void recurrentLayer(CellKind cell, boolean reverse, int steps, int batch, int hidden, int inputSize,
                                     float[] x, int xOffset, PackedMatrix wih, float[] bih, int bihOffset,
                                     PackedMatrix whh, float[] bhh, int bhhOffset, float[] h0, int h0Offset,
                                     float[] c, int cOffset, float[] h, int hOffset, int ldh, float[] workspace,
                                     int workspaceOffset, float[] cells, int cellsOffset, int chunkSteps,
                                     float[] work, int workOffset) {
        if (checked) {
            RecurrenceChecks.checkRecurrentLayer(cell, steps, batch, hidden, inputSize, x, xOffset, wih, bih, bihOffset,
                    whh, bhh, bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh, workspace, workspaceOffset,
                    cells, cellsOffset, chunkSteps, work, workOffset);
        }
        recurrentLayerImpl(cell, reverse, steps, batch, hidden, inputSize, x, xOffset, wih, bih, bihOffset, whh, bhh,
                bhhOffset, h0, h0Offset, c, cOffset, h, hOffset, ldh, workspace, workspaceOffset, cells, cellsOffset,
                chunkSteps, work, workOffset);
    }

    /** {@link #recurrentLayer} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void recurrentLayerImpl(CellKind cell, boolean reverse, int steps, int batch, int hidden,
            int inputSize, float[] x, int xOffset, PackedMatrix wih, float[] bih, int bihOffset, PackedMatrix whh,
            float[] bhh, int bhhOffset, float[] h0, int h0Offset, float[] c, int cOffset, float[] h, int hOffset,
            int ldh, float[] workspace, int workspaceOffset, float[] cells, int cellsOffset, int chunkSteps,
            float[] work, int workOffset);

    /**
     * Backpropagation through time over a whole layer and direction recorded by {@link #recurrentLayer} (a dense
     * batch: every sequence runs every step; no projection): from the direction's last step to its first, for the
     * rows of step t (R = steps * batch rows, row {@code t * batch + b}),
     * <pre>
     * RNN   dG_t = rnnTanhCellBackward / rnnReluCellBackward(dh_t, h_t)
     * GRU   dIg_t, dHg_t, d = gruCellBackward(dh_t, hPrev, workspace_t);  dhPrev += d
     * LSTM  dG_t, dc := lstmCellBackward(dh_t, dc, cPrev, c_t, workspace_t)
     * dhPrev += dHg_t W_hh                                 ({@link #sgemmPacked} with beta = 1; dHg = dIg but for GRU)
     * </pre>
     * where hPrev / cPrev are the previous step's rows of h / cells (h0 / c0 at the direction's first step) and
     * dhPrev the previous step's rows of dh (dh0 at the first step): the same calls with the same bits. dh comes in
     * as each row's gradient from above (the caller adds dh_n to the last step's rows) and leaves with the
     * recurrent parts added: complete, as the weight gradients need it. An implementation may use several threads;
     * from batch 2 on each may take its own sequences for the whole pass (the sequences never mix); the bits do not
     * depend on it.
     *
     * @param cell the cell kind of the forward
     * @param reverse whether the forward ran from the last step to the first (this pass then runs from the first)
     * @param steps number of time steps, >= 0
     * @param batch number of sequences, >= 0
     * @param hidden hidden size H, >= 0
     * @param dh (steps * batch) x H contiguous: the gradients of every row's h, completed in place
     * @param dhOffset index in {@code dh} of row 0
     * @param h the forward's h, (steps * batch) x H with leading dimension ldh
     * @param hOffset index in {@code h} of row 0
     * @param ldh distance between the starts of two rows of h, >= H
     * @param h0 the initial hidden states, batch x H contiguous
     * @param h0Offset index in {@code h0} of row 0
     * @param workspace GRU and LSTM: the forward's recorded workspace, (steps * batch) x 4*H contiguous; ignored
     *                  (may be null) for the RNN cells
     * @param workspaceOffset index in {@code workspace} of row 0
     * @param cells LSTM: every c_t the forward recorded, (steps * batch) x H contiguous; else ignored
     * @param cellsOffset index in {@code cells} of row 0
     * @param c0 LSTM: the initial cell states, batch x H contiguous; else ignored
     * @param c0Offset index in {@code c0} of row 0
     * @param dc LSTM: batch x H contiguous, the gradient of c_n on entry and of c_0 on return; else ignored
     * @param dcOffset index in {@code dc} of row 0
     * @param whh W_hh (G*H x H) packed by {@link #packB} of this implementation without transB
     * @param dIg receives the gradients of the input gates, (steps * batch) x G*H contiguous
     * @param dIgOffset index in {@code dIg} of row 0
     * @param dHg GRU: receives the gradients of the hidden gates, as dIg; else ignored (they are dIg's)
     * @param dHgOffset index in {@code dHg} of row 0
     * @param dh0 batch x H contiguous: the gradient of h_0 is added to it
     * @param dh0Offset index in {@code dh0} of row 0
     * @param scratch GRU: batch x H floats of scratch; else ignored
     * @param scratchOffset index in {@code scratch} of its first element
     * @throws IllegalArgumentException on a checked instance: a size or offset is negative, an array is null or too
     *         short for its slice, {@code whh} has the wrong shape or comes from the other implementation, or a
     *         leading dimension is below its row length
     */
    public final void recurrentLayerBackward(CellKind cell, boolean reverse, int steps, int batch, int hidden,
                                             float[] dh, int dhOffset, float[] h, int hOffset, int ldh, float[] h0,
                                             int h0Offset, float[] workspace, int workspaceOffset, float[] cells,
                                             int cellsOffset, float[] c0, int c0Offset, float[] dc, int dcOffset,
                                             PackedMatrix whh, float[] dIg, int dIgOffset, float[] dHg, int dHgOffset,
                                             float[] dh0, int dh0Offset, float[] scratch, int scratchOffset) {
        if (checked) {
            RecurrenceChecks.checkRecurrentLayerBackward(cell, steps, batch, hidden, dh, dhOffset, h, hOffset, ldh, h0,
                    h0Offset, workspace, workspaceOffset, cells, cellsOffset, c0, c0Offset, dc, dcOffset, whh, dIg,
                    dIgOffset, dHg, dHgOffset, dh0, dh0Offset, scratch, scratchOffset);
        }
        recurrentLayerBackwardImpl(cell, reverse, steps, batch, hidden, dh, dhOffset, h, hOffset, ldh, h0, h0Offset,
                workspace, workspaceOffset, cells, cellsOffset, c0, c0Offset, dc, dcOffset, whh, dIg, dIgOffset, dHg,
                dHgOffset, dh0, dh0Offset, scratch, scratchOffset);
    }

    /** {@link #recurrentLayerBackward} on arguments that are valid: no checks, undefined results otherwise. */
    protected abstract void recurrentLayerBackwardImpl(CellKind cell, boolean reverse, int steps, int batch,
            int hidden, float[] dh, int dhOffset, float[] h, int hOffset, int ldh, float[] h0, int h0Offset,
            float[] workspace, int workspaceOffset, float[] cells, int cellsOffset, float[] c0, int c0Offset,
            float[] dc, int dcOffset, PackedMatrix whh, float[] dIg, int dIgOffset, float[] dHg, int dHgOffset,
            float[] dh0, int dh0Offset, float[] scratch, int scratchOffset);

    /**
     * {@code C += A B} for the m rows of A, B packed, computed on the calling thread (a thread that computes one
     * share of a split pass must not split its products again) with the operations of the whole batch's product.
     * This implementation: {@link #sgemmPackedImpl} with beta = 1.
     */
    void productOnThisThread(int m, float[] a, int aOffset, int lda, PackedMatrix b, float[] c, int cOffset,
                             int ldc) {
        sgemmPackedImpl(false, m, 1f, a, aOffset, lda, b, 1f, c, cOffset, ldc);
    }
}
