package io.github.jrnn.nn.checkpoint;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Golden tests against torch: each {@code checkpoint/torch/<name>.pt} was written by PyTorch 1.13 (or rewritten by
 * hand from its output: big-endian, ZIP64) and {@code <name>.expected.safetensors} holds what {@code torch.load}
 * gives for it (see {@code tools/make_torch_pickle_fixtures.py}): every tensor's bytes, its float32 or int64
 * conversion by torch, its storage offset, strides and storage, the plain values and the module versions. The
 * file is read from a path, from bytes and from a stream, and each way must give exactly that.
 */
class StateDictsTorchFixtureTest {

    static final Path DIR = Path.of("src/test/resources/checkpoint/torch");

    @ParameterizedTest
    @ValueSource(strings = {"gru", "lstm_proj_bidirectional", "linear", "embedding", "composite_nested",
            "tied_weights", "views", "dtypes", "legacy", "protocol4", "protocol5", "parameters_keep_vars",
            "training_checkpoint", "archive_from_buffer", "big_endian", "zip64"})
    void readsWhatTorchLoadGivesBitForBit(String name) throws IOException {
        Path file = DIR.resolve(name + ".pt");
        byte[] bytes = Files.readAllBytes(file);
        Expected expected = Expected.read(DIR.resolve(name + ".expected.safetensors"));
        try (SafeTensorsFile _ = expected.file()) {
            for (StateDict sd : List.of(StateDicts.read(file), StateDicts.read(bytes, name + ".pt"),
                    StateDicts.read(new ByteArrayInputStream(bytes), name + ".pt"))) {
                expected.check(sd);
            }
        }
    }

    /** The expected file, open (its entries give their stored bytes), and its metadata sorted by kind. */
    record Expected(SafeTensorsFile file, Map<String, String> layouts, Map<String, String> metadata,
                    Map<String, Long> versions, String format) {

        static Expected read(Path path) throws IOException {
            SafeTensorsFile f = SafeTensors.open(path);
            Map<String, String> layouts = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Long> versions = new LinkedHashMap<>();
            f.metadata().forEach((k, v) -> {
                if (k.startsWith("layout|")) {
                    layouts.put(k.substring(7), v);
                } else if (k.startsWith("meta|")) {
                    metadata.put(k.substring(5), v);
                } else if (k.startsWith("version|")) {
                    versions.put(k.substring(8), Long.parseLong(v));
                }
            });
            return new Expected(f, layouts, metadata, versions, f.metadata().get("format"));
        }

        void check(StateDict sd) throws IOException {
            assertEquals(format, sd.format().name());
            assertEquals(List.copyOf(layouts.keySet()), List.copyOf(sd.names()), "names in order");
            assertEquals(metadata, sd.metadata(), "plain values");
            assertEquals(versions, sd.moduleVersions(), "module versions");
            Map<String, TensorStorage> byIndex = new HashMap<>();
            Map<TensorStorage, String> indexOf = new IdentityHashMap<>();
            for (StoredTensor t : sd.tensors().values()) {
                SafeTensorsEntry raw = file.entry(t.name());
                String what = sd.source() + " '" + t.name() + "'";
                assertEquals(raw.dtype(), t.dtype(), what);
                assertArrayEquals(raw.shape(), t.shape(), what);
                assertArrayEquals(raw.storedBytes(), t.toBytes(), what + " bytes");
                if (t.dtype().isFloatingPoint()) {
                    float[] torch = file.tensor(t.name() + "|f32").data();
                    float[] ours = t.toTensor().data();
                    assertArrayEquals(bits(torch), bits(ours), what + " as float32");
                    assertArrayEquals(t.shape(), t.toTensor().shape(), what);
                } else {
                    assertArrayEquals(file.entry(t.name() + "|i64").toLongs(), t.toLongs(), what + " as int64");
                    assertArrayEquals(t.shape(), t.toLongTensor().shape(), what);
                }
                // "storage=<i> offset=<o> stride=<s,...> storage_numel=<n>"
                Map<String, String> layout = new HashMap<>();
                for (String part : layouts.get(t.name()).split(" ")) {
                    String[] kv = part.split("=", -1);
                    layout.put(kv[0], kv[1]);
                }
                assertEquals(Long.parseLong(layout.get("offset")), t.storageOffset(), what + " offset");
                assertEquals(layout.get("stride"), joined(t.strides()), what + " strides");
                assertEquals(Long.parseLong(layout.get("storage_numel")), t.storage().numel(), what + " storage");
                TensorStorage seen = byIndex.putIfAbsent(layout.get("storage"), t.storage());
                if (seen != null) {
                    assertSame(seen, t.storage(), what + " shares a storage in torch");
                }
                String index = indexOf.putIfAbsent(t.storage(), layout.get("storage"));
                if (index != null) {
                    assertEquals(index, layout.get("storage"), what + " shares a storage only in jrnn");
                }
            }
        }
    }

    static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    private static String joined(long[] values) {
        StringBuilder s = new StringBuilder();
        for (long v : values) {
            s.append(s.isEmpty() ? "" : ",").append(v);
        }
        return s.toString();
    }
}
