package io.github.jrnn.nn.models;

import io.github.jrnn.nn.checkpoint.CheckpointFormatException;
import io.github.jrnn.nn.layers.Linear;
import io.github.jrnn.nn.layers.Module;
import io.github.jrnn.nn.layers.Parameter;
import io.github.jrnn.nn.random.Generator;
import io.github.jrnn.nn.rnn.GRU;
import io.github.jrnn.nn.rnn.LSTM;
import io.github.jrnn.nn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model handles: serialised and back, one shared model per JVM, content held to its checksum. */
class ModelHandleTest {

    @TempDir
    Path dir;

    private static GRU gru(long seed) {
        return GRU.builder(3, 4).numLayers(2).generator(new Generator(seed)).build();
    }

    private static Tensor input() {
        float[] x = new float[5 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.7);
        }
        return Tensor.of(x, 5, 1, 3);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void aSerialisedFileHandleGivesTheSameSharedFrozenModel() throws Exception {
        GRU trained = gru(11);
        Path file = dir.resolve("gru.safetensors");
        ModuleCheckpoints.save(trained, file);
        ModelHandle<GRU> handle = ModelHandle.of(file, GRU.class);
        try {
            ModelHandle<GRU> shipped = roundTrip(handle);
            assertEquals(handle, shipped);
            GRU shared = shipped.get();
            assertSame(handle.get(), shared, "one model per JVM and content");
            assertFalse(shared.isTraining());
            for (Parameter p : shared.parameters()) {
                assertFalse(p.value().requiresGrad(), "a shared model records no graph");
            }
            trained.eval();
            assertArrayEquals(trained.forward(input()).output().data(), shared.forward(input()).output().data());
        } finally {
            handle.release();
        }
    }

    @Test
    void bytesHandlesTravelWithTheirContentAndSnapshotAModule() throws Exception {
        GRU trained = gru(12);
        ModelHandle<GRU> handle = ModelHandle.of(trained, GRU.class);
        try {
            trained.eval();
            float[] before = trained.forward(input()).output().data();
            trained.parameters().get(0).data()[0] += 1f; // after the snapshot: must not reach the handle
            trained.parameters().get(0).markModified();
            ModelHandle<GRU> shipped = roundTrip(handle);
            assertEquals("<bytes>", shipped.source());
            assertArrayEquals(before, shipped.get().forward(input()).output().data());
            assertEquals(handle.sha256(), ModelHandle.of(ModuleCheckpoints.toBytes(gru(12)), GRU.class).sha256());
        } finally {
            handle.release();
        }
    }

    @Test
    void concurrentFirstCallsLoadOnce() throws Exception {
        Path file = dir.resolve("gru.safetensors");
        ModuleCheckpoints.save(gru(13), file);
        ModelHandle<GRU> handle = ModelHandle.of(file, GRU.class);
        handle.release(); // so the threads below race for the first load on this JVM
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<GRU>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                ModelHandle<GRU> copy = roundTrip(handle);
                results.add(pool.submit((Callable<GRU>) copy::get));
            }
            GRU first = results.get(0).get();
            for (Future<GRU> r : results) {
                assertSame(first, r.get());
            }
        } finally {
            pool.shutdown();
            handle.release();
        }
    }

    @Test
    void aFileChangedAfterTheHandleWasMadeIsRefusedWithBothChecksums() throws Exception {
        Path file = dir.resolve("gru.safetensors");
        ModuleCheckpoints.save(gru(14), file);
        ModelHandle<GRU> handle = ModelHandle.of(file, GRU.class);
        GRU before = handle.get();
        handle.release();
        ModuleCheckpoints.save(gru(15), file);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, handle::get);
        assertTrue(e.problem().contains("the handle was made for " + handle.sha256()), e.problem());
        assertTrue(e.problem().contains("make a new handle"), e.problem());
        ModelHandle<GRU> renewed = ModelHandle.of(file, GRU.class);
        try {
            assertNotSame(before, renewed.get());
        } finally {
            renewed.release();
        }
    }

    @Test
    void mistakesShowWhenTheHandleIsMade() throws Exception {
        Path file = dir.resolve("gru.safetensors");
        ModuleCheckpoints.save(gru(16), file);
        CheckpointFormatException kind = assertThrows(CheckpointFormatException.class,
                () -> ModelHandle.of(file, LSTM.class));
        assertTrue(kind.problem().contains("but LSTM was expected"), kind.problem());
        assertThrows(NoSuchFileException.class, () -> ModelHandle.of(dir.resolve("missing"), GRU.class));
        assertThrows(CheckpointFormatException.class, () -> ModelHandle.of(new byte[] {1, 2, 3}, GRU.class));
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> ModelHandle.of(file, (Class<GRU>) null));
        assertTrue(nul.getMessage().startsWith("type must not be null"), nul.getMessage());
    }

    /** A model class of the user's own. */
    static final class Tagger extends Module {
        final GRU rnn;
        final Linear head;

        Tagger() {
            rnn = registerModule("rnn", new GRU(3, 4));
            head = registerModule("head", new Linear(4, 2));
        }
    }

    @Test
    void aModelOfTheUsersOwnIsBuiltByItsFactory() throws Exception {
        Tagger trained = new Tagger();
        Path file = dir.resolve("tagger.safetensors");
        ModuleCheckpoints.save(trained, file);
        ModelHandle<Tagger> handle = ModelHandle.of(file, Tagger::new);
        try {
            Tagger shared = roundTrip(handle).get();
            assertNotSame(trained, shared);
            assertEquals(trained.stateDict(), shared.stateDict());
            assertTrue(handle.toString().startsWith("ModelHandle[model from "), handle.toString());
        } finally {
            handle.release();
        }
    }

    @Test
    void aTamperedSerialFormIsRefused() throws Exception {
        ModelHandle<GRU> handle = ModelHandle.of(gru(17), GRU.class);
        handle.release();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(handle);
        }
        byte[] serial = bytes.toByteArray();
        String text = new String(serial, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf(handle.sha256());
        assertTrue(at > 0);
        serial[at] = (byte) 'Z'; // no longer a lowercase hex checksum
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serial))) {
            InvalidObjectException e = assertThrows(InvalidObjectException.class, in::readObject);
            assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        }
        serial[at] = (byte) (handle.sha256().charAt(0) == '0' ? '1' : '0'); // well-formed, but not the content's
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serial))) {
            ModelHandle<?> wrong = (ModelHandle<?>) in.readObject();
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, wrong::get);
            assertTrue(e.problem().contains("SHA-256"), e.problem());
        }
        assertTrue(Files.exists(dir)); // nothing written anywhere
    }
}
