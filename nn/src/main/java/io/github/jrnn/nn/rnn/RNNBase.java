package io.github.jrnn.nn.rnn;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.init.Init;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.random.Generator;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.Arrays;

/**
 * The one recurrent sequence module behind {@link RNN}, {@link GRU} and {@link LSTM}, like PyTorch's
 * {@code RNNBase}: a stack of {@code num_layers} layers, each with one or (bidirectional) two directions, whose
 * recurrence is picked by the {@link RecurrentMode}.
 *
 * <h2>Parameters (PyTorch's names, shapes and order)</h2>
 * For each layer k, then each direction (suffix {@code _reverse} for the second), in this order, with G the gate
 * count, H = hidden_size, H_out = proj_size or H, in_k = input_size for k = 0 and D * H_out above:
 * <pre>
 * weight_ih_l{k}  (G * H, in_k)      rows by gate: r|z|n for GRU, i|f|g|o for LSTM
 * weight_hh_l{k}  (G * H, H_out)
 * bias_ih_l{k}    (G * H)            only with bias
 * bias_hh_l{k}    (G * H)            only with bias
 * weight_hr_l{k}  (H_out, H)         only for LSTM with proj_size &gt; 0
 * </pre>
 * All start as U(-1/sqrt(H), 1/sqrt(H)), drawn in this order from the module's generator, as PyTorch's
 * {@code reset_parameters} does.
 *
 * <h2>Forward</h2>
 * Input (L, N, H_in), (N, L, H_in) with batch_first, unbatched (L, H_in), or a {@link PackedSequence}; initial
 * states default to zeros and are (D * num_layers, N, H_out) regardless of batch_first (unbatched: without N).
 * Dropout (training mode only) applies to each layer's output except the last. See {@link RecurrentOutput} and
 * {@link PackedRecurrentOutput} for the results. Every shape PyTorch rejects is rejected, with PyTorch's message
 * and a hint, before any arithmetic.
 *
 * <h2>Training</h2>
 * When recording is on ({@link io.github.jrnn.nn.autograd.GradMode}) and the input, h_0, c_0 or any parameter requires
 * a gradient (parameters do by default), a forward call records one backward node for the whole call, all layers
 * and directions ({@code RnnTanhBackward}, {@code RnnReluBackward}, {@code GruBackward}, {@code LstmBackward}); its
 * outputs are output (for packed input the output's data), h_n and c_n. {@code loss.backward()} then runs
 * backpropagation through time and adds the gradients to every parameter, to the input (the tensor, or a packed
 * input's data) and to h_0 / c_0 when they require grad, as PyTorch does. To keep the needed intermediates (gate
 * activations of every step, every layer's output, the dropout masks) a recorded forward uses more memory (per
 * step and sequence, about 4 H floats per layer and direction for GRU, 5 H for LSTM); under
 * {@code GradMode.noGrad()} nothing is kept. Parameters are read again by the backward, so step the optimizer
 * only after it. {@code packPaddedSequence} and {@code padPackedSequence} pass gradients through, so a padded batch
 * can be packed, run and unpacked in training as in PyTorch.
 *
 * <h2>Thread safety</h2>
 * Forward passes only read the parameters, so one module may serve inference from many threads at once. Their
 * working buffers are per call: a pass that records nothing borrows a scratch (gates, intermediate layers, zero
 * states) from the module's pool, which hands each concurrent call its own and keeps it for the next, so a
 * steady-state inference call allocates little beyond its results; a recorded pass allocates what its backward
 * keeps. The pool holds as many scratches as the most calls that ever ran at once. The weights are packed for the
 * kernels once per weight version ({@link io.github.jrnn.nn.layers.Parameter#version()}) and shared by all calls.
 * Training-mode dropout draws from the module's generator, which is synchronized (the masks
 * then depend on the threads' interleaving). Loading parameters or changing the mode must not overlap forward calls.
 */
public abstract class RNNBase extends Module {

    private final RecurrentOptions options;
    private final Generator generator;
    private final Kernels kernels; // as given; the passes compute with its unchecked twin after checking shapes
    private final DirectionWeights[] weights; // index layer * D + direction
    private final PackedWeights[] packed;     // the same, packed for the kernels once per weight version
    private final ScratchPool<ForwardScratch> scratchPool = new ScratchPool<>(ForwardScratch::new);
    private final ScratchPool<BackwardScratch> backwardScratchPool = new ScratchPool<>(BackwardScratch::new);

    /**
     * Builds the module and initialises its parameters from {@code generator}.
     *
     * @param generator initialisation and dropout; null means {@link Generator#defaultGenerator()}
     * @param kernels   the arithmetic; null means {@link KernelProvider#kernels()}
     */
    RNNBase(RecurrentOptions options, Generator generator, Kernels kernels) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.options = options;
        this.generator = generator != null ? generator : Generator.defaultGenerator();
        this.kernels = kernels != null ? kernels : KernelProvider.kernels();
        if (options.dropout() > 0 && options.numLayers() == 1) {
            System.getLogger(RNNBase.class.getName()).log(Level.WARNING, "dropout option adds dropout after all"
                    + " but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got"
                    + " dropout=" + options.dropout() + " and num_layers=1");
        }
        int directions = options.numDirections();
        int gh = options.mode().gates() * options.hiddenSize();
        int hOut = options.hiddenOutSize();
        this.weights = new DirectionWeights[options.numLayers() * directions];
        this.packed = new PackedWeights[weights.length];
        for (int layer = 0; layer < options.numLayers(); layer++) {
            for (int dir = 0; dir < directions; dir++) {
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                Parameter wIh = registerParameter("weight_ih" + suffix,
                        Parameter.zeros(gh, options.layerInputSize(layer)));
                Parameter wHh = registerParameter("weight_hh" + suffix, Parameter.zeros(gh, hOut));
                Parameter bIh = options.bias() ? registerParameter("bias_ih" + suffix, Parameter.zeros(gh)) : null;
                Parameter bHh = options.bias() ? registerParameter("bias_hh" + suffix, Parameter.zeros(gh)) : null;
                Parameter wHr = options.projSize() > 0
                        ? registerParameter("weight_hr" + suffix, Parameter.zeros(hOut, options.hiddenSize()))
                        : null;
                DirectionWeights w = new DirectionWeights(wIh, wHh, bIh, bHh, wHr);
                weights[layer * directions + dir] = w;
                packed[layer * directions + dir] = new PackedWeights(w, this.kernels);
            }
        }
        resetParameters(this.generator);
    }

    /**
     * Builds the module for {@code options.mode()}: an {@link RNN}, {@link GRU} or {@link LSTM} (e.g. from a
     * checkpoint's recorded constructor arguments). Null generator / kernels mean the defaults.
     *
     * @param options the constructor arguments, including the mode
     * @param generator initialisation and dropout; null means {@link Generator#defaultGenerator()}
     * @param kernels the arithmetic; null means {@link KernelProvider#kernels()}
     * @return the module, with freshly initialised parameters
     */
    public static RNNBase create(RecurrentOptions options, Generator generator, Kernels kernels) {
        return switch (options.mode()) {
            case RNN_TANH, RNN_RELU -> new RNN(options, generator, kernels);
            case GRU -> new GRU(options, generator, kernels);
            case LSTM -> new LSTM(options, generator, kernels);
        };
    }

    /**
     * Redraws every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) in registration order, as
     * PyTorch's {@code reset_parameters}; a generator seeded like torch's gives PyTorch's initial weights.
     *
     * @param generator the generator to draw from
     */
    public final void resetParameters(Generator generator) {
        Init.recurrentDefault(generator, options.hiddenSize(), parameters().stream().map(Parameter::data).toList());
        parameters().forEach(Parameter::markModified);
    }

    /**
     * PyTorch's {@code RNNBase.extra_repr}: input and hidden size, then only the arguments that differ from their
     * defaults, in PyTorch's order ({@code LSTM(10, 20, proj_size=5, batch_first=True)}); the nonlinearity of an
     * {@code RNN} is not printed, as in PyTorch.
     */
    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(options.inputSize()).append(", ").append(options.hiddenSize());
        if (options.projSize() != 0) {
            s.append(", proj_size=").append(options.projSize());
        }
        if (options.numLayers() != 1) {
            s.append(", num_layers=").append(options.numLayers());
        }
        if (!options.bias()) {
            s.append(", bias=").append(repr(false));
        }
        if (options.batchFirst()) {
            s.append(", batch_first=").append(repr(true));
        }
        if (options.dropout() != 0) {
            s.append(", dropout=").append(repr(options.dropout()));
        }
        if (options.bidirectional()) {
            s.append(", bidirectional=").append(repr(true));
        }
        return s.toString();
    }

    /**
     * The constructor arguments.
     *
     * @return the constructor arguments
     */
    public final RecurrentOptions options() {
        return options;
    }

    /**
     * The recurrence.
     *
     * @return the recurrence
     */
    public final RecurrentMode mode() {
        return options.mode();
    }

    /**
     * The kernels this module computes with, as given (by default the checked {@link KernelProvider#kernels()}).
     * A forward call checks its shapes once and then runs every step on their {@link Kernels#unchecked()} twin.
     *
     * @return the kernels
     */
    public final Kernels kernels() {
        return kernels;
    }

    /**
     * Runs the module on a padded or unbatched input with zero initial states.
     *
     * @param input (L, N, H_in), (N, L, H_in) with batch_first, or unbatched (L, H_in)
     * @return output, h_n (and c_n for LSTM)
     */
    public final RecurrentOutput forward(Tensor input) {
        return forward(input, null, null);
    }

    /**
     * Runs the module on a packed batch with zero initial states.
     *
     * @param input a packed batch of H_in-wide rows
     * @return the packed output, h_n (and c_n for LSTM)
     */
    public final PackedRecurrentOutput forward(PackedSequence input) {
        return forward(input, null, null);
    }

    /**
     * Runs the module on a padded or unbatched input from given initial states; the form every mode shares, so code
     * that holds any {@code RNNBase} needs no switch on the mode. {@code h0}: (D * num_layers, N, H_out), unbatched
     * (D * num_layers, H_out), null for zeros. {@code c0}: LSTM's cell state (D * num_layers, N, hidden_size),
     * unbatched without N, null for zeros (an LSTM takes both states or neither); it must be null for RNN and GRU.
     *
     * @param input (L, N, H_in), (N, L, H_in) with batch_first, or unbatched (L, H_in)
     * @param h0 the initial hidden state, or null for zeros
     * @param c0 LSTM's initial cell state, or null for zeros; null for RNN and GRU
     * @return output (L, N, D * H_out) (batch first as the input), h_n and (LSTM) c_n
     */
    public final RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0) {
        SequenceShape s = RecurrentChecks.checkInput(options, input);
        checkForwardArgs(s, h0, c0);
        return forwardPadded(s, input, h0, c0, null);
    }

    /**
     * {@link #forward(Tensor, Tensor, Tensor)} writing its results into tensors the caller owns, as ONNX Runtime's
     * bound outputs do: a service that calls it again and again with the same {@code into} gets the same numbers
     * (bit for bit) without a new output per call. With a time-major input ({@code batch_first} false, or
     * unbatched) in eval mode the pass allocates no arrays at all (its scratch is the module's, reused); a
     * batch-first input is transposed to time-major and back, which allocates copies of the input and the output.
     * The pass is for inference: it keeps no autograd graph, as under {@code GradMode.noGrad()}, also when the
     * module's parameters require grad (as they do by default); an input or initial state that requires grad with
     * grad mode on is refused, since its gradient could not be had from this call.
     *
     * @param input (L, N, H_in), (N, L, H_in) with batch_first, or unbatched (L, H_in)
     * @param h0 the initial hidden state, or null for zeros
     * @param c0 LSTM's initial cell state, or null for zeros; null for RNN and GRU
     * @param into the tensors to write: {@code output}, {@code hN} and (LSTM only, else null) {@code cN}, each of
     *             exactly the shape {@link #forward(Tensor, Tensor, Tensor)} returns for this input, none requiring
     *             grad, none sharing its data with the input, a state or another target
     * @return {@code into}, its tensors written (their {@link Tensor#version()} moves on)
     * @throws IllegalArgumentException when a target is missing, misshapen, requires grad or shares data
     * @throws IllegalStateException when the input, h0 or c0 requires grad with grad mode on
     */
    public final RecurrentOutput forward(Tensor input, Tensor h0, Tensor c0, RecurrentOutput into) {
        SequenceShape s = RecurrentChecks.checkInput(options, input);
        checkForwardArgs(s, h0, c0);
        OutputTargets.check(options, s, input, h0, c0, into);
        if (GradNode.shouldRecord(input, h0, c0)) {
            throw new IllegalStateException("forward(input, h0, c0, into) keeps no autograd graph, but grad mode is "
                    + "on and the input, h_0 or c_0 requires grad: call forward(input, h0, c0) to get gradients, or "
                    + "run this one under GradMode.noGrad() with tensors that do not require grad");
        }
        // A time-major pass wrote into's own arrays and returns into; a batch-first one returns new tensors.
        RecurrentOutput result = forwardPadded(s, input, h0, c0, into);
        writtenInto(result.output(), into.output());
        writtenInto(result.hN(), into.hN());
        if (into.cN() != null) {
            writtenInto(result.cN(), into.cN());
        }
        return into;
    }

    /** Makes {@code target} hold {@code result} (copied unless it is the target) as an in-place write. */
    private static void writtenInto(Tensor result, Tensor target) {
        if (result != target) {
            System.arraycopy(result.data(), 0, target.data(), 0, target.numel());
        }
        target.markModified();
    }

    /**
     * The padded or unbatched forward of shape {@code s} (arguments checked); with {@code into}, a time-major pass
     * writes the results into its arrays and returns {@code into}, a batch-first one returns new tensors.
     */
    private RecurrentOutput forwardPadded(SequenceShape s, Tensor input, Tensor h0, Tensor c0,
                                          RecurrentOutput into) {
        int steps = s.steps();
        int batch = s.batch();
        int[] batchSizes = new int[steps];
        Arrays.fill(batchSizes, batch);
        // time-major rows; the transpose records its own backward node when the input requires grad
        boolean batchFirst = s.batched() && options.batchFirst();
        Tensor rows = batchFirst ? input.transpose(0, 1) : input;
        float[] h = h0 != null ? h0.data() : null; // null: zeros, allocated by run where needed
        boolean timeMajorInto = into != null && !batchFirst;
        Pass p = run(rows, h0, c0, h, c0 != null ? c0.data() : null, new StepRows(batchSizes, batch),
                BatchPermutation.IDENTITY, into != null, !timeMajorInto ? null : new RecurrentForward.Result(
                        into.output().data(), into.hN().data(), into.cN() != null ? into.cN().data() : null));
        if (timeMajorInto) {
            return into;
        }
        int width = options.numDirections() * options.hiddenOutSize();
        Tensor output = p.output(0, s.batched() ? Tensor.of(p.result.output(), steps, batch, width)
                : Tensor.of(p.result.output(), steps, width));
        if (batchFirst) {
            output = output.transpose(0, 1);
        }
        Tensor hN = p.output(1, Tensor.of(p.result.hN(), RecurrentChecks.expectedHiddenSize(options, s)));
        Tensor cN = p.result.cN() == null ? null
                : p.output(2, Tensor.of(p.result.cN(), RecurrentChecks.expectedCellSize(options, s)));
        return new RecurrentOutput(output, hN, cN);
    }

    /**
     * Runs the module on a packed batch from given initial states, shaped as for {@link #forward(Tensor, Tensor,
     * Tensor)} and given and returned in the caller's original batch order (internally they are permuted by
     * {@code sorted_indices}, as PyTorch does).
     *
     * @param input a packed batch of H_in-wide rows
     * @param h0 the initial hidden state (D * num_layers, N, H_out), or null for zeros
     * @param c0 LSTM's initial cell state (D * num_layers, N, H), or null for zeros; null for RNN and GRU
     * @return the packed output, h_n and (LSTM) c_n
     */
    public final PackedRecurrentOutput forward(PackedSequence input, Tensor h0, Tensor c0) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        RecurrentChecks.checkPackedInput(options, input.data());
        SequenceShape s = new SequenceShape(input.maxLength(), input.batchSize(), true, true);
        checkForwardArgs(s, h0, c0);
        BatchPermutation order = new BatchPermutation(input.sortedIndices(), input.unsortedIndices());
        int states = options.numLayers() * options.numDirections();
        int hOut = options.hiddenOutSize();
        int hidden = options.hiddenSize();
        float[] h = h0 == null ? null : order.toSorted(h0.data(), states, s.batch(), hOut); // null: zeros
        float[] c = c0 == null ? null : order.toSorted(c0.data(), states, s.batch(), hidden);
        Pass p = run(input.data(), h0, c0, h, c, new StepRows(input.batchSizes(), s.batch()), order, false, null);
        int width = options.numDirections() * hOut;
        PackedSequence output = input.withData(p.output(0, Tensor.of(p.result.output(), input.data().size(0),
                width)));
        Tensor hN = p.output(1, Tensor.of(order.toCaller(p.result.hN(), states, s.batch(), hOut), states,
                s.batch(), hOut));
        Tensor cN = p.result.cN() == null ? null : p.output(2, Tensor.of(
                order.toCaller(p.result.cN(), states, s.batch(), hidden), states, s.batch(), hidden));
        return new PackedRecurrentOutput(output, hN, cN);
    }

    /**
     * Runs the layers over time-major {@code inputRows}, from the sorted-order states {@code h} and {@code c}
     * (null for zeros). When {@link GradNode#shouldRecord} holds for the input, h_0, c_0 or a parameter, the pass
     * keeps a {@link RecurrentTape} and one {@link RecurrentBackward} node stands for the whole call; otherwise it
     * saves nothing. {@code inference}: a pass that records nothing whatever requires grad (the caller asked for
     * one); {@code into}: arrays for the results (see {@link RecurrentForward#run}), or null for new ones.
     */
    private Pass run(Tensor inputRows, Tensor h0, Tensor c0, float[] h, float[] c, StepRows rows,
                     BatchPermutation order, boolean inference, RecurrentForward.Result into) {
        Tensor[] inputs = RecurrentBackward.inputsOf(inputRows, h0, c0, weights);
        int stateLength = rows.batch() * options.numLayers() * options.numDirections() * options.hiddenOutSize();
        if (!inference && GradNode.shouldRecord(inputs)) {
            if (h == null) {
                h = new float[stateLength];
            }
            RecurrentTape tape = new RecurrentTape(options, rows, h, c);
            RecurrentForward.Result r = new RecurrentForward(kernels, options, packed, rows, tape, null)
                    .run(inputRows.data(), h, c, dropoutMasks());
            return new Pass(r, new RecurrentBackward(kernels, options, weights, packed, tape, order, inputs,
                    backwardScratchPool));
        }
        // Inference: gates, intermediate layers and zero initial states come from a reused scratch.
        ForwardScratch s = scratchPool.acquire();
        try {
            float[] initial = h != null ? h : s.zeros(stateLength);
            RecurrentForward.Result r = new RecurrentForward(kernels, options, packed, rows, null, s)
                    .run(inputRows.data(), initial, c, dropoutMasks(), into);
            return new Pass(r, null);
        } finally {
            scratchPool.release(s);
        }
    }

    /** A forward result and the node its outputs belong to (null when nothing was recorded). */
    private record Pass(RecurrentForward.Result result, RecurrentBackward node) {
        Tensor output(int index, Tensor value) {
            return node == null ? value : node.output(index, value);
        }
    }

    /**
     * PyTorch's {@code check_forward_args}: the state ranks, then {@code h_0} against
     * {@link RecurrentChecks#expectedHiddenSize}. LSTM overrides it to check {@code c_0} as well.
     */
    void checkForwardArgs(SequenceShape s, Tensor h0, Tensor c0) {
        if (c0 != null) {
            throw new IllegalArgumentException("c_0 is the cell state of an LSTM; " + getClass().getSimpleName()
                    + " takes h_0 only: pass null for c_0");
        }
        if (h0 == null) {
            return;
        }
        RecurrentChecks.checkStateDims(options, s, h0, null);
        RecurrentChecks.checkHiddenSize(options, s, h0, RecurrentChecks.expectedHiddenSize(options, s),
                "Expected hidden size", "h_0");
    }

    /** Training-mode dropout between layers, drawn from the module's generator; null when none applies. */
    private RecurrentForward.DropoutMasks dropoutMasks() {
        double p = options.dropout();
        if (!isTraining() || p == 0 || options.numLayers() == 1) {
            return null;
        }
        return (mask, n) -> generator.dropoutMask(mask, 0, n, p);
    }

    /**
     * {@link #warmUp(Duration, Set)} of every path with a budget of 10 seconds.
     *
     * @return what ran and how long it took
     */
    public final WarmUp warmUp() {
        return warmUp(Duration.ofSeconds(10), EnumSet.allOf(WarmUp.Path.class));
    }

    /**
     * Runs this module's inference paths on made-up input until the JIT has compiled their kernels, so that the
     * caller's first real calls run at full speed (see {@link WarmUp} for why and what it costs): the
     * {@linkplain WarmUp.Path paths} asked for, in their order (the stream only for unidirectional modules). Each
     * path runs until its call time has not fallen by 5 % for 50 calls and the JIT has compiled nothing for 50 ms,
     * or until {@code budget} is spent. Call it once after loading, e.g. at a service's start-up, with the paths
     * the service uses (a stream processor: {@code EnumSet.of(WarmUp.Path.STREAM)}); it may run while other threads
     * call the module, and it changes no result of theirs: it uses its own stream and scratch, applies no dropout
     * and records nothing. Training (backward, optimizer) is not warmed up.
     *
     * @param budget the most wall time to spend; paths not steady by then are reported as such
     * @param paths  the inference paths to warm up
     * @return one line per path run and whether all became steady
     * @throws IllegalArgumentException when {@code budget} is null or not positive, or {@code paths} is null or
     *                                  empty
     */
    public final WarmUp warmUp(Duration budget, Set<WarmUp.Path> paths) {
        if (budget == null || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("budget must be a positive duration, got " + budget
                    + "; e.g. Duration.ofSeconds(10)");
        }
        if (paths == null || paths.isEmpty()) {
            throw new IllegalArgumentException("paths must name at least one of " + Arrays.toString(
                    WarmUp.Path.values()) + ", got " + paths + "; e.g. EnumSet.of(WarmUp.Path.STREAM)");
        }
        WarmUp.Builder report = new WarmUp.Builder();
        long deadline = report.start + budget.toNanos();
        int inputSize = options.inputSize();
        for (WarmUp.Path path : EnumSet.copyOf(paths)) {
            if (path == WarmUp.Path.STREAM) {
                if (options.bidirectional()) {
                    continue; // no stream to warm: stream() refuses bidirectional modules
                }
                RecurrentStream stream = stream();
                float[] x = new float[inputSize];
                Arrays.fill(x, 0.5f);
                float[] out = new float[options.hiddenOutSize()];
                report.lines.add(WarmUp.runPath("stream step", () -> stream.step(x, 0, out, 0),
                        WarmUp.MIN_STEP_CALLS, deadline, report.steady));
            } else {
                int batch = path == WarmUp.Path.SEQUENCE ? 1 : WarmUp.BATCH;
                float[] rows = new float[WarmUp.SEQUENCE_STEPS * batch * inputSize];
                Arrays.fill(rows, 0.5f);
                // the batch path also runs a batch of the kernels' own group, whose layers take a path of their own
                int group = path == WarmUp.Path.BATCH ? kernels.recurrentLayerGroup() : 1;
                float[] grouped = group > 1 && group != batch ? new float[WarmUp.SEQUENCE_STEPS * group * inputSize]
                        : null;
                if (grouped != null) {
                    Arrays.fill(grouped, 0.5f);
                }
                report.lines.add(WarmUp.runPath(WarmUp.SEQUENCE_STEPS + "-step sequence, batch " + batch
                        + (grouped != null ? " and " + group : ""), () -> {
                            runInference(rows, WarmUp.SEQUENCE_STEPS, batch);
                            if (grouped != null) {
                                runInference(grouped, WarmUp.SEQUENCE_STEPS, group);
                            }
                        }, WarmUp.MIN_SEQUENCE_CALLS, deadline, report.steady));
            }
        }
        return report.build();
    }

    /** The inference pass of {@code forward} on time-major rows: no dropout, nothing recorded, results dropped. */
    private void runInference(float[] rows, int steps, int batch) {
        int[] batchSizes = new int[steps];
        Arrays.fill(batchSizes, batch);
        int stateLength = batch * options.numLayers() * options.numDirections() * options.hiddenOutSize();
        ForwardScratch s = scratchPool.acquire();
        try {
            new RecurrentForward(kernels, options, packed, new StepRows(batchSizes, batch), null, s)
                    .run(rows, s.zeros(stateLength), null, null);
        } finally {
            scratchPool.release(s);
        }
    }

    /**
     * A streaming stepper over this module with zero initial state: one time step at a time, batch 1, no allocation
     * per step (see {@link RecurrentStream}). Unidirectional modules only.
     *
     * @return a new stream starting from zero states
     */
    public final RecurrentStream stream() {
        return stream(null, null);
    }

    /**
     * A streaming stepper starting from {@code h0} (and {@code c0} for LSTM), shape (num_layers, H_out).
     *
     * @param h0 the initial hidden state (num_layers, H_out), or null for zeros
     * @param c0 LSTM's initial cell state (num_layers, H), or null for zeros; null for RNN and GRU
     * @return a new stream
     */
    public final RecurrentStream stream(Tensor h0, Tensor c0) {
        return new RecurrentStream(options, kernels, packed.clone(), h0, c0); // unidirectional: one per layer
    }
}
