package io.github.jrnn.nn.composites;

import static io.github.jrnn.nn.composites.CompositeGoldenTest.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.checkpoint.SafeTensors;
import io.github.jrnn.nn.checkpoint.SafeTensorsFile;
import io.github.jrnn.nn.checkpoint.SafeTensorsWriter;
import io.github.jrnn.nn.checkpoint.StateDict;
import io.github.jrnn.nn.checkpoint.StateDicts;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Sequential;
import io.github.jrnn.nn.models.ModuleCheckpoints;
import io.github.jrnn.nn.models.ModuleTree;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole models through {@link ModuleCheckpoints}: the files {@code tools/export_torch.py} writes for composites
 * (module tree in the metadata), Java round trips, typed loading, tree checks, layout versions, and state dicts
 * stored as F16, BF16 and F64.
 */
class CompositeCheckpointsTest {

    @TempDir
    Path dir;

    /** The twin loaded from the .pt file: the reference state for the exported safetensors file. */
    private static Map<String, Tensor> fromPt(String name, Module twin) throws Exception {
        twin.loadStateDict(StateDicts.read(fixture(name + ".pt")), true);
        return twin.stateDict();
    }

    @Test
    void exportedSequentialBuildsTypedWithTorchsNamesAndValues() throws Exception {
        Sequential loaded = ModuleCheckpoints.load(fixture("sequential_mlp.safetensors"), Sequential.class);
        assertEquals(fromPt("sequential_mlp", TorchTwins.sequentialMlp()), loaded.stateDict());
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=6, out_features=8, bias=True)
                  (1): Dropout(p=0.25, inplace=False)
                  (2): Linear(in_features=8, out_features=8, bias=False)
                  (3): Sequential(
                    (0): Dropout(p=0.1, inplace=False)
                    (1): Linear(in_features=8, out_features=3, bias=True)
                  )
                )""", loaded.toString());
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.load(fixture("sequential_mlp.safetensors"), GRU.class));
        assertEquals("metadata 'module' is 'Sequential', but GRU was expected; load it with Sequential.class (or"
                + " Module.class for any kind)", e.problem());
    }

    @Test
    void exportedUserModelsLoadIntoTheirJavaClass() throws Exception {
        TorchTwins.TiedLM tied = ModuleCheckpoints.loadInto(fixture("tied_lm.safetensors"), new TorchTwins.TiedLM());
        assertEquals(fromPt("tied_lm", new TorchTwins.TiedLM()), tied.stateDict());
        assertArrayEquals(new long[] {5}, tied.encoder.numBatchesTracked.data(), "I64 buffer from the export");
        assertEquals(fromPt("char_gru", new TorchTwins.CharGru()),
                ModuleCheckpoints.loadInto(fixture("char_gru.safetensors"), new TorchTwins.CharGru()).stateDict());
        assertEquals(fromPt("cell_stack", new TorchTwins.CellStack()),
                ModuleCheckpoints.loadInto(fixture("cell_stack.safetensors"), new TorchTwins.CellStack())
                        .stateDict());
    }

    @Test
    void theModuleTreeOfAnExportIsReadable() throws Exception {
        SafeTensorsFile file = SafeTensors.read(fixture("tied_lm.safetensors"));
        assertEquals("""
                (root) TiedLM
                  embed: Embedding(num_embeddings=10, embedding_dim=4)
                  encoder: Encoder
                    rnn: RNN(input_size=4, hidden_size=4, num_layers=1, bias=false, batch_first=false, \
                dropout=0.0, bidirectional=false, nonlinearity=relu)
                  decoder: LSTM(input_size=4, hidden_size=6, num_layers=1, bias=true, batch_first=false, \
                dropout=0.0, bidirectional=false, proj_size=4)
                  head: Linear(in_features=4, out_features=10, bias=true)""",
                ModuleTree.fromMetadata(file.path(), file.metadata()).toString());
    }

    @Test
    void aUserClassIsNotBuiltByNameButLoadedIntoAnInstance() throws Exception {
        Path file = fixture("tied_lm.safetensors");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.load(file));
        assertTrue(e.problem().startsWith("metadata 'module' is 'TiedLM', which jrnn cannot build"), e.problem());
        assertTrue(e.problem().endsWith("use ModuleCheckpoints.loadInto(path, new TiedLM(...))"), e.problem());
    }

    @Test
    void loadingIntoAModelOfAnotherTreeNamesEveryDifferenceAndCopiesNothing() throws Exception {
        TorchTwins.CharGru model = new TorchTwins.CharGru();
        Map<String, Tensor> before = model.stateDict();
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.loadInto(fixture("tied_lm.safetensors"), model));
        assertTrue(e.problem().startsWith("its module tree differs from the model's: (root): TiedLM in the file,"
                + " CharGru in the model"), e.problem());
        assertEquals(before, model.stateDict());

        Path sequential = fixture("sequential_mlp.safetensors");
        Sequential wider = new Sequential(new io.github.jrnn.nn.layers.Linear(6, 9),
                new io.github.jrnn.nn.layers.Dropout(0.25), new io.github.jrnn.nn.layers.Linear(9, 8, false));
        String problem = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.loadInto(sequential, wider)).problem();
        assertTrue(problem.contains("0: Linear(in_features=6, out_features=8, bias=true) in the file,"
                + " Linear(in_features=6, out_features=9, bias=true) in the model"), problem);
        assertTrue(problem.contains("2: Linear(in_features=8, out_features=8, bias=false) in the file,"
                + " Linear(in_features=9, out_features=8, bias=false) in the model"), problem);
        assertTrue(problem.contains("3: Sequential in the file, no such child in the model"), problem);
    }

    @Test
    void javaCompositesRoundTripWithTiedNamesAndIntegerBuffers() throws Exception {
        TorchTwins.TiedLM model = new TorchTwins.TiedLM();
        model.encoder.numBatchesTracked.data()[0] = 42;
        Path file = dir.resolve("tied.safetensors");
        ModuleCheckpoints.save(model, file);
        SafeTensorsFile written = SafeTensors.read(file);
        assertEquals(written.tensor("embed.weight"), written.tensor("head.weight"), "both tied names, like torch");
        assertEquals("2", written.metadata().get(ModuleTree.LAYOUT_KEY));
        TorchTwins.TiedLM back = ModuleCheckpoints.loadInto(file, new TorchTwins.TiedLM());
        assertEquals(model.stateDict(), back.stateDict());
        assertArrayEquals(new long[] {42}, back.encoder.numBatchesTracked.data());

        Sequential seq = TorchTwins.sequentialMlp();
        Path seqFile = dir.resolve("seq.safetensors");
        ModuleCheckpoints.save(seq, seqFile);
        assertEquals(seq.stateDict(), ModuleCheckpoints.load(seqFile, Sequential.class).stateDict());
    }

    @Test
    void aNewerLayoutIsRefusedClearly() throws Exception {
        Map<String, String> meta = new LinkedHashMap<>(ModuleCheckpoints.metadata(new GRU(2, 3)));
        meta.put(ModuleTree.LAYOUT_KEY, "3");
        Path file = dir.resolve("future.safetensors");
        SafeTensorsWriter w = new SafeTensorsWriter().putMetadata(meta);
        new GRU(2, 3).stateDict().forEach(w::putTensor);
        w.write(file);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.load(file));
        assertEquals("its module layout 3 is newer than this jrnn reads (layouts 1 to 2); load it with a newer jrnn",
                e.problem());
    }

    @Test
    void aModuleTreeNestedTooDeeplyIsRefused() throws Exception {
        Map<String, String> meta = new LinkedHashMap<>(Map.of(ModuleTree.LAYOUT_KEY, "2", "module", "Deep"));
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            path.append(i == 0 ? "" : ".").append('m');
            meta.put(path + ".module", "Deep");
        }
        Path file = dir.resolve("deep.safetensors");
        new SafeTensorsWriter().putMetadata(meta).write(file);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.loadInto(file, new Sequential()));
        assertTrue(e.problem().startsWith("its module tree is nested deeper than 100 levels"), e.problem());
    }

    @Test
    void aTorchSaveFileHasNoModuleDescription() throws Exception {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ModuleCheckpoints.load(fixture("char_gru.pt")));
        assertTrue(e.problem().contains("model.loadStateDict(StateDicts.read(path), true)"), e.problem());
    }

    @Test
    void halfBfloatAndDoubleStateDictsLoadAsTorchsFloatValues() throws Exception {
        assertLoadsAsFloat("sequential_mlp.f16", TorchTwins.sequentialMlp());
        assertLoadsAsFloat("char_gru.bf16", new TorchTwins.CharGru());
        TorchTwins.TiedLM tied = new TorchTwins.TiedLM();
        assertLoadsAsFloat("tied_lm.f64", tied);
        assertArrayEquals(new long[] {5}, tied.encoder.numBatchesTracked.data(), "the int64 buffer stays int64");
    }

    private static void assertLoadsAsFloat(String name, Module model) throws Exception {
        model.loadStateDict(StateDicts.read(fixture(name + ".pt")), true);
        StateDict expected = StateDicts.read(fixture(name + ".as_f32.pt"));
        Map<String, Tensor> state = model.stateDict();
        assertEquals(expected.names(), state.keySet(), name);
        for (String n : expected.names()) {
            assertArrayEquals(expected.tensor(n).toTensor().data(), state.get(n).data(), name + " " + n);
        }
    }
}
