package io.github.jrnn.nn.checkpoint;

import io.github.jrnn.nn.checkpoint.PickleValues.StorageRef;
import io.github.jrnn.nn.checkpoint.ZipDirectory.Entry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads {@code torch.save}'s zip format: the top folder is the first entry's (the file's stem, or
 * {@code archive}); {@code <folder>/data.pkl} is unpickled by {@link RestrictedUnpickler}, then each storage it names
 * is read from {@code <folder>/data/<key>}, which must hold exactly the storage's bytes. {@code <folder>/version} must
 * be a positive integer; {@code <folder>/byteorder}, when present, {@code little} or {@code big} (storages of a
 * big-endian file are converted). A TorchScript archive ({@code torch.jit.save}: {@code code/} and
 * {@code constants.pkl} entries) is refused up front: its pickle holds TorchScript classes, and which of their
 * attributes are parameters is written in its code, not its data.
 */
final class TorchZipReader {
    private static final int MAX_SMALL_RECORD = 64;

    private TorchZipReader() {
    }

    static StateDict read(SeekableByteChannel ch, Path file) throws IOException {
        ZipDirectory zip = ZipDirectory.read(ch, file);
        String root = root(file, zip);
        for (String name : zip.entries().keySet()) {
            if (name.equals(root + "constants.pkl") || name.startsWith(root + "code/")) {
                throw new CheckpointFormatException(file, null, "this is a TorchScript archive (torch.jit.save),"
                        + " whose parameters cannot be told from its other attributes without running its code;"
                        + " in Python run torch.save(torch.jit.load(f).state_dict(), path) and read that file");
            }
        }
        Entry pickle = zip.stored(root + "data.pkl");
        if (pickle == null) {
            throw new CheckpointFormatException(file, null, "zip: no data.pkl under '" + root + "'; not a"
                    + " torch.save file");
        }
        checkVersion(ch, file, zip, root);
        ByteOrder order = byteOrder(ch, file, zip, root);
        ChannelInput in = new ChannelInput(ch, file, "data.pkl", pickle.dataStart(), pickle.dataEnd());
        Map<String, StorageRef> named = RestrictedUnpickler.newStorageMap();
        Object object = new RestrictedUnpickler(in, "data.pkl", false, named).load();
        if (in.remaining() != 0) {
            throw new CheckpointFormatException(file, null, "data.pkl: " + in.remaining() + " bytes after STOP");
        }
        PickledStateDict.Flat flat = PickledStateDict.flatten(file, "data.pkl", object);
        return PickledStateDict.assemble(file, CheckpointFormat.TORCH_ZIP, flat,
                storage -> storageBytes(ch, file, zip, root, storage, order));
    }

    /** The first entry's top folder, with its slash. */
    private static String root(Path file, ZipDirectory zip) throws CheckpointFormatException {
        if (zip.entries().isEmpty()) {
            throw new CheckpointFormatException(file, null, "zip: the archive is empty; not a torch.save file");
        }
        String first = zip.entries().keySet().iterator().next();
        int slash = first.indexOf('/');
        if (slash <= 0) {
            throw new CheckpointFormatException(file, null, "zip: entry '" + first + "' is not inside a top folder;"
                    + " not a torch.save file");
        }
        return first.substring(0, slash + 1);
    }

    private static void checkVersion(SeekableByteChannel ch, Path file, ZipDirectory zip, String root)
            throws IOException {
        Entry version = zip.stored(root + "version");
        if (version == null) {
            version = zip.stored(root + ".data/version");
        }
        if (version == null) {
            throw new CheckpointFormatException(file, null, "zip: no version record under '" + root + "'; not a"
                    + " torch.save file");
        }
        String text = smallRecord(ch, file, version).strip();
        if (!text.matches("[1-9][0-9]{0,8}")) {
            throw new CheckpointFormatException(file, null, "zip: version record '" + text + "' is not a positive"
                    + " integer");
        }
    }

    private static ByteOrder byteOrder(SeekableByteChannel ch, Path file, ZipDirectory zip, String root)
            throws IOException {
        Entry record = zip.stored(root + "byteorder");
        if (record == null) {
            return ByteOrder.LITTLE_ENDIAN; // files from before PyTorch 2.1, and from little-endian machines
        }
        String text = smallRecord(ch, file, record);
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new CheckpointFormatException(file, null, "zip: byteorder record '" + text
                    + "' must be 'little' or 'big'");
        };
    }

    private static String smallRecord(SeekableByteChannel ch, Path file, Entry e) throws IOException {
        if (e.size() > MAX_SMALL_RECORD) {
            throw new CheckpointFormatException(file, null, "zip: record '" + e.name() + "' has " + e.size()
                    + " bytes, more than the " + MAX_SMALL_RECORD + " it may have");
        }
        ByteBuffer b = ZipDirectory.readAt(ch, file, e.dataStart(), (int) e.size());
        return new String(b.array(), StandardCharsets.US_ASCII);
    }

    private static byte[] storageBytes(SeekableByteChannel ch, Path file, ZipDirectory zip, String root,
                                       StorageRef s, ByteOrder order) throws IOException {
        String name = root + "data/" + s.key();
        Entry e = zip.stored(name);
        if (e == null) {
            throw new CheckpointFormatException(file, null, "zip: no entry '" + name + "' for storage '" + s.key()
                    + "'");
        }
        long bytes = s.numel() * s.dtype().byteSize();
        if (e.size() != bytes) {
            throw new CheckpointFormatException(file, null, "zip: entry '" + name + "' holds " + e.size()
                    + " bytes, but storage '" + s.key() + "' is " + s.numel() + " " + s.dtype() + " elements ("
                    + bytes + " bytes)");
        }
        byte[] data = ZipDirectory.readAt(ch, file, e.dataStart(), (int) bytes).array();
        if (order == ByteOrder.BIG_ENDIAN) {
            swapBytes(data, s.dtype().byteSize());
        }
        return data;
    }

    /** Reverses the bytes of every element in place: big-endian to little-endian. */
    static void swapBytes(byte[] data, int size) {
        for (int at = 0; at < data.length; at += size) {
            for (int i = 0, j = size - 1; i < j; i++, j--) {
                byte b = data[at + i];
                data[at + i] = data[at + j];
                data[at + j] = b;
            }
        }
    }
}
