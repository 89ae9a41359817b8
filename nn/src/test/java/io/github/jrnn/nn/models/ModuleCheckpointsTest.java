package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsEntry;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.layers.Embedding;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.tensor.Tensor;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.GRUCell;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.rnn.LSTMCell;
import io.github.jrnn.nn.rnn.RNN;
import io.github.jrnn.nn.rnn.RNNBase;
import io.github.jrnn.nn.rnn.RNNCell;
import io.github.jrnn.nn.rnn.RecurrentCellBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Building modules from checkpoint metadata, strict loading, and saving them back. */
class ModuleCheckpointsTest {

    @TempDir
    Path dir;

    private static Path forwardFixture(String name) throws URISyntaxException {
        return Path.of(ModuleCheckpointsTest.class.getResource("/forward/" + name).toURI());
    }

    @Test
    void torchExportLoadsWithTorchsArgumentsAndWeights() throws Exception {
        Path file = forwardFixture("lstm_proj_bidir_lengths.model.safetensors");
        SafeTensorsFile checkpoint = SafeTensors.read(file);
        LSTM lstm = assertInstanceOf(LSTM.class, ModuleCheckpoints.load(file));
        assertEquals(5, lstm.options().inputSize());
        assertEquals(4, lstm.options().hiddenSize());
        assertEquals(3, lstm.options().projSize());
        assertTrue(lstm.options().bidirectional());
        assertEquals(List.copyOf(checkpoint.names()), List.copyOf(lstm.stateDict().keySet()));
        for (String name : checkpoint.names()) {
            assertEquals(checkpoint.tensor(name), lstm.stateDict().get(name), name);
        }
    }

    @Test
    void typedLoadReturnsTheExpectedKindOrNamesBoth() throws Exception {
        Path file = forwardFixture("gru_bidir_2layer.model.safetensors");
        GRU gru = ModuleCheckpoints.load(file, GRU.class);
        assertEquals(2, gru.options().numLayers());
        RNNBase any = ModuleCheckpoints.load(file, RNNBase.class);
        assertInstanceOf(GRU.class, any);

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.load(file, LSTM.class));
        assertEquals("metadata 'module' is 'GRU', but LSTM was expected; load it with GRU.class (or Module.class"
                + " for any kind)", e.problem());
        assertEquals(file, e.file());
        CheckpointFormatException cell = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.load(file, RecurrentCellBase.class));
        assertTrue(cell.getMessage().contains("but RecurrentCellBase was expected"), cell.getMessage());
        IllegalArgumentException nullType = assertThrows(IllegalArgumentException.class,
                () -> ModuleCheckpoints.load(file, null));
        assertTrue(nullType.getMessage().startsWith("type must not be null"), nullType.getMessage());
    }

    @Test
    void everyKindSurvivesSaveAndLoad() throws Exception {
        List<Module> modules = List.of(
                RNN.builder(3, 2).nonlinearity("relu").numLayers(2).batchFirst(true).generator(new Generator(1))
                        .build(),
                GRU.builder(3, 2).bidirectional(true).bias(false).dropout(0.25).numLayers(2)
                        .generator(new Generator(2)).build(),
                LSTM.builder(3, 4).projSize(2).generator(new Generator(3)).build(),
                new RNNCell(3, 2, false, "relu", new Generator(4), null),
                new GRUCell(3, 2, true, new Generator(5), null),
                new LSTMCell(3, 2, false, new Generator(6), null),
                new Linear(3, 2, false, new Generator(7), null),
                new Embedding(6, 3, 2, new Generator(8)),
                new Embedding(4, 2, null, new Generator(9)));
        for (Module m : modules) {
            Path file = dir.resolve(m.getClass().getSimpleName() + m.hashCode() + ".safetensors");
            ModuleCheckpoints.save(m, file);
            Module back = ModuleCheckpoints.load(file);
            String what = m.getClass().getSimpleName();
            assertEquals(m.getClass(), ModuleCheckpoints.load(file, m.getClass()).getClass(), what + " typed");
            assertEquals(m.getClass(), back.getClass(), what);
            assertEquals(ModuleCheckpoints.metadata(m), ModuleCheckpoints.metadata(back), what);
            assertEquals(ModuleCheckpoints.metadata(m), SafeTensors.read(file).metadata(), what);
            Map<String, Tensor> want = m.stateDict();
            Map<String, Tensor> got = back.stateDict();
            assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()), what);
            want.forEach((name, t) -> assertEquals(t, got.get(name), what + "." + name));
        }
    }

    @Test
    void metadataIsSpelledLikeExportTorch() {
        GRU gru = GRU.builder(5, 4).numLayers(2).bidirectional(true).build();
        assertEquals(Map.of("jrnn_layout", "2", "module", "GRU", "input_size", "5", "hidden_size", "4",
                "num_layers", "2", "bias", "true", "batch_first", "false", "dropout", "0.0", "bidirectional", "true"),
                ModuleCheckpoints.metadata(gru));
        assertEquals(Map.of("jrnn_layout", "2", "module", "RNNCell", "input_size", "5", "hidden_size", "4", "bias",
                "true", "nonlinearity", "tanh"), ModuleCheckpoints.metadata(new RNNCell(5, 4)));
    }

    /** A checkpoint of a GRU(5, 4) from torch with its metadata changed. */
    private Path gruWith(Map<String, String> metadata, boolean dropFirstTensor) throws Exception {
        SafeTensorsFile gru = SafeTensors.read(forwardFixture("gru_lengths_no_h0.model.safetensors"));
        SafeTensorsWriter w = new SafeTensorsWriter().putMetadata(metadata);
        boolean first = true;
        for (SafeTensorsEntry e : gru.entries()) {
            if (!(first && dropFirstTensor)) {
                w.putTensor(e.name(), e.toTensor());
            }
            first = false;
        }
        Path file = dir.resolve("gru" + System.nanoTime() + ".safetensors");
        w.write(file);
        return file;
    }

    private String refused(Map<String, String> metadata) throws Exception {
        Path file = gruWith(metadata, false);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.problem();
    }

    @Test
    void badMetadataIsRefusedNamingTheKey() throws Exception {
        assertEquals("has no metadata 'module' (the torch.nn class, e.g. GRU; tools/export_torch.py writes it)",
                refused(Map.of()));
        assertEquals("metadata 'module' is 'Transformer', which jrnn cannot build (it builds RNN, GRU, LSTM,"
                + " RNNCell, GRUCell, LSTMCell, Linear, Embedding, Dropout, LayerNorm, Tanh, ReLU, Sigmoid, Softmax,"
                + " LogSoftmax, Identity, Flatten, Sequential); for a model class of your own"
                + " use ModuleCheckpoints.loadInto(path, new Transformer(...))",
                refused(Map.of("module", "Transformer")));
        assertEquals("has no metadata 'hidden_size' (an integer constructor argument)",
                refused(Map.of("module", "GRU", "input_size", "5")));
        assertEquals("metadata 'hidden_size' must be a positive integer, got 'four'",
                refused(Map.of("module", "GRU", "input_size", "5", "hidden_size", "four")));
        assertEquals("metadata 'num_layers' must be a positive integer, got 0",
                refused(Map.of("module", "GRU", "input_size", "5", "hidden_size", "4", "num_layers", "0")));
        assertEquals("metadata 'bias' must be true or false, got 'yes'",
                refused(Map.of("module", "GRU", "input_size", "5", "hidden_size", "4", "bias", "yes")));
        assertEquals("metadata 'dropout' must be a number in [0.0, 1.0], got 1.5",
                refused(Map.of("module", "GRU", "input_size", "5", "hidden_size", "4", "dropout", "1.5")));
        assertEquals("metadata [hiden_size] is not an argument of GRU (it takes batch_first, bias, bidirectional,"
                + " dropout, hidden_size, input_size, num_layers)",
                refused(Map.of("module", "GRU", "input_size", "5", "hidden_size", "4", "hiden_size", "4")));
        assertEquals("metadata 'nonlinearity' must be one of tanh, relu, got 'sigmoid'",
                refused(Map.of("module", "RNN", "input_size", "5", "hidden_size", "4", "nonlinearity", "sigmoid")));
        String proj = refused(Map.of("module", "LSTM", "input_size", "5", "hidden_size", "4", "proj_size", "4"));
        assertTrue(proj.startsWith("metadata describes no valid LSTM: proj_size has to be smaller than"
                + " hidden_size, got proj_size=4 and hidden_size=4"), proj);
    }

    @Test
    void tensorsThatDoNotFitTheMetadataAreRefusedStrictly() throws Exception {
        Map<String, String> gru = Map.of("module", "GRU", "input_size", "5", "hidden_size", "4");
        Path missing = gruWith(gru, true);
        CheckpointFormatException m = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.load(missing));
        assertTrue(m.problem().startsWith("Error(s) in loading state_dict for GRU:\n\tMissing key(s) in state_dict:"
                + " \"weight_ih_l0\"."), m.problem());

        String wrongSize = refused(Map.of("module", "GRU", "input_size", "6", "hidden_size", "4"));
        assertTrue(wrongSize.contains("size mismatch for weight_ih_l0: copying a param with shape [12, 5] from"
                + " checkpoint, the shape in current model is [12, 6]."), wrongSize);

        String asLstm = refused(Map.of("module", "LSTM", "input_size", "5", "hidden_size", "3"));
        assertTrue(asLstm.startsWith("Error(s) in loading state_dict for LSTM:"), asLstm);

        Path integers = dir.resolve("int.safetensors");
        new SafeTensorsWriter().putMetadata(Map.of("module", "Linear", "in_features", "1", "out_features", "1"))
                .putLongs("weight", new long[] {1}, 1, 1).putTensor("bias", Tensor.zeros(1)).write(integers);
        CheckpointFormatException i = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.load(integers));
        assertTrue(i.problem().contains("dtype mismatch for weight: copying a tensor of dtype I64 from checkpoint,"
                + " the param in current model is F32 (floating point)."), i.problem());
    }

    @Test
    void aModuleOfTheUsersOwnIsDescribedByItsClassNameAndChildren() {
        final class Tagger extends Module {
            Tagger() {
                registerModule("rnn", new GRU(3, 4));
                registerModule("head", new Linear(4, 2, false));
            }
        }
        Map<String, String> meta = ModuleCheckpoints.metadata(new Tagger());
        assertEquals(List.of("jrnn_layout", "module", "rnn.module", "rnn.input_size", "rnn.hidden_size",
                "rnn.num_layers", "rnn.bias", "rnn.batch_first", "rnn.dropout", "rnn.bidirectional", "head.module",
                "head.in_features", "head.out_features", "head.bias"), List.copyOf(meta.keySet()));
        assertEquals(List.of("2", "Tagger", "GRU", "3", "4", "1", "true", "false", "0.0", "false", "Linear", "4",
                "2", "false"), List.copyOf(meta.values()));
    }
}
