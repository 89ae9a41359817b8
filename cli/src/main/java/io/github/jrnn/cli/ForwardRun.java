package io.github.jrnn.cli;

import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StoredTensor;
import io.github.jrnn.nn.packed.PackedSequence;
import io.github.jrnn.nn.packed.PackedSequences;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.PackedRecurrentOutput;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RNNCell;
import io.github.jrnn.nn.rnn.RecurrentCellBase;
import io.github.jrnn.nn.rnn.RecurrentOutput;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One forward pass of a loaded module on the tensors of an input file (safetensors, or a {@code torch.save} file
 * of a dict of tensors; both read by {@code StateDicts}), returning the named results.
 *
 * <pre>
 * RNN, GRU, LSTM   inputs: input, h_0 (optional), c_0 (LSTM, optional, with h_0), lengths (optional, I64, (N))
 *                  results: output, h_n, c_n (LSTM)
 * RNNCell, GRUCell inputs: input, h_0 (optional)                  results: h_1
 * LSTMCell         inputs: input, h_0 and c_0 (optional, both)    results: h_1, c_1
 * Linear           inputs: input                                  results: output
 * Embedding        inputs: input (I64 indices, any shape)             results: output (*, embedding_dim)
 * </pre>
 * With {@code lengths} the input is packed like {@code pack_padded_sequence(input, lengths, batch_first,
 * enforce_sorted=False)} (using the module's batch_first), run, and padded back with
 * {@code pad_packed_sequence(..., total_length=input.size(time dim))}, so {@code output} has the input's length
 * and zeros after each sequence's end.
 */
final class ForwardRun {
    private final StateDict inputs;

    private ForwardRun(StateDict inputs) {
        this.inputs = inputs;
    }

    /**
     * Runs {@code module} on {@code inputs}.
     *
     * @throws CheckpointFormatException for a missing, unknown or wrongly typed input tensor
     * @throws IllegalArgumentException  for shapes the module refuses (its message, in PyTorch's words)
     */
    static Map<String, Tensor> run(Module module, StateDict inputs) throws IOException {
        ForwardRun r = new ForwardRun(inputs);
        return switch (module) {
            case RNNBase rnn -> r.sequence(rnn);
            case RecurrentCellBase cell -> r.cell(cell);
            case Linear linear -> {
                r.accept("Linear", List.of("input"));
                yield Map.of("output", linear.forward(r.tensor("input")));
            }
            case Embedding embedding -> {
                r.accept("Embedding", List.of("input"));
                StoredTensor indices = r.inputs.tensor("input");
                yield Map.of("output", embedding.forward(indices.toLongs(), indices.shape()));
            }
            default -> throw new IllegalArgumentException("./jrnn forward cannot run a "
                    + module.getClass().getSimpleName());
        };
    }

    private Map<String, Tensor> cell(RecurrentCellBase cell) throws IOException {
        String kind = cell.getClass().getSimpleName();
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (cell instanceof LSTMCell lstm) {
            accept(kind, List.of("input", "h_0", "c_0"));
            LSTMCell.State s = lstm.forward(tensor("input"), optional("h_0"), optional("c_0"));
            out.put("h_1", s.h());
            out.put("c_1", s.c());
            return out;
        }
        accept(kind, List.of("input", "h_0"));
        Tensor input = tensor("input");
        Tensor h0 = optional("h_0");
        out.put("h_1", switch (cell) {
            case GRUCell g -> g.forward(input, h0);
            case RNNCell r -> r.forward(input, h0);
            default -> throw new IllegalStateException("unknown recurrent cell " + kind);
        });
        return out;
    }

    private Map<String, Tensor> sequence(RNNBase rnn) throws IOException {
        boolean lstm = rnn instanceof LSTM;
        String kind = rnn.getClass().getSimpleName();
        accept(kind, lstm ? List.of("input", "h_0", "c_0", "lengths") : List.of("input", "h_0", "lengths"));
        Tensor input = tensor("input");
        Tensor h0 = optional("h_0");
        Tensor c0 = lstm ? optional("c_0") : null;
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (!inputs.contains("lengths")) {
            RecurrentOutput r = rnn.forward(input, h0, c0);
            out.put("output", r.output());
            out.put("h_n", r.hN());
            if (lstm) {
                out.put("c_n", r.cN());
            }
            return out;
        }
        int[] lengths = lengths(input);
        boolean batchFirst = rnn.options().batchFirst();
        PackedSequence packed = PackedSequences.packPaddedSequence(input, lengths, batchFirst, false);
        PackedRecurrentOutput r = rnn.forward(packed, h0, c0);
        int totalLength = input.size(batchFirst ? 1 : 0);
        out.put("output", PackedSequences.padPackedSequence(r.output(), batchFirst, 0f, totalLength).padded());
        out.put("h_n", r.hN());
        if (lstm) {
            out.put("c_n", r.cN());
        }
        return out;
    }

    /** {@code lengths}: one integer per batch entry of a batched (3-D) input. */
    private int[] lengths(Tensor input) throws IOException {
        StoredTensor e = inputs.tensor("lengths");
        if (e.shape().length != 1) {
            throw new CheckpointFormatException(inputs.source(), "lengths", "must be 1-D (one length per batch"
                    + " entry), got shape " + Tensor.shapeString(e.shape()));
        }
        if (input.dim() != 3) {
            throw new CheckpointFormatException(inputs.source(), "lengths", "needs a batched 3-D input, but input"
                    + " has shape " + Tensor.shapeString(input.shape()) + "; hint: drop lengths for an unbatched"
                    + " sequence");
        }
        long[] values = e.toLongs();
        int[] lengths = new int[values.length];
        for (int i = 0; i < lengths.length; i++) {
            if (values[i] != (int) values[i]) {
                throw new CheckpointFormatException(inputs.source(), "lengths", "element " + i + " is " + values[i]
                        + ", outside the int range [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]");
            }
            lengths[i] = (int) values[i];
        }
        return lengths;
    }

    private Tensor tensor(String name) throws IOException {
        return inputs.tensor(name).toTensor();
    }

    private Tensor optional(String name) throws IOException {
        return inputs.contains(name) ? tensor(name) : null;
    }

    /** Refuses tensors the module does not take (a misspelt {@code h0} would otherwise be silently ignored). */
    private void accept(String kind, List<String> names) throws IOException {
        List<String> unknown = new ArrayList<>();
        for (String n : inputs.names()) {
            if (!names.contains(n)) {
                unknown.add(n);
            }
        }
        if (!unknown.isEmpty()) {
            throw new CheckpointFormatException(inputs.source(), unknown.getFirst(), "is not an input of " + kind
                    + " (it takes " + String.join(", ", names) + ")");
        }
        if (!inputs.contains("input")) {
            throw new CheckpointFormatException(inputs.source(), "input", "missing; " + kind + " takes "
                    + String.join(", ", names) + " and needs input");
        }
    }
}
