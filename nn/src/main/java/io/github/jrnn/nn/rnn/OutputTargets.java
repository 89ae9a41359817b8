package io.github.jrnn.nn.rnn;

import static io.github.jrnn.nn.tensor.Tensor.shapeTuple;

import io.github.jrnn.nn.tensor.Tensor;
import java.util.Arrays;

/**
 * The checks of {@link RNNBase#forward(Tensor, Tensor, Tensor, RecurrentOutput)}, whose caller gives the tensors
 * the results are written into: each must have exactly the shape the three-argument forward would return, must
 * not require grad (writing a leaf that requires grad in place is what PyTorch refuses too), and must not share
 * its data with the input, the initial states or another target (the pass reads those while it writes).
 */
final class OutputTargets {

    private OutputTargets() {
    }

    /**
     * Throws {@link IllegalArgumentException} naming the target, the shape expected and the one given, unless
     * {@code into} can receive the results of {@code forward(input, h0, c0)} for an input of shape {@code s}.
     */
    static void check(RecurrentOptions o, SequenceShape s, Tensor input, Tensor h0, Tensor c0,
                      RecurrentOutput into) {
        if (into == null) {
            throw new IllegalArgumentException("into must not be null: pass the tensors to write (output, h_n"
                    + (o.mode() == RecurrentMode.LSTM ? ", c_n" : "") + "), or call forward(input, h0, c0)");
        }
        int width = o.numDirections() * o.hiddenOutSize();
        int[] output = !s.batched() ? new int[] {s.steps(), width}
                : o.batchFirst() ? new int[] {s.batch(), s.steps(), width} : new int[] {s.steps(), s.batch(), width};
        checkTarget("into.output", into.output(), output);
        checkTarget("into.hN", into.hN(), RecurrentChecks.expectedHiddenSize(o, s));
        if (o.mode() == RecurrentMode.LSTM) {
            checkTarget("into.cN", into.cN(), RecurrentChecks.expectedCellSize(o, s));
        } else if (into.cN() != null) {
            throw new IllegalArgumentException("into.cN must be null: c_n is the cell state of an LSTM, and this "
                    + "module is " + o.mode());
        }
        Tensor[] targets = {into.output(), into.hN(), into.cN()};
        String[] targetNames = {"into.output", "into.hN", "into.cN"};
        Tensor[] read = {input, h0, c0};
        String[] readNames = {"the input", "h_0", "c_0"};
        for (int t = 0; t < targets.length; t++) {
            if (targets[t] == null) {
                continue;
            }
            for (int r = 0; r < read.length; r++) {
                if (read[r] != null && read[r].data() == targets[t].data()) {
                    throw new IllegalArgumentException(targetNames[t] + " shares its data with " + readNames[r]
                            + ", which forward reads while it writes " + targetNames[t] + "; pass a separate tensor");
                }
            }
            for (int u = t + 1; u < targets.length; u++) {
                if (targets[u] != null && targets[u].data() == targets[t].data()) {
                    throw new IllegalArgumentException(targetNames[t] + " and " + targetNames[u] + " share their "
                            + "data; pass a separate tensor for each result");
                }
            }
        }
    }

    private static void checkTarget(String name, Tensor target, int[] expected) {
        if (target == null) {
            throw new IllegalArgumentException(name + " must not be null: expected a tensor of shape "
                    + shapeTuple(expected));
        }
        if (!Arrays.equals(target.shape(), expected)) {
            throw new IllegalArgumentException(name + " must have the shape forward returns for this input, "
                    + shapeTuple(expected) + ", got " + shapeTuple(target.shape()));
        }
        if (target.requiresGrad()) {
            throw new IllegalArgumentException(name + " requires grad, and forward writes it in place; pass a "
                    + "tensor that does not (e.g. Tensor.zeros" + shapeTuple(expected) + ")");
        }
    }
}
