package io.github.jrnn.nn.rnn;

import static io.github.jrnn.nn.tensor.Tensor.shapeString;

import io.github.jrnn.kernels.KernelProvider;
import io.github.jrnn.kernels.Kernels;
import io.github.jrnn.nn.autograd.GradNode;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.init.Init;
import io.github.jrnn.nn.random.Generator;

/**
 * The one recurrent cell behind {@link RNNCell}, {@link GRUCell} and {@link LSTMCell}, like PyTorch's
 * {@code RNNCellBase}: a single step of the {@link RecurrentMode}'s recurrence.
 *
 * <h2>Parameters (PyTorch's names, shapes and order)</h2>
 * <pre>
 * weight_ih  (G * H, input_size)     rows by gate: r|z|n for GRU, i|f|g|o for LSTM
 * weight_hh  (G * H, H)
 * bias_ih    (G * H)                 only with bias
 * bias_hh    (G * H)                 only with bias
 * </pre>
 * initialised from U(-1/sqrt(H), 1/sqrt(H)) in this order, as PyTorch's {@code reset_parameters}.
 *
 * <h2>Forward</h2>
 * Input (N, input_size) or unbatched (input_size); hx (and the LSTM's cx) (N, H), unbatched (H), default zeros;
 * the result has the shape of hx. Shapes PyTorch rejects are rejected with PyTorch's message and a hint.
 *
 * <h2>Gradients</h2>
 * When {@link GradNode#shouldRecord} holds for the input, the states or a parameter, the step records one
 * {@code RNNCellBackward} / {@code GRUCellBackward} / {@code LSTMCellBackward} node (math on {@code CellBackward})
 * that sends gradients to the input, hx, cx and every parameter; otherwise it saves nothing. Stepping a cell over
 * a sequence by hand and calling {@code backward()} on a loss of the last (or every) h is backpropagation through
 * time, as in PyTorch.
 *
 * <h2>Thread safety</h2>
 * A forward step only reads the parameters and allocates its own buffers: one cell may be used from many threads
 * at once. Loading parameters must not overlap forward calls.
 */
public abstract class RecurrentCellBase extends Module {

    private final RecurrentMode mode;
    private final int inputSize;
    private final int hiddenSize;
    private final boolean bias;
    private final Kernels kernels; // as given; the passes compute with its unchecked twin after checking shapes
    private final DirectionWeights weights;
    private final PackedWeights packed; // the weights packed for the kernels once per weight version

    RecurrentCellBase(RecurrentMode mode, int inputSize, int hiddenSize, boolean bias, Generator generator,
                      Kernels kernels) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("input_size must be greater than zero, got " + inputSize);
        }
        if (hiddenSize <= 0) {
            throw new IllegalArgumentException("hidden_size must be greater than zero, got " + hiddenSize);
        }
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        this.kernels = kernels != null ? kernels : KernelProvider.kernels();
        int gh = mode.gateRows(hiddenSize);
        Parameter wIh = registerParameter("weight_ih", Parameter.zeros(gh, inputSize));
        Parameter wHh = registerParameter("weight_hh", Parameter.zeros(gh, hiddenSize));
        Parameter bIh = bias ? registerParameter("bias_ih", Parameter.zeros(gh)) : null;
        Parameter bHh = bias ? registerParameter("bias_hh", Parameter.zeros(gh)) : null;
        this.weights = new DirectionWeights(wIh, wHh, bIh, bHh, null);
        this.packed = new PackedWeights(weights, this.kernels);
        resetParameters(generator != null ? generator : Generator.defaultGenerator());
    }

    /**
     * Redraws every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) in registration order.
     *
     * @param generator the generator to draw from
     */
    public final void resetParameters(Generator generator) {
        Init.recurrentDefault(generator, hiddenSize, parameters().stream().map(Parameter::data).toList());
        parameters().forEach(Parameter::markModified);
    }

    /** The packed copies of the weights (for tests of when they are packed again). */
    PackedWeights packedWeights() {
        return packed;
    }

    /**
     * The recurrence.
     *
     * @return the recurrence
     */
    public final RecurrentMode mode() {
        return mode;
    }

    /**
     * PyTorch {@code input_size}.
     *
     * @return PyTorch {@code input_size}
     */
    public final int inputSize() {
        return inputSize;
    }

    /**
     * PyTorch {@code hidden_size}.
     *
     * @return PyTorch {@code hidden_size}
     */
    public final int hiddenSize() {
        return hiddenSize;
    }

    /**
     * PyTorch {@code bias}.
     *
     * @return whether the cell adds biases
     */
    public final boolean bias() {
        return bias;
    }

    /**
     * PyTorch's {@code RNNCellBase.extra_repr}: {@code 5, 4}, then {@code bias=False} and (RNNCell)
     * {@code nonlinearity=relu} only when they differ from the defaults.
     */
    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=" + repr(false))
                + (mode == RecurrentMode.RNN_RELU ? ", nonlinearity=relu" : "");
    }

    /**
     * The kernels this cell computes with, as given (by default the checked {@link KernelProvider#kernels()}). A
     * step checks its shapes once and then computes on their {@link Kernels#unchecked()} twin.
     *
     * @return the kernels
     */
    public final Kernels kernels() {
        return kernels;
    }

    /**
     * One step: returns {@code {h'}} or, for LSTM, {@code {h', c'}}, each shaped like the states.
     *
     * @param hx the previous h or null for zeros; cx the previous c (LSTM only) or null for zeros
     */
    final Tensor[] step(Tensor input, Tensor hx, Tensor cx) {
        boolean batched = checkInput(input);
        int batch = batched ? input.size(0) : 1;
        checkHidden(input, batched, hx, "hx", 0);
        if (mode == RecurrentMode.LSTM) {
            checkHidden(input, batched, cx, "cx", 1);
        }
        int gh = mode.gates() * hiddenSize;
        boolean lstm = mode == RecurrentMode.LSTM;
        boolean record = GradNode.shouldRecord(input, hx, cx, weights.weightIh().value(), weights.weightHh().value(),
                bias ? weights.biasIh().value() : null, bias ? weights.biasHh().value() : null);
        float[] ig = new float[batch * gh];
        float[] hg = new float[batch * gh];
        float[] h = new float[batch * hiddenSize];
        float[] hPrev = hx != null ? hx.data() : new float[h.length];
        // The LSTM reads c from cx (never modified) and writes c' to its own array, so both stay for the backward.
        float[] cPrev = !lstm ? null : cx != null ? cx.data() : new float[h.length];
        float[] c = lstm ? new float[h.length] : null;
        // Only a recorded GRU or LSTM step keeps its gate activations (RNN's backward needs just h').
        float[] workspace = record && mode.gates() > 1 ? new float[batch * 4 * hiddenSize] : null;
        // the shapes are checked above: the step computes with the kernels' unchecked twin
        CellStep cell = new CellStep(kernels, mode, hiddenSize, packed);
        cell.inputGates(batch, inputSize, input.data(), 0, ig, 0);
        cell.step(batch, new CellStep.Operands().gates(ig, 0, hg, 0).previous(hPrev, 0, hiddenSize)
                .cells(cPrev, 0, c, 0).next(h, 0, hiddenSize).saveTo(workspace, 0));
        int[] shape = batched ? new int[] {batch, hiddenSize} : new int[] {hiddenSize};
        Tensor[] out = lstm ? new Tensor[] {Tensor.of(h, shape), Tensor.of(c, shape)}
                : new Tensor[] {Tensor.of(h, shape)};
        if (record) {
            CellBackward node = new CellBackward(kernels, mode, batch, inputSize, hiddenSize, weights, input, hx, cx,
                    hPrev, h, cPrev, c, workspace);
            for (int i = 0; i < out.length; i++) {
                node.output(i, out[i]);
            }
        }
        return out;
    }

    private boolean checkInput(Tensor input) {
        String name = getClass().getSimpleName();
        if (input == null) {
            throw new IllegalArgumentException(name + ": input must not be null");
        }
        if (input.dim() != 1 && input.dim() != 2) {
            throw new IllegalArgumentException(name + ": Expected input to be 1-D or 2-D but received " + input.dim()
                    + "-D tensor (shape " + shapeString(input.shape()) + "); hint: a cell computes one step, input"
                    + " (N, input_size) or (input_size); for a whole sequence use the sequence module");
        }
        if (input.size(-1) != inputSize) {
            throw new IllegalArgumentException("input has inconsistent input_size: got " + input.size(-1)
                    + " expected " + inputSize + "; hint: " + name + " was built with input_size=" + inputSize
                    + " and reads the features from the last dimension");
        }
        return input.dim() == 2;
    }

    /** hx (index 0) or cx (index 1): same rank as the input, the input's batch size, width hidden_size. */
    private void checkHidden(Tensor input, boolean batched, Tensor state, String argName, int index) {
        if (state == null) {
            return;
        }
        String name = getClass().getSimpleName();
        String hidden = "hidden" + index;
        int want = batched ? 2 : 1;
        if (state.dim() != want) {
            throw new IllegalArgumentException(name + ": for " + (batched ? "batched 2-D" : "unbatched 1-D")
                    + " input, " + argName + " should also be " + want + "-D but got " + state.dim()
                    + "-D tensor (shape " + shapeString(state.shape()) + "); hint: " + argName + " must be "
                    + (batched ? "(" + input.size(0) + ", " + hiddenSize + ")" : "(" + hiddenSize + ")"));
        }
        if (batched && state.size(0) != input.size(0)) {
            throw new IllegalArgumentException("Input batch size " + input.size(0) + " doesn't match " + hidden
                    + " batch size " + state.size(0) + "; hint: " + argName + " needs one row per input row");
        }
        if (state.size(-1) != hiddenSize) {
            String hint = state.size(-1) == inputSize
                    ? "the last dimension of " + argName + " is input_size (" + inputSize + "); it must be hidden_size"
                    : argName + "'s last dimension must be hidden_size";
            throw new IllegalArgumentException(hidden + " has inconsistent hidden_size: got " + state.size(-1)
                    + ", expected " + hiddenSize + "; hint: " + hint + " (" + hiddenSize + ")");
        }
    }
}
