package io.github.jrnn.nn.composites;

import static io.github.jrnn.nn.testing.TorchTolerance.FORWARD;
import static io.github.jrnn.nn.testing.TorchTolerance.GRADIENT;
import static io.github.jrnn.nn.testing.TorchTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.jrnn.nn.autograd.GradMode;
import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;
import io.github.jrnn.nn.checkpoint.StoredTensor;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.layers.Sequential;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.tensor.Torch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Whole PyTorch models (tools/make_composite_fixtures.py) loaded from the {@code torch.save(model.state_dict())}
 * file into their Java twins ({@link TorchTwins}): the eval forward equals torch's within the forward tolerance,
 * and one training step's gradients (train mode, dropout masks from the same seed, upstream gradient from the
 * fixture) equal torch's {@code .grad} within the gradient tolerance. One model per module kind: Sequential,
 * Linear (with and without bias) and Dropout; Embedding and GRU; RNN, LSTM with proj_size, buffers and tied
 * weights; the three cells.
 */
class CompositeGoldenTest {

    @FunctionalInterface
    interface Forward {
        Tensor apply(StoredTensor input) throws CheckpointFormatException;
    }

    static Path fixture(String name) throws Exception {
        return Path.of(CompositeGoldenTest.class.getResource("/composites/" + name).toURI());
    }

    /** Loads NAME.pt strictly, then checks the forward and a training step's gradients against NAME.expected.pt. */
    static void assertMatchesTorch(String name, Module model, Forward forward) throws Exception {
        model.loadStateDict(StateDicts.read(fixture(name + ".pt")), true);
        StateDict expected = StateDicts.read(fixture(name + ".expected.pt"));
        StoredTensor input = expected.tensor("input");
        model.eval();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            assertClose(name + " output", expected.tensor("output").toTensor(), forward.apply(input), FORWARD);
        }
        model.train();
        Torch.manualSeed(Long.parseLong(expected.metadata().get("train_seed")));
        forward.apply(input).backward(expected.tensor("grad_output").toTensor());
        TreeSet<String> torchGrads = new TreeSet<>();
        expected.names().stream().filter(n -> n.startsWith("grad.")).forEach(n -> torchGrads.add(n.substring(5)));
        assertEquals(torchGrads, new TreeSet<>(model.namedParameters().keySet()), name + ": parameters");
        for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
            assertNotNull(p.getValue().grad(), name + ": no gradient reached " + p.getKey());
            assertClose(name + " grad " + p.getKey(), expected.tensor("grad." + p.getKey()).toTensor(),
                    p.getValue().grad(), GRADIENT);
        }
    }

    @Test
    void nestedSequentialWithDropoutAndABiasFreeLinearMatchesTorch() throws Exception {
        Sequential mlp = TorchTwins.sequentialMlp();
        assertMatchesTorch("sequential_mlp", mlp, x -> mlp.forward(x.toTensor()));
    }

    @Test
    void embeddingIntoABidirectionalTwoLayerGruMatchesTorch() throws Exception {
        TorchTwins.CharGru model = new TorchTwins.CharGru();
        assertMatchesTorch("char_gru", model, x -> model.forward(x.toLongTensor()));
    }

    @Test
    void tiedWeightsBuffersAnRnnAndAProjectedLstmMatchTorch() throws Exception {
        TorchTwins.TiedLM model = new TorchTwins.TiedLM();
        assertMatchesTorch("tied_lm", model, x -> model.forward(x.toLongTensor()));
        StateDict file = StateDicts.read(fixture("tied_lm.pt"));
        assertSame(file.tensor("embed.weight").storage(), file.tensor("head.weight").storage(),
                "torch stores the tied weight once");
        assertEquals(file.names().stream().filter(n -> !n.equals("encoder.num_batches_tracked")).toList(),
                List.copyOf(model.stateDict().keySet()), "torch's names and order, both tied names, the float buffer");
        assertEquals(List.of("encoder.num_batches_tracked"), List.copyOf(model.namedIntegerBuffers().keySet()));
        assertSame(model.embed.namedParameters().get("weight"), model.head.namedParameters().get("weight"));
        assertArrayEquals(file.tensor("encoder.h0").toTensor().data(), model.encoder.h0.data(), "float buffer");
        assertArrayEquals(new long[] {5}, model.encoder.numBatchesTracked.data(), "int64 buffer kept as integers");
    }

    @Test
    void threeCellsSteppedByHandMatchTorch() throws Exception {
        TorchTwins.CellStack model = new TorchTwins.CellStack();
        assertMatchesTorch("cell_stack", model, x -> model.forward(x.toTensor()));
    }
}
