package io.github.jrnn.properties.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The torch.save fixtures of nn's tests ({@code tools/make_torch_pickle_fixtures.py}) as fuzz seeds, taken apart
 * into their zip entries with the JDK's zip classes (independent of jrnn's reader) and put back together, so a
 * property can mutate one entry (the pickle, a storage) and keep the container valid.
 */
final class TorchZips {
    static final Path DIR = Path.of("../nn/src/test/resources/checkpoint/torch");

    private TorchZips() {
    }

    /** A torch zip file's entries in order, by name. */
    record TorchZip(String file, Map<String, byte[]> entries) {
        String pickleName() {
            return entries.keySet().stream().filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow();
        }

        List<String> storageNames() {
            return entries.keySet().stream().filter(n -> n.contains("/data/")).toList();
        }

        /** A copy with {@code name}'s bytes replaced. */
        TorchZip with(String name, byte[] bytes) {
            Map<String, byte[]> copy = new LinkedHashMap<>(entries);
            copy.put(name, bytes);
            return new TorchZip(file, copy);
        }

        /** The zip file, every entry stored, as torch.save writes it. */
        byte[] bytes() {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (ZipOutputStream zip = new ZipOutputStream(out)) {
                    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                        ZipEntry entry = new ZipEntry(e.getKey());
                        entry.setMethod(ZipEntry.STORED);
                        entry.setSize(e.getValue().length);
                        CRC32 crc = new CRC32();
                        crc.update(e.getValue());
                        entry.setCrc(crc.getValue());
                        zip.putNextEntry(entry);
                        zip.write(e.getValue());
                        zip.closeEntry();
                    }
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return file;
        }
    }

    /** The torch-written zip fixtures (not the legacy one, not the refused or hostile files). */
    static List<TorchZip> validZips() {
        List<TorchZip> out = new ArrayList<>();
        for (Path p : files(DIR)) {
            String name = p.getFileName().toString();
            if (name.endsWith(".pt") && !name.equals("legacy.pt")) {
                out.add(open(p));
            }
        }
        if (out.size() < 10) {
            throw new AssertionError("expected the torch fixtures under " + DIR.toAbsolutePath() + ", found " + out);
        }
        return out;
    }

    /** Every .pt file of the fixtures, the refused and the hostile ones included. */
    static List<byte[]> allFiles() {
        List<byte[]> out = new ArrayList<>();
        for (Path dir : List.of(DIR, DIR.resolve("refused"), DIR.resolve("hostile"))) {
            out.addAll(filesEndingWith(dir, ".pt"));
        }
        return out;
    }

    /**
     * The files nn's reader must load, as they are on disk: the torch.save fixtures (zip and legacy) and the
     * safetensors files their expected tensors are kept in.
     */
    static List<byte[]> loadableFiles() {
        List<byte[]> out = new ArrayList<>(filesEndingWith(DIR, ".pt"));
        out.addAll(filesEndingWith(DIR, ".safetensors"));
        return out;
    }

    private static List<byte[]> filesEndingWith(Path dir, String suffix) {
        return files(dir).stream().filter(p -> p.getFileName().toString().endsWith(suffix)).map(TorchZips::read)
                .toList();
    }

    /** Reads the entries through the central directory (ZipFile), which knows ZIP64 sizes in any layout. */
    private static TorchZip open(Path p) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(p.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TorchZip(p.getFileName().toString(), entries);
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the torch fixtures " + dir.toAbsolutePath() + " are missing", e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
